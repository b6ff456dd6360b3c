//! What the client does when things go wrong: retries only what is safe, never creates or deletes twice,
//! corrects a wrong local clock from the server's Date header, and reports all of it.

use std::sync::Arc;
use std::time::Duration;

use livehook_tests::*;
use serde_json::json;
use tencent_live::api::TemplateFields;
use tencent_live::clock::SkewedClock;
use tencent_live::{Error, ErrorKind};

fn fields(name: &str) -> TemplateFields {
    TemplateFields {
        template_name: Some(name.into()),
        stream_begin_notify_url: Some("http://127.0.0.1:8080/cb".into()),
        ..Default::default()
    }
}

fn faults_left(emu: &live_emulator::RunningEmulator) -> usize {
    emu.emulator.faults().list().len()
}

#[tokio::test]
async fn describe_is_retried_on_rate_limits_and_gateway_errors() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(
        &emu,
        json!({"action": "DescribeLiveCallbackTemplates", "kind": "error", "code": "RequestLimitExceeded", "count": 2}),
    )
    .await;
    add_fault(
        &emu,
        json!({"action": "DescribeLiveCallbackTemplates", "kind": "http", "status": 502, "count": 1}),
    )
    .await;
    assert!(c.templates().await.expect("fourth attempt succeeds").is_empty());
    assert_eq!(
        faults_left(&emu),
        0,
        "all three failures were met, so the call was made four times"
    );

    // With more failures than attempts the error comes back, code intact.
    add_fault(&emu, json!({"action": "DescribeLiveCallbackTemplates", "kind": "error", "code": "RequestLimitExceeded.UinLimitExceeded", "count": 5})).await;
    let e = c.templates().await.expect_err("attempts exhausted");
    assert_eq!(
        (e.code(), e.kind()),
        (Some("RequestLimitExceeded.UinLimitExceeded"), ErrorKind::RateLimited)
    );
    assert_eq!(
        emu.emulator.faults().list()[0].count,
        Some(1),
        "exactly four attempts (max_attempts)"
    );
}

#[tokio::test]
async fn describe_is_retried_after_a_timeout_or_a_dropped_connection() {
    let emu = emulator().await;
    let mut config = config(&emu.endpoint());
    config.request_timeout = Duration::from_millis(400);
    let c = client_with(config, credentials(), Arc::new(tencent_live::clock::SystemClock));
    add_fault(
        &emu,
        json!({"action": "DescribeLiveCallbackRules", "kind": "latency", "ms": 1500, "count": 1}),
    )
    .await;
    add_fault(
        &emu,
        json!({"action": "DescribeLiveCallbackRules", "kind": "reset", "count": 1}),
    )
    .await;
    assert!(c.rules().await.expect("third attempt").is_empty());
    assert_eq!(faults_left(&emu), 0);
}

#[tokio::test]
async fn errors_that_will_not_pass_are_not_retried() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(&emu, json!({"action": "DescribeLiveCallbackTemplates", "kind": "error", "code": "AuthFailure.UnauthorizedOperation", "count": 2})).await;
    let e = c.templates().await.expect_err("CAM refusal");
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(emu.emulator.faults().list()[0].count, Some(1), "one attempt only");
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_found_not_repeated() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(
        &emu,
        json!({"action": "CreateLiveCallbackTemplate", "kind": "drop", "count": 1}),
    )
    .await;
    let created = c
        .create_template(&fields("lost_answer"))
        .await
        .expect("settled by looking");
    assert!(created.reconciled, "the answer was lost, the template found");
    assert_eq!(template_count(&emu), 1, "one click, one template");
    assert_eq!(
        c.template(created.value).await.expect("exists").template_name,
        "lost_answer"
    );
}

#[tokio::test]
async fn a_create_that_never_arrived_is_made_once() {
    for fault in [
        json!({"action": "CreateLiveCallbackTemplate", "kind": "reset", "count": 1}),
        json!({"action": "CreateLiveCallbackTemplate", "kind": "http", "status": 503, "count": 1}),
        json!({"action": "CreateLiveCallbackTemplate", "kind": "error", "code": "RequestLimitExceeded", "count": 2}),
    ] {
        let emu = emulator().await;
        let c = client(&emu);
        add_fault(&emu, fault.clone()).await;
        let created = c
            .create_template(&fields("once"))
            .await
            .unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert!(!created.reconciled, "{fault}");
        assert_eq!(template_count(&emu), 1, "{fault}");
        assert_eq!(faults_left(&emu), 0, "{fault}");
    }
}

#[tokio::test]
async fn a_same_named_template_that_existed_before_is_not_taken_for_ours() {
    let emu = emulator().await;
    let c = client(&emu);
    let older = c.create_template(&fields("same")).await.expect("first").value;
    add_fault(
        &emu,
        json!({"action": "CreateLiveCallbackTemplate", "kind": "reset", "count": 1}),
    )
    .await;
    let newer = c.create_template(&fields("same")).await.expect("second");
    assert_ne!(newer.value, older);
    assert_eq!(template_count(&emu), 2);
}

