//! The client through the whole console workflow against the emulator, with the service's error codes.

use livehook_tests::*;
use tencent_live::api::{self, TemplateFields};
use tencent_live::{Error, ErrorKind};

fn fields(name: &str) -> TemplateFields {
    TemplateFields {
        template_name: Some(name.into()),
        description: Some("主站".into()),
        callback_key: Some("abc123".into()),
        stream_begin_notify_url: Some("http://127.0.0.1:8080/begin".into()),
        stream_end_notify_url: Some("http://127.0.0.1:8080/end".into()),
        record_exception_levels: Some(vec!["error".into()]),
        ..Default::default()
    }
}

fn code(e: &Error) -> &str {
    e.code().unwrap_or_else(|| panic!("a cloud error code, got {e}"))
}

#[tokio::test]
async fn create_describe_modify_bind_unbind_delete() {
    let emu = emulator().await;
    let c = client(&emu);
    assert!(c.templates().await.expect("list").is_empty());

    let created = c.create_template(&fields("直播回调")).await.expect("create");
    assert!(!created.reconciled);
    let id = created.value;
    let t = c.template(id).await.expect("describe");
    assert_eq!(t.template_name, "直播回调");
    assert_eq!(t.callback_key, "abc123");
    assert_eq!(t.record_exception_levels, vec!["error"]);

    c.modify_template(
        id,
        &TemplateFields {
            stream_end_notify_url: Some(String::new()),
            snapshot_notify_url: Some("https://hooks.example.com/snap".into()),
            ..Default::default()
        },
    )
    .await
    .expect("modify");
    let t = c.template(id).await.expect("describe");
    assert_eq!(t.stream_end_notify_url, "", "\"\" clears a URL");
    assert_eq!(t.snapshot_notify_url, "https://hooks.example.com/snap");
    assert_eq!(
        t.stream_begin_notify_url, "http://127.0.0.1:8080/begin",
        "omitted fields are kept"
    );

    let push: Vec<String> = c
        .all_domains(api::DescribeLiveDomains {
            domain_type: Some(api::DOMAIN_TYPE_PUSH),
            ..Default::default()
        })
        .await
        .expect("domains")
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert!(push.len() >= 2, "seeded push domains: {push:?}");
    c.bind(id, &push[0], "").await.expect("bind domain-wide");
    c.bind(id, &push[1], "live").await.expect("bind one AppName");
    let rules = c.rules().await.expect("rules");
    assert_eq!(rules.len(), 2);
    assert!(rules
        .iter()
        .all(|r| r.template_id == id && r.create_time.unix().is_some()));

    let e = c.delete_template(id).await.expect_err("still bound");
    assert_eq!((code(&e), e.kind()), ("FailedOperation.ConfInUsed", ErrorKind::InUse));
    assert!(!e.request_id().unwrap_or_default().is_empty(), "RequestId kept");

    let e = c
        .bind(id, &push[0], "")
        .await
        .expect_err("one rule per domain and AppName");
    assert_eq!(e.kind(), ErrorKind::AlreadyExists);

    c.unbind(&push[0], "").await.expect("unbind");
    c.unbind(&push[1], "live").await.expect("unbind");
    let e = c.unbind(&push[1], "live").await.expect_err("already gone");
    assert_eq!((code(&e), e.kind()), ("FailedOperation.NotFound", ErrorKind::NotFound));

    c.delete_template(id).await.expect("delete");
    let e = c.template(id).await.expect_err("gone");
    assert_eq!(
        (code(&e), e.kind()),
        ("InternalError.ConfNotFound", ErrorKind::NotFound)
    );
}

