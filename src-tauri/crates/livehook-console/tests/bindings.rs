//! The committed TypeScript bindings must match the Rust types and the command table. After changing a
//! type that crosses to the UI, or a command, run
//! `UPDATE_BINDINGS=1 cargo test -p livehook-console --test bindings` and commit the files.

use std::path::PathBuf;

fn check(file: &str, want: String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../ui/src")
        .join(file);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, &want).expect("write bindings");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/{file} is out of date; run UPDATE_BINDINGS=1 cargo test -p livehook-console --test bindings"
    );
}

#[test]
fn ui_bindings_match_the_rust_types() {
    check("bindings/index.ts", livehook_console::bindings::typescript());
}

#[test]
fn ui_command_map_matches_the_command_table() {
    check("bindings/commands.ts", livehook_console::commands::typescript());
}

/// Event types and verification results, and their names in both languages, come from the Rust enums.
#[test]
fn ui_vocabulary_matches_the_rust_enums() {
    use tencent_live::Language;
    check("bindings/vocabulary.ts", livehook_console::bindings::vocabulary());
    check(
        "locales/en-US/vocabulary.json",
        livehook_console::bindings::vocabulary_names(Language::EnUs),
    );
    check(
        "locales/zh-CN/vocabulary.json",
        livehook_console::bindings::vocabulary_names(Language::ZhCn),
    );
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

/// Each command needs an explicit grant: `build.rs` declares exactly the table's commands, and the
/// main window's capability allows exactly those.
#[test]
fn permissions_and_capability_list_every_command_of_the_table() {
    let names: Vec<String> = livehook_console::commands::NAMES
        .iter()
        .map(|s| s.to_string())
        .collect();
    let build = std::fs::read_to_string(root().join("src-tauri/build.rs")).expect("build.rs");
    let declared: Vec<String> = build
        .split_once("const COMMANDS: &[&str] = &[")
        .and_then(|(_, rest)| rest.split_once("];"))
        .expect("a COMMANDS list in build.rs")
        .0
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        declared, names,
        "src-tauri/build.rs COMMANDS differs from the command table"
    );

    let cap: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("src-tauri/capabilities/main.json")).expect("main.json"),
    )
    .expect("capability JSON");
    let granted: Vec<String> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    assert_eq!(
        granted, names,
        "capabilities/main.json grants differ from the command table"
    );
}
