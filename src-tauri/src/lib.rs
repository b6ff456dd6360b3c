//! The desktop app: a window, the commands, and the state they share. Everything else lives in the
//! libraries (through `livehook-console`).

mod commands;

use std::sync::Arc;

use livehook_console::commands::Handles;
use livehook_console::inspector::Inspector;
use livehook_console::{config_dir, Console, KeyringStore, ProfileStore, APP_ID};
use tauri::Manager;

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
        // Links from callbacks open in the system browser; the capability allows http and https only.
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            let export_dir = app
                .path()
                .download_dir()
                .or_else(|_| app.path().home_dir())
                .unwrap_or_default();
            app.manage(Handles {
                console,
                inspector,
                export_dir,
            });
            Ok(())
        })
        // A page that (re)loads has none of the earlier page's live subscriptions: end them, as a
        // Tauri channel keeps accepting messages for a page that is gone.
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Started {
                if let Some(h) = webview.try_state::<Handles>() {
                    h.inspector.unwatch_all();
                }
            }
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("LiveHook could not start: {e}");
            std::process::exit(1);
        });
}
