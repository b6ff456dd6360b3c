// Every app command is declared here so that each one needs an explicit grant in capabilities/.
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
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
