//! `livehook emulator serve` and `livehook emulator fault ...`.

use std::path::Path;

use std::time::Duration;

use live_emulator::{
    Account, DeliveryConfig, DomainSeed, Emulator, EmulatorConfig, FaultKind, FaultRule, RateLimit, RetrySchedule,
};
use serde_json::{json, Value};

use crate::cli::{EmulatorCmd, FaultCmd, FaultType, Schedule, ServeArgs, SimKind, StreamArgs, StreamCmd};
use crate::output::{self, print, print_json, Format};
use crate::Outcome;

pub async fn run(cmd: EmulatorCmd) -> Outcome {
    match cmd {
        EmulatorCmd::Serve(args) => serve(args).await,
        EmulatorCmd::Fault { out, command } => fault(command, out.output).await,
        EmulatorCmd::Stream { out, command } => stream(command, out.output).await,
    }
}

fn fail(message: &str) -> Outcome {
    output::eprint(&format!("error: {message}"));
    Outcome::Invalid
}

fn read_domains(path: &Path) -> Result<Vec<DomainSeed>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a domain list ({e}); expected e.g. [{{\"name\": \"push.a.com\", \"type\": \"push\"}}]",
            path.display()
        )
    })
}

async fn serve(args: ServeArgs) -> Outcome {
    let mut accounts = vec![Account::new(&args.secret_id, args.secret_key.expose())];
    for (i, pair) in args.accounts.iter().enumerate() {
        let Some((id, key)) = pair
            .expose()
            .split_once(':')
            .filter(|(id, key)| !id.is_empty() && !key.is_empty())
        else {
            return fail(&format!("--account number {} must be SECRET_ID:SECRET_KEY", i + 1));
        };
        let mut account = Account::new(id, key);
        account.appid += i as i64 + 1;
        accounts.push(account);
    }
    let mut config = EmulatorConfig::new(accounts);
    config.rate_limit = match (args.no_rate_limits, args.rate_limit) {
        (true, _) => RateLimit::Off,
        (false, Some(n)) if n > 0 => RateLimit::PerSecond(n),
        (false, Some(_)) => return fail("--rate-limit must be at least 1 (or use --no-rate-limits)"),
        (false, None) => RateLimit::Documented,
    };
    config.state_dir = if args.ephemeral { None } else { args.state.clone() };
    if !(args.time_scale.is_finite() && args.time_scale > 0.0) {
        return fail("--time-scale must be a positive number");
    }
    if args.callback_timeout == 0 {
        return fail("--callback-timeout must be at least 1 second");
    }
    config.delivery = DeliveryConfig {
        schedule: match args.retry_schedule {
            Schedule::Current => RetrySchedule::Current,
            Schedule::Legacy => RetrySchedule::Legacy,
        },
        timeout: Duration::from_secs(args.callback_timeout),
        time_scale: args.time_scale,
        binding_delay: args.binding_delay.map(Duration::from_secs),
    };
    if args.clock_offset != 0 {
        config.clock = std::sync::Arc::new(tencent_live::clock::SkewedClock(args.clock_offset));
    }
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => match live_emulator::tls::load(cert, key) {
            Ok(c) => Some(c),
            Err(e) => return fail(&e),
        },
        _ => None,
    };
    if let Some(path) = &args.domains {
        match read_domains(path) {
            Ok(d) => config.domains = Some(d),
            Err(e) => return fail(&e),
        }
    }
    let emulator = match Emulator::new(config) {
        Ok(e) => e,
        Err(e) => return fail(&e.to_string()),
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!(
                    " (port {} is taken; try --listen 127.0.0.1:0 for a free one)",
                    args.listen.port()
                )
            } else {
                String::new()
            };
            return fail(&format!("cannot listen on {}: {e}{hint}", args.listen));
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return fail(&e.to_string()),
    };
    let state = match (&args.state, args.ephemeral) {
        (Some(dir), false) => format!("state in {}", dir.join("state.json").display()),
        _ => "state in memory only (ephemeral)".into(),
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    print(&format!(
        "LiveHook emulator listening on {scheme}://{addr}, {state}; admin at {scheme}://{addr}/__admin/\n\
         Use it with: LIVEHOOK_ENDPOINT={scheme}://{addr} TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... livehook templates list\n"
    ));
    let shutdown = crate::until_stopped();
    let served = match tls {
        Some(config) => emulator.serve_tls(listener, config, shutdown).await,
        None => emulator.serve(listener, shutdown).await,
    };
    match served {
        Ok(()) => Outcome::Success,
        Err(e) => {
            output::eprint(&format!("error: the emulator stopped: {e}"));
            Outcome::Failed
        }
    }
}

