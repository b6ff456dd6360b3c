//! The app's inspector against the emulator: a template pointed at the inspector receives a pushed
//! stream's callbacks, verified with the template's own key; the detail shows each verification step;
//! the template's URLs come back on restore.
//!
//! Over 500 lines: one suite sharing one rig (the app's inspector beside an emulator).

mod common;

use std::sync::Arc;
use std::time::Duration;

use callback_inspector::tools::Format;
use callback_inspector::Filter;
use live_emulator::{DeliveryConfig, StreamSpec};
use livehook_console::inspector::Inspector;
use livehook_console::ops::{self, BindTarget};
use livehook_console::{AppErrorKind, MemoryStore, SecretError, SecretKind, SecretStore, INSPECTOR_OWNER};
use tencent_live::api::TemplateFields;
use tencent_live::Secret;

#[tokio::test]
async fn a_template_used_for_the_inspector_delivers_verified_callbacks_and_is_restored() {
    let (emu, client) = common::emulator_with("AKIDinspector0001", "inspkey", |config| {
        config.delivery = DeliveryConfig {
            time_scale: 600.0,
            ..Default::default()
        };
    })
    .await;
    let id = ops::create_template(
        &client,
        &TemplateFields {
            template_name: Some("watched".into()),
            stream_begin_notify_url: Some("https://hooks.example.com/begin".into()),
            callback_key: Some("watchedKey2024".into()),
            ..Default::default()
        },
    )
    .await
    .expect("create")
    .template
    .template_id;
    let bound = ops::bind(
        &client,
        id,
        &[BindTarget {
            domain: "push.example.com".into(),
            app_name: String::new(),
        }],
    )
    .await;
    assert!(bound[0].ok);

    let dir = tempfile::tempdir().expect("tempdir");
    let inspector = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    let none = inspector.query(Filter::default()).await.expect("nothing stored yet");
    assert!(none.items.is_empty());
    let status = inspector.start(0, false).await.expect("start");
    let base = status.address.expect("an address");
    inspector
        .use_for_template(&client, id, base.clone())
        .await
        .expect("use");
    let t = client.template(id).await.expect("template");
    assert_eq!(t.stream_begin_notify_url, format!("{base}/push"));
    assert_eq!(t.snapshot_notify_url, format!("{base}/screenshot"));
    assert_eq!(inspector.taken_over(), vec![id]);
    let keys = inspector.status().await.expect("status").keys;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].label, format!("template {id} (watched)"));
    assert_eq!(
        keys[0].masked, "wat****",
        "at most a quarter of a key, never more than 4 characters"
    );
    let restore_file = std::fs::read_to_string(dir.path().join("replaced-urls.json")).expect("restore point");
    assert!(
        restore_file.contains("https://hooks.example.com/begin"),
        "{restore_file}"
    );
    assert!(
        !restore_file.contains("watchedKey2024"),
        "the key is kept on disk: {restore_file}"
    );

    emu.emulator
        .start_push(&StreamSpec::new("push.example.com", "live", "cam1"))
        .expect("push");
    let page = {
        let mut waited = 0;
        loop {
            let page = inspector.query(Filter::default()).await.expect("query");
            if page.items.len() >= 2 || waited > 100 {
                break page;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += 1;
        }
    };
    assert!(page.items.len() >= 2, "push and recording status arrive: {page:?}");
    for e in &page.items {
        assert_eq!(e.verify, callback_inspector::Verify::Valid, "{e:?}");
        assert_eq!(
            e.key_label.as_deref(),
            Some(format!("template {id} (watched)").as_str())
        );
        assert_eq!(e.stream_id.as_deref(), Some("cam1"));
    }
    let push = page
        .items
        .iter()
        .find(|e| e.event_type == Some(1))
        .expect("the push event");
    assert_eq!(push.path, "/push");
    let detail = inspector.detail(push.id).await.expect("detail");
    // Its t is still ahead: the sign that would pass is held back (it would sign any body).
    assert!(detail.steps.received_sign.is_some());
    assert_eq!(detail.steps.expected_sign, None);
    assert_eq!(detail.steps.expected_after, detail.steps.t);
    // A callback whose t has passed shows the sign that was expected.
    let past = chrono::Utc::now().timestamp() - 60;
    let old_body = serde_json::json!({
        "event_type": 1, "stream_id": "late", "t": past,
        "sign": tencent_live::callback::sign(&Secret::new("watchedKey2024"), past),
    });
    let sent = reqwest::Client::new()
        .post(format!("{base}/push"))
        .body(old_body.to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(sent.status(), 200);
    let late = inspector
        .query(Filter {
            stream_id: Some("late".into()),
            ..Default::default()
        })
        .await
        .expect("query");
    let late = inspector.detail(late.items[0].id).await.expect("detail");
    assert_eq!(late.steps.expected_after, None);
    assert!(late.steps.expected_sign.is_some());
    assert_eq!(late.steps.expected_sign, late.steps.received_sign);
    assert!(detail
        .steps
        .md5_input
        .as_deref()
        .is_some_and(|s| !s.contains("watchedKey2024")));
    assert!(detail.facts.iter().any(|f| f.en == "Stream" && f.value == "cam1"));
    assert!(detail.curl.contains(&format!("{base}/push")));

    inspector.restore_template(&client, id).await.expect("restore");
    let t = client.template(id).await.expect("template");
    assert_eq!(t.stream_begin_notify_url, "https://hooks.example.com/begin");
    assert_eq!(t.snapshot_notify_url, "");
    assert!(inspector.taken_over().is_empty());
    let again = inspector
        .restore_template(&client, id)
        .await
        .expect_err("nothing to restore");
    assert_eq!(again.kind, AppErrorKind::NotFound);
    inspector.stop().await.expect("stop");

    // Retention is saved with the inspector and read back by the next run.
    let keep = callback_inspector::Retention {
        max_events: 1000,
        max_age_days: 7,
        max_mb: 512,
    };
    inspector.set_retention(keep).await.expect("retention");
    let next = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    assert_eq!(next.status().await.expect("status").retention, keep);
}

/// The restore point reaches the disk before the cloud template changes: when it cannot be saved,
/// the template is left as it was. A restore file of an earlier version loses its callback key.
#[tokio::test]
async fn a_template_is_taken_over_only_once_its_restore_point_is_saved() {
    let (_emu, client) = common::emulator_with("AKIDinspector0002", "inspkey", |_| {}).await;
    let id = ops::create_template(
        &client,
        &TemplateFields {
            template_name: Some("kept".into()),
            stream_begin_notify_url: Some("https://hooks.example.com/begin".into()),
            callback_key: Some("keptKey2024".into()),
            ..Default::default()
        },
    )
    .await
    .expect("create")
    .template
    .template_id;
    let dir = tempfile::tempdir().expect("tempdir");
    let inspector = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    // A folder where the restore file goes: it cannot be written.
    std::fs::create_dir(dir.path().join("replaced-urls.json")).expect("mkdir");
    let e = inspector
        .use_for_template(&client, id, "http://127.0.0.1:9".into())
        .await
        .expect_err("no restore point, no take-over");
    assert_eq!(e.kind, AppErrorKind::Internal);
    let t = client.template(id).await.expect("template");
    assert_eq!(
        t.stream_begin_notify_url, "https://hooks.example.com/begin",
        "changed without a way back"
    );
    assert!(inspector.taken_over().is_empty());

    // An earlier version's restore file, key and all.
    std::fs::remove_dir(dir.path().join("replaced-urls.json")).expect("rmdir");
    let legacy = serde_json::json!({ id.to_string(): {
        "TemplateName": "kept", "CallbackKey": "keptKey2024",
        "StreamBeginNotifyUrl": "https://hooks.example.com/begin",
    }});
    std::fs::write(dir.path().join("replaced-urls.json"), legacy.to_string()).expect("write");
    let next = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    let scrubbed = std::fs::read_to_string(dir.path().join("replaced-urls.json")).expect("read");
    assert!(!scrubbed.contains("keptKey2024"), "{scrubbed}");
    assert!(scrubbed.contains("https://hooks.example.com/begin"), "{scrubbed}");
    assert_eq!(next.taken_over(), vec![id]);
}

#[tokio::test]
async fn keys_added_by_hand_are_kept_in_the_keyring_and_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = Arc::new(MemoryStore::default());
    let inspector = Inspector::new(dir.path().to_owned(), secrets.clone());
    inspector
        .add_key("staging server".into(), "stagingKey0001".into())
        .await
        .expect("add");
    inspector
        .add_key("partner".into(), "partnerKey0002".into())
        .await
        .expect("add");
    let dup = inspector
        .add_key(" partner ".into(), "other".into())
        .await
        .expect_err("same name");
    assert_eq!(dup.kind, AppErrorKind::AlreadyExists);
    let empty = inspector
        .add_key("x".into(), String::new())
        .await
        .expect_err("no value");
    assert_eq!(empty.kind, AppErrorKind::Validation);
    let entry = secrets
        .get(INSPECTOR_OWNER, SecretKind::InspectorKeys)
        .expect("read")
        .expect("one keyring entry");
    assert!(entry.expose().contains("stagingKey0001") && entry.expose().contains("partnerKey0002"));
    // Nothing of them is written to the inspector's folder.
    for f in walk(dir.path()) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("stagingKey0001"),
            "{} holds a key",
            f.display()
        );
    }

    // The next run reads them back, verifies with them, and a removal is saved too.
    let next = Inspector::new(dir.path().to_owned(), secrets.clone());
    let status = next.status().await.expect("status");
    assert_eq!(status.keys_note, None);
    let labels: Vec<(String, bool)> = status.keys.iter().map(|k| (k.label.clone(), k.manual)).collect();
    assert_eq!(
        labels,
        vec![("staging server".to_owned(), true), ("partner".to_owned(), true)]
    );
    assert!(status.keys.iter().all(|k| !k.masked.contains("Key000")));
    let running = next.start(0, false).await.expect("start");
    let url = format!("{}/push", running.address.expect("address"));
    let t = chrono::Utc::now().timestamp() + 600;
    let body = serde_json::json!({"event_type": 1, "stream_id": "s", "t": t,
        "sign": tencent_live::callback::sign(&Secret::new("partnerKey0002"), t)});
    let answer = reqwest::Client::new()
        .post(&url)
        .body(body.to_string())
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 200);
    let page = next.query(Filter::default()).await.expect("query");
    assert_eq!(page.items[0].key_label.as_deref(), Some("partner"));
    next.stop().await.expect("stop");
    next.remove_key("staging server").await.expect("remove");
    next.remove_key("partner").await.expect("remove");
    assert!(
        secrets
            .get(INSPECTOR_OWNER, SecretKind::InspectorKeys)
            .expect("read")
            .is_none(),
        "the entry goes with the last key"
    );
    assert!(Inspector::new(dir.path().to_owned(), secrets)
        .status()
        .await
        .expect("status")
        .keys
        .is_empty());
}

