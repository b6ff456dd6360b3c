//! Callback delivery as Tencent does it: routing by rule and event URL, signed bodies with every
//! documented field, the retry schedules (time-scaled), the delivery log, and a hanging target that
//! never holds up the API.

use std::time::Duration;

use live_emulator::{Account, Attempt, DeliveryConfig, EmulatorConfig, RetrySchedule, StreamEvent, StreamSpec};
use livehook_tests::*;
use tencent_live::api::TemplateFields;
use tencent_live::callback::{verify, Callback, CallbackEvent, ExpiryPolicy};
use tencent_live::clock::{Clock, SystemClock};
use tencent_live::Secret;

/// Retries every 100 ms (60 s / 600); answers may take up to a second.
fn fast(schedule: RetrySchedule) -> EmulatorConfig {
    let mut c = EmulatorConfig::new(vec![Account::new(SECRET_ID, SECRET_KEY)]);
    c.delivery = DeliveryConfig {
        schedule,
        timeout: Duration::from_secs(600),
        time_scale: 600.0,
        binding_delay: None,
    };
    c
}

fn all_urls(url: &str, key: &str) -> TemplateFields {
    TemplateFields {
        template_name: Some("all".into()),
        callback_key: Some(key.into()),
        stream_begin_notify_url: Some(url.into()),
        stream_end_notify_url: Some(url.into()),
        record_notify_url: Some(url.into()),
        record_status_notify_url: Some(url.into()),
        snapshot_notify_url: Some(url.into()),
        porn_censorship_notify_url: Some(url.into()),
        push_exception_notify_url: Some(url.into()),
        audio_audit_notify_url: Some(url.into()),
        record_exception_notify_url: Some(url.into()),
        record_exception_levels: Some(vec!["error".into(), "warning".into()]),
        ..Default::default()
    }
}

/// Wait for `n` final attempts (delivered or given up).
async fn finals(rx: &mut tokio::sync::broadcast::Receiver<Attempt>, n: usize) -> Vec<Attempt> {
    let mut done = Vec::new();
    while done.len() < n {
        let a = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("deliveries finish")
            .expect("open");
        if a.last {
            done.push(a);
        }
    }
    done
}

#[tokio::test]
async fn every_event_type_arrives_signed_with_its_documented_fields() {
    let emu = emulator_with(fast(RetrySchedule::Current)).await;
    let c = client(&emu);
    let receiver = Receiver::start(0, false).await;
    let id = c
        .create_template(&all_urls(&receiver.url, "abc123"))
        .await
        .expect("create")
        .value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let mut rx = emu.emulator.subscribe();

    let spec = StreamSpec::new("push.example.com", "live", "room1");
    let mut sent = emu.emulator.start_push(&spec).expect("start");
    for event in [
        StreamEvent::Snapshot,
        StreamEvent::PornCensorship,
        StreamEvent::AudioAudit,
        StreamEvent::PushException { types: vec![3, 6] },
        StreamEvent::RecordException {
            level: "warning".into(),
            kind: -16,
        },
        StreamEvent::LiveSummary {
            url: receiver.url.clone(),
        },
    ] {
        sent.extend(emu.emulator.stream_event(&spec, &event).expect("event"));
    }
    sent.extend(emu.emulator.stop_push(&spec, 12).expect("stop"));
    assert!(sent.iter().all(|d| d.url.is_some()), "{sent:?}");
    let codes: Vec<i64> = sent.iter().map(|d| d.event_type).collect();
    assert_eq!(codes, vec![1, 332, 200, 317, 315, 321, 341, 348, 332, 100, 0]);
    finals(&mut rx, sent.len()).await;

    let bodies = receiver.bodies();
    assert_eq!(bodies.len(), 11);
    let now = SystemClock.now_unix();
    let mut sequences = Vec::new();
    for body in &bodies {
        let cb = Callback::from_value(body.clone()).expect("object");
        assert!(!matches!(cb.event, CallbackEvent::Unknown { .. }), "typed: {body}");
        let t = cb.t.expect("t");
        assert!((now + 590..=now + 610).contains(&t), "t = now + 600: {t} vs {now}");
        let v = verify(body, &[Secret::new("abc123")], now, ExpiryPolicy::default());
        assert!(v.is_valid(), "{v:?} for {body}");
        assert_eq!(cb.stream_id(), Some("room1"));
        match &cb.event {
            CallbackEvent::StreamBegin(e) => sequences.push(e.sequence.clone()),
            CallbackEvent::StreamEnd(e) => {
                sequences.push(e.sequence.clone());
                assert_eq!(e.errcode, Some(12));
                assert!(e.push_duration.is_some());
            }
            CallbackEvent::RecordFile(e) => assert!(e.callback_ext.parsed.is_some() && e.file_size.is_some()),
            CallbackEvent::RecordStatus(e) => assert!(e.record_detail.parsed.is_some()),
            CallbackEvent::PushException(e) => assert_eq!(e.abnormal_event.len(), 2),
            CallbackEvent::RecordException(e) => assert_eq!(e.exception_level, "warning"),
            _ => {}
        }
    }
    assert_eq!(sequences.len(), 2);
    assert_eq!(sequences[0], sequences[1], "push and interruption share the sequence");
}

