//! `livehook inspector serve|list` and `livehook trigger`.

use callback_inspector::tools;
use callback_inspector::{
    Filter, NamedKey, ReceiverConfig, ReceiverError, ResponseRule, Retention, Store, Verify, VerifyFilter,
};
use serde_json::{json, Value};
use tencent_live::callback::EventType;

use crate::cli::{InspectorCmd, InspectorListArgs, InspectorServeArgs, InspectorShowArgs, TriggerArgs};
use crate::output::{self, print, print_json, table, Format};
use crate::Outcome;

pub async fn run(cmd: InspectorCmd) -> Outcome {
    match cmd {
        InspectorCmd::Serve(args) => serve(args).await,
        InspectorCmd::List(args) => list(args).await,
        InspectorCmd::Show(args) => show(args).await,
    }
}

/// A database to read, or the error to give.
fn reader(db: &std::path::Path) -> Result<Store, Outcome> {
    if !db.exists() {
        return Err(invalid(&format!(
            "{} does not exist; start `livehook inspector serve --db {}` first",
            db.display(),
            db.display()
        )));
    }
    // Read only: a receiver may be storing into the same database meanwhile.
    Store::open_reader(db).map_err(|e| failed(&e.to_string()))
}

async fn show(args: InspectorShowArgs) -> Outcome {
    let event = match &args.db {
        Some(db) => {
            let store = match reader(db) {
                Ok(s) => s,
                Err(o) => return o,
            };
            let got = store.get(args.id);
            store.close();
            match got {
                Ok(Some(e)) => e,
                Ok(None) => return failed(&format!("callback {} is not in {}", args.id, db.display())),
                Err(e) => return failed(&e.to_string()),
            }
        }
        None => {
            let remote = match crate::remote::client(&args.remote) {
                Ok(r) => r,
                Err(e) => return invalid(&e),
            };
            match remote.event(args.id).await {
                Ok(Some(e)) => e.event,
                Ok(None) => {
                    return failed(&format!(
                        "callback {} is not on {}",
                        args.id,
                        args.remote.remote.as_deref().unwrap_or_default()
                    ))
                }
                Err(e) => return failed(&crate::remote::explain(&e)),
            }
        }
    };
    if args.json {
        print_json(&tools::export_record(&event));
    } else if args.curl {
        if !tencent_live::validate::is_http_url(&args.base) {
            return invalid(&format!("--base {:?} is not an http:// or https:// URL", args.base));
        }
        print(&(tools::curl(&event, &args.base) + "\n"));
    } else {
        let r = &event.request;
        let mut out = format!(
            "#{}  {}  {} {}{}{}\nfrom {}  ·  verified: {}{}  ·  attempt {}  ·  answered {}{}\n",
            event.id,
            chrono::DateTime::from_timestamp_millis(r.received_at)
                .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_default(),
            r.method,
            r.path,
            if r.query.is_empty() { "" } else { "?" },
            r.query,
            r.remote,
            event.check.slug(),
            if r.too_large { " (body over the limit, cut)" } else { "" },
            event.attempt,
            event.answer.status,
            if event.answer.body.is_empty() {
                String::new()
            } else {
                format!(" {}", event.answer.body)
            },
        );
        for (k, v) in &r.headers {
            out.push_str(&format!("{k}: {v}\n"));
        }
        out.push('\n');
        out.push_str(&event.body_text());
        let out = output::printable(&out, true);
        print(&(out + "\n"));
    }
    Outcome::Success
}

fn invalid(message: &str) -> Outcome {
    output::eprint(&format!("error: {message}"));
    Outcome::Invalid
}

fn failed(message: &str) -> Outcome {
    output::eprint(&format!("error: {message}"));
    Outcome::Failed
}

/// `LABEL=KEY` or `KEY` (labelled by its position).
fn parse_key(i: usize, s: &str) -> Result<NamedKey, String> {
    let (label, key) = match s.split_once('=') {
        Some((l, k)) if !l.is_empty() => (l.to_owned(), k),
        _ => (format!("--key {}", i + 1), s),
    };
    if key.is_empty() {
        return Err(format!("--key {s:?} has an empty key"));
    }
    Ok(NamedKey::new(label, key))
}