#[tokio::test]
async fn export_writes_the_picked_callbacks_and_never_replaces_a_file_unasked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inspector = Inspector::new(dir.path().join("inspector"), Arc::new(MemoryStore::default()));
    let url = inspector
        .start(0, false)
        .await
        .expect("start")
        .address
        .expect("address");
    let http = reqwest::Client::new();
    for i in 0..6 {
        let body = serde_json::json!({"event_type": 1, "stream_id": format!("s{i}"), "t": 0, "sign": "x"});
        http.post(format!("{url}/push"))
            .body(body.to_string())
            .send()
            .await
            .expect("post");
    }
    let all = inspector.query(Filter::default()).await.expect("query").items;
    assert_eq!(all.len(), 6);
    let picked = Filter {
        ids: Some(vec![all[1].id, all[4].id]),
        ..Default::default()
    };
    let har = dir.path().join("picked.har");
    let n = inspector
        .export(picked.clone(), Format::Har, har.clone(), false)
        .await
        .expect("export");
    assert_eq!(n, 2);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&har).expect("written")).expect("HAR is JSON");
    let streams: Vec<String> = doc["log"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["request"]["postData"]["text"].as_str().expect("body").to_owned())
        .collect();
    assert_eq!(streams.len(), 2);
    assert!(streams[0].contains(all[1].stream_id.as_deref().expect("stream")));
    assert!(streams[1].contains(all[4].stream_id.as_deref().expect("stream")));

    let again = inspector
        .export(Filter::default(), Format::Har, har.clone(), false)
        .await
        .expect_err("exists");
    assert_eq!(again.kind, AppErrorKind::AlreadyExists);
    assert_eq!(
        std::fs::read_to_string(&har)
            .expect("kept")
            .matches("\"request\"")
            .count(),
        2,
        "the file is untouched"
    );
    assert_eq!(
        inspector
            .export(Filter::default(), Format::Har, har.clone(), true)
            .await
            .expect("replace"),
        6
    );
    let wrong = inspector
        .export(Filter::default(), Format::Ndjson, dir.path().join("calls.json"), false)
        .await
        .expect_err("extension");
    assert_eq!(wrong.kind, AppErrorKind::Validation);
    assert!(wrong.message.contains(".ndjson"), "{}", wrong.message);
    let nowhere = inspector
        .export(
            Filter::default(),
            Format::Json,
            dir.path().join("no/such/dir/x.json"),
            false,
        )
        .await
        .expect_err("folder");
    assert_eq!(nowhere.kind, AppErrorKind::NotFound);
    inspector.stop().await.expect("stop");
}

