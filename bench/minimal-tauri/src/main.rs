//! The desktop benchmark's baseline (`make bench`, `.ci/desktop-bench`): a Tauri 2 app with nothing
//! but one window showing one HTML page, built with the same tauri and the same release profile as
//! LiveHook, so that LiveHook's start, memory and size can be read as a ratio to it.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the minimal app could not run");
}
