//! `livehook --profile NAME`: credentials from a LiveHook desktop profile, the SecretKey from the OS
//! keyring. The keyring test is ignored by default and run by `.ci/keyring-test` inside its own D-Bus
//! session with a throw-away gnome-keyring.

use std::process::Command;
use std::sync::Arc;

const BIN: &str = env!("CARGO_BIN_EXE_livehook");

#[test]
fn an_unknown_profile_is_a_usage_error_that_lists_what_exists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = Command::new(BIN)
        .args(["--profile", "nope", "templates", "list"])
        .env("LIVEHOOK_CONFIG_DIR", dir.path())
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no profile named \"nope\"") && err.contains("no profiles exist yet"),
        "{err}"
    );
}

#[tokio::test]
#[ignore = "needs a Secret Service; run through `.ci/keyring-test`"]
async fn a_desktop_profile_signs_requests_with_its_keyring_secret() {
    let emu = live_emulator::Emulator::new(live_emulator::EmulatorConfig::new(vec![live_emulator::Account::new(
        "AKIDprofiletest01",
        "profile-test-key",
    )]))
    .expect("emulator")
    .start("127.0.0.1:0".parse().expect("addr"))
    .await
    .expect("start");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = livehook_console::ProfileStore::new(
        dir.path(),
        Arc::new(livehook_console::KeyringStore::new(livehook_console::APP_ID)),
    );
    store
        .add(livehook_console::NewProfile {
            name: "ci-profile".into(),
            secret_id: "AKIDprofiletest01".into(),
            secret_key: "profile-test-key".into(),
            session_token: None,
            endpoint: Some(emu.endpoint()),
            language: None,
        })
        .expect("profile in the keyring");
    let config_dir = dir.path().to_owned();
    let run = move |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .env("LIVEHOOK_CONFIG_DIR", &config_dir)
            .env_remove("TENCENTCLOUD_SECRET_ID")
            .env_remove("TENCENTCLOUD_SECRET_KEY")
            .env_remove("LIVEHOOK_ENDPOINT")
            .output()
            .expect("runs")
    };
    let out = tokio::task::spawn_blocking(move || {
        let o = run(&[
            "--profile",
            "ci-profile",
            "templates",
            "create",
            "--name",
            "from_profile",
            "--record-url",
            "http://a.com/r",
        ]);
        let l = run(&["--profile", "ci-profile", "templates", "list", "--output", "json"]);
        (o, l)
    })
    .await
    .expect("join");
    assert_eq!(
        out.0.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.0.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.1.stdout).expect("json");
    assert_eq!(list["Templates"][0]["TemplateName"], "from_profile");
    store.delete("ci-profile").expect("clean up");
}