/// A keyring that is not there (no Secret Service on this desktop).
#[derive(Debug)]
struct NoKeyring;

impl SecretStore for NoKeyring {
    fn set(&self, _: &str, _: SecretKind, _: &Secret) -> Result<(), SecretError> {
        Err(SecretError::Unavailable(
            "org.freedesktop.DBus.Error.ServiceUnknown".into(),
        ))
    }
    fn get(&self, _: &str, _: SecretKind) -> Result<Option<Secret>, SecretError> {
        Err(SecretError::Unavailable(
            "org.freedesktop.DBus.Error.ServiceUnknown".into(),
        ))
    }
    fn delete(&self, _: &str, _: SecretKind) -> Result<(), SecretError> {
        Err(SecretError::Unavailable(
            "org.freedesktop.DBus.Error.ServiceUnknown".into(),
        ))
    }
}

#[tokio::test]
async fn without_a_keyring_keys_added_by_hand_work_until_the_app_closes_and_the_status_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inspector = Inspector::new(dir.path().to_owned(), Arc::new(NoKeyring));
    let note = inspector
        .status()
        .await
        .expect("status")
        .keys_note
        .expect("a note at start");
    assert!(note.contains("could not be read from the keyring"), "{note}");
    inspector
        .add_key("local".into(), "localKey0001".into())
        .await
        .expect("kept in memory");
    let status = inspector.status().await.expect("status");
    assert_eq!(status.keys.len(), 1);
    let note = status.keys_note.expect("a note after saving failed");
    assert!(
        note.contains("keyring") && note.contains("no keyring service") && note.contains("until LiveHook closes"),
        "{note}"
    );
}

/// A keyring that does not answer until it is unlocked.
#[derive(Debug, Default)]
struct LockedAtFirst {
    inner: MemoryStore,
    unlocked: std::sync::atomic::AtomicBool,
}

