//! Commands that talk to the Live API (the real one or the emulator).
//!
//! Over 500 lines on purpose: each subcommand is a short function from parsed flags to one library call
//! and its printing; they share the output helpers at the bottom.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tencent_live::api::{self, CallbackRule, CallbackTemplate, TemplateFields};
use tencent_live::client::CredentialSource;
use tencent_live::validate::{self, Purpose, Rules, ValidationErrors};
use tencent_live::{Client, ClientConfig, Credentials, Error, Language, Secret};

use crate::cli::{DeliveriesCmd, DomainType, DomainsCmd, RulesCmd, TemplateArgs, TemplatesCmd};

/// The commands that talk to the Live API. Built once per process, so its size does not matter.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Command {
    Templates(TemplatesCmd),
    Rules(RulesCmd),
    Domains(DomainsCmd),
    Deliveries(DeliveriesCmd),
}
use crate::output::{self, print, print_json, report_error, report_invalid, table, Format};
use crate::Outcome;

/// Where to send requests and with whose keys.
#[derive(Debug)]
pub struct Target {
    pub endpoint: Option<String>,
    pub profile: Option<String>,
    pub allow_insecure_http: bool,
}

/// Credentials and endpoint: from a desktop profile (keys read from the OS keyring at signing time), or
/// from the environment.
fn resolve(target: Target) -> Result<(Arc<dyn CredentialSource>, String), String> {
    let default = || tencent_live::api::DEFAULT_ENDPOINT.to_owned();
    match target.profile {
        Some(name) => {
            let dir = livehook_console::config_dir(livehook_console::APP_ID)
                .ok_or("cannot find the settings directory (HOME is not set)")?;
            let keyring = Arc::new(livehook_console::KeyringStore::new(livehook_console::APP_ID));
            let store = livehook_console::ProfileStore::new(&dir, keyring);
            let profile = store.profile(&name).map_err(|e| {
                let known: Vec<String> = store.list().unwrap_or_default().into_iter().map(|p| p.name).collect();
                if known.is_empty() {
                    format!(
                        "{e}; no profiles exist yet in {} (add one in the LiveHook app)",
                        store.path().display()
                    )
                } else {
                    format!("{e}; known profiles: {}", known.join(", "))
                }
            })?;
            // Fail now, before any request, if the keyring cannot give the key.
            store.credentials(&name).map_err(|e| e.to_string())?;
            Ok((store.source(&name), target.endpoint.unwrap_or(profile.endpoint)))
        }
        None => Ok((Arc::new(credentials()?), target.endpoint.unwrap_or_else(default))),
    }
}

fn credentials() -> Result<Credentials, String> {
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let (Some(id), Some(key)) = (var("TENCENTCLOUD_SECRET_ID"), var("TENCENTCLOUD_SECRET_KEY")) else {
        return Err(
            "no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (an API key from the \
                    Tencent Cloud console, CAM > API Keys), or point --endpoint at the emulator with its keys"
                .into(),
        );
    };
    let mut creds = Credentials::new(id, Secret::new(key));
    if let Some(token) = var("TENCENTCLOUD_SESSION_TOKEN") {
        creds = creds.with_token(token);
    }
    Ok(creds)
}

/// The flag a person typed for an API field, for error messages.
fn flag_of(api_name: &str) -> String {
    match api_name {
        "TemplateName" => "--name".into(),
        "Description" => "--description".into(),
        "CallbackKey" => "--callback-key".into(),
        "Template" => "template".into(),
        "RecordExceptionLevels" => "--record-exception-levels".into(),
        other => {
            let base = other.trim_end_matches("NotifyUrl");
            let mut flag = String::from("-");
            for c in base.chars() {
                if c.is_ascii_uppercase() {
                    flag.push('-');
                }
                flag.push(c.to_ascii_lowercase());
            }
            flag + "-url"
        }
    }
}

