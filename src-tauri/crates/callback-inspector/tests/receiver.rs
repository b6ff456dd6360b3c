//! The receiver end to end on loopback: verification results, every event type, the size limit and
//! malformed bodies, the answers rules ask for, retries grouped as attempts, queries and retention.
//!
//! Over 500 lines: one suite sharing one rig (a receiver with a store on a loopback port).

use std::time::Duration;

use callback_inspector::tools;
use callback_inspector::{
    start, Check, Filter, Live, NamedKey, ReceiverConfig, ReceiverError, ResponseRule, Retention, RunningReceiver,
    Store, Update, Watch,
};
use serde_json::{json, Value};
use tencent_live::callback::sign;
use tencent_live::callback::Retries;
use tencent_live::secret::Secret;

const TEMPLATE_KEY: &str = "templateKey123";
const HAND_KEY: &str = "handKey456";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

struct Rig {
    _dir: tempfile::TempDir,
    store: Store,
    rx: RunningReceiver,
    http: reqwest::Client,
}

impl Rig {
    async fn new(rules: Vec<ResponseRule>) -> Rig {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("events.db"), Retention::default()).expect("store");
        let mut config = ReceiverConfig::new("127.0.0.1:0".parse().expect("addr"), Some(store.clone()));
        config.keys = vec![
            NamedKey::new("template 1001 (main)", TEMPLATE_KEY),
            NamedKey::new("added by hand", HAND_KEY),
        ];
        config.rules = rules;
        let rx = start(config).await.expect("start");
        Rig {
            _dir: dir,
            store,
            rx,
            http: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.rx.base_url())
    }

    async fn post(&self, path: &str, body: impl Into<reqwest::Body>) -> (u16, String) {
        let r = self.http.post(self.url(path)).body(body).send().await.expect("send");
        let status = r.status().as_u16();
        (status, r.text().await.expect("text"))
    }

    fn latest(&self) -> callback_inspector::StoredEvent {
        let page = self.store.query(&Filter::default()).expect("query");
        self.store.get(page.items[0].id).expect("get").expect("stored")
    }
}

fn signed(mut body: Value, key: &str, t: i64) -> String {
    body["t"] = json!(t);
    body["sign"] = json!(sign(&Secret::new(key), t));
    body.to_string()
}

fn push_body(stream: &str) -> Value {
    json!({"event_type": 1, "app": "push.example.com", "appname": "live", "stream_id": stream, "sequence": "seq-1", "event_time": now()})
}

