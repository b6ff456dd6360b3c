//! Export and import of templates against the emulator: keys only when asked, a plan that says what
//! would be created, changed, left alone or refused before anything is sent, and per-step results.

mod common;

use std::sync::Mutex;

use live_emulator::RunningEmulator;
use livehook_console::transfer::{self, ApprovedStep, ImportStep, TemplateExport};
use livehook_console::{ops, AppErrorKind};
use tencent_live::api::TemplateFields;
use tencent_live::validate::Field;
use tencent_live::Client;

async fn emulator() -> (RunningEmulator, Client) {
    common::emulator_with("AKIDtransfer0001", "transferkey", |_| {}).await
}

fn fields(name: &str, url: &str, key: &str) -> TemplateFields {
    TemplateFields {
        template_name: Some(name.into()),
        description: Some(format!("{name}_hooks")),
        stream_begin_notify_url: Some(url.into()),
        callback_key: Some(key.into()),
        ..Default::default()
    }
}

async fn export_of(c: &Client, with_keys: bool) -> TemplateExport {
    let templates = c.templates().await.expect("list");
    transfer::export(&templates, None, with_keys)
}

fn approve_all(plan: &transfer::ImportPlan) -> Vec<ApprovedStep> {
    plan.items
        .iter()
        .filter_map(|i| {
            i.step.clone().map(|step| ApprovedStep {
                index: i.index,
                name: i.name.clone(),
                step,
            })
        })
        .collect()
}

#[tokio::test]
async fn export_leaves_keys_out_unless_asked() {
    let (_emu, c) = emulator().await;
    let a = ops::create_template(&c, &fields("alpha", "https://a.example.com/hook", "alphaKey123"))
        .await
        .expect("create")
        .template
        .template_id;
    ops::create_template(&c, &fields("beta", "https://b.example.com/hook", "betaKey456"))
        .await
        .expect("create");

    let plain = transfer::export_text(&export_of(&c, false).await);
    assert!(
        !plain.contains("alphaKey123") && !plain.contains("betaKey456"),
        "{plain}"
    );
    assert!(!plain.contains("CallbackKey"), "no key member at all: {plain}");
    let doc: serde_json::Value = serde_json::from_str(&plain).expect("json");
    assert_eq!(doc["format"], transfer::FORMAT);
    assert_eq!(doc["withKeys"], false);
    assert_eq!(doc["templates"].as_array().expect("list").len(), 2);
    assert_eq!(
        doc["templates"][0]["StreamBeginNotifyUrl"],
        "https://a.example.com/hook"
    );

    let keyed = export_of(&c, true).await;
    assert!(keyed.with_keys);
    assert_eq!(keyed.templates[0].callback_key.as_deref(), Some("alphaKey123"));

    let templates = c.templates().await.expect("list");
    let one = transfer::export(&templates, Some(&[a]), false);
    assert_eq!(one.templates.len(), 1);
    assert_eq!(one.templates[0].template_name.as_deref(), Some("alpha"));
}

#[tokio::test]
async fn an_export_imported_back_changes_nothing() {
    let (_emu, c) = emulator().await;
    ops::create_template(&c, &fields("alpha", "https://a.example.com/hook", "alphaKey123"))
        .await
        .expect("create");
    for with_keys in [false, true] {
        let text = transfer::export_text(&export_of(&c, with_keys).await);
        let plan = transfer::plan_for(&c, &text).await.expect("plan");
        assert_eq!(plan.items.len(), 1);
        let item = &plan.items[0];
        assert!(item.step.is_none() && item.error.is_none(), "{item:?}");
        assert!(item.existing_id.is_some());
    }
}

#[tokio::test]
async fn the_plan_says_what_will_happen_and_only_approved_steps_are_sent() {
    let (_emu, c) = emulator().await;
    let alpha = ops::create_template(&c, &fields("alpha", "https://a.example.com/hook", "alphaKey123"))
        .await
        .expect("create")
        .template
        .template_id;
    let mut file = export_of(&c, false).await;
    // Change alpha's URL and description, add two new templates, one of them twice, and one invalid.
    file.templates[0].stream_begin_notify_url = Some("https://a2.example.com/hook".into());
    file.templates[0].description = Some("moved".into());
    file.templates
        .push(fields("gamma", "https://g.example.com/hook", "gammaKey1"));
    file.templates.push(fields("delta", "https://d.example.com/hook", ""));
    file.templates.push(fields("gamma", "https://g2.example.com/hook", ""));
    file.templates.push(fields("bad name!", "ftp://nope", ""));
    let text = transfer::export_text(&file);

    let plan = transfer::plan_for(&c, &text).await.expect("plan");
    assert_eq!(plan.items.len(), 5);
    match &plan.items[0].step {
        Some(ImportStep::Update { id, changes }) => {
            assert_eq!(*id, alpha);
            assert_eq!(
                changes.stream_begin_notify_url.as_deref(),
                Some("https://a2.example.com/hook")
            );
            assert_eq!(changes.callback_key, None, "a file without keys keeps the key");
            assert_eq!(changes.template_name, None, "only what changes is sent");
        }
        other => panic!("expected an update, got {other:?}"),
    }
    assert_eq!(
        plan.items[0].changed,
        vec![Field::Description, Field::StreamBeginNotifyUrl]
    );
    assert!(matches!(plan.items[1].step, Some(ImportStep::Create { .. })));
    assert!(matches!(plan.items[2].step, Some(ImportStep::Create { .. })));
    let dup = plan.items[3].error.as_ref().expect("a duplicate is refused");
    assert!(dup.message.contains("template 2 of this file"), "{}", dup.message);
    let bad = plan.items[4].error.as_ref().expect("invalid entry");
    assert_eq!(bad.kind, AppErrorKind::Validation);
    let bad_fields: Vec<Field> = bad.fields.iter().map(|f| f.field).collect();
    assert_eq!(
        bad_fields,
        vec![Field::TemplateName, Field::Description, Field::StreamBeginNotifyUrl]
    );
    assert_eq!(c.templates().await.expect("list").len(), 1, "planning sends nothing");

    // Keep everything but "delta".
    let steps: Vec<ApprovedStep> = approve_all(&plan).into_iter().filter(|s| s.name != "delta").collect();
    let seen = Mutex::new(Vec::new());
    let results = transfer::apply(&c, &steps, |r| seen.lock().expect("lock").push(r.name.clone())).await;
    assert_eq!(
        *seen.lock().expect("lock"),
        vec!["alpha", "gamma"],
        "progress per step, in order"
    );
    assert!(results.iter().all(|r| r.ok), "{results:?}");
    assert_eq!(results[0].id, Some(alpha));

    let now = c.templates().await.expect("list");
    let names: Vec<&str> = now.iter().map(|t| t.template_name.as_str()).collect();
    assert_eq!(names, vec!["alpha", "gamma"]);
    assert_eq!(now[0].stream_begin_notify_url, "https://a2.example.com/hook");
    assert_eq!(now[0].callback_key, "alphaKey123");
    assert_eq!(now[1].callback_key, "gammaKey1");
}