impl TemplateArgs {
    fn fields(&self) -> TemplateFields {
        TemplateFields {
            template_name: self.name.clone(),
            description: self.description.clone(),
            stream_begin_notify_url: self.stream_begin_url.clone(),
            stream_end_notify_url: self.stream_end_url.clone(),
            record_notify_url: self.record_url.clone(),
            record_status_notify_url: self.record_status_url.clone(),
            snapshot_notify_url: self.snapshot_url.clone(),
            porn_censorship_notify_url: self.porn_censorship_url.clone(),
            callback_key: self.callback_key.as_ref().map(|k| k.expose().to_owned()),
            push_exception_notify_url: self.push_exception_url.clone(),
            audio_audit_notify_url: self.audio_audit_url.clone(),
            record_exception_notify_url: self.record_exception_url.clone(),
            record_exception_levels: self.record_exception_levels.as_ref().map(|l| {
                l.iter()
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            }),
        }
    }

    fn rules(&self) -> Rules {
        if self.api_limits {
            Rules::Api
        } else {
            Rules::Console
        }
    }
}

pub async fn run(
    command: Command,
    target: Target,
    format: Format,
    language: Option<Language>,
    timeout: u64,
) -> Outcome {
    let mut command = command;
    if let Command::Templates(TemplatesCmd::Create(args) | TemplatesCmd::Edit { fields: args, .. }) = &mut command {
        if let Some(path) = args.callback_key_file.take() {
            match crate::keyfile::read_one(&path) {
                Ok(key) => args.callback_key = Some(key),
                Err(e) => {
                    output::eprint(&format!("error: --callback-key-file: {e}"));
                    return Outcome::Invalid;
                }
            }
        }
    }
    // Everything that can be checked without the network is checked before a client exists.
    if let Some(outcome) = precheck(&command, format) {
        return outcome;
    }
    let allow_insecure_http = target.allow_insecure_http;
    let (creds, endpoint) = match resolve(target) {
        Ok(c) => c,
        Err(e) => {
            output::eprint(&format!("error: {e}"));
            return Outcome::Invalid;
        }
    };
    let config = ClientConfig {
        endpoint,
        language,
        request_timeout: Duration::from_secs(timeout.max(1)),
        allow_insecure_http,
        ..ClientConfig::default()
    };
    let client = match Client::new(config, creds) {
        Ok(c) => c,
        Err(e) => {
            output::eprint(&format!("error: {e}"));
            return Outcome::Invalid;
        }
    };
    let result = match command {
        Command::Templates(cmd) => templates(&client, cmd, format).await,
        Command::Rules(cmd) => rules(&client, cmd, format).await,
        Command::Domains(DomainsCmd::List { kind }) => domains(&client, kind, format).await,
        Command::Deliveries(DeliveriesCmd::List(args)) => {
            match crate::deliveries::query(&args, chrono::Utc::now().timestamp_millis()) {
                Ok(q) => Ok(crate::deliveries::list(&client, q, format).await),
                Err(e) => {
                    output::eprint(&format!("error: {e}"));
                    Ok(Outcome::Invalid)
                }
            }
        }
    };
    if client.clock_offset() != 0 {
        output::eprint(&format!(
            "note: this machine's clock differs from the server's by {} s; requests were signed with the server's time. \
             Synchronise the clock (e.g. enable NTP).",
            client.clock_offset()
        ));
    }
    match result {
        Ok(outcome) => outcome,
        Err(e) => {
            report_error(&e, format);
            if matches!(e, Error::Validation(_)) {
                Outcome::Invalid
            } else {
                Outcome::Failed
            }
        }
    }
}

fn invalid(errors: &ValidationErrors, format: Format) -> Option<Outcome> {
    report_invalid(errors, flag_of, format);
    Some(Outcome::Invalid)
}

fn usage(message: &str) -> Option<Outcome> {
    output::eprint(&format!("error: {message}"));
    Some(Outcome::Invalid)
}

fn precheck(command: &Command, format: Format) -> Option<Outcome> {
    match command {
        Command::Templates(TemplatesCmd::Create(args)) => {
            validate::validate_template(&args.fields(), args.rules(), Purpose::Create)
                .err()
                .and_then(|e| invalid(&e, format))
        }
        Command::Templates(TemplatesCmd::Edit { fields, id }) => {
            if *id <= 0 {
                return usage("the template id must be a positive number");
            }
            if fields.fields() == TemplateFields::default() {
                return usage("nothing to change: give at least one field, e.g. --name or --record-url");
            }
            validate::validate_template(&fields.fields(), fields.rules(), Purpose::Modify)
                .err()
                .and_then(|e| invalid(&e, format))
        }
        Command::Templates(TemplatesCmd::Show { id } | TemplatesCmd::Delete { id }) if *id <= 0 => {
            usage("the template id must be a positive number")
        }
        Command::Rules(RulesCmd::Bind {
            template,
            domains,
            app_name,
            ..
        }) => {
            if *template <= 0 {
                return usage("--template must be a positive template id");
            }
            check_domains(domains, app_name)
        }
        Command::Rules(RulesCmd::Unbind { domains, app_name }) => check_domains(domains, app_name),
        Command::Deliveries(DeliveriesCmd::List(args)) => {
            crate::deliveries::query(args, chrono::Utc::now().timestamp_millis())
                .err()
                .and_then(|e| usage(&e))
        }
        _ => None,
    }
}

