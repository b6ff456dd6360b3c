//! Profiles: settings written atomically without secrets, secrets only in the store, and every
//! operation's errors.

use std::sync::Arc;

use tencent_live::Language;

use livehook_console::{MemoryStore, NewProfile, ProfileChanges, ProfileError, ProfileStore, SecretKind, SecretStore};

fn store() -> (tempfile::TempDir, ProfileStore, Arc<MemoryStore>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = Arc::new(MemoryStore::default());
    let store = ProfileStore::new(dir.path(), secrets.clone());
    (dir, store, secrets)
}

fn new(name: &str) -> NewProfile {
    NewProfile {
        name: name.into(),
        secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPxab12".into(),
        secret_key: "the-secret-key-value".into(),
        session_token: Some("the-session-token".into()),
        endpoint: None,
        language: None,
    }
}

#[test]
fn secrets_go_to_the_store_and_never_to_the_file() {
    let (_dir, store, secrets) = store();
    let view = store.add(new("生产")).expect("add");
    assert_eq!(view.secret_id_masked, "AKID****ab12");
    assert!(view.has_secret && view.has_token && view.active);
    let file = std::fs::read_to_string(store.path()).expect("settings written");
    assert!(
        !file.contains("the-secret-key-value") && !file.contains("the-session-token"),
        "{file}"
    );
    assert!(file.contains("\"version\": 1") && file.contains("AKIDz8krbsJ5yKBZQpn74WFkmLPxab12"));
    assert_eq!(
        secrets
            .get("生产", SecretKind::SecretKey)
            .expect("get")
            .expect("set")
            .expose(),
        "the-secret-key-value"
    );
    let creds = store.credentials("生产").expect("credentials");
    assert_eq!(creds.token.expect("token").expose(), "the-session-token");
    assert!(!format!("{:?}", store.list().expect("list")).contains("the-secret-key-value"));
}

#[test]
fn edit_rename_activate_delete() {
    let (_dir, store, secrets) = store();
    store.add(new("a")).expect("a");
    store.add(new("b")).expect("b");
    assert_eq!(
        store
            .list()
            .expect("list")
            .iter()
            .filter(|p| p.active)
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        vec!["a"]
    );

    let v = store
        .update(
            "b",
            ProfileChanges {
                session_token: Some("".into()),
                endpoint: Some("http://127.0.0.1:9000".into()),
                ..Default::default()
            },
        )
        .expect("update");
    assert!(!v.has_token, "an empty token removes it");
    assert_eq!(v.endpoint, "http://127.0.0.1:9000");
    let v = store
        .update(
            "b",
            ProfileChanges {
                language: Some(Language::EnUs),
                ..Default::default()
            },
        )
        .expect("language");
    assert_eq!(v.language, Some(Language::EnUs));
    let v = store.update("b", ProfileChanges::default()).expect("nothing");
    assert_eq!(v.language, Some(Language::EnUs), "no change keeps the language");
    let v = store
        .update(
            "b",
            ProfileChanges {
                clear_language: true,
                ..Default::default()
            },
        )
        .expect("clear");
    assert_eq!(v.language, None, "clear_language goes back to the app's language");
    store
        .update(
            "b",
            ProfileChanges {
                secret_key: Some("new-key".into()),
                ..Default::default()
            },
        )
        .expect("key");
    assert_eq!(store.credentials("b").expect("creds").secret_key.expose(), "new-key");

    store.rename("a", "renamed").expect("rename");
    assert!(
        secrets.get("a", SecretKind::SecretKey).expect("get").is_none(),
        "secrets move with the name"
    );
    assert!(store.credentials("renamed").is_ok());
    assert_eq!(store.load().expect("load").active.as_deref(), Some("renamed"));
    assert!(matches!(store.rename("renamed", "b"), Err(ProfileError::Exists(_))));

    store.set_active("b").expect("activate");
    store.delete("b").expect("delete");
    assert!(
        secrets.get("b", SecretKind::SecretKey).expect("get").is_none(),
        "deleting removes the secrets"
    );
    assert_eq!(
        store.load().expect("load").active.as_deref(),
        Some("renamed"),
        "another profile becomes active"
    );
    assert!(matches!(store.delete("b"), Err(ProfileError::NotFound(_))));
}

