//! The UI validates as the user types with a TypeScript copy of the console's rules; the cases in
//! `ui/src/validation.cases.json` are run through both, so the two cannot drift apart.

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
