//! The real OS keyring through the app's own store. Ignored by default: `make test` runs it inside its
//! own D-Bus session with a fresh, unlocked gnome-keyring (see `.ci/keyring-test`), so it never touches
//! a real user's keyring.

use std::sync::Arc;

use livehook_console::inspector::Inspector;
use livehook_console::{KeyringStore, NewProfile, ProfileStore, SecretKind, SecretStore, INSPECTOR_OWNER};

#[test]
#[ignore = "needs a Secret Service; run through `.ci/keyring-test`"]
fn a_profile_secret_round_trips_through_the_os_keyring() {
    let service = format!("com.livehook.keyring-test.{}", std::process::id());
    let keyring = Arc::new(KeyringStore::new(&service));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = ProfileStore::new(dir.path(), keyring.clone());
    let view = store
        .add(NewProfile {
            name: "ci".into(),
            secret_id: "AKIDkeyringtest0001".into(),
            secret_key: "real-keyring-secret".into(),
            session_token: None,
            endpoint: None,
            language: None,
        })
        .expect("stored in the keyring");
    assert!(view.has_secret && !view.has_token);
    // Read back through a fresh handle: it really is in the keyring, not in memory.
    let again = KeyringStore::new(&service);
    assert_eq!(
        again
            .get("ci", SecretKind::SecretKey)
            .expect("read")
            .expect("present")
            .expose(),
        "real-keyring-secret"
    );
    assert!(!std::fs::read_to_string(store.path())
        .expect("settings")
        .contains("real-keyring-secret"));
    store.delete("ci").expect("delete");
    assert!(
        again.get("ci", SecretKind::SecretKey).expect("read").is_none(),
        "deleted from the keyring"
    );
}

#[test]
#[ignore = "needs no Secret Service; run through `.ci/keyring-test`"]
fn no_keyring_service_is_explained() {
    // Run with DBUS_SESSION_BUS_ADDRESS pointing nowhere.
    let store = KeyringStore::new("com.livehook.keyring-test.none");
    let e = store
        .set("p", SecretKind::SecretKey, &tencent_live::Secret::new("x"))
        .expect_err("no service");
    let text = e.to_string();
    assert!(
        text.contains("no keyring service") && text.contains("gnome-keyring"),
        "{text}"
    );
}

#[tokio::test]
#[ignore = "needs a Secret Service; run through `.ci/keyring-test`"]
async fn inspector_keys_added_by_hand_round_trip_through_the_os_keyring() {
    let service = format!("com.livehook.keyring-test.inspector.{}", std::process::id());
    let dir = tempfile::tempdir().expect("tempdir");
    let inspector = Inspector::new(dir.path().to_owned(), Arc::new(KeyringStore::new(&service)));
    inspector
        .add_key("staging".into(), "stagingKeyringKey".into())
        .await
        .expect("add");
    assert_eq!(inspector.status().await.expect("status").keys_note, None, "saved");
    // A fresh handle on the same keyring: a second run of the app.
    let next = Inspector::new(dir.path().to_owned(), Arc::new(KeyringStore::new(&service)));
    let status = next.status().await.expect("status");
    assert_eq!(status.keys_note, None);
    assert_eq!(status.keys.len(), 1);
    assert!(status.keys[0].manual && status.keys[0].label == "staging");
    next.remove_key("staging").await.expect("remove");
    assert!(KeyringStore::new(&service)
        .get(INSPECTOR_OWNER, SecretKind::InspectorKeys)
        .expect("read")
        .is_none());
}