#[tokio::test]
async fn a_step_that_fails_is_reported_and_the_others_still_go() {
    let (_emu, c) = emulator().await;
    let gone = ops::create_template(&c, &fields("gone", "https://a.example.com/hook", ""))
        .await
        .expect("create")
        .template
        .template_id;
    let text = transfer::export_text(&export_of(&c, false).await).replace("a.example.com", "moved.example.com");
    let mut steps = approve_all(&transfer::plan_for(&c, &text).await.expect("plan"));
    // Someone deletes the template between the preview and the import.
    ops::delete_template(&c, gone).await.expect("delete");
    steps.push(ApprovedStep {
        index: 1,
        name: "fresh".into(),
        step: ImportStep::Create {
            fields: fields("fresh", "https://f.example.com/hook", ""),
        },
    });
    // A step edited to be invalid is checked again and not sent.
    steps.push(ApprovedStep {
        index: 2,
        name: "x".repeat(31),
        step: ImportStep::Create {
            fields: fields(&"x".repeat(31), "https://f.example.com/hook", ""),
        },
    });
    let results = transfer::apply(&c, &steps, |_| {}).await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].error.as_ref().map(|e| e.kind), Some(AppErrorKind::NotFound));
    assert!(results[1].ok);
    assert_eq!(
        results[2].error.as_ref().map(|e| e.kind),
        Some(AppErrorKind::Validation)
    );
    let names: Vec<String> = c
        .templates()
        .await
        .expect("list")
        .into_iter()
        .map(|t| t.template_name)
        .collect();
    assert_eq!(names, vec!["fresh"]);
}

#[test]
fn files_that_are_not_exports_are_explained() {
    let cases = [
        ("{not json", "not JSON (line 1"),
        (
            r#"{"format":"something.else","version":1,"templates":[]}"#,
            "\"something.else\"",
        ),
        (r#"{"version":1,"templates":[]}"#, "no \"format\""),
        (
            r#"{"format":"livehook.callback-templates","version":9,"templates":[]}"#,
            "version 9",
        ),
        (
            r#"{"format":"livehook.callback-templates","version":1}"#,
            "no \"templates\"",
        ),
        (
            r#"{"format":"livehook.callback-templates","version":1,"templates":[{"TemplateName":5}]}"#,
            "Template 1",
        ),
        ("42", "neither"),
    ];
    for (text, says) in cases {
        let e = transfer::plan(text, &[]).expect_err(text);
        assert_eq!(e.kind, AppErrorKind::Validation, "{text}");
        assert!(e.message.contains(says), "{text}: {}", e.message);
    }
    // A bare list written by hand is accepted.
    let plan = transfer::plan(
        r#"[{"TemplateName":"hand","StreamBeginNotifyUrl":"https://h.example.com/"}]"#,
        &[],
    )
    .expect("bare list");
    assert!(matches!(plan.items[0].step, Some(ImportStep::Create { .. })));
}

#[test]
fn save_writes_whole_files_only_where_asked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("templates.json");
    transfer::save(&path, "{\"a\":1}\n", false).expect("save");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "{\"a\":1}\n");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "an export may hold keys");
    let e = transfer::save(&path, "{}", false).expect_err("exists");
    assert_eq!(e.kind, AppErrorKind::AlreadyExists);
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "{\"a\":1}\n",
        "nothing lost"
    );
    transfer::save(&path, "{}", true).expect("overwrite when asked");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "{}");
    for bad in ["relative.json", "/tmp/x.txt"] {
        let e = transfer::save(std::path::Path::new(bad), "{}", false).expect_err(bad);
        assert_eq!(e.kind, AppErrorKind::Validation, "{bad}");
    }
    let e = transfer::save(&dir.path().join("missing/t.json"), "{}", false).expect_err("no folder");
    assert_eq!(e.kind, AppErrorKind::NotFound);
}
