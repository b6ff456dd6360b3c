//! The commands the UI calls: each takes the state, unpacks its input, calls `livehook-console` and
//! returns its result or its `AppError`. No logic of their own.

use livehook_console::ops::{self, BindTarget, DeleteStep, DomainRow, ItemResult, TemplateRow};
use livehook_console::profiles::UiSettings;
use livehook_console::session::{ConnectionReport, Status};
use livehook_console::transfer::{self, ApprovedStep, ImportPlan, ImportResult};
use livehook_console::{AppError, NewProfile, ProfileChanges, ProfileView};
use tauri::ipc::Channel;
use tauri::State;
use tencent_live::api::TemplateFields;

use crate::AppState;
use callback_inspector::timeline::TimelineEntry;
use callback_inspector::tools::{Format, SendResult};
use callback_inspector::{Filter, Live, Page, ResponseRule, Retention};
use livehook_console::inspector::{EventDetail, InspectorStatus};

type Result<T> = std::result::Result<T, AppError>;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<Status> {
    state.console.status().await
}

#[tauri::command]
pub async fn use_demo(state: State<'_, AppState>) -> Result<Status> {
    state.console.use_demo()?;
    state.console.status().await
}

#[tauri::command]
pub async fn add_profile(state: State<'_, AppState>, profile: NewProfile) -> Result<ProfileView> {
    Ok(state.console.store().add(profile)?)
}

#[tauri::command]
pub async fn update_profile(state: State<'_, AppState>, name: String, changes: ProfileChanges) -> Result<ProfileView> {
    Ok(state.console.store().update(&name, changes)?)
}

#[tauri::command]
pub async fn rename_profile(state: State<'_, AppState>, from: String, to: String) -> Result<()> {
    Ok(state.console.store().rename(&from, &to)?)
}

#[tauri::command]
pub async fn delete_profile(state: State<'_, AppState>, name: String) -> Result<()> {
    Ok(state.console.store().delete(&name)?)
}

#[tauri::command]
pub async fn activate_profile(state: State<'_, AppState>, name: String) -> Result<Status> {
    state.console.store().set_active(&name)?;
    state.console.status().await
}

#[tauri::command]
pub async fn test_connection(state: State<'_, AppState>, name: String) -> Result<ConnectionReport> {
    state.console.test_connection(&name).await
}

#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> Result<Vec<TemplateRow>> {
    ops::templates(&state.console.client().await?).await
}

#[tauri::command]
pub async fn create_template(state: State<'_, AppState>, fields: TemplateFields) -> Result<i64> {
    ops::create_template(&state.console.client().await?, &fields).await
}

#[tauri::command]
pub async fn update_template(state: State<'_, AppState>, id: i64, changes: TemplateFields) -> Result<()> {
    ops::update_template(&state.console.client().await?, id, &changes).await
}

#[tauri::command]
pub async fn delete_template(state: State<'_, AppState>, id: i64) -> Result<()> {
    ops::delete_template(&state.console.client().await?, id).await
}

#[tauri::command]
pub async fn unbind_and_delete_template(
    state: State<'_, AppState>,
    id: i64,
    progress: Channel<DeleteStep>,
) -> Result<()> {
    let client = state.console.client().await?;
    ops::unbind_and_delete(&client, id, |step| {
        let _ = progress.send(step);
    })
    .await
}

#[tauri::command]
pub async fn list_domains(state: State<'_, AppState>) -> Result<Vec<DomainRow>> {
    ops::domains(&state.console.client().await?).await
}

#[tauri::command]
pub async fn bind_domains(
    state: State<'_, AppState>,
    template_id: i64,
    targets: Vec<BindTarget>,
) -> Result<Vec<ItemResult>> {
    Ok(ops::bind(&state.console.client().await?, template_id, &targets).await)
}

#[tauri::command]
pub async fn unbind_domains(state: State<'_, AppState>, targets: Vec<BindTarget>) -> Result<Vec<ItemResult>> {
    Ok(ops::unbind(&state.console.client().await?, &targets).await)
}

#[tauri::command]
pub async fn export_templates(state: State<'_, AppState>, ids: Option<Vec<i64>>, with_keys: bool) -> Result<String> {
    let templates = state.console.client().await?.templates().await?;
    Ok(transfer::export_text(&transfer::export(
        &templates,
        ids.as_deref(),
        with_keys,
    )))
}

#[tauri::command]
pub async fn save_export(path: String, text: String, overwrite: bool) -> Result<()> {
    transfer::save(std::path::Path::new(&path), &text, overwrite)
}

#[tauri::command]
pub async fn default_export_dir(app: tauri::AppHandle) -> Result<String> {
    use tauri::Manager;
    let dir = app.path().download_dir().or_else(|_| app.path().home_dir());
    Ok(dir.map(|d| d.display().to_string()).unwrap_or_default())
}

#[tauri::command]
pub async fn plan_import(state: State<'_, AppState>, text: String) -> Result<ImportPlan> {
    transfer::plan_for(&state.console.client().await?, &text).await
}

#[tauri::command]
pub async fn apply_import(
    state: State<'_, AppState>,
    steps: Vec<ApprovedStep>,
    progress: Channel<ImportResult>,
) -> Result<Vec<ImportResult>> {
    let client = state.console.client().await?;
    Ok(transfer::apply(&client, &steps, |r| {
        let _ = progress.send(r.clone());
    })
    .await)
}

