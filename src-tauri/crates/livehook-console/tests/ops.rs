//! The console workflow the app's commands call, against the emulator: templates with their bindings,
//! validation before sending, binding several domains with a result each, unbind-then-delete with its
//! steps, and the session (offline demo or a profile).

mod common;

use std::sync::{Arc, Mutex};

use live_emulator::RunningEmulator;
use livehook_console::ops::{self, BindTarget, DeleteStep};
use livehook_console::session::{DEMO_SECRET_ID, DEMO_SECRET_KEY};
use livehook_console::{AppErrorKind, Console, MemoryStore, NewProfile, ProfileStore};
use tencent_live::api::TemplateFields;
use tencent_live::Client;

async fn emulator() -> (RunningEmulator, Client) {
    common::emulator_with("AKIDopstest0001", "opskey", |_| {}).await
}

fn fields(name: &str) -> TemplateFields {
    TemplateFields {
        template_name: Some(name.into()),
        stream_begin_notify_url: Some("https://hooks.example.com/live".into()),
        ..Default::default()
    }
}

fn target(domain: &str, app: &str) -> BindTarget {
    BindTarget {
        domain: domain.into(),
        app_name: app.into(),
    }
}

#[tokio::test]
async fn create_validates_with_the_console_rules_and_reports_fields() {
    let (_emu, c) = emulator().await;
    let e = ops::create_template(
        &c,
        &TemplateFields {
            template_name: Some("模".repeat(31)),
            ..fields("x")
        },
    )
    .await
    .expect_err("31 characters");
    assert_eq!(e.kind, AppErrorKind::Validation);
    assert_eq!(e.fields.len(), 1);
    assert_eq!(e.fields[0].zh, "模板名称最多 30 个字符，当前 31 个。");
    assert!(ops::templates(&c).await.expect("list").is_empty(), "nothing was sent");
    let id = ops::create_template(&c, &fields("ok"))
        .await
        .expect("valid")
        .template
        .template_id;
    let e = ops::update_template(
        &c,
        id,
        &TemplateFields {
            stream_begin_notify_url: Some(String::new()),
            ..Default::default()
        },
    )
    .await
    .expect_err("no URL would remain");
    assert_eq!(e.kind, AppErrorKind::Validation);
}

/// A create costs two signed requests (the list that tells a lost answer from a double-create, and the
/// create) and answers with the template exactly as a later list shows it, so the UI needs no list to
/// show it or to offer binding it.
#[tokio::test]
async fn create_costs_one_list_and_one_create_and_returns_the_template() {
    let (emu, c) = emulator().await;
    let sent = TemplateFields {
        description: Some("made_here".into()),
        record_notify_url: Some("https://hooks.example.com/record".into()),
        callback_key: Some("k3yForTests".into()),
        record_exception_levels: Some(vec!["error".into()]),
        record_exception_notify_url: Some("https://hooks.example.com/rex".into()),
        ..fields("costed")
    };
    let before = emu.emulator.calls();
    let row = ops::create_template(&c, &sent).await.expect("create");
    let after = emu.emulator.calls();
    let spent = |action: &str| after.get(action).copied().unwrap_or(0) - before.get(action).copied().unwrap_or(0);
    assert_eq!(spent("DescribeLiveCallbackTemplates"), 1, "{after:?}");
    assert_eq!(spent("CreateLiveCallbackTemplate"), 1, "{after:?}");
    assert_eq!(
        after.values().sum::<u64>() - before.values().sum::<u64>(),
        2,
        "{after:?}"
    );
    assert!(row.bindings.is_empty());
    let listed = ops::templates(&c).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        row.template, listed[0].template,
        "what create answered is what the service keeps"
    );
    assert_eq!(row.template.callback_key, "k3yForTests");
}