/// Each `--domain` as (domain, AppName): `DOMAIN:APPNAME` names its own AppName, a plain `DOMAIN`
/// takes `--app-name` (empty: the domain-wide rule).
fn targets(domains: &[String], app_name: &str) -> Vec<(String, String)> {
    domains
        .iter()
        .map(|d| match d.split_once(':') {
            Some((domain, app)) => (domain.to_owned(), app.to_owned()),
            None => (d.clone(), app_name.to_owned()),
        })
        .collect()
}

fn check_domains(domains: &[String], app_name: &str) -> Option<Outcome> {
    for (d, app) in targets(domains, app_name) {
        let ok = !d.is_empty()
            && d.len() <= 253
            && d.split('.')
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !ok {
            return usage(&format!("`{d}` is not a domain name (e.g. push.example.com)"));
        }
        if app.chars().any(|c| c.is_whitespace() || c == '/' || c == ':') {
            return usage(&format!(
                "AppName `{app}` for {d}: the push path without slashes or spaces (e.g. live; --domain {d}:live)"
            ));
        }
    }
    None
}

/// Short names of the events a template sends, in the console's order.
fn events(t: &CallbackTemplate) -> String {
    let f = TemplateFields::from_template(t);
    let names: Vec<&str> = f
        .urls()
        .iter()
        .map(|(field, _)| match *field {
            "StreamBeginNotifyUrl" => "push",
            "StreamEndNotifyUrl" => "interruption",
            "RecordNotifyUrl" => "recording",
            "RecordStatusNotifyUrl" => "record-status",
            "SnapshotNotifyUrl" => "screenshot",
            "PornCensorshipNotifyUrl" => "porn",
            "PushExceptionNotifyUrl" => "push-exception",
            "AudioAuditNotifyUrl" => "audio-audit",
            _ => "record-exception",
        })
        .collect();
    names.join(",")
}

fn binding(r: &CallbackRule) -> String {
    if r.app_name.is_empty() {
        r.domain_name.clone()
    } else {
        format!("{}/{}", r.domain_name, r.app_name)
    }
}

fn template_json(t: &CallbackTemplate) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