async fn fault(cmd: FaultCmd, format: Format) -> Outcome {
    let http = reqwest::Client::new();
    let (emulator, request) = match cmd {
        FaultCmd::Add {
            emulator,
            action,
            kind,
            ms,
            status,
            code,
            count,
            rate,
        } => {
            let fault = match kind {
                FaultType::Latency => match ms {
                    Some(ms) => FaultKind::Latency { ms },
                    None => return fail("--kind latency needs --ms"),
                },
                FaultType::Drop => FaultKind::Drop,
                FaultType::Reset => FaultKind::Reset,
                FaultType::Http => match status {
                    Some(status) if (100..600).contains(&status) => FaultKind::Http { status },
                    _ => return fail("--kind http needs --status (100–599)"),
                },
                FaultType::Error => match code {
                    Some(code) if !code.is_empty() => FaultKind::Error { code, message: None },
                    _ => return fail("--kind error needs --code, e.g. RequestLimitExceeded"),
                },
            };
            let rule = FaultRule {
                action,
                fault,
                count: count.or(if rate.is_none() { Some(1) } else { None }),
                rate,
            };
            if let Err(e) = rule.validate() {
                return fail(&e);
            }
            let url = format!("{}/__admin/faults", emulator.trim_end_matches('/'));
            (emulator, http.post(url).json(&rule))
        }
        FaultCmd::Clear { emulator } => {
            let url = format!("{}/__admin/faults", emulator.trim_end_matches('/'));
            (emulator, http.delete(url))
        }
        FaultCmd::List { emulator } => {
            let url = format!("{}/__admin/faults", emulator.trim_end_matches('/'));
            (emulator, http.get(url))
        }
    };
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => {
            output::eprint(&format!("error: cannot reach the emulator at {emulator}: {e}"));
            return Outcome::Failed;
        }
    };
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        output::eprint(&format!("error: the emulator refused: {body}"));
        return Outcome::Invalid;
    }
    if format == Format::Json {
        print_json(&body);
    } else if let Some(list) = body.as_array() {
        if list.is_empty() {
            print("No faults in force.\n");
        }
        for rule in list {
            print(&format!("{rule}\n"));
        }
    } else {
        print("OK\n");
    }
    Outcome::Success
}

/// POST or GET an admin path of a running emulator; prints its error and returns None on failure.
async fn admin(emulator: &str, path: &str, body: Option<Value>) -> Result<Value, Outcome> {
    let url = format!("{}/__admin/{path}", emulator.trim_end_matches('/'));
    let http = reqwest::Client::new();
    let request = match &body {
        Some(b) => http.post(&url).json(b),
        None => http.get(&url),
    };
    let response = request.send().await.map_err(|e| {
        output::eprint(&format!("error: cannot reach the emulator at {emulator}: {e}"));
        Outcome::Failed
    })?;
    let status = response.status();
    let value: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        let why = value["error"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string());
        output::eprint(&format!("error: {why}"));
        return Err(Outcome::Invalid);
    }
    Ok(value)
}

fn stream_body(a: &StreamArgs) -> Value {
    json!({"domain": a.domain, "app_name": a.app_name, "stream_id": a.stream})
}

