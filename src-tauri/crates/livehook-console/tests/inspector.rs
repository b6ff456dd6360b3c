//! The app's inspector against the emulator: a template pointed at the inspector receives a pushed
//! stream's callbacks, verified with the template's own key; the detail shows each verification step;
//! the template's URLs come back on restore.

mod common;

use std::time::Duration;

use callback_inspector::Filter;
use live_emulator::{DeliveryConfig, StreamSpec};
use livehook_console::inspector::Inspector;
use livehook_console::ops::{self, BindTarget};
use livehook_console::AppErrorKind;
use tencent_live::api::TemplateFields;

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
    .expect("create");
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
    let inspector = Inspector::new(dir.path().to_owned());
    let e = inspector.query(Filter::default()).await.expect_err("not running");
    assert_eq!(e.kind, AppErrorKind::NotFound);
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
    assert!(!keys[0].masked.contains("watchedKey2024"), "keys never cross to the UI");

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
        assert_eq!(e.verify, "valid", "{e:?}");
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
    assert_eq!(detail.steps.expected_sign, detail.steps.received_sign);
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
    };
    inspector.set_retention(keep).await.expect("retention");
    let next = Inspector::new(dir.path().to_owned());
    assert_eq!(next.status().await.expect("status").retention, keep);
}
