//! Every command the UI can call, declared once in [`command_table!`]: its name, its arguments and their
//! types, its result, and the type of the progress messages it streams (if any). The desktop app turns
//! the table into Tauri commands and `generate_handler!`; the loopback bridge of the UI tests serves it
//! through [`dispatch`]; [`typescript`] writes the `Commands` map the UI's calls are typed from; a test
//! checks the permission list in `build.rs` and `capabilities/main.json` against [`NAMES`].
//!
//! Each function here takes the handles, unpacks its input and calls the library: no logic of its own.
//! About 500 lines on purpose: the table and one short function per row, kept side by side.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Arc;

// The table names these through this module.
pub use callback_inspector::timeline::{Timeline, TimelineEntry};
pub use callback_inspector::tools::{Format, SendResult};
pub use callback_inspector::{Filter, Page, ResponseRule, Retention, Traffic, Update};
use serde::Serialize;
use serde_json::Value;
pub use tencent_live::api::{CallbackTemplate, TemplateFields};

use crate::error::{AppError, AppErrorKind};
use crate::inspector::{EventDetail, Inspector, InspectorStatus};
use crate::ops::{self, BindTarget, DeleteStep, DomainRow, ItemResult, TemplateRow};
use crate::profiles::{NewProfile, ProfileChanges, ProfileView, UiSettings};
use crate::session::{ConnectionReport, Console, Status};
use crate::transfer::{self, ApprovedStep, ImportPlan, ImportResult};

/// The command table. `$m` is a macro of the caller's that receives every row as
/// `name(arg: Type, ...) -> Result [, progress Message];`.
#[macro_export]
macro_rules! command_table {
    ($m:ident) => {
        $m! {
            about() -> $crate::about::About;
            app_status() -> $crate::session::Status;
            use_demo() -> $crate::session::Status;
            add_profile(profile: $crate::profiles::NewProfile, switch: Option<bool>) -> $crate::profiles::ProfileView;
            update_profile(name: String, changes: $crate::profiles::ProfileChanges) -> $crate::profiles::ProfileView;
            rename_profile(from: String, to: String) -> ();
            delete_profile(name: String) -> ();
            activate_profile(name: String) -> $crate::session::Status;
            test_connection(name: String) -> $crate::session::ConnectionReport;
            list_templates() -> Vec<$crate::ops::TemplateRow>;
            create_template(fields: $crate::commands::TemplateFields) -> $crate::ops::TemplateRow;
            update_template(id: i64, changes: $crate::commands::TemplateFields) -> $crate::commands::CallbackTemplate;
            delete_template(id: i64) -> ();
            unbind_and_delete_template(id: i64) -> (), progress $crate::ops::DeleteStep;
            list_domains() -> Vec<$crate::ops::DomainRow>;
            bind_domains(template_id: i64, targets: Vec<$crate::ops::BindTarget>) -> Vec<$crate::ops::ItemResult>;
            unbind_domains(targets: Vec<$crate::ops::BindTarget>) -> Vec<$crate::ops::ItemResult>;
            export_templates(ids: Option<Vec<i64>>, with_keys: bool) -> String;
            save_export(path: String, text: String, overwrite: bool) -> ();
            default_export_dir() -> String;
            plan_import(text: String) -> $crate::transfer::ImportPlan;
            apply_import(steps: Vec<$crate::transfer::ApprovedStep>) -> Vec<$crate::transfer::ImportResult>,
                progress $crate::transfer::ImportResult;
            get_ui_settings() -> $crate::profiles::UiSettings;
            set_ui_settings(ui: $crate::profiles::UiSettings) -> ();
            inspector_status() -> $crate::inspector::InspectorStatus;
            inspector_start(port: u16, external: bool) -> $crate::inspector::InspectorStatus;
            inspector_stop() -> $crate::inspector::InspectorStatus;
            inspector_refresh_keys() -> $crate::inspector::InspectorStatus;
            inspector_add_key(label: String, key: String) -> $crate::inspector::InspectorStatus;
            inspector_remove_key(label: String) -> $crate::inspector::InspectorStatus;
            inspector_set_rules(rules: Vec<$crate::commands::ResponseRule>) -> $crate::inspector::InspectorStatus;
            inspector_set_forward(url: Option<String>) -> $crate::inspector::InspectorStatus;
            inspector_set_retention(retention: $crate::commands::Retention) -> $crate::inspector::InspectorStatus;
            inspector_events(filter: $crate::commands::Filter) -> $crate::commands::Page;
            inspector_traffic(filter: $crate::commands::Filter, buckets: u32, utc_offset_minutes: i32) -> $crate::commands::Traffic;
            inspector_detail(id: i64) -> $crate::inspector::EventDetail;
            inspector_image(id: i64, url: String) -> String;
            inspector_screenshots(stream_id: String, limit: Option<u32>) -> $crate::inspector::Gallery;
            inspector_timeline(stream_id: String, session_of: Option<i64>, limit: Option<u32>) -> $crate::commands::Timeline;
            inspector_subscribe(filter: $crate::commands::Filter) -> u64, progress $crate::commands::Update;
            inspector_unsubscribe(subscription: u64) -> bool;
            inspector_replay(id: i64, url: String, resign: bool, body: Option<String>) -> $crate::commands::SendResult;
            inspector_export(filter: $crate::commands::Filter, format: $crate::commands::Format, path: String, overwrite: bool) -> u64;
            inspector_send_test(event_type: i64, url: String, key: String, retries: bool)
                -> Vec<$crate::commands::SendResult>, progress $crate::commands::SendResult;
            inspector_use_for_template(template_id: i64, base: String) -> ();
            inspector_restore_template(template_id: i64) -> ();
            demo_push_stream(domain: String, app_name: String, stream_id: String) -> ();
            inspector_streams() -> Vec<String>;
            inspector_remotes() -> Vec<$crate::inspector::SavedRemote>;
            inspector_remote_check(remote: $crate::inspector::RemoteInput) -> $crate::inspector::RemoteCheck;
            inspector_remote_save(remote: $crate::inspector::RemoteInput) -> $crate::inspector::SavedRemote;
            inspector_remote_delete(id: String) -> ();
            inspector_attach(id: Option<String>) -> $crate::inspector::InspectorStatus;
            deliveries_read(query: $crate::deliveries::DeliveryQuery) -> $crate::deliveries::DeliveryReport,
                progress $crate::deliveries::DeliveryProgress;
            deliveries_cancel() -> ();
            binding_states() -> Vec<$crate::liveness::BindingState>;
        }
    };
}

