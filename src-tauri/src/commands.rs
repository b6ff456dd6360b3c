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