async fn templates(client: &Client, cmd: TemplatesCmd, format: Format) -> Result<Outcome, Error> {
    match cmd {
        TemplatesCmd::List => {
            let templates = client.templates().await?;
            if format == Format::Json {
                print_json(&json!({ "Templates": templates.iter().map(template_json).collect::<Vec<_>>() }));
                return Ok(Outcome::Success);
            }
            if templates.is_empty() {
                print("No callback templates yet. Create one with: livehook templates create --name NAME --stream-begin-url URL\n");
                return Ok(Outcome::Success);
            }
            let rules = client.rules().await?;
            let mut bound: BTreeMap<i64, Vec<String>> = BTreeMap::new();
            for r in &rules {
                bound.entry(r.template_id).or_default().push(binding(r));
            }
            let rows: Vec<Vec<String>> = templates
                .iter()
                .map(|t| {
                    vec![
                        t.template_id.to_string(),
                        t.template_name.clone(),
                        t.description.clone(),
                        events(t),
                        bound
                            .get(&t.template_id)
                            .map(|b| b.join(", "))
                            .unwrap_or_else(|| "-".into()),
                    ]
                })
                .collect();
            print(&table(&["ID", "NAME", "DESCRIPTION", "EVENTS", "BOUND TO"], &rows));
        }
        TemplatesCmd::Show { id } => {
            let t = client.template(id).await?;
            if format == Format::Json {
                print_json(&template_json(&t));
                return Ok(Outcome::Success);
            }
            let key = if t.callback_key.is_empty() {
                "(none: callbacks are signed with an empty key)".to_owned()
            } else {
                t.callback_key.clone()
            };
            let levels = t.record_exception_levels.join(",");
            let rows: Vec<Vec<String>> = [
                ("TemplateId", t.template_id.to_string()),
                ("TemplateName", t.template_name.clone()),
                ("Description", t.description.clone()),
                ("CallbackKey", key),
                ("StreamBeginNotifyUrl", t.stream_begin_notify_url.clone()),
                ("StreamEndNotifyUrl", t.stream_end_notify_url.clone()),
                ("RecordNotifyUrl", t.record_notify_url.clone()),
                ("RecordStatusNotifyUrl", t.record_status_notify_url.clone()),
                ("SnapshotNotifyUrl", t.snapshot_notify_url.clone()),
                ("PornCensorshipNotifyUrl", t.porn_censorship_notify_url.clone()),
                ("PushExceptionNotifyUrl", t.push_exception_notify_url.clone()),
                ("AudioAuditNotifyUrl", t.audio_audit_notify_url.clone()),
                ("RecordExceptionNotifyUrl", t.record_exception_notify_url.clone()),
                ("RecordExceptionLevels", levels),
            ]
            .into_iter()
            .map(|(k, v)| vec![k.to_owned(), if v.is_empty() { "-".into() } else { v }])
            .collect();
            print(&table(&["FIELD", "VALUE"], &rows));
        }
        TemplatesCmd::Create(args) => {
            let created = client.create_template(&args.fields()).await?;
            if format == Format::Json {
                print_json(&json!({ "TemplateId": created.value }));
            } else {
                print(&format!(
                    "Created template {}. Bind it to a push domain with: livehook rules bind --template {} --domain DOMAIN\n",
                    created.value, created.value
                ));
            }
            if created.reconciled {
                output::eprint("note: the answer was lost; the template was found by name, and was not created twice.");
            }
        }
        TemplatesCmd::Edit { id, fields } => {
            let current = client.template(id).await?;
            let changes = fields.fields();
            if let Err(e) = validate::validate_edit(&TemplateFields::from_template(&current), &changes, fields.rules())
            {
                report_invalid(&e, flag_of, format);
                return Ok(Outcome::Invalid);
            }
            client.modify_template(id, &changes).await?;
            if format == Format::Json {
                print_json(&json!({ "TemplateId": id, "Modified": true }));
            } else {
                print(&format!("Updated template {id}.\n"));
            }
        }
        TemplatesCmd::Delete { id } => {
            let deleted = client.delete_template(id).await?;
            if format == Format::Json {
                print_json(&json!({ "TemplateId": id, "Deleted": true }));
            } else {
                print(&format!("Deleted template {id}.\n"));
            }
            if deleted.reconciled {
                output::eprint("note: the answer was lost; the template was confirmed gone.");
            }
        }
    }
    Ok(Outcome::Success)
}

async fn rules(client: &Client, cmd: RulesCmd, format: Format) -> Result<Outcome, Error> {
    match cmd {
        RulesCmd::List => {
            let rules = client.rules().await?;
            if format == Format::Json {
                print_json(&json!({ "Rules": rules }));
            } else if rules.is_empty() {
                print("No callback rules: no domain sends callbacks. Bind one with: livehook rules bind --template ID --domain DOMAIN\n");
            } else {
                let rows: Vec<Vec<String>> = rules
                    .iter()
                    .map(|r| {
                        vec![
                            r.domain_name.clone(),
                            if r.app_name.is_empty() {
                                "(all)".into()
                            } else {
                                r.app_name.clone()
                            },
                            r.template_id.to_string(),
                            r.create_time.raw.clone(),
                            r.update_time.raw.clone(),
                        ]
                    })
                    .collect();
                print(&table(
                    &[
                        "DOMAIN",
                        "APPNAME",
                        "TEMPLATE",
                        "CREATED (BEIJING)",
                        "UPDATED (BEIJING)",
                    ],
                    &rows,
                ));
            }
            Ok(Outcome::Success)
        }
        RulesCmd::Bind {
            template,
            domains,
            app_name,
            wait,
        } => {
            let mut results = Vec::new();
            for (domain, app) in targets(&domains, &app_name) {
                let r = client.bind(template, &domain, &app).await.map(|_| ());
                results.push((domain, app, r));
            }
            let outcome = report_each(&results, Some(template), format);
            if !wait.wait {
                return Ok(outcome);
            }
            let bound: Vec<(String, String)> = results
                .into_iter()
                .filter(|(_, _, r)| r.is_ok())
                .map(|(d, a, _)| (d, a))
                .collect();
            let waited = crate::wait::first_callbacks(client, &bound, &wait).await;
            Ok(if outcome == Outcome::Success { waited } else { outcome })
        }
        RulesCmd::Unbind { domains, app_name } => {
            let mut results = Vec::new();
            for (domain, app) in targets(&domains, &app_name) {
                let r = client.unbind(&domain, &app).await.map(|_| ());
                results.push((domain, app, r));
            }
            Ok(report_each(&results, None, format))
        }
    }
}