/// `path=/p,type=1,status=503,delay=2000,fail-first=2`
fn parse_rule(s: &str) -> Result<ResponseRule, String> {
    let mut rule = ResponseRule::default();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("--rule {s:?}: {part:?} is not NAME=VALUE"))?;
        let too_big = |v: &str| format!("--rule {s:?}: {k}={v} is too large");
        let num = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("--rule {s:?}: {k}={v} is not a number"))
        };
        match k {
            "path" => rule.path = Some(v.to_owned()),
            "type" => rule.event_type = Some(crate::cli::event_type_code(v).map_err(|e| format!("--rule {s:?}: {e}"))?),
            "status" => rule.status = Some(u16::try_from(num(v)?).map_err(|_| too_big(v))?),
            "delay" => rule.delay_ms = num(v)?,
            "fail-first" => rule.fail_first = u32::try_from(num(v)?).map_err(|_| too_big(v))?,
            other => {
                return Err(format!(
                    "--rule {s:?}: unknown {other:?}; use path, type, status, delay, fail-first"
                ))
            }
        }
    }
    Ok(rule)
}

async fn serve(args: InspectorServeArgs) -> Outcome {
    let mut keys = match args
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| parse_key(i, k.expose()))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(k) => k,
        Err(e) => return invalid(&e),
    };
    for path in &args.key_files {
        match crate::keyfile::read(path) {
            Ok(file) => keys.extend(file.into_iter().map(|k| NamedKey::new(k.label, k.key.expose()))),
            Err(e) => return invalid(&format!("--key-file: {e}")),
        }
    }
    let rules = match args.rules.iter().map(|r| parse_rule(r)).collect::<Result<Vec<_>, _>>() {
        Ok(r) => r,
        Err(e) => return invalid(&e),
    };
    if let Err(e) = callback_inspector::rules::validate(&rules) {
        return invalid(&e.to_string());
    }
    if let Some(url) = &args.forward {
        if !tencent_live::validate::is_http_url(url) {
            return invalid(&format!("--forward {url:?} is not an http:// or https:// URL"));
        }
    }
    let retention = Retention {
        max_events: args.keep,
        max_age_days: args.keep_days,
        max_mb: args.keep_mb,
    };
    let store = match Store::open(&args.db, retention) {
        Ok(s) => s,
        Err(e) => return failed(&e.to_string()),
    };
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => match tencent_live::tls::server_config(cert, key) {
            Ok(t) => Some(t),
            Err(e) => return invalid(&format!("--tls-cert/--tls-key: {e}")),
        },
        _ => None,
    };
    let mut config = ReceiverConfig::new(args.listen, Some(store.clone()));
    config.tls = tls.clone();
    config.max_connections = usize::try_from(args.max_connections).unwrap_or(usize::MAX);
    config.read_timeout = std::time::Duration::from_secs(args.read_timeout);
    config.allow_external = args.allow_external;
    config.keys = keys;
    config.forward_to = args.forward.clone();
    config.rules = rules;
    let receiver = match callback_inspector::start(config).await {
        Ok(r) => r,
        Err(e @ ReceiverError::External(_)) => return invalid(&format!("{e}; add --allow-external (in the service's /etc/livehook/inspector.conf: LIVEHOOK_INSPECTOR_ALLOW_EXTERNAL=true)")),
        Err(e @ ReceiverError::PortInUse { .. }) => return failed(&format!("{e}; choose it with --listen")),
        Err(e) => return failed(&e.to_string()),
    };
    print(&format!(
        "LiveHook inspector listening on {}, keeping callbacks in {} (verifying with {} key{})\n",
        receiver.base_url(),
        args.db.display(),
        receiver.keys().len(),
        if receiver.keys().len() == 1 { "" } else { "s" }
    ));
    // The read API, on its own listener.
    let api = match (&args.api_listen, &args.api_token_file) {
        (Some(listen), Some(file)) => {
            let token = match crate::keyfile::read_one(file) {
                Ok(t) => t,
                Err(e) => {
                    receiver.stop().await;
                    return invalid(&format!("--api-token-file: {e}"));
                }
            };
            let live = receiver.subscriber();
            let config = callback_inspector::api::ApiConfig {
                listen: *listen,
                allow_external: args.allow_external,
                token: token.expose().to_owned(),
                tls: tls.clone(),
                callback_url: Some(receiver.base_url()),
            };
            match callback_inspector::api::serve(config, store.clone(), std::sync::Arc::new(move || live.subscribe()))
                .await
            {
                Ok(api) => {
                    print(&format!(
                        "Read API on {}/api/v1/ (Authorization: Bearer, the token in {})\n",
                        api.base_url(),
                        file.display()
                    ));
                    Some(api)
                }
                Err(e) => {
                    receiver.stop().await;
                    return match e {
                        callback_inspector::api::ApiError::ShortToken => invalid(&format!("--api-token-file: {e}")),
                        callback_inspector::api::ApiError::Receiver(e @ ReceiverError::External(_)) => {
                            invalid(&format!(
                                "--api-listen: {e}; add --allow-external (LIVEHOOK_INSPECTOR_ALLOW_EXTERNAL=true)"
                            ))
                        }
                        other => failed(&format!("--api-listen: {other}")),
                    };
                }
            }
        }
        _ => None,
    };
    // A line per callback, unless --quiet: a busy server's journal would take one for every callback.
    let printer = (!args.quiet).then(|| {
        let mut live = receiver.subscribe();
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match live.recv().await {
                    Ok(callback_inspector::Live::Received { event, .. }) => {
                        let line = format!(
                            "#{} {} {} type {} stream {} → {} ({})",
                            event.id,
                            event.method,
                            event.path,
                            event.event_type.map(EventType::label).unwrap_or_else(|| "?".into()),
                            event.stream_id.as_deref().unwrap_or("-"),
                            event.status,
                            event.verify.slug()
                        );
                        print(&(output::printable(&line, false) + "\n"));
                    }
                    Ok(_) => {}
                    // Printing fell behind a burst: say how many lines were skipped and go on with
                    // the newest, rather than stopping for good.
                    Err(RecvError::Lagged(n)) => print(&format!(
                        "… {n} callbacks not printed (stored all the same): printing fell behind; --quiet prints none\n"
                    )),
                    Err(RecvError::Closed) => break,
                }
            }
        })
    });
    crate::until_stopped().await;
    if let Some(api) = api {
        api.stop();
    }
    receiver.stop().await;
    if let Some(printer) = printer {
        printer.abort();
    }
    store.close();
    Outcome::Success
}

