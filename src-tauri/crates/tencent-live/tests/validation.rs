//! The console's template rules and the API's looser ones, with one error per offending field.

use tencent_live::api::TemplateFields;
use tencent_live::validate::{validate_edit, validate_template, Field, Problem, Purpose, Rules};
use tencent_live::Language;

fn valid() -> TemplateFields {
    TemplateFields {
        template_name: Some("直播_回调-01".into()),
        description: Some("主站回调".into()),
        callback_key: Some("adasda131312".into()),
        stream_begin_notify_url: Some("https://hooks.example.com/live?e=begin".into()),
        record_exception_levels: Some(vec!["error".into(), "warning".into()]),
        ..Default::default()
    }
}

fn problems(fields: &TemplateFields, rules: Rules) -> Vec<(Field, Problem)> {
    match validate_template(fields, rules, Purpose::Create) {
        Ok(()) => vec![],
        Err(e) => e.0.into_iter().map(|f| (f.field, f.problem)).collect(),
    }
}

#[test]
fn a_valid_template_passes_both_rule_sets() {
    assert_eq!(problems(&valid(), Rules::Console), vec![]);
    assert_eq!(problems(&valid(), Rules::Api), vec![]);
}

#[test]
fn name_is_required_and_limited() {
    let f = TemplateFields {
        template_name: None,
        ..valid()
    };
    assert_eq!(
        problems(&f, Rules::Console),
        vec![(Field::TemplateName, Problem::Required)]
    );
    let f = TemplateFields {
        template_name: Some(String::new()),
        ..valid()
    };
    assert_eq!(
        problems(&f, Rules::Console),
        vec![(Field::TemplateName, Problem::Required)]
    );

    // 30 Chinese characters pass the console rule; 31 do not. Each is 3 bytes, so 31 pass the API's 255 bytes.
    let f = TemplateFields {
        template_name: Some("模".repeat(30)),
        ..valid()
    };
    assert_eq!(problems(&f, Rules::Console), vec![]);
    let f = TemplateFields {
        template_name: Some("模".repeat(31)),
        ..valid()
    };
    assert_eq!(
        problems(&f, Rules::Console),
        vec![(Field::TemplateName, Problem::TooLongChars { max: 30, actual: 31 })]
    );
    assert_eq!(problems(&f, Rules::Api), vec![]);
    let f = TemplateFields {
        template_name: Some("模".repeat(86)),
        ..valid()
    };
    assert_eq!(
        problems(&f, Rules::Api),
        vec![(Field::TemplateName, Problem::TooLongBytes { max: 255, actual: 258 })]
    );
}

#[test]
fn name_and_description_charset() {
    let f = TemplateFields {
        template_name: Some("my template!".into()),
        description: Some("a.b".into()),
        ..valid()
    };
    assert_eq!(
        problems(&f, Rules::Api),
        vec![
            (Field::TemplateName, Problem::BadCharacters { chars: "' ' !".into() }),
            (Field::Description, Problem::BadCharacters { chars: ".".into() }),
        ]
    );
    let f = TemplateFields {
        description: Some("d".repeat(101)),
        ..valid()
    };
    assert_eq!(
        problems(&f, Rules::Console),
        vec![(Field::Description, Problem::TooLongChars { max: 100, actual: 101 })]
    );
    assert_eq!(problems(&f, Rules::Api), vec![]);
}

#[test]
fn callback_key_console_rules() {
    let f = TemplateFields {
        callback_key: Some("k".repeat(33)),
        ..valid()
    };
    assert_eq!(
        problems(&f, Rules::Console),
        vec![(Field::CallbackKey, Problem::TooLongChars { max: 32, actual: 33 })]
    );
    let f = TemplateFields {
        callback_key: Some("ab_c-d".into()),
        ..valid()
    };
    assert_eq!(
        problems(&f, Rules::Console),
        vec![(Field::CallbackKey, Problem::KeyCharacters { chars: "_ -".into() })]
    );
    assert_eq!(problems(&f, Rules::Api), vec![], "the API documents no key limit");
}