impl LockedAtFirst {
    fn check(&self) -> Result<(), SecretError> {
        if self.unlocked.load(std::sync::atomic::Ordering::SeqCst) {
            Ok(())
        } else {
            Err(SecretError::Refused("the collection is locked".into()))
        }
    }
}

impl SecretStore for LockedAtFirst {
    fn set(&self, p: &str, k: SecretKind, v: &Secret) -> Result<(), SecretError> {
        self.check()?;
        self.inner.set(p, k, v)
    }
    fn get(&self, p: &str, k: SecretKind) -> Result<Option<Secret>, SecretError> {
        self.check()?;
        self.inner.get(p, k)
    }
    fn delete(&self, p: &str, k: SecretKind) -> Result<(), SecretError> {
        self.check()?;
        self.inner.delete(p, k)
    }
}

#[tokio::test]
async fn keys_of_an_earlier_run_are_not_written_over_while_the_keyring_is_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keyring = Arc::new(LockedAtFirst::default());
    keyring
        .inner
        .set(
            INSPECTOR_OWNER,
            SecretKind::InspectorKeys,
            &Secret::new(r#"[{"label":"earlier","key":"earlierKey01"},{"label":"gone","key":"goneKey0001"}]"#),
        )
        .expect("seed");
    let inspector = Inspector::new(dir.path().to_owned(), keyring.clone());
    assert!(
        inspector.status().await.expect("status").keys.is_empty(),
        "locked: nothing read"
    );
    inspector
        .add_key("now".into(), "nowKey000001".into())
        .await
        .expect("kept in memory");
    assert!(inspector.status().await.expect("status").keys_note.is_some());
    assert!(
        keyring
            .inner
            .get(INSPECTOR_OWNER, SecretKind::InspectorKeys)
            .expect("read")
            .expect("entry")
            .expose()
            .contains("earlierKey01"),
        "the earlier keys are untouched while locked"
    );
    // Unlocked: the next change reads the earlier keys first and keeps them.
    keyring.unlocked.store(true, std::sync::atomic::Ordering::SeqCst);
    inspector
        .add_key("later".into(), "laterKey0001".into())
        .await
        .expect("add");
    inspector
        .add_key("gone".into(), "goneKey0001".into())
        .await
        .expect_err("exists now");
    inspector.remove_key("gone").await.expect("remove");
    let status = inspector.status().await.expect("status");
    assert_eq!(status.keys_note, None);
    let mut labels: Vec<String> = status.keys.iter().map(|k| k.label.clone()).collect();
    labels.sort();
    assert_eq!(labels, vec!["earlier", "later", "now"]);
    let next = Inspector::new(dir.path().to_owned(), keyring);
    let mut again: Vec<String> = next
        .status()
        .await
        .expect("status")
        .keys
        .iter()
        .map(|k| k.label.clone())
        .collect();
    again.sort();
    assert_eq!(again, labels, "all of them are in the keyring");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A loopback picture server: `/shot.jpg` is a JPEG, `/moved.jpg` redirects to it, `/page` is HTML.
async fn picture_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let moved_to = format!("{base}/shot.jpg");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let moved_to = moved_to.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]);
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let answer = match path {
                    "/shot.jpg" => "HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: 4\r\nconnection: close\r\n\r\n\u{ff}\u{d8}ok".to_owned(),
                    "/moved.jpg" => format!("HTTP/1.1 302 Found\r\nlocation: {moved_to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"),
                    _ => "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 2\r\nconnection: close\r\n\r\nhi".to_owned(),
                };
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    base
}

#[tokio::test]
async fn a_picture_is_fetched_only_when_the_callback_names_it_and_no_redirect_is_followed() {
    let pictures = picture_server().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let inspector = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    let base = inspector
        .start(0, false)
        .await
        .expect("start")
        .address
        .expect("address");
    let http = reqwest::Client::new();
    for pic in ["shot.jpg", "moved.jpg", "page"] {
        let body = serde_json::json!({"event_type": 200, "stream_id": pic, "width": 2, "height": 2,
            "pic_full_url": format!("{pictures}/{pic}"), "t": 1_900_000_000, "sign": "x"});
        http.post(format!("{base}/screenshot"))
            .json(&body)
            .send()
            .await
            .expect("deliver");
    }
    let page = inspector.query(Filter::default()).await.expect("query");
    let id_of = |pic: &str| {
        page.items
            .iter()
            .find(|e| e.stream_id.as_deref() == Some(pic))
            .map(|e| e.id)
            .unwrap_or_else(|| panic!("no callback naming {pic}"))
    };

    let shown = inspector
        .picture(id_of("shot.jpg"), format!("{pictures}/shot.jpg"))
        .await
        .expect("the named picture");
    assert!(shown.starts_with("data:image/jpeg;base64,"), "{shown}");

    let e = inspector
        .picture(id_of("shot.jpg"), format!("{pictures}/page"))
        .await
        .expect_err("an address the callback does not name");
    assert_eq!(e.kind, AppErrorKind::Validation);
    assert!(e.message.contains("names no such picture"), "{}", e.message);

    let e = inspector
        .picture(id_of("moved.jpg"), format!("{pictures}/moved.jpg"))
        .await
        .expect_err("a redirect");
    assert!(e.message.contains("redirect, which is not followed"), "{}", e.message);

    let e = inspector
        .picture(id_of("page"), format!("{pictures}/page"))
        .await
        .expect_err("not a picture");
    assert!(e.message.contains("is not a picture"), "{}", e.message);
}