#[tokio::test]
async fn deletes_and_bindings_with_lost_answers_are_settled() {
    let emu = emulator().await;
    let c = client(&emu);
    let id = c.create_template(&fields("t")).await.expect("create").value;

    add_fault(
        &emu,
        json!({"action": "CreateLiveCallbackRule", "kind": "drop", "count": 1}),
    )
    .await;
    let bound = c.bind(id, "push.example.com", "").await.expect("bind settled");
    assert!(bound.reconciled);
    assert_eq!(c.rules().await.expect("rules").len(), 1, "bound once");

    add_fault(
        &emu,
        json!({"action": "DeleteLiveCallbackRule", "kind": "drop", "count": 1}),
    )
    .await;
    assert!(
        c.unbind("push.example.com", "")
            .await
            .expect("unbind settled")
            .reconciled
    );
    assert!(c.rules().await.expect("rules").is_empty());

    add_fault(
        &emu,
        json!({"action": "DeleteLiveCallbackTemplate", "kind": "drop", "count": 1}),
    )
    .await;
    assert!(c.delete_template(id).await.expect("delete settled").reconciled);
    assert_eq!(template_count(&emu), 0);
}

#[tokio::test]
async fn an_outcome_that_cannot_be_checked_is_reported_as_unsettled() {
    let emu = emulator().await;
    let c = client(&emu);
    let id = c.create_template(&fields("t")).await.expect("create").value;
    add_fault(
        &emu,
        json!({"action": "DeleteLiveCallbackTemplate", "kind": "drop", "count": 1}),
    )
    .await;
    add_fault(&emu, json!({"action": "DescribeLiveCallbackTemplate", "kind": "error", "code": "AuthFailure.UnauthorizedOperation", "count": 1})).await;
    let e = c.delete_template(id).await.expect_err("cannot look");
    assert!(matches!(e, Error::Unsettled { .. }), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::Network, "the kind of the original failure");
    assert!(e.to_string().contains("may or may not have taken effect"), "{e}");
}

#[tokio::test]
async fn a_skewed_local_clock_is_corrected_from_the_server_date() {
    let emu = emulator().await;
    // This machine's clock is an hour behind.
    let c = client_with(config(&emu.endpoint()), credentials(), Arc::new(SkewedClock(-3600)));
    assert_eq!(c.clock_offset(), 0);
    assert!(c.templates().await.expect("corrected and retried").is_empty());
    let offset = c.clock_offset();
    assert!((3598..=3602).contains(&offset), "skew reported: {offset}");
    // Later calls sign with the corrected time straight away.
    c.create_template(&fields("after_skew")).await.expect("create");

    // A clock that is ahead is corrected the same way.
    let c = client_with(config(&emu.endpoint()), credentials(), Arc::new(SkewedClock(900)));
    c.rules().await.expect("corrected");
    assert!((-902..=-898).contains(&c.clock_offset()), "{}", c.clock_offset());
}

#[tokio::test]
async fn signature_expire_is_corrected_once_only() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(&emu, json!({"action": "DescribeLiveCallbackRules", "kind": "error", "code": "AuthFailure.SignatureExpire", "count": 2})).await;
    let e = c.rules().await.expect_err("a second expiry is not retried");
    assert_eq!(e.kind(), ErrorKind::ClockSkew);
    assert_eq!(
        faults_left(&emu),
        0,
        "two attempts: the first, and one after correcting"
    );
}

#[tokio::test]
async fn session_tokens_are_sent_and_checked() {
    use live_emulator::{Account, EmulatorConfig};
    let mut account = Account::new(SECRET_ID, SECRET_KEY);
    account.token = Some(tencent_live::Secret::new("sts-token-1"));
    let emu = emulator_with(EmulatorConfig::new(vec![account])).await;
    let clock = Arc::new(tencent_live::clock::SystemClock);
    let with_token = client_with(
        config(&emu.endpoint()),
        credentials().with_token("sts-token-1"),
        clock.clone(),
    );
    assert!(with_token.templates().await.expect("token accepted").is_empty());
    let without = client_with(config(&emu.endpoint()), credentials(), clock.clone());
    let e = without.templates().await.expect_err("token required");
    assert_eq!(e.code(), Some("AuthFailure.TokenFailure"));
    let wrong = client_with(config(&emu.endpoint()), credentials().with_token("other"), clock);
    assert_eq!(
        wrong.templates().await.expect_err("wrong token").code(),
        Some("AuthFailure.TokenFailure")
    );
}

#[tokio::test]
async fn wrong_keys_and_unreachable_endpoints_say_what_is_wrong() {
    let emu = emulator().await;
    let clock = Arc::new(tencent_live::clock::SystemClock);
    let bad_key = client_with(
        config(&emu.endpoint()),
        tencent_live::Credentials::new(SECRET_ID, "not-the-key"),
        clock.clone(),
    );
    let e = bad_key.templates().await.expect_err("bad key");
    assert_eq!(
        (e.code(), e.kind()),
        (Some("AuthFailure.SignatureFailure"), ErrorKind::Signature)
    );
    let bad_id = client_with(
        config(&emu.endpoint()),
        tencent_live::Credentials::new("AKIDnobody", SECRET_KEY),
        clock.clone(),
    );
    let e = bad_id.templates().await.expect_err("unknown id");
    assert_eq!(
        (e.code(), e.kind()),
        (Some("AuthFailure.SecretIdNotFound"), ErrorKind::Auth)
    );

    // A port nobody listens on: a connection error, retried (nothing was sent), then reported.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let nowhere = client_with(config(&format!("http://{closed}")), credentials(), clock);
    let e = nowhere.templates().await.expect_err("refused");
    assert!(matches!(e, Error::Network { sent: false, .. }), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::Network);
}