async fn list(args: InspectorListArgs) -> Outcome {
    let filter = Filter {
        event_type: args.event_type,
        stream_id: args.stream.clone(),
        verify: args.verified.as_deref().map(|v| {
            if v == "yes" {
                VerifyFilter::Is(Verify::Valid)
            } else {
                VerifyFilter::Invalid
            }
        }),
        text: args.text.clone(),
        domain: args.domain.clone(),
        app_name: args.app_name.clone(),
        since: args.since,
        before_id: args.before_id,
        limit: Some(args.limit.clamp(1, 1000)),
        ..Default::default()
    };
    let Some(db) = &args.db else {
        return list_remote(&args, &filter).await;
    };
    let store = match reader(db) {
        Ok(s) => s,
        Err(o) => return o,
    };
    if args.json {
        let (events, next) = match store.query_whole(&filter) {
            Ok(p) => p,
            Err(e) => return failed(&e.to_string()),
        };
        let events: Vec<Value> = events.iter().map(tools::export_record).collect();
        print_json(&json!({"events": events, "nextBeforeId": next}));
        store.close();
        return Outcome::Success;
    }
    let page = match store.query(&filter) {
        Ok(p) => p,
        Err(e) => return failed(&e.to_string()),
    };
    store.close();
    print_list(&page.items);
    Outcome::Success
}