#[tokio::test]
async fn routing_follows_rules_and_event_urls() {
    let emu = emulator_with(fast(RetrySchedule::Current)).await;
    let c = client(&emu);
    let wide = Receiver::start(0, false).await;
    let vip = Receiver::start(0, false).await;
    let a = c
        .create_template(&TemplateFields {
            template_name: Some("wide".into()),
            stream_begin_notify_url: Some(wide.url.clone()),
            ..Default::default()
        })
        .await
        .expect("a")
        .value;
    let b = c.create_template(&all_urls(&vip.url, "vipkey")).await.expect("b").value;
    c.bind(a, "push.example.com", "").await.expect("domain-wide");
    c.bind(b, "push.example.com", "vip").await.expect("AppName rule");

    let live = emu
        .emulator
        .start_push(&StreamSpec::new("push.example.com", "live", "s1"))
        .expect("start");
    assert_eq!(
        (live[0].template_id, live[0].url.as_deref()),
        (Some(a), Some(wide.url.as_str()))
    );
    assert!(
        live[1]
            .not_sent
            .as_deref()
            .is_some_and(|w| w.contains("RecordStatusNotifyUrl")),
        "empty URL sends nothing"
    );
    let special = emu
        .emulator
        .start_push(&StreamSpec::new("push.example.com", "vip", "s2"))
        .expect("start");
    assert_eq!(
        special[0].template_id,
        Some(b),
        "the AppName rule wins over the domain-wide one"
    );
    let unbound = emu
        .emulator
        .start_push(&StreamSpec::new("push2.example.com", "live", "s3"))
        .expect("start");
    assert!(unbound
        .iter()
        .all(|d| d.url.is_none() && d.not_sent.as_deref().is_some_and(|w| w.contains("no callback rule"))));

    use live_emulator::SimError;
    let e = emu
        .emulator
        .start_push(&StreamSpec::new("push.example.com", "live", "s1"))
        .expect_err("already live");
    assert!(matches!(e, SimError::AlreadyLive(_)));
    let e = emu
        .emulator
        .start_push(&StreamSpec::new("nowhere.example.com", "live", "x"))
        .expect_err("unknown");
    assert!(matches!(e, SimError::UnknownDomain(_)));
    let e = emu
        .emulator
        .start_push(&StreamSpec::new("play.example.com", "live", "x"))
        .expect_err("play");
    assert!(matches!(e, SimError::NotPushDomain(_)));
    let e = emu
        .emulator
        .stop_push(&StreamSpec::new("push.example.com", "live", "never"), 1)
        .expect_err("not live");
    assert!(matches!(e, SimError::NotLive(_)));
}

#[tokio::test]
async fn recording_exceptions_are_filtered_by_the_template_levels() {
    let emu = emulator_with(fast(RetrySchedule::Current)).await;
    let c = client(&emu);
    let r = Receiver::start(0, false).await;
    let mut fields = all_urls(&r.url, "k");
    fields.record_exception_levels = Some(vec!["error".into()]);
    let id = c.create_template(&fields).await.expect("create").value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let spec = StreamSpec::new("push.example.com", "live", "s");
    emu.emulator.start_push(&spec).expect("start");
    let warn = emu
        .emulator
        .stream_event(
            &spec,
            &StreamEvent::RecordException {
                level: "warning".into(),
                kind: -8,
            },
        )
        .expect("event");
    assert!(warn[0].not_sent.is_some(), "warning not asked for");
    let err = emu
        .emulator
        .stream_event(
            &spec,
            &StreamEvent::RecordException {
                level: "error".into(),
                kind: -16,
            },
        )
        .expect("event");
    assert!(err[0].url.is_some());
}