/// What every command can reach: cheap-to-clone handles.
#[derive(Clone, Debug)]
pub struct Handles {
    pub console: Arc<Console>,
    pub inspector: Arc<Inspector>,
    /// Where exports are offered by default (the user's Downloads folder, or home).
    pub export_dir: PathBuf,
}

/// Where a command streams its progress messages: the Tauri channel in the app, the HTTP response in
/// the bridge. `send` answers false once nobody listens any more.
pub struct Progress<T> {
    sink: Arc<dyn Fn(Value) -> bool + Send + Sync>,
    _message: PhantomData<fn(&T)>,
}

impl<T> Clone for Progress<T> {
    fn clone(&self) -> Self {
        Progress {
            sink: self.sink.clone(),
            _message: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Progress<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl<T: Serialize> Progress<T> {
    pub fn new(sink: Arc<dyn Fn(Value) -> bool + Send + Sync>) -> Progress<T> {
        Progress {
            sink,
            _message: PhantomData,
        }
    }

    pub fn send(&self, message: &T) -> bool {
        serde_json::to_value(message).map(|v| (self.sink)(v)).unwrap_or(false)
    }
}

type Result<T> = std::result::Result<T, AppError>;

/// Logs a failed command once, for every front end: its name, kind and cloud code. The message is
/// the error's own text, which never holds a secret (secrets are redacted types).
pub fn log_failure<T>(command: &str, result: Result<T>) -> Result<T> {
    if let Err(e) = &result {
        tracing::warn!(
            command,
            kind = ?e.kind,
            code = e.code.as_deref().unwrap_or(""),
            request_id = e.request_id.as_deref().unwrap_or(""),
            "command failed: {}",
            e.message
        );
    }
    result
}

pub async fn about(_h: &Handles) -> Result<crate::about::About> {
    Ok(crate::about::about())
}

pub async fn app_status(h: &Handles) -> Result<Status> {
    h.console.status().await
}

pub async fn use_demo(h: &Handles) -> Result<Status> {
    h.console.use_demo()?;
    h.console.status().await
}

/// Save a new account. `switch`: `Some(false)` keeps the account (or demo) in use, so the app can test
/// the new one before switching to it; `Some(true)` switches to it; `None` switches only when no
/// account is in use (the first account replaces the demo).
pub async fn add_profile(h: &Handles, profile: NewProfile, switch: Option<bool>) -> Result<ProfileView> {
    let mut view = h.console.store().add(profile)?;
    match switch {
        Some(false) if view.active => {
            h.console.use_demo()?;
            view.active = false;
        }
        Some(true) if !view.active => {
            h.console.store().set_active(&view.name)?;
            view.active = true;
        }
        _ => {}
    }
    Ok(view)
}

pub async fn update_profile(h: &Handles, name: String, changes: ProfileChanges) -> Result<ProfileView> {
    Ok(h.console.store().update(&name, changes)?)
}

pub async fn rename_profile(h: &Handles, from: String, to: String) -> Result<()> {
    Ok(h.console.store().rename(&from, &to)?)
}

pub async fn delete_profile(h: &Handles, name: String) -> Result<()> {
    Ok(h.console.store().delete(&name)?)
}

pub async fn activate_profile(h: &Handles, name: String) -> Result<Status> {
    h.console.store().set_active(&name)?;
    h.console.status().await
}

pub async fn test_connection(h: &Handles, name: String) -> Result<ConnectionReport> {
    h.console.test_connection(&name).await
}

pub async fn list_templates(h: &Handles) -> Result<Vec<TemplateRow>> {
    ops::templates(&h.console.client().await?).await
}

pub async fn create_template(h: &Handles, fields: TemplateFields) -> Result<ops::TemplateRow> {
    ops::create_template(&h.console.client().await?, &fields).await
}

pub async fn update_template(h: &Handles, id: i64, changes: TemplateFields) -> Result<CallbackTemplate> {
    ops::update_template(&h.console.client().await?, id, &changes).await
}

pub async fn delete_template(h: &Handles, id: i64) -> Result<()> {
    ops::delete_template(&h.console.client().await?, id).await
}

pub async fn unbind_and_delete_template(h: &Handles, id: i64, progress: Progress<DeleteStep>) -> Result<()> {
    let client = h.console.client().await?;
    ops::unbind_and_delete(&client, id, |step| {
        progress.send(&step);
    })
    .await
}

pub async fn list_domains(h: &Handles) -> Result<Vec<DomainRow>> {
    ops::domains(&h.console.client().await?).await
}

pub async fn bind_domains(h: &Handles, template_id: i64, targets: Vec<BindTarget>) -> Result<Vec<ItemResult>> {
    Ok(ops::bind(&h.console.client().await?, template_id, &targets).await)
}

pub async fn unbind_domains(h: &Handles, targets: Vec<BindTarget>) -> Result<Vec<ItemResult>> {
    Ok(ops::unbind(&h.console.client().await?, &targets).await)
}

pub async fn export_templates(h: &Handles, ids: Option<Vec<i64>>, with_keys: bool) -> Result<String> {
    let templates = h.console.client().await?.templates().await?;
    Ok(transfer::export_text(&transfer::export(
        &templates,
        ids.as_deref(),
        with_keys,
    )))
}

pub async fn save_export(_h: &Handles, path: String, text: String, overwrite: bool) -> Result<()> {
    transfer::save(Path::new(&path), &text, overwrite)
}

pub async fn default_export_dir(h: &Handles) -> Result<String> {
    Ok(h.export_dir.display().to_string())
}

pub async fn plan_import(h: &Handles, text: String) -> Result<ImportPlan> {
    transfer::plan_for(&h.console.client().await?, &text).await
}

pub async fn apply_import(
    h: &Handles,
    steps: Vec<ApprovedStep>,
    progress: Progress<ImportResult>,
) -> Result<Vec<ImportResult>> {
    let client = h.console.client().await?;
    Ok(transfer::apply(&client, &steps, |r| {
        progress.send(r);
    })
    .await)
}

pub async fn get_ui_settings(h: &Handles) -> Result<UiSettings> {
    Ok(h.console.store().load()?.ui)
}

pub async fn set_ui_settings(h: &Handles, ui: UiSettings) -> Result<()> {
    let store = h.console.store();
    let mut settings = store.load()?;
    settings.ui = ui;
    Ok(store.save(&settings)?)
}

pub async fn inspector_status(h: &Handles) -> Result<InspectorStatus> {
    h.inspector.status().await
}

/// Start (or restart) the receiver, verifying with the current account's template keys.
pub async fn inspector_start(h: &Handles, port: u16, external: bool) -> Result<InspectorStatus> {
    if let Ok(client) = h.console.client().await {
        // Without the account's keys the receiver still runs; verification then says "bad sign".
        let _ = h.inspector.refresh_keys(&client).await;
    }
    h.inspector.start(port, external).await
}

pub async fn inspector_stop(h: &Handles) -> Result<InspectorStatus> {
    h.inspector.stop().await
}

pub async fn inspector_refresh_keys(h: &Handles) -> Result<InspectorStatus> {
    h.inspector.refresh_keys(&h.console.client().await?).await?;
    h.inspector.status().await
}

pub async fn inspector_add_key(h: &Handles, label: String, key: String) -> Result<InspectorStatus> {
    h.inspector.add_key(label, key).await?;
    h.inspector.status().await
}

pub async fn inspector_remove_key(h: &Handles, label: String) -> Result<InspectorStatus> {
    h.inspector.remove_key(&label).await?;
    h.inspector.status().await
}

pub async fn inspector_set_rules(h: &Handles, rules: Vec<ResponseRule>) -> Result<InspectorStatus> {
    h.inspector.set_rules(rules).await?;
    h.inspector.status().await
}

pub async fn inspector_set_forward(h: &Handles, url: Option<String>) -> Result<InspectorStatus> {
    h.inspector.set_forward(url).await?;
    h.inspector.status().await
}

pub async fn inspector_set_retention(h: &Handles, retention: Retention) -> Result<InspectorStatus> {
    h.inspector.set_retention(retention).await?;
    h.inspector.status().await
}

pub async fn inspector_events(h: &Handles, filter: Filter) -> Result<Page> {
    h.inspector.query(filter).await
}

pub async fn inspector_streams(h: &Handles) -> Result<Vec<String>> {
    h.inspector.streams().await
}

/// The saved remote inspectors (never their tokens).
pub async fn inspector_remotes(h: &Handles) -> Result<Vec<crate::inspector::SavedRemote>> {
    Ok(h.inspector.remotes())
}

/// Try a remote inspector's address and token without saving them.
pub async fn inspector_remote_check(
    h: &Handles,
    remote: crate::inspector::RemoteInput,
) -> Result<crate::inspector::RemoteCheck> {
    Ok(h.inspector.check_remote(remote).await)
}

/// Save a remote inspector, its token in the OS keyring.
pub async fn inspector_remote_save(
    h: &Handles,
    remote: crate::inspector::RemoteInput,
) -> Result<crate::inspector::SavedRemote> {
    h.inspector.save_remote(remote)
}

pub async fn inspector_remote_delete(h: &Handles, id: String) -> Result<()> {
    h.inspector.delete_remote(&id)
}

/// Show the saved remote inspector `id` instead of this computer's, or with None this computer's again.
/// Subscriptions to the one shown before end: the page subscribes again.
pub async fn inspector_attach(h: &Handles, id: Option<String>) -> Result<InspectorStatus> {
    h.inspector.attach(id).await?;
    h.inspector.unwatch_all();
    h.inspector.status().await
}

pub async fn deliveries_read(
    h: &Handles,
    query: crate::deliveries::DeliveryQuery,
    progress: Progress<crate::deliveries::DeliveryProgress>,
) -> Result<crate::deliveries::DeliveryReport> {
    let client = h.console.client().await?;
    let store = h.inspector.store_for_reading().await?;
    let cancel = &h.console.delivery_cancel;
    cancel.store(false, std::sync::atomic::Ordering::SeqCst);
    let account = h.console.account_key();
    crate::deliveries::read(
        &client,
        query,
        store.as_ref(),
        cancel,
        |p| progress.send(&p),
        |targets| {
            let mut seen = h.console.delivered.lock().unwrap_or_else(|p| p.into_inner());
            for (domain, app, at) in targets {
                let e = seen.entry((account.clone(), domain, app)).or_insert(at);
                *e = (*e).max(at);
            }
        },
    )
    .await
}

pub async fn deliveries_cancel(h: &Handles) -> Result<()> {
    h.console
        .delivery_cancel
        .store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

pub async fn binding_states(h: &Handles) -> Result<Vec<crate::liveness::BindingState>> {
    let client = h.console.client().await?;
    let rules = client.rules().await?;
    let store = h.inspector.store_for_reading().await?;
    // Asked every 5 s while a binding is pending: the settings file only, not the profiles' list.
    let account = h.console.account_key();
    let demo = account == "demo";
    let delivered: Vec<(String, String, i64)> = h
        .console
        .delivered
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .filter(|((a, _, _), _)| *a == account)
        .map(|((_, d, app), at)| (d.clone(), app.clone(), *at))
        .collect();
    tokio::task::spawn_blocking(move || crate::liveness::states(&rules, demo, store.as_ref(), &delivered))
        .await
        .map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?
}

pub async fn inspector_traffic(h: &Handles, filter: Filter, buckets: u32, utc_offset_minutes: i32) -> Result<Traffic> {
    h.inspector.traffic(filter, buckets, utc_offset_minutes).await
}

pub async fn inspector_detail(h: &Handles, id: i64) -> Result<EventDetail> {
    h.inspector.detail(id).await
}

/// A screenshot for the detail view, fetched here and handed over as a data URL, so the window's
/// content policy stays closed to remote images.
pub async fn inspector_screenshots(
    h: &Handles,
    stream_id: String,
    limit: Option<u32>,
) -> Result<crate::inspector::Gallery> {
    h.inspector.screenshots(stream_id, limit).await
}

pub async fn inspector_image(h: &Handles, id: i64, url: String) -> Result<String> {
    h.inspector.picture(id, url).await
}

/// A stream's timeline: the push session the callback `session_of` belongs to, or the whole stream;
/// its newest `limit` callbacks (5 000 unless asked).
pub async fn inspector_timeline(
    h: &Handles,
    stream_id: String,
    session_of: Option<i64>,
    limit: Option<u32>,
) -> Result<Timeline> {
    h.inspector.timeline(stream_id, session_of, limit).await
}

/// Callbacks as they arrive, as a subscriber with `filter` sees them (decided here with the list's
/// rules, the stored count with each), until the receiver stops, [`inspector_unsubscribe`], or nobody
/// listens. Answers the subscription's number.
pub async fn inspector_subscribe(h: &Handles, filter: Filter, events: Progress<Update>) -> Result<u64> {
    let mut watch = h.inspector.watch(filter).await?;
    let task = tokio::spawn(async move {
        while let Some(updates) = watch.next().await {
            for update in &updates {
                if !events.send(update) {
                    return;
                }
            }
        }
    });
    Ok(h.inspector.watching(task.abort_handle()))
}

/// End a subscription (its filter changed, its page closed); false when it had already ended.
pub async fn inspector_unsubscribe(h: &Handles, subscription: u64) -> Result<bool> {
    Ok(h.inspector.unwatch(subscription))
}

pub async fn inspector_replay(
    h: &Handles,
    id: i64,
    url: String,
    resign: bool,
    body: Option<String>,
) -> Result<SendResult> {
    h.inspector.replay(id, url, resign, body).await
}

pub async fn inspector_export(
    h: &Handles,
    filter: Filter,
    format: Format,
    path: String,
    overwrite: bool,
) -> Result<u64> {
    h.inspector.export(filter, format, path.into(), overwrite).await
}

pub async fn inspector_send_test(
    _h: &Handles,
    event_type: i64,
    url: String,
    key: String,
    retries: bool,
    results: Progress<SendResult>,
) -> Result<Vec<SendResult>> {
    crate::inspector::send_test(event_type, url, key, retries, |r| {
        results.send(r);
    })
    .await
}

pub async fn inspector_use_for_template(h: &Handles, template_id: i64, base: String) -> Result<()> {
    let client = h.console.client().await?;
    h.inspector.use_for_template(&client, template_id, base).await
}

pub async fn inspector_restore_template(h: &Handles, template_id: i64) -> Result<()> {
    let client = h.console.client().await?;
    h.inspector.restore_template(&client, template_id).await
}

pub async fn demo_push_stream(h: &Handles, domain: String, app_name: String, stream_id: String) -> Result<()> {
    h.console.demo_scenario(domain, app_name, stream_id).await
}

/// `template_id` → `templateId`: the key a JavaScript caller uses for an argument (Tauri's rule).
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn take<T: serde::de::DeserializeOwned>(args: &mut serde_json::Map<String, Value>, name: &str) -> Result<T> {
    let key = camel(name);
    serde_json::from_value(args.remove(&key).unwrap_or(Value::Null)).map_err(|e| {
        AppError::new(
            AppErrorKind::Validation,
            format!("The argument `{key}` is not what the command takes: {e}"),
        )
    })
}

macro_rules! table_items {
    ($( $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty $(, progress $p:ty)? ; )*) => {
        /// Every command's name, in the table's order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Run the command `name` with the arguments a JavaScript caller would pass to Tauri's
        /// `invoke` (camelCase keys); progress messages go to `progress`.
        pub async fn dispatch(
            h: &Handles,
            name: &str,
            args: Value,
            progress: Arc<dyn Fn(Value) -> bool + Send + Sync>,
        ) -> Result<Value> {
            let mut args = match args {
                Value::Object(map) => map,
                Value::Null => serde_json::Map::new(),
                _ => return Err(AppError::new(AppErrorKind::Validation, "Command arguments must be a JSON object.")),
            };
            let _ = (&mut args, &progress);
            match name {
                $(stringify!($name) => {
                    $( let $arg: $ty = take(&mut args, stringify!($arg))?; )*
                    let out = log_failure(
                        stringify!($name),
                        $name(h, $($arg,)* $( Progress::<$p>::new(progress.clone()) )?).await,
                    )?;
                    Ok(serde_json::to_value(out).expect("command results serialise"))
                })*
                _ => Err(AppError::new(AppErrorKind::NotFound, format!("There is no command named `{name}`."))),
            }
        }

        /// The `Commands` map for the UI: each command's arguments, result and progress message.
        pub fn typescript() -> String {
            use ts_rs::TS;
            let cfg = ts_rs::Config::default().with_large_int("number");
            let mut out = String::from(
                "// Generated from the command table by `cargo test -p livehook-console`; do not edit.\n\n",
            );
            let mut imports = std::collections::BTreeSet::new();
            let mut rows = String::new();
            $(
                let args: Vec<String> = vec![$(
                    format!("{}: {}", camel(stringify!($arg)), <$ty as TS>::name(&cfg))
                ),*];
                let progress: Option<String> = None $( .or(Some(<$p as TS>::name(&cfg))) )?;
                let args = if args.is_empty() { "{}".to_owned() } else { format!("{{ {} }}", args.join(", ")) };
                let row = format!(
                    "  {}: {{ args: {}; result: {}; progress: {} }};\n",
                    stringify!($name),
                    args,
                    <$ret as TS>::name(&cfg),
                    progress.unwrap_or_else(|| "never".into()),
                );
                for word in row.split(|c: char| !c.is_alphanumeric() && c != '_') {
                    if word.starts_with(|c: char| c.is_ascii_uppercase()) && word != "Array" {
                        imports.insert(word.to_owned());
                    }
                }
                rows.push_str(&row);
            )*
            out.push_str(&format!(
                "import type {{ {} }} from \"./index\";\n\nexport type Commands = {{\n",
                imports.into_iter().collect::<Vec<_>>().join(", ")
            ));
            out.push_str(&rows);
            out.push_str("};\n");
            out
        }
    };
}

command_table!(table_items);