/// What each console action costs in signed requests (the README's design notes quote this): every
/// write is its own request, a create adds the one list that tells a lost answer from a double-create,
/// an edit the one read of what is stored now; nothing lists again to learn what the answer already says.
#[tokio::test]
async fn what_each_console_action_costs_in_signed_requests() {
    let (emu, c) = emulator().await;
    let total = || emu.emulator.calls().values().sum::<u64>();
    let mut costs = Vec::new();
    let mut step = |name: &'static str, before: u64, after: u64| costs.push((name, after - before));

    let n = total();
    ops::templates(&c).await.expect("list");
    step("templates page", n, total());
    let n = total();
    ops::domains(&c).await.expect("domains");
    step("domains page", n, total());
    let n = total();
    let id = ops::create_template(&c, &fields("costs"))
        .await
        .expect("create")
        .template
        .template_id;
    step("create", n, total());
    let n = total();
    let edited = ops::update_template(
        &c,
        id,
        &TemplateFields {
            description: Some("edited".into()),
            ..Default::default()
        },
    )
    .await
    .expect("edit");
    step("edit", n, total());
    assert_eq!(
        edited,
        ops::templates(&c).await.expect("list")[0].template,
        "edit answers with what is stored"
    );
    let n = total();
    let bound = ops::bind(
        &c,
        id,
        &[target("push.example.com", ""), target("push2.example.com", "live")],
    )
    .await;
    assert!(bound.iter().all(|r| r.ok), "{bound:?}");
    step("bind two targets", n, total());
    let n = total();
    assert!(ops::unbind(&c, &[target("push.example.com", "")]).await[0].ok);
    step("unbind one target", n, total());
    let n = total();
    ops::unbind_and_delete(&c, id, |_| {}).await.expect("unbind and delete");
    step("delete a template bound once", n, total());
    let spare = ops::create_template(&c, &fields("spare"))
        .await
        .expect("create")
        .template
        .template_id;
    let n = total();
    ops::delete_template(&c, spare).await.expect("delete");
    step("delete an unbound template", n, total());

    assert_eq!(
        costs,
        [
            ("templates page", 2),
            ("domains page", 2),
            ("create", 2),
            ("edit", 2),
            ("bind two targets", 2),
            ("unbind one target", 1),
            ("delete a template bound once", 3),
            ("delete an unbound template", 1),
        ],
        "{:?}",
        emu.emulator.calls()
    );
}

#[tokio::test]
async fn bind_reports_each_target_and_templates_show_their_bindings() {
    let (_emu, c) = emulator().await;
    let id = ops::create_template(&c, &fields("t"))
        .await
        .expect("create")
        .template
        .template_id;
    let results = ops::bind(
        &c,
        id,
        &[
            target("push.example.com", ""),
            target("nowhere.example.com", ""),
            target("push2.example.com", "live"),
        ],
    )
    .await;
    assert_eq!(
        results.iter().map(|r| r.ok).collect::<Vec<_>>(),
        vec![true, false, true]
    );
    let failed = results[1].error.as_ref().expect("error");
    assert_eq!(
        (failed.kind, failed.code.as_deref()),
        (AppErrorKind::NotFound, Some("ResourceNotFound.DomainNotExist"))
    );
    assert!(failed.request_id.is_some());

    let rows = ops::templates(&c).await.expect("templates");
    assert_eq!(rows[0].bindings.len(), 2);
    let domains = ops::domains(&c).await.expect("domains");
    assert!(domains.iter().all(|d| d.domain.is_push()), "push domains only");
    let push2 = domains
        .iter()
        .find(|d| d.domain.name == "push2.example.com")
        .expect("push2");
    assert_eq!(push2.rules[0].app_name, "live");

    let e = ops::delete_template(&c, id).await.expect_err("bound");
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (AppErrorKind::InUse, Some("FailedOperation.ConfInUsed"))
    );

    let unbound = ops::unbind(
        &c,
        &[target("push2.example.com", "live"), target("push2.example.com", "live")],
    )
    .await;
    assert_eq!(
        unbound.iter().map(|r| r.ok).collect::<Vec<_>>(),
        vec![true, false],
        "the second finds nothing to unbind"
    );
}

#[tokio::test]
async fn unbind_and_delete_reports_every_step() {
    let (_emu, c) = emulator().await;
    let id = ops::create_template(&c, &fields("t"))
        .await
        .expect("create")
        .template
        .template_id;
    ops::bind(
        &c,
        id,
        &[target("push.example.com", ""), target("push2.example.com", "vip")],
    )
    .await;
    let steps = Mutex::new(Vec::new());
    ops::unbind_and_delete(&c, id, |s| steps.lock().expect("lock").push(s))
        .await
        .expect("done");
    let steps = steps.into_inner().expect("steps");
    let names: Vec<&str> = steps
        .iter()
        .map(|s| match s {
            DeleteStep::Unbinding { .. } => "unbinding",
            DeleteStep::Unbound { .. } => "unbound",
            DeleteStep::Deleting => "deleting",
            DeleteStep::Deleted => "deleted",
            DeleteStep::Failed { .. } => "failed",
        })
        .collect();
    assert_eq!(
        names,
        vec!["unbinding", "unbound", "unbinding", "unbound", "deleting", "deleted"]
    );
    assert!(ops::templates(&c).await.expect("list").is_empty());
    assert!(c.rules().await.expect("rules").is_empty());
}