fn print_dispatched(value: &Value, format: Format) {
    if format == Format::Json {
        print_json(value);
        return;
    }
    for d in value["dispatched"].as_array().into_iter().flatten() {
        let code = d["event_type"].as_i64().unwrap_or(-1);
        let name = tencent_live::callback::EventType::from_code(code)
            .map(|e| e.names().0)
            .unwrap_or("event");
        let line = match (d["url"].as_str(), d["not_sent"].as_str()) {
            (Some(url), _) => match d["template_id"].as_i64() {
                Some(t) => format!("{code:>3} {name:<20} → {url} (template {t})"),
                None => format!("{code:>3} {name:<20} → {url}"),
            },
            (None, Some(why)) => format!("{code:>3} {name:<20}   not sent: {why}"),
            _ => format!("{code:>3} {name}"),
        };
        print(&(line + "\n"));
    }
}

async fn stream(cmd: StreamCmd, format: Format) -> Outcome {
    let result = match cmd {
        StreamCmd::Start(a) => admin(&a.emulator, "streams/start", Some(stream_body(&a))).await,
        StreamCmd::Stop { stream, errcode } => {
            let mut body = stream_body(&stream);
            body["errcode"] = json!(errcode);
            admin(&stream.emulator, "streams/stop", Some(body)).await
        }
        StreamCmd::Event {
            stream,
            kind,
            types,
            level,
            exception,
            url,
        } => {
            let mut body = stream_body(&stream);
            let event = match kind {
                SimKind::Snapshot => json!({"event": "snapshot"}),
                SimKind::PornCensorship => json!({"event": "porn-censorship"}),
                SimKind::AudioAudit => json!({"event": "audio-audit"}),
                SimKind::PushException => json!({"event": "push-exception", "types": types}),
                SimKind::RecordException => json!({"event": "record-exception", "level": level, "kind": exception}),
                SimKind::LiveSummary => match url {
                    Some(u) => json!({"event": "live-summary", "url": u}),
                    None => {
                        return fail("--kind live-summary needs --url (the console-only live summary has no API field)")
                    }
                },
            };
            if let (Some(b), Some(e)) = (body.as_object_mut(), event.as_object()) {
                b.extend(e.clone());
            }
            admin(&stream.emulator, "streams/event", Some(body)).await
        }
        StreamCmd::Scenario {
            emulator,
            domain,
            app_name,
            streams,
            snapshots,
            step,
        } => {
            let body = json!({"domain": domain, "app_name": app_name, "streams": streams, "snapshots": snapshots, "step_seconds": step});
            match admin(&emulator, "streams/scenario", Some(body)).await {
                Ok(v) => {
                    if format == Format::Json {
                        print_json(&v);
                    } else {
                        let n = v["streams"].as_array().map(Vec::len).unwrap_or(0);
                        print(&format!(
                            "Playing a session on {n} stream(s) of {domain}/{app_name}: push, recording, {snapshots} screenshot(s), audits, then the end. \
                             The callbacks go to the bound template's URLs.\n"
                        ));
                    }
                    return Outcome::Success;
                }
                Err(o) => return o,
            }
        }
        StreamCmd::List { emulator } => match admin(&emulator, "streams", None).await {
            Ok(v) => {
                if format == Format::Json {
                    print_json(&v);
                } else if v.as_array().is_none_or(Vec::is_empty) {
                    print("No stream is being pushed. Start one with: livehook emulator stream start --domain D --stream S\n");
                } else {
                    for s in v.as_array().into_iter().flatten() {
                        print(&format!(
                            "{}/{}/{}\n",
                            s["domain"].as_str().unwrap_or(""),
                            s["app_name"].as_str().unwrap_or(""),
                            s["stream_id"].as_str().unwrap_or("")
                        ));
                    }
                }
                return Outcome::Success;
            }
            Err(o) => return o,
        },
    };
    match result {
        Ok(v) => {
            print_dispatched(&v, format);
            Outcome::Success
        }
        Err(o) => o,
    }
}
