//! The emulator as the service: authentication in the documented order, strict parameters, the exact
//! response envelope, GET requests, rate limits and state that survives a restart.

use livehook_tests::*;
use serde_json::json;

async fn code_of(emu: &live_emulator::RunningEmulator, raw: &Raw) -> Option<String> {
    let (status, ct, body) = raw.send(&emu.endpoint()).await;
    assert_eq!(status, 200, "API errors travel with HTTP 200: {body}");
    assert_eq!(ct, "application/json", "exactly application/json");
    assert!(
        body["Response"]["RequestId"].as_str().is_some_and(|r| r.len() == 36),
        "a RequestId on every answer: {body}"
    );
    error_code(&body)
}

#[tokio::test]
async fn authentication_order() {
    let emu = emulator().await;
    let ok = Raw::post("DescribeLiveCallbackTemplates", json!({}));
    assert_eq!(code_of(&emu, &ok).await, None);

    let cases: Vec<(Raw, &str)> = vec![
        (
            Raw {
                authorization: Some(String::new()),
                ..ok.clone()
            },
            "AuthFailure.InvalidAuthorization",
        ),
        (
            Raw {
                authorization: Some("Basic abc".into()),
                ..ok.clone()
            },
            "AuthFailure.InvalidAuthorization",
        ),
        // Skew is checked before the SecretId, so an unknown id with an old timestamp reports the clock.
        (
            Raw {
                timestamp: ok.timestamp - 301,
                secret_id: "AKIDnobody".into(),
                ..ok.clone()
            },
            "AuthFailure.SignatureExpire",
        ),
        (
            Raw {
                timestamp: ok.timestamp + 400,
                ..ok.clone()
            },
            "AuthFailure.SignatureExpire",
        ),
        (
            Raw {
                secret_id: "AKIDnobody".into(),
                secret_key: "x".into(),
                ..ok.clone()
            },
            "AuthFailure.SecretIdNotFound",
        ),
        (
            Raw {
                secret_key: "wrong".into(),
                ..ok.clone()
            },
            "AuthFailure.SignatureFailure",
        ),
        // Authentication comes before the action: a bad action with a bad key is a signature failure.
        (
            Raw {
                secret_key: "wrong".into(),
                action: "NoSuchThing".into(),
                ..ok.clone()
            },
            "AuthFailure.SignatureFailure",
        ),
        (
            Raw {
                action: "NoSuchThing".into(),
                ..ok.clone()
            },
            "InvalidAction",
        ),
        (
            Raw {
                version: "2017-01-01".into(),
                ..ok.clone()
            },
            "NoSuchVersion",
        ),
    ];
    for (raw, want) in cases {
        assert_eq!(code_of(&emu, &raw).await.as_deref(), Some(want), "{raw:?}");
    }
    // Within five minutes is fine.
    assert_eq!(
        code_of(
            &emu,
            &Raw {
                timestamp: ok.timestamp - 290,
                ..ok.clone()
            }
        )
        .await,
        None
    );
}

