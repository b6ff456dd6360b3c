//! `livehook rules bind --wait`: a binding is *pending* from its rule's `CreateTime` until the first
//! callback for its domain (and AppName) reaches the event inspector's database, then *live*.

use std::time::{Duration, Instant};

use callback_inspector::Store;
use tencent_live::Client;

use crate::cli::WaitArgs;
use crate::output::{eprint, print};
use crate::Outcome;

/// The desktop app's inspector database, which `--db` overrides.
fn app_db() -> Option<std::path::PathBuf> {
    livehook_console::config_dir(livehook_console::APP_ID).map(|d| d.join("inspector").join("events.db"))
}

fn local(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

fn label(domain: &str, app: &str) -> String {
    if app.is_empty() {
        domain.to_owned()
    } else {
        format!("{domain}/{app}")
    }
}

/// Waits for the first callback of every `(domain, AppName)` bound; 0 when all arrived in time, 1 when
/// one did not (each is named), 2 when there is no database to watch.
pub async fn first_callbacks(client: &Client, bound: &[(String, String)], args: &WaitArgs) -> Outcome {
    if bound.is_empty() {
        return Outcome::Failed;
    }
    let Some(db) = args.db.clone().or_else(app_db) else {
        eprint("error: --wait: cannot find the settings directory (HOME is not set); give --db PATH");
        return Outcome::Invalid;
    };
    // When each rule was made, by the cloud's own clock (so a restart changes nothing); a rule not
    // found is timed from now.
    let now = chrono::Utc::now().timestamp_millis();
    let rules = client.rules().await.unwrap_or_default();
    let mut pending: Vec<(String, String, i64)> = bound
        .iter()
        .map(|(d, a)| {
            let at = rules
                .iter()
                .find(|r| &r.domain_name == d && &r.app_name == a)
                .and_then(|r| r.create_time.unix())
                .map_or(now, |s| s * 1000);
            (d.clone(), a.clone(), at)
        })
        .collect();
    eprint(&format!(
        "waiting up to {} s for the first callback of {} to reach the inspector ({}); push a stream to the domain \
         with the inspector running (the app, or `livehook inspector serve --db {}`)",
        args.wait_timeout.as_secs(),
        pending
            .iter()
            .map(|(d, a, _)| label(d, a))
            .collect::<Vec<_>>()
            .join(", "),
        db.display(),
        db.display()
    ));
    let started = Instant::now();
    let mut store: Option<Store> = None;
    loop {
        if store.is_none() && db.exists() {
            store = Store::open_reader(&db).ok();
        }
        if let Some(s) = &store {
            let mut still = Vec::new();
            for (d, a, at) in pending {
                match s.first_for_domain(&d, Some(&a), at) {
                    Ok(Some((id, received, status))) => print(&format!(
                        "{}: live, first callback at {} (#{id}, answered {status}{}, {} s after binding)\n",
                        label(&d, &a),
                        local(received),
                        if status == 200 { "" } else { ": Tencent will retry it" },
                        (received - at).max(0) / 1000
                    )),
                    _ => still.push((d, a, at)),
                }
            }
            pending = still;
        }
        if pending.is_empty() {
            return Outcome::Success;
        }
        if started.elapsed() >= args.wait_timeout {
            for (d, a, at) in &pending {
                eprint(&format!(
                    "{}: still pending, no callback since it was bound at {}; a new binding takes about 5–10 minutes \
                     in the real service, and only pushed streams send callbacks",
                    label(d, a),
                    local(*at)
                ));
            }
            return Outcome::Failed;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