#[test]
fn urls_must_be_absolute_http_with_a_host() {
    for bad in [
        "ftp://x.com/a",
        "/relative",
        "example.com/cb",
        "http://",
        "https:///path",
        " http://x.com",
        "javascript:alert(1)",
    ] {
        let f = TemplateFields {
            stream_end_notify_url: Some(bad.into()),
            ..valid()
        };
        assert_eq!(
            problems(&f, Rules::Console),
            vec![(Field::StreamEndNotifyUrl, Problem::NotHttpUrl)],
            "{bad:?}"
        );
    }
    for good in [
        "http://127.0.0.1:8080/cb",
        "https://a.b/c?d=e",
        "http://[::1]:9/x",
        "http://回调.中国/x",
    ] {
        let f = TemplateFields {
            stream_end_notify_url: Some(good.into()),
            ..valid()
        };
        assert_eq!(problems(&f, Rules::Console), vec![], "{good:?}");
    }
}

#[test]
fn at_least_one_url() {
    let f = TemplateFields {
        stream_begin_notify_url: None,
        ..valid()
    };
    assert_eq!(problems(&f, Rules::Console), vec![(Field::Template, Problem::NoUrl)]);
    let f = TemplateFields {
        stream_begin_notify_url: Some(String::new()),
        ..valid()
    };
    assert_eq!(problems(&f, Rules::Console), vec![(Field::Template, Problem::NoUrl)]);
}

#[test]
fn recording_exception_levels() {
    let f = TemplateFields {
        record_exception_levels: Some(vec!["info".into()]),
        ..valid()
    };
    assert!(matches!(
        problems(&f, Rules::Console)[..],
        [(Field::RecordExceptionLevels, Problem::BadLevel { .. })]
    ));
    assert_eq!(problems(&f, Rules::Api), vec![]);
    let f = TemplateFields {
        record_exception_levels: Some(vec!["fatal".into()]),
        ..valid()
    };
    assert_eq!(problems(&f, Rules::Api).len(), 1);
}

#[test]
fn every_problem_is_reported_at_once() {
    let f = TemplateFields {
        template_name: Some("x y".into()),
        callback_key: Some("k k".into()),
        stream_begin_notify_url: Some("nope".into()),
        record_exception_levels: Some(vec!["bad".into()]),
        ..Default::default()
    };
    let fields: Vec<Field> = problems(&f, Rules::Console).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        vec![
            Field::TemplateName,
            Field::CallbackKey,
            Field::StreamBeginNotifyUrl,
            Field::RecordExceptionLevels
        ]
    );
}

#[test]
fn edits_check_changes_and_the_result() {
    let current = valid();
    let clear_only_url = TemplateFields {
        stream_begin_notify_url: Some(String::new()),
        ..Default::default()
    };
    let err = validate_edit(&current, &clear_only_url, Rules::Console).expect_err("no URL would remain");
    assert_eq!(err.0[0].problem, Problem::NoUrl);
    let rename = TemplateFields {
        template_name: Some("新名字".into()),
        ..Default::default()
    };
    assert!(validate_edit(&current, &rename, Rules::Console).is_ok());
    assert!(
        validate_template(&rename, Rules::Console, Purpose::Modify).is_ok(),
        "no name or URL required on modify"
    );
}

#[test]
fn messages_in_both_languages() {
    let f = TemplateFields {
        template_name: Some("模".repeat(31)),
        stream_begin_notify_url: Some("x".into()),
        ..valid()
    };
    let err = validate_template(&f, Rules::Console, Purpose::Create).expect_err("invalid");
    let en = err.messages(Language::EnUs);
    let zh = err.messages(Language::ZhCn);
    assert_eq!(en[0], "Template name can be at most 30 characters; it has 31.");
    assert_eq!(zh[0], "模板名称最多 30 个字符，当前 31 个。");
    assert!(en[1].contains("http://"), "{}", en[1]);
    assert!(zh[1].starts_with("推流回调地址"), "{}", zh[1]);
}
