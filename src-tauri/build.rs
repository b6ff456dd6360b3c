// Every app command, so that each one needs an explicit grant in capabilities/. The list is the command
// table's (`livehook_console::command_table!`); a test in livehook-console fails when they differ.
const COMMANDS: &[&str] = &[
    "app_status",
    "use_demo",
    "add_profile",
    "update_profile",
    "rename_profile",
    "delete_profile",
    "activate_profile",
    "test_connection",
    "list_templates",
    "create_template",
    "update_template",
    "delete_template",
    "unbind_and_delete_template",
    "list_domains",
    "bind_domains",
    "unbind_domains",
    "export_templates",
    "save_export",
    "default_export_dir",
    "plan_import",
    "apply_import",
    "get_ui_settings",
    "set_ui_settings",
    "inspector_status",
    "inspector_start",
    "inspector_stop",
    "inspector_refresh_keys",
    "inspector_add_key",
    "inspector_remove_key",
    "inspector_set_rules",
    "inspector_set_forward",
    "inspector_set_retention",
    "inspector_events",
    "inspector_detail",
    "inspector_image",
    "inspector_timeline",
    "inspector_subscribe",
    "inspector_replay",
    "inspector_export",
    "inspector_send_test",
    "inspector_use_for_template",
    "inspector_restore_template",
    "demo_push_stream",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