#[tokio::test]
async fn the_demo_runs_in_process_until_a_profile_is_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = ProfileStore::new(dir.path(), Arc::new(MemoryStore::default()));
    let console = Console::new(store.clone(), dir.path().join("demo"));
    let status = console.status().await.expect("status");
    assert!(
        status.demo && status.endpoint.starts_with("http://127.0.0.1:"),
        "{status:?}"
    );
    let client = console.client().await.expect("demo client");
    let id = ops::create_template(&client, &fields("demo"))
        .await
        .expect("create in the demo")
        .template
        .template_id;
    assert!(id >= 1000);
    assert!(!ops::domains(&client).await.expect("seeded domains").is_empty());

    // A profile pointed at another emulator becomes the target once it is active.
    let (emu, _) = emulator().await;
    store
        .add(NewProfile {
            name: "ops".into(),
            secret_id: "AKIDopstest0001".into(),
            secret_key: "opskey".into(),
            session_token: None,
            endpoint: Some(emu.endpoint()),
            language: None,
        })
        .expect("profile");
    let status = console.status().await.expect("status");
    assert!(!status.demo);
    assert_eq!(status.active_profile.as_deref(), Some("ops"));
    let client = console.client().await.expect("profile client");
    assert!(
        ops::templates(&client).await.expect("list").is_empty(),
        "a different account"
    );
    let report = console.test_connection("ops").await.expect("report");
    assert!(report.ok && report.error.is_none());

    // Back to the demo: its template is still there.
    console.use_demo().expect("demo");
    let client = console.client().await.expect("demo again");
    assert_eq!(ops::templates(&client).await.expect("list").len(), 1);
    let _ = (DEMO_SECRET_ID, DEMO_SECRET_KEY);
}

#[tokio::test]
async fn a_refused_key_is_reported_by_test_connection() {
    let (emu, _) = emulator().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = ProfileStore::new(dir.path(), Arc::new(MemoryStore::default()));
    store
        .add(NewProfile {
            name: "wrong".into(),
            secret_id: "AKIDopstest0001".into(),
            secret_key: "not-the-key".into(),
            session_token: None,
            endpoint: Some(emu.endpoint()),
            language: None,
        })
        .expect("profile");
    let console = Console::new(store, dir.path().join("demo"));
    let report = console.test_connection("wrong").await.expect("report");
    assert!(!report.ok);
    let e = report.error.expect("error");
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (AppErrorKind::Signature, Some("AuthFailure.SignatureFailure"))
    );
}

/// The app's delivery log read: a 14-day range is fourteen one-day requests with progress before each;
/// Cancel stops before the next request and keeps what was read; a range past 14 days is refused
/// before anything is sent.
#[tokio::test]
async fn the_delivery_log_read_shows_progress_and_stops_on_cancel() {
    use livehook_console::deliveries::{read, DeliveryQuery};
    use std::sync::atomic::{AtomicBool, Ordering};
    let (_emu, c) = emulator().await;
    let now = chrono::Utc::now().timestamp();
    let q = DeliveryQuery {
        stream: "room1".into(),
        since: now - 14 * 86_400,
        until: now + 1,
        event_type: None,
        failed_only: false,
    };
    let seen = Mutex::new(Vec::new());
    let cancel = AtomicBool::new(false);
    let whole = read(
        &c,
        q.clone(),
        None,
        &cancel,
        |p| {
            seen.lock().expect("lock").push(p);
            true
        },
        |_| {},
    )
    .await
    .expect("read");
    assert!(!whole.cancelled && whole.rows.is_empty() && !whole.inspector_has_events);
    assert_eq!((whole.windows, whole.requests), (14, 14));
    let seen = seen.into_inner().expect("lock");
    assert_eq!(seen.len(), 14);
    assert!(seen
        .iter()
        .enumerate()
        .all(|(i, p)| p.window == i as u32 + 1 && p.windows == 14));

    // Cancel pressed as the third day is about to be asked: it is not, nor anything after it.
    let stopped = read(
        &c,
        q.clone(),
        None,
        &cancel,
        |p| {
            if p.window == 3 {
                cancel.store(true, Ordering::SeqCst);
            }
            true
        },
        |_| {},
    )
    .await
    .expect("read");
    assert!(stopped.cancelled);
    assert_eq!(stopped.requests, 2, "the first two days were read");

    let refused = read(
        &c,
        DeliveryQuery {
            since: now - 15 * 86_400,
            ..q
        },
        None,
        &AtomicBool::new(false),
        |_| true,
        |_| {},
    )
    .await
    .expect_err("past 14 days");
    assert_eq!(refused.kind, AppErrorKind::Validation);
    assert!(refused.message.contains("14 days"), "{}", refused.message);
}