/// Numbers at the limits of i64 and u64 in `t`, `event_type`, `event_time` and sizes: stored, judged
/// not valid, shown in the detail and the timeline, and the receiver keeps serving.
#[tokio::test]
async fn extreme_numbers_are_stored_judged_and_shown_without_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inspector = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    inspector
        .add_key("edge".into(), "edgeKey2024".into())
        .await
        .expect("key");
    let base = inspector
        .start(0, false)
        .await
        .expect("start")
        .address
        .expect("address");
    let http = reqwest::Client::new();
    let key = Secret::new("edgeKey2024");
    let extremes = [i64::MAX, i64::MIN, i64::MAX - 1, i64::MIN + 1, 0, -1];
    let mut sent = 0;
    for t in extremes {
        for ty in [
            serde_json::json!(1),
            serde_json::json!(i64::MAX),
            serde_json::json!(u64::MAX),
            serde_json::json!(i64::MIN),
        ] {
            let body = serde_json::json!({
                "event_type": ty, "stream_id": "edge", "sequence": "s1", "t": t,
                "sign": tencent_live::callback::sign(&key, t),
                "event_time": t, "file_size": u64::MAX, "duration": i64::MIN, "start_time": t, "end_time": u64::MAX,
            });
            let r = http
                .post(format!("{base}/push"))
                .body(body.to_string())
                .send()
                .await
                .expect("answered");
            assert_eq!(r.status(), 200, "t={t} type={ty}");
            sent += 1;
        }
    }
    let page = inspector
        .query(Filter {
            stream_id: Some("edge".into()),
            limit: Some(500),
            ..Default::default()
        })
        .await
        .expect("query");
    assert_eq!(page.items.len(), sent);
    for e in &page.items {
        assert_ne!(e.verify, callback_inspector::Verify::Valid, "{e:?}");
        let d = inspector.detail(e.id).await.expect("detail");
        assert!(d.steps.t.is_some());
    }
    let whole = inspector.timeline("edge".into(), None, None).await.expect("timeline");
    assert_eq!(whole.entries.len(), sent);
    assert!(!whole.older);
    let r = http
        .post(format!("{base}/push"))
        .body("{}")
        .send()
        .await
        .expect("still serving");
    assert_eq!(r.status(), 200);
    inspector.stop().await.expect("stop");
}

/// The app's own inspector folder holds stream parameters and valid (t, sign) pairs: started on a
/// folder an older version left open to everyone, it narrows it to its owner, and every file it keeps
/// there (the database and its journal, the retention setting) is the owner's alone.
#[cfg(unix)]
#[tokio::test]
async fn the_apps_inspector_folder_and_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("inspector");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let inspector = Inspector::new(folder.clone(), Arc::new(MemoryStore::default()));
    let url = inspector
        .start(0, false)
        .await
        .expect("start")
        .address
        .expect("address");
    let body = serde_json::json!({"event_type": 1, "stream_id": "private", "t": 0, "sign": "x"});
    reqwest::Client::new()
        .post(format!("{url}/push"))
        .body(body.to_string())
        .send()
        .await
        .expect("post");
    inspector
        .set_retention(callback_inspector::Retention {
            max_events: 10,
            max_age_days: 1,
            max_mb: 16,
        })
        .await
        .expect("retention");
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700, "the folder");
    let files: Vec<_> = std::fs::read_dir(&folder)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    for name in ["events.db", "retention.json"] {
        assert!(files.iter().any(|f| f.ends_with(name)), "{name} in {files:?}");
    }
    for file in &files {
        assert_eq!(mode(file) & 0o077, 0, "{} is {:o}", file.display(), mode(file));
    }
    inspector.stop().await.expect("stop");
}

/// A timeline reads a bounded slice, the newest first, says when older callbacks were left out, and
/// gives them when asked for more (the app's "Load older").
#[tokio::test]
async fn a_long_timeline_is_read_in_slices_and_loads_older_on_demand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inspector = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    let base = inspector
        .start(0, false)
        .await
        .expect("start")
        .address
        .expect("address");
    let http = reqwest::Client::new();
    for i in 0..12 {
        let body = serde_json::json!({"event_type": 1, "stream_id": "long", "sequence": "s1", "event_time": 1_700_000_000 + i, "t": 0, "sign": "x"});
        let r = http
            .post(format!("{base}/push"))
            .body(body.to_string())
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 200);
    }
    let first = inspector.timeline("long".into(), None, Some(5)).await.expect("slice");
    assert_eq!((first.entries.len(), first.older, first.limit), (5, true, 5));
    assert_eq!(first.cap, 50_000);
    let newest = first.entries.last().expect("an entry").event.id;
    let more = inspector.timeline("long".into(), None, Some(10)).await.expect("more");
    assert_eq!((more.entries.len(), more.older), (10, true));
    assert_eq!(
        more.entries.last().expect("an entry").event.id,
        newest,
        "the same newest end"
    );
    let all = inspector.timeline("long".into(), None, Some(100)).await.expect("all");
    assert_eq!((all.entries.len(), all.older), (12, false));
    let default = inspector.timeline("long".into(), None, None).await.expect("default");
    assert_eq!((default.entries.len(), default.limit), (12, 5000));
    let session = inspector
        .timeline("long".into(), Some(newest), Some(3))
        .await
        .expect("session");
    assert_eq!((session.entries.len(), session.older), (3, true));
    inspector.stop().await.expect("stop");
}

