//! The desktop app: a window, the commands, and the state they share. Everything else lives in the
//! libraries (`livehook-console`, `tencent-live`, `live-emulator`).

mod commands;

use std::sync::Arc;

use livehook_console::inspector::Inspector;
use livehook_console::{config_dir, Console, KeyringStore, ProfileStore, APP_ID};

/// What every command can reach: one cheap-to-clone handle.
#[derive(Clone, Debug)]
pub struct AppState {
    pub console: Arc<Console>,
    pub inspector: Arc<Inspector>,
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("LIVEHOOK_LOG").unwrap_or_else(|_| "warn".into()))
        .init();
    let dir = config_dir(APP_ID).unwrap_or_else(|| std::env::temp_dir().join(APP_ID));
    let keyring = Arc::new(KeyringStore::new(APP_ID));
    let store = ProfileStore::new(&dir, keyring.clone());
    let console = Arc::new(Console::new(store, dir.join("demo")));
    let inspector = Arc::new(Inspector::new(dir.join("inspector"), keyring));
    tauri::Builder::default()
        .manage(AppState { console, inspector })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::use_demo,
            commands::add_profile,
            commands::update_profile,
            commands::rename_profile,
            commands::delete_profile,
            commands::activate_profile,
            commands::test_connection,
            commands::list_templates,
            commands::create_template,
            commands::update_template,
            commands::delete_template,
            commands::unbind_and_delete_template,
            commands::list_domains,
            commands::bind_domains,
            commands::unbind_domains,
            commands::export_templates,
            commands::save_export,
            commands::default_export_dir,
            commands::plan_import,
            commands::apply_import,
            commands::inspector_status,
            commands::inspector_start,
            commands::inspector_stop,
            commands::inspector_refresh_keys,
            commands::inspector_add_key,
            commands::inspector_remove_key,
            commands::inspector_set_rules,
            commands::inspector_set_forward,
            commands::inspector_set_retention,
            commands::inspector_events,
            commands::inspector_count,
            commands::inspector_detail,
            commands::inspector_timeline,
            commands::inspector_subscribe,
            commands::inspector_replay,
            commands::inspector_export,
            commands::inspector_send_test,
            commands::inspector_use_for_template,
            commands::inspector_restore_template,
            commands::inspector_taken_over,
            commands::demo_push_stream,
            commands::get_ui_settings,
            commands::set_ui_settings,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("LiveHook could not start: {e}");
            std::process::exit(1);
        });
}