async fn attempts_against_a_failing_target(schedule: RetrySchedule, event: Option<StreamEvent>) -> Vec<Attempt> {
    let emu = emulator_with(fast(schedule)).await;
    let c = client(&emu);
    let ok = Receiver::start(0, false).await;
    let failing = Receiver::start(usize::MAX, false).await;
    let mut fields = all_urls(&ok.url, "k");
    match event {
        Some(_) => fields.snapshot_notify_url = Some(failing.url.clone()),
        None => fields.stream_begin_notify_url = Some(failing.url.clone()),
    }
    fields.record_status_notify_url = Some(String::new());
    let id = c.create_template(&fields).await.expect("create").value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let mut rx = emu.emulator.subscribe();
    let spec = StreamSpec::new("push.example.com", "live", "s");
    emu.emulator.start_push(&spec).expect("start");
    let wanted = match &event {
        Some(e) => {
            emu.emulator.stream_event(&spec, e).expect("event");
            200
        }
        None => 1,
    };
    let mut mine = Vec::new();
    loop {
        let a = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("attempts")
            .expect("open");
        if a.event_type == wanted {
            let last = a.last;
            mine.push(a);
            if last {
                break;
            }
        }
    }
    // The delivery log has every attempt, with the target's status.
    let log = emu.emulator.snapshot().accounts[SECRET_ID].deliveries.clone();
    let logged = log.iter().filter(|r| r.event_type == wanted).count();
    assert_eq!(logged, mine.len(), "each attempt is in the delivery log");
    assert!(log
        .iter()
        .filter(|r| r.event_type == wanted)
        .all(|r| r.result_code == 500));
    assert_eq!(failing.bodies().len(), mine.len());
    mine
}

#[tokio::test]
async fn the_current_schedule_retries_twelve_times_and_screenshots_five() {
    let push = attempts_against_a_failing_target(RetrySchedule::Current, None).await;
    assert_eq!(push.len(), 13, "the first attempt and 12 retries");
    assert!(push.iter().all(|a| a.status == Some(500) && !a.delivered));
    assert_eq!(
        push.iter().map(|a| a.attempt).collect::<Vec<_>>(),
        (1..=13).collect::<Vec<_>>()
    );
    let snap = attempts_against_a_failing_target(RetrySchedule::Current, Some(StreamEvent::Snapshot)).await;
    assert_eq!(snap.len(), 6, "the first attempt and 5 retries");
}

#[tokio::test]
async fn the_legacy_schedule_retries_three_times() {
    let push = attempts_against_a_failing_target(RetrySchedule::Legacy, None).await;
    assert_eq!(push.len(), 4);
    let snap = attempts_against_a_failing_target(RetrySchedule::Legacy, Some(StreamEvent::Snapshot)).await;
    assert_eq!(snap.len(), 4);
}

#[tokio::test]
async fn retries_stop_at_the_first_200_and_repeat_the_same_body() {
    let emu = emulator_with(fast(RetrySchedule::Current)).await;
    let c = client(&emu);
    let r = Receiver::start(2, false).await;
    let id = c
        .create_template(&TemplateFields {
            template_name: Some("t".into()),
            callback_key: Some("k".into()),
            stream_begin_notify_url: Some(r.url.clone()),
            ..Default::default()
        })
        .await
        .expect("create")
        .value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let mut rx = emu.emulator.subscribe();
    emu.emulator
        .start_push(&StreamSpec::new("push.example.com", "live", "s9"))
        .expect("start");
    let last = finals(&mut rx, 1).await.remove(0);
    assert!(last.delivered);
    assert_eq!(last.attempt, 3);
    let bodies = r.bodies();
    assert_eq!(bodies.len(), 3);
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "a retry is the same message, same t and sign"
    );

    // DescribeCallbackRecordsList shows the three attempts for the stream, newest first.
    let now = SystemClock.now_unix();
    let fmt = |t: i64| tencent_live::api::ApiTime::from_unix(t).raw;
    let log = c
        .call(&tencent_live::api::DescribeCallbackRecordsList {
            start_time: fmt(now - 600),
            end_time: fmt(now + 60),
            stream_name: "s9".into(),
            page_num: 1,
            page_size: 10,
            event_type: Some(1),
            result_code: None,
        })
        .await
        .expect("records");
    assert_eq!(log.total_num, 3);
    assert_eq!(
        log.data_info_list.iter().map(|r| r.result_code).collect::<Vec<_>>(),
        vec![0, 500, 500]
    );
    assert!(log.data_info_list[0].request.contains("\"sign\""));
}