/// One line per domain, so a partial failure says exactly what was done and what was not.
fn report_each(results: &[(String, String, Result<(), Error>)], template: Option<i64>, format: Format) -> Outcome {
    let failed = results.iter().filter(|(_, _, r)| r.is_err()).count();
    if format == Format::Json {
        let items: Vec<Value> = results
            .iter()
            .map(|(domain, app_name, r)| match r {
                Ok(()) => json!({"DomainName": domain, "AppName": app_name, "TemplateId": template, "Ok": true}),
                Err(e) => json!({"DomainName": domain, "AppName": app_name, "TemplateId": template, "Ok": false,
                    "Error": {"Kind": e.kind(), "Code": e.code(), "Message": e.to_string(), "RequestId": e.request_id()}}),
            })
            .collect();
        print_json(&json!({ "Results": items }));
    }
    for (domain, app_name, r) in results {
        let scope = if app_name.is_empty() {
            String::new()
        } else {
            format!(" (AppName {app_name})")
        };
        match (r, template) {
            (Ok(()), Some(t)) if format == Format::Table => print(&format!(
                "Bound template {t} to {domain}{scope}. On Tencent Cloud callbacks start within about 5–10 minutes (--wait tells when the first arrives).\n"
            )),
            (Ok(()), None) if format == Format::Table => print(&format!("Unbound {domain}{scope}.\n")),
            (Err(e), _) => {
                output::eprint(&format!("{domain}{scope}: failed"));
                report_error(e, Format::Table);
            }
            _ => {}
        }
    }
    if failed > 0 {
        output::eprint(&format!(
            "{} of {} done, {failed} failed.",
            results.len() - failed,
            results.len()
        ));
        Outcome::Failed
    } else {
        Outcome::Success
    }
}

async fn domains(client: &Client, kind: Option<DomainType>, format: Format) -> Result<Outcome, Error> {
    let filter = api::DescribeLiveDomains {
        domain_type: kind.map(|k| match k {
            DomainType::Push => api::DOMAIN_TYPE_PUSH,
            DomainType::Play => api::DOMAIN_TYPE_PLAY,
        }),
        ..Default::default()
    };
    let list = client.all_domains(filter).await?;
    if format == Format::Json {
        print_json(&json!({ "DomainList": list, "AllCount": list.len() }));
        return Ok(Outcome::Success);
    }
    if list.is_empty() {
        print("No domains. Add a push domain in the Tencent Cloud console (Domain Management) first.\n");
        return Ok(Outcome::Success);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|d| {
            vec![
                d.name.clone(),
                if d.is_push() { "push".into() } else { "play".into() },
                if d.status == 1 {
                    "enabled".into()
                } else {
                    "disabled".into()
                },
                d.target_domain.clone(),
                d.create_time.raw.clone(),
            ]
        })
        .collect();
    print(&table(
        &["DOMAIN", "TYPE", "STATUS", "CNAME", "CREATED (BEIJING)"],
        &rows,
    ));
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_for_api_fields() {
        assert_eq!(flag_of("StreamBeginNotifyUrl"), "--stream-begin-url");
        assert_eq!(flag_of("PornCensorshipNotifyUrl"), "--porn-censorship-url");
        assert_eq!(flag_of("RecordNotifyUrl"), "--record-url");
        assert_eq!(flag_of("TemplateName"), "--name");
    }
}