#[tokio::test]
async fn every_verification_result_is_told_apart_and_every_request_is_kept() {
    let rig = Rig::new(vec![]).await;
    let t = now() + 600;
    let cases: Vec<(String, &str)> = vec![
        (signed(push_body("a"), TEMPLATE_KEY, t), "valid"),
        (signed(push_body("b"), HAND_KEY, t), "valid"),
        (signed(push_body("c"), "someoneElse", t), "bad_sign"),
        (signed(push_body("d"), TEMPLATE_KEY, now() - 3600), "expired"),
        (signed(push_body("e"), TEMPLATE_KEY, now() + 86_400), "not_yet_valid"),
        (push_body("f").to_string(), "unsigned"),
        ("{\"event_type\": 1, \"stream_id\": ".to_owned(), "malformed"),
    ];
    for (body, want) in &cases {
        let (status, answer) = rig.post("/live/any/path", body.clone()).await;
        assert_eq!((status, answer.as_str()), (200, r#"{"code":0}"#), "{want}");
        let e = rig.latest();
        assert_eq!(e.check.slug(), *want, "{body}");
        assert_eq!(e.request.body, body.as_bytes(), "kept whole");
        assert_eq!(e.request.path, "/live/any/path");
        assert_eq!(e.answer.status, 200);
    }
    let first = rig.store.get(1).expect("get").expect("first");
    match &first.check {
        Check::Valid { key, expires_in } => {
            assert_eq!(key, "template 1001 (main)");
            assert!((595..=600).contains(expires_in), "{expires_in}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(first.check.key_label(), Some("template 1001 (main)"));
    assert_eq!(
        rig.store.get(2).expect("get").expect("2").check.key_label(),
        Some("added by hand")
    );
    match rig.store.get(4).expect("get").expect("4").check {
        Check::Expired { key, ago } => {
            assert_eq!(key, "template 1001 (main)");
            assert!((3599..=3602).contains(&ago), "{ago}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(first.facts.stream_id.as_deref(), Some("a"));
    assert_eq!(first.facts.domain.as_deref(), Some("push.example.com"));
    assert_eq!(first.facts.app_name.as_deref(), Some("live"));
    assert!(first.request.headers.iter().any(|(k, _)| k == "content-length"));
    assert!(first.request.remote.starts_with("127.0.0.1:"));

    // Filters by verification result.
    let count = |verify: &str| {
        rig.store
            .count(&Filter {
                verify: Some(callback_inspector::VerifyFilter::parse(verify).expect("a result")),
                ..Default::default()
            })
            .expect("count")
    };
    assert_eq!(count("valid"), 2);
    assert_eq!(count("invalid"), 5);
    assert_eq!(count("malformed"), 1);
    let refused = callback_inspector::VerifyFilter::parse("nonsense").expect_err("not a result");
    assert!(refused.contains("use invalid or one of valid, expired"), "{refused}");
    // The filter arrives as JSON (the app, the server's read API): an unknown result is refused there.
    let e = serde_json::from_str::<Filter>(r#"{"verify":"nonsense"}"#).expect_err("refused");
    assert!(e.to_string().contains("unknown verification result"), "{e}");
    let f: Filter = serde_json::from_str(r#"{"verify":"invalid"}"#).expect("invalid is a filter");
    assert_eq!(serde_json::to_value(&f).expect("json")["verify"], "invalid");
}

#[tokio::test]
async fn a_body_over_one_mib_is_refused_with_413_and_recorded() {
    let rig = Rig::new(vec![]).await;
    let big = vec![b'x'; callback_inspector::BODY_LIMIT + 1];
    let (status, _) = rig.post("/big", big).await;
    assert_eq!(status, 413);
    let e = rig.latest();
    assert_eq!(e.check.slug(), "too_large");
    assert_eq!(e.answer.status, 413);
    assert_eq!(e.request.body_size, callback_inspector::BODY_LIMIT as u64 + 1);
    assert!(e.request.too_large);
    // Exactly at the limit is accepted (and, not being JSON, flagged malformed).
    let (status, _) = rig.post("/big", vec![b' '; callback_inspector::BODY_LIMIT]).await;
    assert_eq!(status, 200);
    assert_eq!(rig.latest().check.slug(), "malformed");
    // A chunked body with no length is cut off the same way.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = tokio::net::TcpStream::connect(rig.rx.addr()).await.expect("connect");
    conn.write_all(b"POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        .await
        .expect("head");
    let chunk = vec![b'y'; 64 * 1024];
    for _ in 0..20 {
        let head = format!("{:x}\r\n", chunk.len());
        if conn.write_all(head.as_bytes()).await.is_err()
            || conn.write_all(&chunk).await.is_err()
            || conn.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = conn.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer).await;
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 413"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert_eq!(rig.latest().check.slug(), "too_large");
}

#[tokio::test]
async fn every_event_type_is_read_and_verified() {
    let rig = Rig::new(vec![]).await;
    let key = Secret::new(TEMPLATE_KEY);
    for ty in tools::test_event_types() {
        let body = tools::test_event(ty, &key, now()).expect("test event");
        let (status, _) = rig.post(&format!("/cb/{ty}"), body.to_string()).await;
        assert_eq!(status, 200);
        let e = rig.latest();
        assert_eq!(e.facts.event_type, Some(ty));
        assert_eq!(e.check.slug(), "valid", "{ty}");
        assert_eq!(e.facts.stream_id.as_deref(), Some("livehook_test"), "{ty}");
        if ty != 314 {
            assert_eq!(e.facts.domain.as_deref(), Some("push.example.com"), "{ty}");
        }
    }
    for ty in tools::test_event_types() {
        let n = rig
            .store
            .count(&Filter {
                event_type: Some(ty),
                ..Default::default()
            })
            .expect("count");
        assert_eq!(n, 1, "{ty}");
    }
    assert_eq!(
        tools::test_event(999, &key, now()).expect_err("unknown"),
        tools::ToolError::UnknownEventType(999)
    );
}

#[tokio::test]
async fn rules_change_the_answer_and_retries_are_grouped_as_attempts() {
    let rules = vec![
        ResponseRule {
            path: Some("/down".into()),
            status: Some(503),
            ..Default::default()
        },
        ResponseRule {
            event_type: Some(200),
            delay_ms: 400,
            ..Default::default()
        },
        ResponseRule {
            path: Some("/flaky".into()),
            fail_first: 2,
            ..Default::default()
        },
    ];
    let rig = Rig::new(rules).await;
    let (status, answer) = rig
        .post("/down", signed(push_body("s"), TEMPLATE_KEY, now() + 600))
        .await;
    assert_eq!(status, 503);
    assert!(answer.contains("answer 503"), "{answer}");
    let e = rig.latest();
    assert_eq!(e.answer.status, 503);
    assert!(e.answer.rule.as_deref().unwrap_or_default().contains("path /down"));

    let snap = tools::test_event(200, &Secret::new(TEMPLATE_KEY), now()).expect("snapshot");
    let started = std::time::Instant::now();
    let (status, _) = rig.post("/snap", snap.to_string()).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(400), "the answer waited");
    assert_eq!(rig.latest().answer.delay_ms, 400);

    // Tencent's retries, on a fast clock: the first two attempts fail, the third is answered 200.
    let config = Retries {
        time_scale: 600.0,
        ..Default::default()
    };
    let seen = std::sync::Mutex::new(Vec::new());
    let results = tools::send_test_event(
        &rig.http,
        &rig.url("/flaky"),
        1,
        &Secret::new(TEMPLATE_KEY),
        now(),
        Some(&config),
        |r| seen.lock().expect("lock").push(r.status),
    )
    .await
    .expect("send");
    assert_eq!(*seen.lock().expect("lock"), vec![Some(500), Some(500), Some(200)]);
    assert_eq!(results.len(), 3);
    let e = rig.latest();
    assert_eq!(e.attempt, 3);
    let attempts = rig.store.attempts(&e.group).expect("attempts");
    assert_eq!(
        attempts.iter().map(|a| (a.attempt, a.status)).collect::<Vec<_>>(),
        vec![(1, 500), (2, 500), (3, 200)]
    );

    // A retry that Tencent re-signed (new t and sign) is still the same delivery.
    let mut body: Value = serde_json::from_slice(&e.request.body).expect("json");
    tools::resign(&mut body, &Secret::new(TEMPLATE_KEY), now() + 5);
    rig.post("/flaky", body.to_string()).await;
    assert_eq!(rig.latest().attempt, 4);
    assert_eq!(rig.latest().group, e.group);

    // Bad rules are refused.
    assert!(rig
        .rx
        .set_rules(vec![ResponseRule {
            status: Some(42),
            ..Default::default()
        }])
        .is_err());
    assert!(rig
        .rx
        .set_rules(vec![ResponseRule {
            delay_ms: 120_000,
            ..Default::default()
        }])
        .is_err());
}

#[tokio::test]
async fn subscribers_hear_each_callback_after_it_is_stored() {
    let rig = Rig::new(vec![]).await;
    let mut live = rig.rx.subscribe();
    rig.post("/x", signed(push_body("live1"), TEMPLATE_KEY, now() + 600))
        .await;
    match tokio::time::timeout(Duration::from_secs(5), live.recv()).await {
        Ok(Ok(Live::Received { event, stored })) => {
            assert_eq!(stored, 1, "the stored count travels with the callback");
            assert_eq!(event.stream_id.as_deref(), Some("live1"));
            assert_eq!(event.verify, callback_inspector::Verify::Valid);
            assert!(
                rig.store.get(event.id).expect("get").is_some(),
                "stored before announced"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// Reads `watch` until the stored count reaches `stored`: the callbacks it kept, and how many it hid.
async fn watch_until(watch: &mut Watch, stored: u64) -> (Vec<String>, u64) {
    let (mut kept, mut hidden, mut now) = (Vec::new(), 0, 0);
    while now < stored {
        let updates = tokio::time::timeout(Duration::from_secs(5), watch.next())
            .await
            .expect("an update in time")
            .expect("the receiver runs");
        for u in updates {
            match u {
                Update::Received { event, stored } => {
                    kept.push(event.stream_id.unwrap_or_default());
                    now = now.max(stored);
                }
                Update::Hidden { count, stored } => {
                    hidden += count;
                    now = now.max(stored);
                }
                other => panic!("{other:?}"),
            }
        }
    }
    (kept, hidden)
}

#[tokio::test]
async fn each_subscriber_hears_what_its_own_filter_keeps_with_the_stored_count() {
    let rig = Rig::new(vec![]).await;
    let mut by_stream = rig.rx.watch(Filter {
        stream_id: Some("room-b".into()),
        ..Default::default()
    });
    // A text search is decided by the store's index (the stream name is in the body).
    let mut by_text = rig.rx.watch(Filter {
        text: Some("room-c".into()),
        ..Default::default()
    });
    let mut unsigned = rig.rx.watch(Filter {
        verify: Some(callback_inspector::VerifyFilter::Is(
            callback_inspector::Verify::Unsigned,
        )),
        ..Default::default()
    });
    let mut everything = rig.rx.watch(Filter::default());
    for stream in ["room-a", "room-b", "room-c", "room-b"] {
        let (status, _) = rig
            .post("/x", signed(push_body(stream), TEMPLATE_KEY, now() + 600))
            .await;
        assert_eq!(status, 200);
    }
    let (status, _) = rig.post("/x", push_body("room-d").to_string()).await;
    assert_eq!(status, 200);

    assert_eq!(
        watch_until(&mut by_stream, 5).await,
        (vec!["room-b".into(), "room-b".into()], 3)
    );
    assert_eq!(watch_until(&mut by_text, 5).await, (vec!["room-c".into()], 4));
    assert_eq!(watch_until(&mut unsigned, 5).await, (vec!["room-d".into()], 4));
    let (all, hidden) = watch_until(&mut everything, 5).await;
    assert_eq!((all.len(), hidden), (5, 0));
    assert_eq!(rig.store.stored().expect("count"), 5);
    assert_eq!(rig.store.count(&Filter::default()).expect("count"), 5);
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_is_told_how_many_it_missed() {
    let (tx, rx) = tokio::sync::broadcast::channel(4);
    let mut watch = Watch::new(rx, Filter::default(), None);
    for _ in 0..10 {
        tx.send(Live::StoreFailed {
            message: "disk full".into(),
        })
        .expect("a subscriber");
    }
    let updates = watch.next().await.expect("updates");
    assert_eq!(updates.last(), Some(&Update::Missed { missed: 6 }), "{updates:?}");
    assert_eq!(updates.len(), 5, "the four still held, then the notice: {updates:?}");
    drop(tx);
    assert!(watch.next().await.is_none(), "a stopped receiver ends the watch");
}

#[tokio::test]
async fn an_older_callback_announced_late_does_not_move_the_count_back() {
    let summary = |id: i64| callback_inspector::EventSummary {
        id,
        received_at: 1_700_000_000_000 + id,
        method: "POST".into(),
        path: "/".into(),
        remote: "127.0.0.1:1".into(),
        body_size: 2,
        event_type: Some(1),
        stream_id: Some(format!("s{id}")),
        domain: None,
        app_name: None,
        sequence: None,
        verify: callback_inspector::Verify::Unsigned,
        key_label: None,
        attempt: 1,
        status: 200,
        replay_of: None,
    };
    let (tx, rx) = tokio::sync::broadcast::channel(16);
    let mut watch = Watch::new(rx, Filter::default(), None);
    for (id, stored) in [(7, 7), (6, 6)] {
        tx.send(Live::Received {
            event: summary(id),
            stored,
        })
        .expect("a subscriber");
    }
    let counts: Vec<u64> = watch
        .next()
        .await
        .expect("updates")
        .iter()
        .map(|u| match u {
            Update::Received { stored, .. } => *stored,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(counts, vec![7, 7]);
}

#[tokio::test]
async fn a_busy_port_is_explained_with_a_free_one_and_other_addresses_must_be_asked_for() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let err = start(ReceiverConfig::new(
        format!("127.0.0.1:{port}").parse().expect("addr"),
        None,
    ))
    .await
    .expect_err("busy");
    match &err {
        ReceiverError::PortInUse {
            port: p, suggestion, ..
        } => {
            assert_eq!(*p, port);
            let free = suggestion.expect("a suggestion");
            assert_ne!(free, port);
            std::net::TcpListener::bind(("127.0.0.1", free)).expect("the suggested port is free");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("is in use; port"), "{err}");
    let err = start(ReceiverConfig::new("0.0.0.0:0".parse().expect("addr"), None))
        .await
        .expect_err("external");
    assert!(matches!(err, ReceiverError::External(_)));
}

#[tokio::test]
async fn queries_filter_page_and_search_and_retention_keeps_the_newest() {
    let rig = Rig::new(vec![]).await;
    let key = Secret::new(TEMPLATE_KEY);
    for i in 0..30 {
        let mut body = push_body(&format!("stream{}", i % 3));
        body["appname"] = json!(if i % 2 == 0 { "live" } else { "edu" });
        body["errmsg"] = json!(format!("marker{i} 推流成功"));
        rig.post("/p", signed(body, key.expose(), now() + 600)).await;
    }
    let q = |f: Filter| rig.store.query(&f).expect("query");
    let page = q(Filter {
        stream_id: Some("stream1".into()),
        limit: Some(4),
        ..Default::default()
    });
    assert_eq!(page.items.len(), 4);
    assert!(page.items.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let mut all = page.items.clone();
    let mut next = page.next_before_id;
    while let Some(before) = next {
        let p = q(Filter {
            stream_id: Some("stream1".into()),
            limit: Some(4),
            before_id: Some(before),
            ..Default::default()
        });
        all.extend(p.items);
        next = p.next_before_id;
    }
    assert_eq!(all.len(), 10);
    assert!(all.iter().all(|e| e.stream_id.as_deref() == Some("stream1")));

    let edu = q(Filter {
        domain: Some("push.example.com".into()),
        app_name: Some("edu".into()),
        ..Default::default()
    });
    assert_eq!(edu.items.len(), 15);
    let found = q(Filter {
        text: Some("marker17".into()),
        ..Default::default()
    });
    assert_eq!(found.items.len(), 1);
    let e = rig.store.get(found.items[0].id).expect("get").expect("event");
    assert!(e.body_text().contains("marker17"));
    // Whole events come through the same search.
    let whole = rig
        .store
        .export(
            &Filter {
                text: Some("marker17".into()),
                ..Default::default()
            },
            10,
        )
        .expect("export");
    assert_eq!(whole, vec![e.clone()]);
    let combined = q(Filter {
        text: Some("推流成功".into()),
        stream_id: Some("stream2".into()),
        ..Default::default()
    });
    assert_eq!(combined.items.len(), 10);
    let quoted = q(Filter {
        text: Some("\"marker1\" OR *".into()),
        ..Default::default()
    });
    assert!(quoted.items.is_empty(), "query syntax in the text is taken literally");
    // A hand-picked selection, alone and with other conditions; ids not stored are ignored.
    let stream1: Vec<i64> = all.iter().map(|e| e.id).collect();
    let picked = vec![stream1[0], stream1[3], stream1[7], 999_999];
    let sel = q(Filter {
        ids: Some(picked.clone()),
        ..Default::default()
    });
    assert_eq!(
        sel.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![stream1[0], stream1[3], stream1[7]]
    );
    let sel_edu = rig
        .store
        .export(
            &Filter {
                ids: Some(picked),
                app_name: Some("edu".into()),
                domain: Some("push.example.com".into()),
                ..Default::default()
            },
            100,
        )
        .expect("export picked");
    // stream1 is pushes 28, 25, … 1 newest first; the odd ones went to AppName edu.
    assert_eq!(
        sel_edu.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![stream1[3], stream1[7]]
    );
    assert!(sel_edu.iter().all(|e| e.facts.app_name.as_deref() == Some("edu")));
    let too_many = rig.store.query(&Filter {
        ids: Some(vec![1; callback_inspector::MAX_IDS + 1]),
        ..Default::default()
    });
    assert!(
        matches!(too_many, Err(callback_inspector::StoreError::BadFilter(ref m)) if m.contains("at most")),
        "{too_many:?}"
    );
    let since = e.request.received_at;
    let recent = rig
        .store
        .count(&Filter {
            since: Some(since),
            ..Default::default()
        })
        .expect("count");
    assert!((1..=30).contains(&recent));

    rig.store
        .set_retention(Retention {
            max_events: 10,
            max_age_days: 0,
            max_mb: 0,
        })
        .expect("retention");
    rig.store.flush().expect("flush");
    rig.post("/p", signed(push_body("after"), key.expose(), now() + 600))
        .await;
    rig.store.flush().expect("flush");
    let left = rig.store.count(&Filter::default()).expect("count");
    assert!(left <= 11, "{left}");
    assert!(rig.store.get(1).expect("get").is_none(), "the oldest went first");
    assert!(q(Filter {
        text: Some("marker0".into()),
        ..Default::default()
    })
    .items
    .is_empty());
}

#[tokio::test]
async fn a_stream_timeline_is_one_push_session_or_the_whole_stream() {
    use callback_inspector::timeline::{session, timeline, Anomaly};
    let rig = Rig::new(vec![]).await;
    let t = now() + 600;
    let at = now() - 100;
    // Two push sessions of "cam"; the recording file names no session (as Tencent's do not).
    for (ty, seq, dt, stream) in [
        (1, Some("s1"), 0, "cam"),
        (0, Some("s1"), 10, "cam"),
        (1, Some("s2"), 20, "cam"),
        (332, Some("s2"), 21, "cam"),
        (0, Some("s2"), 24, "cam"),
        (100, None, 26, "cam"),
        (1, Some("other"), 30, "elsewhere"),
    ] {
        let mut body = json!({"event_type": ty, "app": "push.example.com", "appname": "live", "stream_id": stream,
            "event_time": at + dt, "record_event": "record_start_succeeded"});
        if let Some(seq) = seq {
            body["sequence"] = json!(seq);
        }
        let (status, _) = rig.post(&format!("/e{ty}"), signed(body, TEMPLATE_KEY, t)).await;
        assert_eq!(status, 200);
    }
    let whole = rig
        .store
        .stream_events("cam", 0, i64::MAX, 5000)
        .expect("stream")
        .events;
    assert_eq!(whole.len(), 6, "the other stream is not in it");
    assert!(
        whole.iter().all(|e| e.request.headers.is_empty()),
        "a timeline reads no headers"
    );
    assert!(
        whole
            .iter()
            .all(|e| e.request.body.is_empty() == (e.facts.event_type != Some(332))),
        "nor bodies, but a recording status's"
    );
    // The second session's span: after the first session's last event, to the stream's end.
    let (after, before) = rig.store.session_span("cam", "s2").expect("span").expect("known");
    assert_eq!((after, before), (whole[1].id, i64::MAX));
    assert_eq!(
        rig.store
            .stream_events("cam", after, before, 5000)
            .expect("session")
            .events
            .len(),
        4
    );
    assert_eq!(rig.store.session_span("cam", "nope").expect("span"), None);
    assert_eq!(
        rig.store.session_near("cam", whole[5].id).expect("near").as_deref(),
        Some("s2"),
        "the file's session"
    );
    let entries = timeline(&whole);
    let order: Vec<(Option<i64>, Option<&str>)> = entries
        .iter()
        .map(|e| (e.event.event_type, e.session.as_deref()))
        .collect();
    assert_eq!(
        order,
        vec![
            (Some(1), Some("s1")),
            (Some(0), Some("s1")),
            (Some(1), Some("s2")),
            (Some(332), Some("s2")),
            (Some(0), Some("s2")),
            (Some(100), Some("s2")),
        ],
        "in event time order, the file in the session before it"
    );
    // One session: its own events and the file; the recording did produce it, so nothing is marked.
    let second = session(entries.clone(), "s2");
    assert_eq!(
        second.iter().map(|e| e.event.event_type).collect::<Vec<_>>(),
        vec![Some(1), Some(332), Some(0), Some(100)]
    );
    assert!(second[3].event.sequence.is_none());
    assert!(
        second
            .iter()
            .all(|e| !e.anomalies.contains(&Anomaly::RecordingWithoutFile)),
        "{second:?}"
    );
    assert!(session(entries, "nope").is_empty());
}

/// A replay from LiveHook is kept as a replay of its original, never as one more delivery attempt,
/// while the same body sent again without the marker is Tencent's retry (attempt 2).
#[tokio::test]
async fn a_replay_is_kept_as_a_replay_not_as_a_delivery_attempt() {
    let rig = Rig::new(vec![]).await;
    let body = signed(push_body("replayed"), TEMPLATE_KEY, now() + 600);
    rig.post("/push", body.clone()).await;
    let original = rig.latest();
    assert_eq!((original.attempt, original.summary().replay_of), (1, None));

    // A sender that copies the header without this run's token is not believed.
    let forged = rig
        .http
        .post(rig.url("/push"))
        .header(
            callback_inspector::event::REPLAY_HEADER,
            format!("{}.0123456789abcdef0123456789abcdef", original.id),
        )
        .body(body.clone())
        .send()
        .await
        .expect("forged");
    assert_eq!(forged.status(), 200);
    let forged = rig.latest();
    assert_eq!(
        (forged.attempt, forged.summary().replay_of),
        (2, None),
        "a forged mark is a retry"
    );
    let bare = rig
        .http
        .post(rig.url("/push"))
        .header(callback_inspector::event::REPLAY_HEADER, original.id.to_string())
        .body(body.clone())
        .send()
        .await
        .expect("bare");
    assert_eq!(bare.status(), 200);
    assert_eq!(rig.latest().summary().replay_of, None, "an id alone marks nothing");

    let mark = rig.rx.replay_mark(original.id);
    let result = tools::replay(
        &rig.http,
        &rig.url("/push"),
        &original,
        &tools::Replay::AsCaptured,
        now(),
        Some(&mark),
    )
    .await
    .expect("replay");
    assert_eq!(result.status, Some(200));
    let replay = rig.latest();
    assert_ne!(replay.id, original.id);
    assert_eq!(replay.attempt, 1, "a replay is not a delivery attempt");
    assert_eq!(replay.summary().replay_of, Some(original.id));
    let listed = rig.store.query(&Filter::default()).expect("query");
    assert_eq!(
        listed.items[0].replay_of,
        Some(original.id),
        "the list knows it is a replay"
    );
    assert_eq!(
        rig.store.attempts(&original.group).expect("attempts").len(),
        3,
        "the original and the two unbelieved resends, not the replay"
    );
    let stored = replay
        .request
        .headers
        .iter()
        .find(|(k, _)| k == callback_inspector::event::REPLAY_HEADER);
    assert_eq!(
        stored.map(|(_, v)| v.as_str()),
        Some(original.id.to_string().as_str()),
        "the token is not kept"
    );
    assert!(
        !tools::curl(&replay, "http://x").contains("x-livehook-replay"),
        "nor copied"
    );

    // Two replays at once stay two replays, each its own group.
    let push = rig.url("/push");
    let (a, b) = tokio::join!(
        tools::replay(
            &rig.http,
            &push,
            &original,
            &tools::Replay::AsCaptured,
            now(),
            Some(&mark)
        ),
        tools::replay(
            &rig.http,
            &push,
            &original,
            &tools::Replay::AsCaptured,
            now(),
            Some(&mark)
        ),
    );
    assert_eq!((a.expect("a").status, b.expect("b").status), (Some(200), Some(200)));
    let listed = rig.store.query(&Filter::default()).expect("query");
    let replays: Vec<_> = listed
        .items
        .iter()
        .filter(|e| e.replay_of == Some(original.id))
        .collect();
    assert_eq!(replays.len(), 3);
    assert!(replays.iter().all(|e| e.attempt == 1), "{replays:?}");
}

/// A push session is Tencent's `sequence` only: the audio audit's `seq` and the recording status's
/// `session_id` name other things, and a recording status sent a moment before its push belongs to
/// that push's session.
#[tokio::test]
async fn a_push_session_is_its_sequence_only() {
    use callback_inspector::timeline::timeline;
    let rig = Rig::new(vec![]).await;
    let t = now() + 600;
    let at = now() - 100;
    for body in [
        json!({"event_type": 332, "stream_id": "cam", "event_time": at, "seq": "rec-9", "session_id": "sess-1", "record_event": "record_start_succeeded"}),
        json!({"event_type": 1, "stream_id": "cam", "event_time": at, "sequence": "push-1"}),
        json!({"event_type": 315, "stream_id": "cam", "event_time": at + 5, "seq": "audit-7"}),
        json!({"event_type": 0, "stream_id": "cam", "event_time": at + 9, "sequence": "push-1"}),
    ] {
        let (status, _) = rig.post("/e", signed(body, TEMPLATE_KEY, t)).await;
        assert_eq!(status, 200);
    }
    let entries = timeline(
        &rig.store
            .stream_events("cam", 0, i64::MAX, 5000)
            .expect("stream")
            .events,
    );
    let sessions: Vec<_> = entries.iter().map(|e| e.session.as_deref()).collect();
    assert_eq!(sessions, vec![Some("push-1"); 4], "{entries:#?}");
    // A callback long before the first push is not pulled into it.
    let old = json!({"event_type": 332, "stream_id": "cam", "event_time": at - 3600, "record_event": "record_start_succeeded"});
    rig.post("/e", signed(old, TEMPLATE_KEY, t)).await;
    let entries = timeline(
        &rig.store
            .stream_events("cam", 0, i64::MAX, 5000)
            .expect("stream")
            .events,
    );
    assert_eq!(entries[0].session, None, "an hour before the push is not its lead-in");
    assert_eq!(entries[1].session.as_deref(), Some("push-1"));
    let audit = entries.iter().find(|e| e.event.event_type == Some(315)).expect("audit");
    assert_eq!(audit.event.sequence, None, "the audit's seq is not a push session");
}