#[tokio::test]
async fn a_hanging_target_costs_a_timeout_and_never_blocks_the_api() {
    let mut config = fast(RetrySchedule::Legacy);
    // 20 s timeout, one minute between attempts, both divided by 600: 33 ms and 100 ms.
    config.delivery.timeout = Duration::from_secs(20);
    let emu = emulator_with(config).await;
    let c = client(&emu);
    let hang = Receiver::start(0, true).await;
    let id = c
        .create_template(&TemplateFields {
            template_name: Some("t".into()),
            stream_begin_notify_url: Some(hang.url.clone()),
            ..Default::default()
        })
        .await
        .expect("create")
        .value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let mut rx = emu.emulator.subscribe();
    let mut specs = Vec::new();
    for i in 0..20 {
        let spec = StreamSpec::new("push.example.com", "live", &format!("h{i}"));
        emu.emulator.start_push(&spec).expect("start");
        specs.push(spec);
    }
    // Twenty deliveries hang; the API answers all the same.
    for _ in 0..5 {
        assert_eq!(c.rules().await.expect("the API answers").len(), 1);
    }
    let done = finals(&mut rx, 20).await;
    assert!(
        done.iter()
            .all(|a| a.error.as_deref() == Some("timed out") && a.attempt == 4),
        "{:?}",
        done[0]
    );
}

#[tokio::test]
async fn a_binding_takes_effect_after_the_configured_delay() {
    let clock = tencent_live::clock::ManualClock::new(SystemClock.now_unix());
    let mut config = fast(RetrySchedule::Current);
    config.clock = std::sync::Arc::new(clock.clone());
    config.delivery.time_scale = 1.0;
    config.delivery.binding_delay = Some(Duration::from_secs(300));
    let emu = emulator_with(config).await;
    let c = client_with(
        livehook_tests::config(&emu.endpoint()),
        credentials(),
        std::sync::Arc::new(clock.clone()),
    );
    let r = Receiver::start(0, false).await;
    let id = c.create_template(&all_urls(&r.url, "k")).await.expect("create").value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let early = emu
        .emulator
        .start_push(&StreamSpec::new("push.example.com", "live", "a"))
        .expect("start");
    assert!(early[0].url.is_none(), "not yet in effect: {early:?}");
    clock.advance(301);
    let later = emu
        .emulator
        .start_push(&StreamSpec::new("push.example.com", "live", "b"))
        .expect("start");
    assert_eq!(later[0].url.as_deref(), Some(r.url.as_str()));
}

#[tokio::test]
async fn the_delivery_log_is_kept_across_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let make = || {
        let mut c = fast(RetrySchedule::Current);
        c.state_dir = Some(dir.path().to_owned());
        c
    };
    let emu = emulator_with(make()).await;
    let c = client(&emu);
    let r = Receiver::start(0, false).await;
    let id = c.create_template(&all_urls(&r.url, "k")).await.expect("create").value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let mut rx = emu.emulator.subscribe();
    emu.emulator
        .start_push(&StreamSpec::new("push.example.com", "live", "kept"))
        .expect("start");
    finals(&mut rx, 2).await;
    drop(c);
    emu.stop().await;
    let emu = emulator_with(make()).await;
    let log = &emu.emulator.snapshot().accounts[SECRET_ID].deliveries;
    assert_eq!(log.len(), 2, "both attempts were saved at shutdown");
    assert!(log.iter().all(|r| r.stream_id == "kept" && r.result_code == 0));
}