/// Stopped, the stored callbacks can still be listed, searched, counted for the chart, opened and
/// exported; so can a database of an earlier run the receiver has not opened since the app started.
#[tokio::test]
async fn stored_callbacks_are_browsable_while_the_receiver_is_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    assert_eq!(fresh.traffic(Filter::default(), 60, 0).await.expect("traffic").total, 0);
    assert_eq!(fresh.status().await.expect("status").stored, 0);
    let base = fresh.start(0, false).await.expect("start").address.expect("address");
    let http = reqwest::Client::new();
    for i in 0..9 {
        let event_type = [1, 0, 200][i % 3];
        let word = if i == 4 { "needle" } else { "hay" };
        let body = serde_json::json!({"event_type": event_type, "stream_id": format!("cam{}", i % 2), "errmsg": word,
            "event_time": 1_700_000_000 + i, "pic_full_url": format!("https://cdn.example.com/{i}.jpg")});
        let r = http
            .post(format!("{base}/push"))
            .body(body.to_string())
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 200);
    }
    let stopped = fresh.stop().await.expect("stop");
    assert!(!stopped.running);
    assert_eq!(stopped.stored, 9, "the count stays in view");
    let later = Inspector::new(dir.path().to_owned(), Arc::new(MemoryStore::default()));
    for (run, inspector) in [fresh, later].into_iter().enumerate() {
        let page = inspector.query(Filter::default()).await.expect("list");
        assert_eq!(page.items.len(), 9);
        let found = inspector
            .query(Filter {
                text: Some("needle".into()),
                ..Default::default()
            })
            .await
            .expect("search");
        assert_eq!(found.items.len(), 1);
        let traffic = inspector.traffic(Filter::default(), 60, 480).await.expect("traffic");
        assert_eq!(traffic.total, 9);
        assert_eq!(traffic.series.len(), 3, "three event types");
        let detail = inspector.detail(found.items[0].id).await.expect("detail");
        assert_eq!(detail.summary.stream_id.as_deref(), Some("cam0"));
        let timeline = inspector.timeline("cam1".into(), None, None).await.expect("timeline");
        assert_eq!(timeline.entries.len(), 4);
        let file = dir.path().join(format!("stopped-{run}.har"));
        let n = inspector
            .export(Filter::default(), Format::Har, file.clone(), false)
            .await
            .expect("export");
        assert_eq!(n, 9);
        assert!(file.exists());
        assert_eq!(inspector.status().await.expect("status").stored, 9);
        // The gallery: cam0's screenshots are callbacks 2 and 8 (5 is cam1's), oldest first.
        let gallery = inspector.screenshots("cam0".into(), None).await.expect("gallery");
        let urls: Vec<&str> = gallery.shots.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(urls, ["https://cdn.example.com/2.jpg", "https://cdn.example.com/8.jpg"]);
        assert_eq!(gallery.shots[0].at, 1_700_000_002, "the body's event time");
        assert!(
            !gallery.older && !gallery.shots[0].verified,
            "unsigned: fetched only on request"
        );
        let newest = inspector.screenshots("cam0".into(), Some(1)).await.expect("newest");
        assert_eq!((newest.shots.len(), newest.older), (1, true));
        assert_eq!(newest.shots[0].url, "https://cdn.example.com/8.jpg");
    }
}

/// The app's live view through the command table: the filter is decided in the backend, the stored
/// count comes with every update, and a subscription ends when asked (a changed filter, a closed page).
/// The app's command handles over `dir` (settings, the demo, the inspector), secrets in `secrets`.
fn app_handles(dir: &std::path::Path, secrets: Arc<MemoryStore>) -> livehook_console::commands::Handles {
    use livehook_console::profiles::ProfileStore;
    use livehook_console::session::Console;
    livehook_console::commands::Handles {
        console: Arc::new(Console::new(
            ProfileStore::new(&dir.join("settings"), secrets.clone()),
            dir.join("demo"),
        )),
        inspector: Arc::new(Inspector::new(dir.join("inspector"), secrets)),
        export_dir: dir.to_owned(),
    }
}