#[tokio::test]
async fn service_rules_and_codes() {
    let emu = emulator().await;
    let c = client(&emu);
    let id = c.create_template(&fields("a")).await.expect("create").value;

    let e = c
        .bind(id + 999, "push.example.com", "")
        .await
        .expect_err("unknown template");
    assert_eq!(code(&e), "InvalidParameter.ConfNotFound");
    let e = c.bind(id, "nowhere.example.com", "").await.expect_err("unknown domain");
    assert_eq!(
        (code(&e), e.kind()),
        ("ResourceNotFound.DomainNotExist", ErrorKind::NotFound)
    );
    let e = c.bind(id, "play.example.com", "").await.expect_err("play domain");
    assert_eq!(code(&e), "InvalidParameterValue");
    let e = c
        .call(&api::DescribeLiveDomain {
            domain_name: "nowhere.example.com".into(),
        })
        .await
        .expect_err("unknown domain");
    assert_eq!(code(&e), "ResourceNotFound.DomainNotExist");
    let e = c
        .modify_template(
            id + 999,
            &TemplateFields {
                description: Some("x".into()),
                ..Default::default()
            },
        )
        .await;
    assert_eq!(code(&e.expect_err("unknown id")), "InternalError.ConfNotFound");

    // Modify may not leave a template without any URL.
    let clear_all = TemplateFields {
        stream_begin_notify_url: Some(String::new()),
        stream_end_notify_url: Some(String::new()),
        ..Default::default()
    };
    let e = c.modify_template(id, &clear_all).await.expect_err("no URL left");
    assert_eq!(code(&e), "InvalidParameterValue");

    // The client refuses invalid input before sending anything.
    let e = c
        .create_template(&TemplateFields {
            template_name: Some("x".into()),
            ..Default::default()
        })
        .await;
    assert!(matches!(e, Err(Error::Validation(_))), "{e:?}");

    // The 50-template limit.
    for i in 1..50 {
        c.create_template(&fields(&format!("t{i}")))
            .await
            .expect("under the limit");
    }
    let e = c.create_template(&fields("t50")).await.expect_err("51st");
    assert_eq!((code(&e), e.kind()), ("InternalError.ConfOutLimit", ErrorKind::Quota));
    assert_eq!(template_count(&emu), 50);
}

#[tokio::test]
async fn domains_page_and_filter() {
    use live_emulator::{Account, DomainSeed, EmulatorConfig};
    let mut config = EmulatorConfig::new(vec![Account::new(SECRET_ID, SECRET_KEY)]);
    let mut seeds: Vec<DomainSeed> = (0..130)
        .map(|i| DomainSeed::push(&format!("p{i:03}.example.com")))
        .collect();
    seeds.push(DomainSeed::play("play.example.com"));
    config.domains = Some(seeds);
    let emu = emulator_with(config).await;
    let c = client(&emu);
    let all = c
        .all_domains(api::DescribeLiveDomains::default())
        .await
        .expect("all pages");
    assert_eq!(all.len(), 131, "two pages of 100 are joined");
    let play = c
        .all_domains(api::DescribeLiveDomains {
            domain_type: Some(api::DOMAIN_TYPE_PLAY),
            ..Default::default()
        })
        .await
        .expect("filtered");
    assert_eq!(
        play.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        vec!["play.example.com"]
    );
    let page = c
        .call(&api::DescribeLiveDomains {
            page_size: Some(10),
            page_num: Some(2),
            domain_prefix: Some("p0".into()),
            ..Default::default()
        })
        .await
        .expect("one page");
    assert_eq!(page.all_count, 100);
    assert_eq!(page.domain_list.len(), 10);
    assert_eq!(page.domain_list[0].name, "p010.example.com");
    let e = c
        .call(&api::DescribeLiveDomains {
            page_size: Some(5),
            ..Default::default()
        })
        .await
        .expect_err("PageSize below 10");
    assert_eq!(code(&e), "InvalidParameterValue");
}

#[tokio::test]
async fn delivery_log_query_rules() {
    let emu = emulator().await;
    let c = client(&emu);
    let now = chrono_like_now();
    let fmt = |t: i64| tencent_live::api::ApiTime::from_unix(t).raw;
    let ok = c
        .call(&api::DescribeCallbackRecordsList {
            start_time: fmt(now - 3600),
            end_time: fmt(now),
            stream_name: "s1".into(),
            page_num: 1,
            page_size: 10,
            event_type: None,
            result_code: None,
        })
        .await
        .expect("a valid window");
    assert_eq!((ok.total_num, ok.data_info_list.len()), (0, 0), "nothing delivered yet");
    let e = c
        .call(&api::DescribeCallbackRecordsList {
            start_time: fmt(now - 2 * 86_400),
            end_time: fmt(now),
            stream_name: "s1".into(),
            page_num: 1,
            page_size: 10,
            event_type: None,
            result_code: None,
        })
        .await
        .expect_err("a window over one day");
    assert_eq!(code(&e), "InvalidParameterValue");
}

fn chrono_like_now() -> i64 {
    use tencent_live::clock::{Clock, SystemClock};
    SystemClock.now_unix()
}