/// The delivery log read back the way the CLI and the app read it (`tencent_live::deliveries`): more
/// records than one page holds, every one of them, newest first, in the UTC form the request used.
#[tokio::test]
async fn the_delivery_log_reads_back_every_page_newest_first() {
    let emu = emulator_with(fast(RetrySchedule::Legacy)).await;
    let c = client(&emu);
    let ok = Receiver::start(0, false).await;
    let failing = Receiver::start(usize::MAX, false).await;
    let mut fields = all_urls(&ok.url, "k");
    fields.stream_begin_notify_url = Some(failing.url.clone());
    let id = c.create_template(&fields).await.expect("create").value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let mut rx = emu.emulator.subscribe();
    let spec = StreamSpec::new("push.example.com", "live", "room-paged");
    // 26 pushes of 4 attempts each (the legacy schedule: the first and 3 retries, all 500) and their
    // interruptions, recordings and recording statuses: more than the 100 records of one page.
    let mut finals_wanted = 0;
    for _ in 0..26 {
        let mut dispatched = emu.emulator.start_push(&spec).expect("start");
        dispatched.extend(emu.emulator.stop_push(&spec, 1).expect("stop"));
        finals_wanted += dispatched.iter().filter(|d| d.url.is_some()).count();
    }
    finals(&mut rx, finals_wanted).await;
    let logged: Vec<_> = emu.emulator.snapshot().accounts[SECRET_ID]
        .deliveries
        .iter()
        .filter(|r| r.stream_id == "room-paged")
        .cloned()
        .collect();
    assert!(logged.len() > 100, "{} records", logged.len());
    let now = SystemClock.now_unix();
    let q = tencent_live::deliveries::Query {
        stream: "room-paged".into(),
        since: now - 3600,
        until: now + 1,
        ..Default::default()
    };
    let mut progress = Vec::new();
    let log = tencent_live::deliveries::read(&c, &q, now, |p| {
        progress.push(p);
        true
    })
    .await
    .expect("read");
    assert_eq!(log.records.len(), logged.len(), "every record of every page");
    assert_eq!(log.requests, logged.len().div_ceil(100), "pages of 100");
    assert_eq!(progress.len(), log.requests);
    let times: Vec<i64> = log.records.iter().map(|r| r.event_time.unix().expect("time")).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(log.records.iter().all(|r| r.event_time.raw.ends_with('Z')));
    let mut got: Vec<String> = log.records.iter().map(|r| r.request.clone()).collect();
    let mut want: Vec<String> = logged.iter().map(|r| r.request.clone()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "the same records");
    let failed = tencent_live::deliveries::read(
        &c,
        &tencent_live::deliveries::Query {
            failed_only: true,
            event_type: Some(1),
            ..q.clone()
        },
        now,
        |_| true,
    )
    .await
    .expect("read");
    assert_eq!(failed.records.len(), 26 * 4);
    assert!(failed.records.iter().all(|r| r.result_code == 500 && r.event_type == 1));
}

/// The log answers in the time form the request used: Beijing `YYYY-MM-DD hh:mm:ss`, or UTC `…Z`.
#[tokio::test]
async fn the_delivery_log_answers_in_the_form_asked() {
    let emu = emulator_with(fast(RetrySchedule::Current)).await;
    let c = client(&emu);
    let ok = Receiver::start(0, false).await;
    let id = c.create_template(&all_urls(&ok.url, "k")).await.expect("create").value;
    c.bind(id, "push.example.com", "").await.expect("bind");
    let mut rx = emu.emulator.subscribe();
    emu.emulator
        .start_push(&StreamSpec::new("push.example.com", "live", "forms"))
        .expect("start");
    finals(&mut rx, 1).await;
    let now = SystemClock.now_unix();
    for (start, end, utc) in [
        (
            tencent_live::api::ApiTime::from_unix(now - 60).raw,
            tencent_live::api::ApiTime::from_unix(now + 1).raw,
            false,
        ),
        (
            tencent_live::api::ApiTime::utc(now - 60).raw,
            tencent_live::api::ApiTime::utc(now + 1).raw,
            true,
        ),
    ] {
        let r = c
            .call(&tencent_live::api::DescribeCallbackRecordsList {
                start_time: start.clone(),
                end_time: end,
                stream_name: "forms".into(),
                page_num: 1,
                page_size: 10,
                event_type: Some(1),
                result_code: None,
            })
            .await
            .expect("log");
        assert_eq!(r.total_num, 1, "{start}: the push");
        let rec = &r.data_info_list[0];
        assert_eq!(
            rec.event_time.raw.ends_with('Z'),
            utc,
            "{start}: {}",
            rec.event_time.raw
        );
        assert_eq!(rec.response_time.raw.ends_with('Z'), utc);
        assert!(rec.event_time.unix().is_some_and(|t| (now - 60..=now + 1).contains(&t)));
    }
}