/// `inspector list --remote`: the same filters as query parameters of the read API.
async fn list_remote(args: &InspectorListArgs, f: &Filter) -> Outcome {
    let remote = match crate::remote::client(&args.remote) {
        Ok(r) => r,
        Err(e) => return invalid(&e),
    };
    let filter = Filter {
        limit: Some(f.limit.unwrap_or(50)),
        ..f.clone()
    };
    let (page, events) = match remote
        .events_raw(&callback_inspector::remote::filter_params(&filter))
        .await
    {
        Ok(p) => p,
        Err(e) => return failed(&crate::remote::explain(&e)),
    };
    if args.json {
        print_json(&page);
    } else {
        print_list(&events.iter().map(|e| e.summary()).collect::<Vec<_>>());
    }
    Outcome::Success
}

/// The list as a table, newest first.
fn print_list(items: &[callback_inspector::EventSummary]) {
    if items.is_empty() {
        print("No callbacks match.\n");
    } else {
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|e| {
                vec![
                    e.id.to_string(),
                    chrono::DateTime::from_timestamp_millis(e.received_at)
                        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                        .unwrap_or_default(),
                    e.event_type.map(EventType::label).unwrap_or_else(|| "-".into()),
                    e.stream_id.clone().unwrap_or_else(|| "-".into()),
                    e.path.clone(),
                    e.verify.slug().to_owned(),
                    e.key_label.clone().unwrap_or_else(|| "-".into()),
                    e.attempt.to_string(),
                    e.status.to_string(),
                ]
            })
            .collect();
        print(&table(
            &[
                "ID",
                "RECEIVED (UTC)",
                "TYPE",
                "STREAM",
                "PATH",
                "VERIFIED",
                "KEY",
                "ATTEMPT",
                "ANSWER",
            ],
            &rows,
        ));
    }
}

pub async fn trigger(args: TriggerArgs, format: Format) -> Outcome {
    let alias = match args.event.trim() {
        "push" => "1",
        "interruption" => "0",
        "recording" => "100",
        "recording-status" => "332",
        "screenshot" => "200",
        "porn" => "317",
        "audio" => "315",
        other => other,
    };
    let Some(ty) = EventType::parse(alias) else {
        let names: Vec<String> = EventType::ALL
            .iter()
            .map(|t| format!("{} ({})", t.code(), t.slug()))
            .collect();
        return invalid(&format!("unknown event {:?}; use one of {}, or push, interruption, recording, recording-status, screenshot, porn, audio", args.event, names.join(", ")));
    };
    let key = match (&args.key, &args.key_file) {
        (Some(key), _) => key.clone(),
        (None, Some(path)) => match crate::keyfile::read_one(path) {
            Ok(key) => key,
            Err(e) => return invalid(&format!("--key-file: {e}")),
        },
        (None, None) => return invalid("give the callback key with --key-file (or --key)"),
    };
    if key.is_empty() {
        return invalid("--key must not be empty");
    }
    if !(args.time_scale.is_finite() && args.time_scale > 0.0) {
        return invalid("--time-scale must be a positive number");
    }
    let config = tencent_live::callback::Retries {
        time_scale: args.time_scale,
        ..Default::default()
    };
    let http = reqwest::Client::new();
    let now = chrono::Utc::now().timestamp();
    let show = |r: &tools::SendResult| {
        if format == Format::Table {
            let status = r.status.map(|s| s.to_string()).unwrap_or_else(|| "no answer".into());
            let detail = r.error.clone().unwrap_or_else(|| r.answer.clone());
            print(&format!(
                "attempt {}: {status} in {} ms {detail}\n",
                r.attempt, r.elapsed_ms
            ));
        }
    };
    let results = match tools::send_test_event(
        &http,
        &args.url,
        ty.code(),
        &key,
        now,
        args.retries.then_some(&config),
        show,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return invalid(&e.to_string()),
    };
    let delivered = results.last().is_some_and(|r| r.ok());
    if format == Format::Json {
        let sent: Value = results
            .first()
            .and_then(|r| serde_json::from_str(&r.body).ok())
            .unwrap_or(Value::Null);
        print_json(&json!({"eventType": ty.code(), "body": sent, "attempts": results, "delivered": delivered}));
    }
    if delivered {
        Outcome::Success
    } else {
        Outcome::Failed
    }
}