#[tokio::test]
async fn a_subscription_hears_what_its_filter_keeps_and_ends_when_asked() {
    use livehook_console::commands;
    use std::sync::Mutex;

    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = Arc::new(MemoryStore::default());
    let h = app_handles(dir.path(), secrets.clone());
    let heard: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let sink = heard.clone();
    let progress = Arc::new(move |m: serde_json::Value| {
        sink.lock().expect("lock").push(m);
        true
    });
    let e = commands::dispatch(
        &h,
        "inspector_subscribe",
        serde_json::json!({"filter": {}}),
        progress.clone(),
    )
    .await
    .expect_err("nothing to hear while stopped");
    assert_eq!(e.kind, AppErrorKind::NotFound);

    let base = h
        .inspector
        .start(0, false)
        .await
        .expect("start")
        .address
        .expect("address");
    let sub = commands::dispatch(
        &h,
        "inspector_subscribe",
        serde_json::json!({"filter": {"streamId": "kept", "verify": "invalid"}}),
        progress,
    )
    .await
    .expect("subscribe")
    .as_u64()
    .expect("a number");
    assert_eq!(h.inspector.watches(), 1);
    let http = reqwest::Client::new();
    for stream in ["kept", "other", "kept"] {
        let body = serde_json::json!({"event_type": 1, "stream_id": stream, "app": "push.example.com"});
        let r = http.post(format!("{base}/cb")).json(&body).send().await.expect("send");
        assert_eq!(r.status(), 200);
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let stored_of = |m: &serde_json::Value| m["stored"].as_u64().unwrap_or(0);
    while heard.lock().expect("lock").iter().map(stored_of).max() != Some(3) {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            heard.lock().expect("lock")
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let messages = heard.lock().expect("lock").clone();
    let received: Vec<_> = messages.iter().filter(|m| m["kind"] == "received").collect();
    assert_eq!(received.len(), 2, "{messages:?}");
    assert!(received
        .iter()
        .all(|m| m["event"]["streamId"] == "kept" && m["event"]["verify"] == "unsigned"));
    let hidden: u64 = messages
        .iter()
        .filter(|m| m["kind"] == "hidden")
        .map(|m| m["count"].as_u64().expect("count"))
        .sum();
    assert_eq!(hidden, 1, "{messages:?}");
    assert_eq!(h.inspector.status().await.expect("status").stored, 3);

    let unsubscribe = || {
        commands::dispatch(
            &h,
            "inspector_unsubscribe",
            serde_json::json!({"subscription": sub}),
            Arc::new(|_| true),
        )
    };
    let ended = unsubscribe().await.expect("unsubscribe");
    assert_eq!(ended, serde_json::json!(true));
    assert_eq!(h.inspector.watches(), 0);
    let r = http.post(format!("{base}/cb")).body("{}").send().await.expect("send");
    assert_eq!(r.status(), 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        heard.lock().expect("lock").len(),
        messages.len(),
        "nothing after the end"
    );
    let again = unsubscribe().await.expect("unsubscribe");
    assert_eq!(again, serde_json::json!(false), "an ended subscription says so");
}

/// A loopback TCP relay to `target` on `port` (0: any): cutting it (aborting the task) closes every
/// connection through it, as a network drop does.
async fn relay(port: u16, target: std::net::SocketAddr) -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("relay bind");
    let port = listener.local_addr().expect("addr").port();
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        while let Ok((mut inbound, _)) = listener.accept().await {
            connections.spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (port, task)
}

/// The app attached to a receiver on another machine (`livehook inspector serve --api-listen`), through
/// the command table as the window calls it: a wrong token is told as such; saved, the token is in the
/// keyring and nowhere in the app's files; attached, the list, one callback, the export and the live
/// updates come from the remote; when the network drops, the subscription says so, and once it is back
/// the callbacks that arrived meanwhile come, none twice; one call shows this computer's again.
#[tokio::test]
async fn a_remote_inspector_is_saved_checked_attached_and_followed_live_across_a_drop() {
    use livehook_console::commands;
    use serde_json::{json, Value};
    use std::sync::Mutex;

    const TOKEN: &str = "remote-token-0123456789";
    // The remote side: a receiver and its read API.
    let remote_dir = tempfile::tempdir().expect("tempdir");
    let store =
        callback_inspector::Store::open(&remote_dir.path().join("events.db"), Default::default()).expect("store");
    let rx = callback_inspector::start(callback_inspector::ReceiverConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        Some(store.clone()),
    ))
    .await
    .expect("receiver");
    let live = rx.subscriber();
    let api = callback_inspector::api::serve(
        callback_inspector::api::ApiConfig {
            listen: "127.0.0.1:0".parse().expect("addr"),
            allow_external: false,
            token: TOKEN.into(),
            tls: None,
            callback_url: Some(rx.base_url()),
        },
        store,
        Arc::new(move || live.subscribe()),
    )
    .await
    .expect("api");
    let http = reqwest::Client::new();
    let send = |stream: &'static str| {
        let (http, url) = (http.clone(), format!("{}/live/cb", rx.base_url()));
        async move {
            let body = json!({"event_type": 1, "stream_id": stream, "app": "push.example.com", "appname": "live"});
            assert_eq!(http.post(url).json(&body).send().await.expect("send").status(), 200);
        }
    };
    send("cam0").await;
    send("cam1").await;
    let (port, cut) = relay(0, api.addr()).await;
    let url = format!("http://127.0.0.1:{port}");

    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = Arc::new(MemoryStore::default());
    let h = app_handles(dir.path(), secrets.clone());
    let quiet = Arc::new(|_: Value| true);
    let call = |name: &'static str, args: Value| commands::dispatch(&h, name, args, quiet.clone());

    let wrong = call(
        "inspector_remote_check",
        json!({"remote": {"id": null, "name": "staging", "url": url, "token": "wrong-token-000000000", "fingerprint": null}}),
    )
    .await
    .expect("a check answers");
    assert_eq!(
        (wrong["ok"].clone(), wrong["problem"].clone()),
        (json!(false), json!("unauthorized")),
        "{wrong}"
    );
    let input = json!({"id": null, "name": "staging", "url": url, "token": TOKEN, "fingerprint": null});
    let ok = call("inspector_remote_check", json!({"remote": input}))
        .await
        .expect("check");
    assert_eq!(
        (ok["ok"].clone(), ok["stored"].clone()),
        (json!(true), json!(2)),
        "{ok}"
    );
    let saved = call("inspector_remote_save", json!({"remote": input}))
        .await
        .expect("save");
    let id = saved["id"].as_str().expect("an id").to_owned();
    assert_eq!(saved["url"], url);
    // The token is in the keyring, and in no file of the app.
    assert_eq!(
        secrets
            .get(&livehook_console::secrets::remote_owner(&id), SecretKind::RemoteToken)
            .expect("keyring")
            .map(|s| s.expose().to_owned()),
        Some(TOKEN.to_owned())
    );
    for file in walk(dir.path()) {
        let text = std::fs::read(&file).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&text).contains(TOKEN),
            "{} holds the token",
            file.display()
        );
    }
    // A second save with the token left empty keeps it.
    let renamed = json!({"id": id, "name": "staging eu", "url": url, "token": null, "fingerprint": null});
    call("inspector_remote_save", json!({"remote": renamed}))
        .await
        .expect("rename");
    let list = call("inspector_remotes", json!({})).await.expect("list");
    assert_eq!(
        list,
        json!([{"id": id, "name": "staging eu", "url": url, "fingerprint": null}])
    );

    let status = call("inspector_attach", json!({"id": id})).await.expect("attach");
    assert_eq!(status["remote"]["name"], "staging eu");
    assert_eq!(status["stored"], 2);
    assert_eq!(
        status["running"], false,
        "this computer's receiver is not started by it"
    );
    let page = call("inspector_events", json!({"filter": {}})).await.expect("events");
    let ids: Vec<i64> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["id"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(ids, vec![2, 1]);
    let detail = call("inspector_detail", json!({"id": 1})).await.expect("detail");
    assert_eq!(detail["summary"]["streamId"], "cam0");
    assert!(
        detail["curl"].as_str().is_some_and(|c| c.contains(&rx.base_url())),
        "{}",
        detail["curl"]
    );
    let path = dir.path().join("remote.ndjson");
    let n = call(
        "inspector_export",
        json!({"filter": {"streamId": "cam1"}, "format": "ndjson", "path": path, "overwrite": false}),
    )
    .await
    .expect("export");
    assert_eq!(n, 1);
    assert!(std::fs::read_to_string(&path).expect("file").contains("cam1"));

    // Live, with this view's filter decided here.
    let heard: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = heard.clone();
    commands::dispatch(
        &h,
        "inspector_subscribe",
        json!({"filter": {"streamId": "cam0"}}),
        Arc::new(move |m: Value| {
            sink.lock().expect("lock").push(m);
            true
        }),
    )
    .await
    .expect("subscribe");
    type Heard = Box<dyn Fn(&[Value]) -> bool + Send>;
    let wait_for = |what: &'static str, done: Heard| {
        let heard = heard.clone();
        async move {
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            while !done(&heard.lock().expect("lock")) {
                assert!(
                    std::time::Instant::now() < deadline,
                    "{what}: {:?}",
                    heard.lock().expect("lock")
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    let received = |m: &[Value]| {
        m.iter()
            .filter(|m| m["kind"] == "received")
            .map(|m| m["event"]["id"].as_i64().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    send("cam1").await;
    send("cam0").await;
    wait_for("an arrival", Box::new(move |m| received(m) == vec![4])).await;
    assert!(heard
        .lock()
        .expect("lock")
        .iter()
        .any(|m| m["kind"] == "hidden" && m["stored"] == 3));

    // The network drops: told. Callbacks arrive meanwhile; the network comes back on the same address.
    cut.abort();
    wait_for("the drop", Box::new(|m| m.iter().any(|m| m["kind"] == "disconnected"))).await;
    send("cam0").await;
    send("cam0").await;
    let (_, _back) = relay(port, api.addr()).await;
    wait_for(
        "the callbacks of the drop",
        Box::new(move |m| m.iter().any(|m| m["kind"] == "reconnected") && received(m) == vec![4, 5, 6]),
    )
    .await;

    // One call back to this computer's inspector, which has stored nothing.
    let status = call("inspector_attach", json!({"id": null})).await.expect("local");
    assert_eq!(status["remote"], Value::Null);
    assert_eq!(h.inspector.watches(), 0, "the remote's subscription ended");
    let page = call("inspector_events", json!({"filter": {}}))
        .await
        .expect("local events");
    assert_eq!(page["items"], json!([]));
    // Forgotten: its token leaves the keyring.
    call("inspector_remote_delete", json!({"id": id}))
        .await
        .expect("delete");
    assert!(secrets
        .get(&livehook_console::secrets::remote_owner(&id), SecretKind::RemoteToken)
        .expect("keyring")
        .is_none());
    assert_eq!(call("inspector_remotes", json!({})).await.expect("list"), json!([]));
}