#[tauri::command]
pub async fn get_ui_settings(state: State<'_, AppState>) -> Result<UiSettings> {
    Ok(state.console.store().load()?.ui)
}

#[tauri::command]
pub async fn set_ui_settings(state: State<'_, AppState>, ui: UiSettings) -> Result<()> {
    let store = state.console.store();
    let mut settings = store.load()?;
    settings.ui = ui;
    Ok(store.save(&settings)?)
}

#[tauri::command]
pub async fn inspector_status(state: State<'_, AppState>) -> Result<InspectorStatus> {
    state.inspector.status().await
}

/// Start (or restart) the receiver, verifying with the current account's template keys.
#[tauri::command]
pub async fn inspector_start(state: State<'_, AppState>, port: u16, external: bool) -> Result<InspectorStatus> {
    if let Ok(client) = state.console.client().await {
        // Without the account's keys the receiver still runs; verification then says "bad sign".
        let _ = state.inspector.refresh_keys(&client).await;
    }
    state.inspector.start(port, external).await
}

#[tauri::command]
pub async fn inspector_stop(state: State<'_, AppState>) -> Result<InspectorStatus> {
    state.inspector.stop().await
}

#[tauri::command]
pub async fn inspector_refresh_keys(state: State<'_, AppState>) -> Result<InspectorStatus> {
    state.inspector.refresh_keys(&state.console.client().await?).await?;
    state.inspector.status().await
}

#[tauri::command]
pub async fn inspector_add_key(state: State<'_, AppState>, label: String, key: String) -> Result<InspectorStatus> {
    state.inspector.add_key(label, key).await?;
    state.inspector.status().await
}

#[tauri::command]
pub async fn inspector_remove_key(state: State<'_, AppState>, label: String) -> Result<InspectorStatus> {
    state.inspector.remove_key(&label).await?;
    state.inspector.status().await
}

#[tauri::command]
pub async fn inspector_set_rules(state: State<'_, AppState>, rules: Vec<ResponseRule>) -> Result<InspectorStatus> {
    state.inspector.set_rules(rules).await?;
    state.inspector.status().await
}

#[tauri::command]
pub async fn inspector_set_forward(state: State<'_, AppState>, url: Option<String>) -> Result<InspectorStatus> {
    state.inspector.set_forward(url).await?;
    state.inspector.status().await
}

#[tauri::command]
pub async fn inspector_events(state: State<'_, AppState>, filter: Filter) -> Result<Page> {
    state.inspector.query(filter).await
}

#[tauri::command]
pub async fn inspector_count(state: State<'_, AppState>, filter: Filter) -> Result<u64> {
    state.inspector.count(filter).await
}

#[tauri::command]
pub async fn inspector_detail(state: State<'_, AppState>, id: i64) -> Result<EventDetail> {
    state.inspector.detail(id).await
}

#[tauri::command]
pub async fn inspector_timeline(
    state: State<'_, AppState>,
    stream_id: String,
    sequence: Option<String>,
) -> Result<Vec<TimelineEntry>> {
    state.inspector.timeline(stream_id, sequence).await
}

/// Callbacks as they arrive, until the receiver stops or the window goes away.
#[tauri::command]
pub async fn inspector_subscribe(state: State<'_, AppState>, events: Channel<Live>) -> Result<()> {
    let mut rx = state.inspector.subscribe().await?;
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(live) => {
                    if events.send(live).is_err() {
                        break;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => break,
            }
        }
    });
    Ok(())
}

#[tauri::command]
pub async fn inspector_replay(
    state: State<'_, AppState>,
    id: i64,
    url: String,
    resign: bool,
    body: Option<String>,
) -> Result<SendResult> {
    state.inspector.replay(id, url, resign, body).await
}

#[tauri::command]
pub async fn inspector_export(
    state: State<'_, AppState>,
    filter: Filter,
    format: Format,
    path: String,
    overwrite: bool,
) -> Result<u64> {
    state.inspector.export(filter, format, path.into(), overwrite).await
}

#[tauri::command]
pub async fn inspector_send_test(
    event_type: i64,
    url: String,
    key: String,
    retries: bool,
    results: Channel<SendResult>,
) -> Result<Vec<SendResult>> {
    livehook_console::inspector::send_test(event_type, url, key, retries, |r| {
        let _ = results.send(r.clone());
    })
    .await
}

#[tauri::command]
pub async fn inspector_use_for_template(state: State<'_, AppState>, template_id: i64, base: String) -> Result<()> {
    let client = state.console.client().await?;
    state.inspector.use_for_template(&client, template_id, base).await
}

#[tauri::command]
pub async fn inspector_restore_template(state: State<'_, AppState>, template_id: i64) -> Result<()> {
    let client = state.console.client().await?;
    state.inspector.restore_template(&client, template_id).await
}

#[tauri::command]
pub async fn inspector_taken_over(state: State<'_, AppState>) -> Result<Vec<i64>> {
    Ok(state.inspector.taken_over())
}

#[tauri::command]
pub async fn demo_push_stream(
    state: State<'_, AppState>,
    domain: String,
    app_name: String,
    stream_id: String,
) -> Result<()> {
    state.console.demo_scenario(domain, app_name, stream_id).await
}

#[tauri::command]
pub async fn inspector_set_retention(state: State<'_, AppState>, retention: Retention) -> Result<InspectorStatus> {
    state.inspector.set_retention(retention).await?;
    state.inspector.status().await
}