#[test]
fn bad_input_is_refused_and_loses_nothing() {
    let (_dir, store, _) = store();
    store.add(new("keep")).expect("add");
    let before = std::fs::read(store.path()).expect("read");
    for bad in [
        NewProfile {
            name: String::new(),
            ..new("x")
        },
        NewProfile {
            name: " padded".into(),
            ..new("x")
        },
        NewProfile {
            name: "a/b".into(),
            ..new("x")
        },
        NewProfile {
            secret_id: "AKID with space".into(),
            ..new("x")
        },
        NewProfile {
            secret_key: "  ".into(),
            ..new("x")
        },
        NewProfile {
            endpoint: Some("ftp://x".into()),
            ..new("x")
        },
    ] {
        assert!(matches!(store.add(bad), Err(ProfileError::Invalid(_))));
    }
    assert!(matches!(store.add(new("keep")), Err(ProfileError::Exists(_))));
    assert_eq!(
        std::fs::read(store.path()).expect("read"),
        before,
        "the file is untouched"
    );
}

#[test]
fn damaged_or_newer_settings_are_reported_not_overwritten() {
    let (_dir, store, _) = store();
    assert!(store.list().expect("no file yet").is_empty());
    std::fs::create_dir_all(store.path().parent().expect("dir")).expect("mkdir");
    std::fs::write(store.path(), b"{oops").expect("write");
    assert!(matches!(store.add(new("x")), Err(ProfileError::Corrupt(..))));
    assert_eq!(std::fs::read(store.path()).expect("read"), b"{oops");
    std::fs::write(store.path(), br#"{"version": 9, "profiles": []}"#).expect("write");
    assert!(matches!(store.list(), Err(ProfileError::TooNew(_, 9))));
}

#[test]
fn a_profile_without_its_secret_says_so() {
    let (_dir, store, secrets) = store();
    store.add(new("p")).expect("add");
    secrets.delete_all("p").expect("lose it");
    let e = store.credentials("p").expect_err("no secret");
    assert!(e.to_string().contains("enter it again"), "{e}");
    let source = store.source("p");
    assert!(source.credentials().is_err());
}

#[test]
fn config_dir_follows_the_platform_and_the_override() {
    // Only the override is checked here; the rest depends on the machine's environment.
    std::env::set_var("LIVEHOOK_CONFIG_DIR", "/tmp/livehook-test-config");
    assert_eq!(
        livehook_console::config_dir("x"),
        Some(std::path::PathBuf::from("/tmp/livehook-test-config"))
    );
    std::env::remove_var("LIVEHOOK_CONFIG_DIR");
}

/// Every type that carries a secret as text hides it from `Debug` (and so from any log line).
#[test]
fn types_holding_secrets_redact_them_in_debug() {
    use livehook_console::profiles::{NewProfile, ProfileChanges};
    use tencent_live::api::{CallbackTemplate, TemplateFields};
    let new: NewProfile = serde_json::from_value(serde_json::json!({
        "name": "p", "secretId": "AKIDdebug0001", "secretKey": "sk-debug-secret", "sessionToken": "tok-debug-secret"
    }))
    .expect("new profile");
    let changes: ProfileChanges = serde_json::from_value(serde_json::json!({
        "secretKey": "sk-debug-secret", "sessionToken": "tok-debug-secret", "endpoint": "https://e.example.com"
    }))
    .expect("changes");
    let fields = TemplateFields {
        template_name: Some("t".into()),
        callback_key: Some("cbkeydebugsecret".into()),
        ..Default::default()
    };
    let template = CallbackTemplate {
        template_id: 7,
        callback_key: "cbkeydebugsecret".into(),
        ..Default::default()
    };
    let key = callback_inspector::NamedKey::new("label", "cbkeydebugsecret");
    let shown = format!(
        "{new:?} {changes:?} {fields:?} {template:?} {key:?} {:?}",
        tencent_live::Secret::new("cbkeydebugsecret")
    );
    for secret in ["sk-debug-secret", "tok-debug-secret", "cbkeydebugsecret"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(
        shown.contains("AKIDdebug0001")
            && shown.contains("https://e.example.com")
            && shown.contains("\"TemplateId\":7"),
        "{shown}"
    );
}