#[tokio::test]
async fn a_signature_over_a_different_body_fails() {
    let emu = emulator().await;
    let mut raw = Raw::post("DescribeLiveCallbackTemplates", json!({}));
    let url = reqwest::Url::parse(&emu.endpoint()).expect("url");
    let signed = tencent_live::sign::sign(
        &tencent_live::sign::SignInput {
            method: "POST",
            path: "/",
            query: "",
            headers: &[
                ("content-type", "application/json"),
                ("host", &format!("127.0.0.1:{}", url.port().expect("port"))),
            ],
            payload: tencent_live::sign::Payload::Bytes(b"{\"x\":1}"),
            timestamp: raw.timestamp,
            service: "live",
        },
        SECRET_ID,
        &tencent_live::Secret::new(SECRET_KEY),
    );
    raw.authorization = Some(signed.authorization);
    assert_eq!(
        code_of(&emu, &raw).await.as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
}

#[tokio::test]
async fn parameters_are_checked_strictly() {
    let emu = emulator().await;
    let cases = [
        (
            "CreateLiveCallbackTemplate",
            json!({"StreamBeginNotifyUrl": "http://a.com/x"}),
            Some("MissingParameter"),
        ),
        (
            "CreateLiveCallbackTemplate",
            json!({"TemplateName": 5, "StreamBeginNotifyUrl": "http://a.com/x"}),
            Some("InvalidParameter"),
        ),
        (
            "CreateLiveCallbackTemplate",
            json!({"TemplateName": "a", "StreamBeginNotifyUrl": "http://a.com/x", "Extra": 1}),
            Some("UnknownParameter"),
        ),
        (
            "CreateLiveCallbackTemplate",
            json!({"TemplateName": "a"}),
            Some("InvalidParameterValue"),
        ),
        (
            "CreateLiveCallbackTemplate",
            json!({"TemplateName": "a b", "StreamBeginNotifyUrl": "http://a.com/x"}),
            Some("InvalidParameter.ArgsNotMatch"),
        ),
        (
            "CreateLiveCallbackTemplate",
            json!({"TemplateName": "a", "StreamBeginNotifyUrl": "ftp://a.com/x"}),
            Some("InvalidParameter.UrlNotSafe"),
        ),
        (
            "CreateLiveCallbackTemplate",
            json!({"TemplateName": "a", "StreamBeginNotifyUrl": "http://a.com/x", "RecordExceptionLevels": ["fatal"]}),
            Some("InvalidParameterValue"),
        ),
        (
            "CreateLiveCallbackTemplate",
            json!({"TemplateName": "a", "StreamBeginNotifyUrl": "http://a.com/x", "RecordExceptionLevels": "error"}),
            Some("InvalidParameter"),
        ),
        // The deprecated field is still accepted by Create …
        (
            "CreateLiveCallbackTemplate",
            json!({"TemplateName": "a", "StreamBeginNotifyUrl": "http://a.com/x", "StreamMixNotifyUrl": "http://a.com/m"}),
            None,
        ),
        // … but not by Modify; TemplateId may come as a numeric string, as in Tencent's own example.
        (
            "ModifyLiveCallbackTemplate",
            json!({"TemplateId": "1000", "StreamMixNotifyUrl": "http://a.com/m"}),
            Some("UnknownParameter"),
        ),
        (
            "ModifyLiveCallbackTemplate",
            json!({"TemplateId": "1000", "Description": "改"}),
            None,
        ),
        (
            "ModifyLiveCallbackTemplate",
            json!({"TemplateId": "abc"}),
            Some("InvalidParameter"),
        ),
        ("DeleteLiveCallbackTemplate", json!({}), Some("MissingParameter")),
        (
            "CreateLiveCallbackRule",
            json!({"DomainName": "push.example.com", "TemplateId": 1000}),
            Some("MissingParameter"),
        ),
        (
            "DescribeLiveCallbackTemplates",
            json!({"Anything": 1}),
            Some("UnknownParameter"),
        ),
    ];
    for (action, body, want) in cases {
        let got = code_of(&emu, &Raw::post(action, body.clone())).await;
        assert_eq!(got.as_deref(), want, "{action} {body}");
    }
    let (_, _, body) = Raw::post("DeleteLiveCallbackTemplate", json!({}))
        .send(&emu.endpoint())
        .await;
    assert_eq!(
        body["Response"]["Error"]["Message"],
        "The request is missing a required parameter `TemplateId`."
    );
    let mut not_json = Raw::post("DescribeLiveCallbackTemplates", json!({}));
    not_json.body = "[1,2]".into();
    assert_eq!(code_of(&emu, &not_json).await.as_deref(), Some("InvalidParameter"));
}

#[tokio::test]
async fn describe_returns_every_documented_field() {
    let emu = emulator().await;
    let create = Raw::post(
        "CreateLiveCallbackTemplate",
        json!({"TemplateName": "t", "RecordStatusNotifyUrl": "http://a.com/rs", "CallbackKey": "k1"}),
    );
    let (_, _, body) = create.send(&emu.endpoint()).await;
    let id = body["Response"]["TemplateId"].as_i64().expect("TemplateId is a number");
    let (_, _, body) = Raw::post("DescribeLiveCallbackTemplate", json!({"TemplateId": id}))
        .send(&emu.endpoint())
        .await;
    let t = &body["Response"]["Template"];
    for field in [
        "TemplateId",
        "TemplateName",
        "Description",
        "StreamBeginNotifyUrl",
        "StreamMixNotifyUrl",
        "StreamEndNotifyUrl",
        "RecordNotifyUrl",
        "SnapshotNotifyUrl",
        "PornCensorshipNotifyUrl",
        "CallbackKey",
        "PushExceptionNotifyUrl",
        "AudioAuditNotifyUrl",
        "RecordExceptionNotifyUrl",
        "RecordExceptionLevels",
    ] {
        assert!(t.get(field).is_some(), "{field} in {t}");
    }
    assert_eq!(t["RecordStatusNotifyUrl"], "http://a.com/rs", "kept as an extra field");
    assert_eq!(t["CallbackKey"], "k1");
}

#[tokio::test]
async fn get_requests_carry_parameters_in_the_query() {
    let emu = emulator().await;
    let mut raw = Raw::post("CreateLiveCallbackTemplate", json!({}));
    raw.method = "GET";
    raw.content_type = "application/x-www-form-urlencoded".into();
    raw.query = "TemplateName=get_tpl&StreamEndNotifyUrl=http%3A%2F%2Fa.com%2Fe&RecordExceptionLevels.0=error&RecordExceptionLevels.1=warning".into();
    let (_, _, body) = raw.send(&emu.endpoint()).await;
    assert_eq!(error_code(&body), None, "{body}");
    let world = emu.emulator.snapshot();
    let t = world.accounts[SECRET_ID].templates.values().next().expect("created");
    assert_eq!(t.template_name, "get_tpl");
    assert_eq!(t.stream_end_notify_url, "http://a.com/e");
    assert_eq!(t.record_exception_levels, vec!["error", "warning"]);
}

#[tokio::test]
async fn accounts_are_separate() {
    use live_emulator::{Account, EmulatorConfig};
    let emu = emulator_with(EmulatorConfig::new(vec![
        Account::new(SECRET_ID, SECRET_KEY),
        Account::new("AKIDsecond", "key2"),
    ]))
    .await;
    let create = Raw::post(
        "CreateLiveCallbackTemplate",
        json!({"TemplateName": "mine", "SnapshotNotifyUrl": "http://a.com/s"}),
    );
    assert_eq!(code_of(&emu, &create).await, None);
    let other = Raw {
        secret_id: "AKIDsecond".into(),
        secret_key: "key2".into(),
        ..Raw::post("DescribeLiveCallbackTemplates", json!({}))
    };
    let (_, _, body) = other.send(&emu.endpoint()).await;
    assert_eq!(
        body["Response"]["Templates"],
        json!([]),
        "the second account sees none of the first's"
    );
}

#[tokio::test]
async fn rate_limits_are_enforced_per_action() {
    use live_emulator::{Account, EmulatorConfig, RateLimit};
    let mut config = EmulatorConfig::new(vec![Account::new(SECRET_ID, SECRET_KEY)]);
    // One call a second per action: the second call in a row is refused.
    config.rate_limit = RateLimit::PerSecond(1);
    let emu = emulator_with(config).await;
    let list = Raw::post("DescribeLiveCallbackTemplates", json!({}));
    assert_eq!(code_of(&emu, &list).await, None);
    assert_eq!(code_of(&emu, &list).await.as_deref(), Some("RequestLimitExceeded"));
    // Another action has its own budget.
    assert_eq!(
        code_of(&emu, &Raw::post("DescribeLiveCallbackRules", json!({}))).await,
        None
    );
    assert_eq!(live_emulator::rate_limit("CreateLiveCallbackTemplate"), 200);
    assert_eq!(live_emulator::rate_limit("DescribeLiveCallbackTemplates"), 500);
}

#[tokio::test]
async fn state_survives_a_restart() {
    use live_emulator::{Account, EmulatorConfig};
    let dir = tempfile::tempdir().expect("tempdir");
    let make = || {
        let mut c = EmulatorConfig::new(vec![Account::new(SECRET_ID, SECRET_KEY)]);
        c.state_dir = Some(dir.path().to_owned());
        c
    };
    let emu = emulator_with(make()).await;
    let c = client(&emu);
    let id = c
        .create_template(&tencent_live::api::TemplateFields {
            template_name: Some("kept".into()),
            record_notify_url: Some("http://a.com/r".into()),
            ..Default::default()
        })
        .await
        .expect("create")
        .value;
    c.bind(id, "push.example.com", "live").await.expect("bind");
    drop(c);
    emu.stop().await;

    let emu = emulator_with(make()).await;
    let c = client(&emu);
    assert_eq!(c.template(id).await.expect("still there").template_name, "kept");
    assert_eq!(c.rules().await.expect("rules").len(), 1);
    let next = c
        .create_template(&tencent_live::api::TemplateFields {
            template_name: Some("next".into()),
            record_notify_url: Some("http://a.com/r".into()),
            ..Default::default()
        })
        .await
        .expect("create")
        .value;
    assert!(next > id, "ids keep counting after a restart");

    std::fs::write(dir.path().join("state.json"), b"{not json").expect("corrupt");
    let err = live_emulator::Emulator::new(make()).expect_err("corrupt state is refused, not overwritten");
    assert!(err.to_string().contains("--ephemeral"), "{err}");
}

#[tokio::test]
async fn the_admin_endpoint_refuses_bad_fault_rules() {
    let emu = emulator().await;
    let http = reqwest::Client::new();
    let url = format!("{}/__admin/faults", emu.endpoint());
    let bad = http
        .post(&url)
        .json(&json!({"action": "*", "kind": "drop"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(bad.status(), 400, "neither count nor rate");
    let bad = http
        .post(&url)
        .json(&json!({"action": "*", "kind": "explode", "count": 1}))
        .send()
        .await
        .expect("answers");
    assert!(bad.status().is_client_error());
    add_fault(
        &emu,
        json!({"action": "*", "kind": "error", "code": "InternalError", "rate": 0.5}),
    )
    .await;
    let listed: serde_json::Value = http.get(&url).send().await.expect("list").json().await.expect("json");
    assert_eq!(listed[0]["rate"], 0.5);
    http.delete(&url).send().await.expect("clear");
    assert!(emu.emulator.faults().list().is_empty());
}
