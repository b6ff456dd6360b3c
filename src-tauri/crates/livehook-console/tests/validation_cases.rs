//! The UI validates as the user types with a TypeScript copy of the console's rules; the cases in
//! `ui/src/validation.cases.json` (written by hand) and `ui/src/validation.generated.json` (generated
//! here from a fixed seed, with the library's verdicts) are run through both, so the two cannot drift
//! apart. `UPDATE_VALIDATION_CASES=1` rewrites the generated file after a rule changes.

use serde_json::Value;
use tencent_live::api::TemplateFields;
use tencent_live::validate::{validate_template, Purpose, Rules};

#[test]
fn the_ui_and_the_library_agree_on_every_case() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../ui/src/validation.cases.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).expect("cases")).expect("json");
    assert!(cases.len() >= 15);
    for case in cases {
        let fields: TemplateFields = serde_json::from_value(case["fields"].clone()).expect("fields");
        let got: Vec<&str> = match validate_template(&fields, Rules::Console, Purpose::Create) {
            Ok(()) => vec![],
            Err(e) => e.0.iter().map(|f| f.field.api_name()).collect(),
        };
        let mut got_sorted = got.clone();
        got_sorted.dedup();
        let want: Vec<&str> = case["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|v| v.as_str().expect("str"))
            .collect();
        // The UI lists "Template" (no URL) after the URL fields; order aside, the fields must match.
        let mut a = got_sorted.clone();
        let mut b = want.clone();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{}", case["note"]);
    }
}

fn verdict(fields: &TemplateFields) -> Vec<&'static str> {
    let mut got: Vec<&str> = match validate_template(fields, Rules::Console, Purpose::Create) {
        Ok(()) => vec![],
        Err(e) => e.0.iter().map(|f| f.field.api_name()).collect(),
    };
    got.sort();
    got.dedup();
    got
}

/// Template fields near the rules' edges: names of every kind of character and length around the
/// limits, URLs good and bad, keys of every length, descriptions short and long.
fn fields() -> impl livehook_properties::proptest::strategy::Strategy<Value = TemplateFields> {
    use livehook_properties::proptest::prelude::*;
    let name = prop_oneof![
        6 => "[a-zA-Z0-9_-]{1,30}",
        2 => "[a-zA-Z0-9_-]{29,34}",
        2 => "[直播回调模板]{1,32}",
        1 => "[a-z 中!@.#]{0,12}",
        1 => Just(String::new()),
    ];
    let description = prop_oneof![6 => "[a-z 中]{0,40}", 1 => "[a-z 中]{95,110}"];
    let url = prop_oneof![
        12 => "https?://[a-z0-9]{1,10}\\.[a-z]{2,5}(:[0-9]{1,5})?(/[a-zA-Z0-9_?=&%.-]{0,30})?",
        2 => "https?://[a-z0-9.-]{1,20}(/[a-z]{0,5})?",
        1 => "(ftp|javascript|file|http):[a-z/]{0,20}",
        1 => "https?://[a-z]{1,5}\\.[a-z]{2,3}/[ 中\\t]{0,5}",
        1 => "http://[a-z]{1,10}\\.com/[a-z]{240,260}",
        1 => Just(String::new()),
    ];
    let key = prop_oneof![8 => "[a-zA-Z0-9]{0,32}", 1 => "[a-zA-Z0-9]{31,36}", 1 => "[a-z!_ -]{1,10}"];
    (
        prop::option::of(name),
        prop::option::of(description),
        prop::option::of(key),
        prop::option::of(url.clone()),
        prop::option::of(url.clone()),
        prop::option::of(url.clone()),
        prop::option::of(url),
    )
        .prop_map(
            |(name, description, key, begin, end, record, snapshot)| TemplateFields {
                template_name: name,
                description,
                callback_key: key,
                stream_begin_notify_url: begin,
                stream_end_notify_url: end,
                record_notify_url: record,
                snapshot_notify_url: snapshot,
                ..Default::default()
            },
        )
}

#[test]
fn the_generated_cases_hold_the_libraries_verdicts() {
    use livehook_properties::proptest::strategy::{Strategy, ValueTree};
    use livehook_properties::proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = fields();
    let cases: Vec<Value> = (0..400)
        .map(|_| {
            let f = strategy.new_tree(&mut runner).expect("a case").current();
            serde_json::json!({ "fields": f, "errors": verdict(&f) })
        })
        .collect();
    let text = serde_json::to_string_pretty(&cases).expect("json") + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../ui/src/validation.generated.json");
    if std::env::var_os("UPDATE_VALIDATION_CASES").is_some() {
        std::fs::write(path, &text).expect("write the generated cases");
    }
    let stored = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == text,
        "ui/src/validation.generated.json is not what the rules give now: run UPDATE_VALIDATION_CASES=1 cargo test -p livehook-console --test validation_cases"
    );
    let with_errors = cases
        .iter()
        .filter(|c| c["errors"].as_array().is_some_and(|e| !e.is_empty()))
        .count();
    assert!(
        with_errors > 100 && with_errors < 380,
        "the generated cases mix good and bad: {with_errors} of 400 have errors"
    );
}

/// `make fuzz`: with `FUZZ_VALIDATION_OUT` set, cases from a fresh random seed (for `FUZZ_SECONDS`,
/// at most 100 000) with the library's verdicts are written there, for the UI's copy of the rules to be
/// run on them (`VALIDATION_CASES_FILE` in `validation.test.ts`). Without it there is nothing to do.
#[test]
fn fresh_cases_for_the_ui_when_fuzzing() {
    use livehook_properties::proptest::strategy::{Strategy, ValueTree};
    use livehook_properties::proptest::test_runner::TestRunner;
    let Some(out) = std::env::var_os("FUZZ_VALIDATION_OUT") else {
        return;
    };
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let mut runner = TestRunner::default();
    let strategy = fields();
    let mut cases = Vec::new();
    while cases.len() < 100_000 && std::time::Instant::now() < deadline {
        let f = strategy.new_tree(&mut runner).expect("a case").current();
        cases.push(serde_json::json!({ "fields": f, "errors": verdict(&f) }));
    }
    std::fs::write(&out, serde_json::to_vec(&cases).expect("json")).expect("write the cases");
    println!(
        "validation: {} cases from a fresh seed written to {}",
        cases.len(),
        std::path::Path::new(&out).display()
    );
}
