//! Replay (as captured, re-signed, edited), forwarding to the user's handler, cURL, the three export
//! formats, and the stream timeline with its anomalies.

use std::time::Duration;

use callback_inspector::timeline::{timeline, Anomaly};
use callback_inspector::tools::{self, Format, Replay};
use callback_inspector::{
    start, Filter, Live, NamedKey, ReceiverConfig, Retention, RunningReceiver, Store, StoredEvent,
};
use serde_json::{json, Value};
use tencent_live::secret::Secret;

const KEY: &str = "toolsKey789";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn receiver(dir: &std::path::Path, name: &str) -> (Store, RunningReceiver) {
    let store = Store::open(&dir.join(name), Retention::default()).expect("store");
    let mut config = ReceiverConfig::new("127.0.0.1:0".parse().expect("addr"), Some(store.clone()));
    config.keys = vec![NamedKey::new("template 7 (tools)", KEY)];
    (store, start(config).await.expect("start"))
}

fn latest(store: &Store) -> StoredEvent {
    let id = store.query(&Filter::default()).expect("query").items[0].id;
    store.get(id).expect("get").expect("event")
}

#[tokio::test]
async fn replay_as_captured_resigned_and_edited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, rx) = receiver(dir.path(), "a.db").await;
    let (target_store, target) = receiver(dir.path(), "b.db").await;
    let http = reqwest::Client::new();
    // An expired callback arrives.
    let mut body = tools::test_event(1, &Secret::new(KEY), now() - 7200).expect("event");
    body["note"] = json!("first");
    http.post(format!("{}/live/push", rx.base_url()))
        .body(body.to_string())
        .send()
        .await
        .expect("send");
    let captured = latest(&store);
    assert_eq!(captured.check.slug(), "expired");
    let url = format!("{}/replayed", target.base_url());

    let r = tools::replay(&http, &url, &captured, &Replay::AsCaptured, now(), None)
        .await
        .expect("replay");
    assert_eq!(r.status, Some(200));
    let got = latest(&target_store);
    assert_eq!(got.request.body, captured.request.body, "the exact bytes");
    assert_eq!(got.check.slug(), "expired");

    let r = tools::replay(
        &http,
        &url,
        &captured,
        &Replay::Resigned { key: Secret::new(KEY) },
        now(),
        None,
    )
    .await
    .expect("resigned");
    assert!(r.ok());
    let got = latest(&target_store);
    assert_eq!(got.check.slug(), "valid", "a fresh t makes it valid again");
    let v: Value = serde_json::from_slice(&got.request.body).expect("json");
    assert_eq!(v["t"], json!(now() + 600));
    assert_eq!(v["note"], "first", "the rest is unchanged");

    let mut edited: Value = serde_json::from_slice(&captured.request.body).expect("json");
    edited["stream_id"] = json!("edited_stream");
    let r = tools::replay(
        &http,
        &url,
        &captured,
        &Replay::Edited {
            body: edited.to_string(),
            resign: Some(Secret::new(KEY)),
        },
        now(),
        None,
    )
    .await
    .expect("edited");
    assert!(r.ok());
    let got = latest(&target_store);
    assert_eq!(got.facts.stream_id.as_deref(), Some("edited_stream"));
    assert_eq!(got.check.slug(), "valid");

    let bad = tools::replay(
        &http,
        &url,
        &captured,
        &Replay::Edited {
            body: "{oops".into(),
            resign: None,
        },
        now(),
        None,
    )
    .await
    .expect_err("not JSON");
    assert!(matches!(bad, tools::ToolError::NotJson(_)));
    assert!(
        tools::replay(&http, "ftp://x", &captured, &Replay::AsCaptured, now(), None)
            .await
            .is_err()
    );
    // A target that is not listening is reported, not hidden.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let r = tools::replay(
        &http,
        &format!("http://{closed}/"),
        &captured,
        &Replay::AsCaptured,
        now(),
        None,
    )
    .await
    .expect("sent");
    assert_eq!(r.status, None);
    assert!(r.error.is_some());
}

#[tokio::test]
async fn everything_that_arrives_is_forwarded_and_the_answer_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, rx) = receiver(dir.path(), "a.db").await;
    let (handler_store, handler) = receiver(dir.path(), "handler.db").await;
    handler
        .set_rules(vec![callback_inspector::ResponseRule {
            status: Some(401),
            ..Default::default()
        }])
        .expect("rules");
    rx.set_forward(Some(format!("{}/my/handler", handler.base_url())));
    let mut live = rx.subscribe();
    let body = tools::test_event(100, &Secret::new(KEY), now()).expect("event");
    reqwest::Client::new()
        .post(format!("{}/cb", rx.base_url()))
        .body(body.to_string())
        .send()
        .await
        .expect("send");
    let record = loop {
        match tokio::time::timeout(Duration::from_secs(5), live.recv())
            .await
            .expect("in time")
        {
            Ok(Live::Forwarded { record }) => break record,
            Ok(_) => continue,
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(record.status, Some(401));
    assert!(record.answer.contains("answer 401"));
    let got = latest(&handler_store);
    assert_eq!(got.request.path, "/my/handler");
    assert_eq!(got.request.body, body.to_string().as_bytes());
    store.flush().expect("flush");
    let kept = store.forwards(record.event_id).expect("forwards");
    assert_eq!(kept, vec![record]);
}

#[tokio::test]
async fn curl_and_the_three_export_formats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, rx) = receiver(dir.path(), "a.db").await;
    let http = reqwest::Client::new();
    for ty in [1, 0, 200] {
        let mut body = tools::test_event(ty, &Secret::new(KEY), now()).expect("event");
        body["quote"] = json!("it's");
        http.post(format!("{}/cb/{ty}?x=1&y=two", rx.base_url()))
            .body(body.to_string())
            .send()
            .await
            .expect("send");
    }
    http.post(format!("{}/junk", rx.base_url()))
        .body("not json")
        .send()
        .await
        .expect("send");
    let events = store.export(&Filter::default(), 100).expect("export");
    assert_eq!(events.len(), 4);

    let curl = tools::curl(&events[1], &rx.base_url());
    assert!(
        curl.starts_with(&format!("curl -X 'POST' '{}/cb/200?x=1&y=two'", rx.base_url())),
        "{curl}"
    );
    assert!(curl.contains(r"it'\''s"), "single quotes survive the shell: {curl}");
    assert!(!curl.contains("content-length"));

    let json_text = tools::export(&events, Format::Json, &rx.base_url());
    let v: Value = serde_json::from_str(&json_text).expect("json");
    assert_eq!(v.as_array().expect("array").len(), 4);
    assert_eq!(v[0]["body"], "not json", "a malformed body is kept as text");
    assert_eq!(v[1]["body"]["event_type"], 200, "a JSON body stays JSON");
    assert_eq!(v[1]["verification"]["result"], "valid");

    let nd = tools::export(&events, Format::Ndjson, &rx.base_url());
    let lines: Vec<Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3]["eventType"], 1);

    let har: Value = serde_json::from_str(&tools::export(&events, Format::Har, &rx.base_url())).expect("har");
    let entries = har["log"]["entries"].as_array().expect("entries");
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(entries.len(), 4);
    assert_eq!(
        entries[1]["request"]["url"],
        format!("{}/cb/200?x=1&y=two", rx.base_url())
    );
    assert_eq!(entries[1]["request"]["queryString"][1]["value"], "two");
    assert_eq!(entries[1]["response"]["status"], 200);
    assert_eq!(entries[1]["response"]["content"]["text"], r#"{"code":0}"#);
    let sent: Value =
        serde_json::from_str(entries[1]["request"]["postData"]["text"].as_str().expect("text")).expect("body");
    assert_eq!(sent["event_type"], 200);
}

fn ev(id: i64, ty: i64, seq: &str, at: i64, extra: Value) -> StoredEvent {
    let mut body = json!({"event_type": ty, "stream_id": "s1", "sequence": seq, "event_time": at});
    if let (Value::Object(b), Value::Object(x)) = (&mut body, extra) {
        b.extend(x);
    }
    let raw = body.to_string().into_bytes();
    let facts = callback_inspector::event::examine("/cb", &raw, &[], at, Default::default()).facts;
    StoredEvent {
        id,
        request: callback_inspector::Captured {
            received_at: at * 1000,
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers: vec![],
            remote: "127.0.0.1:1".into(),
            body_size: raw.len() as u64,
            body: raw,
            too_large: false,
        },
        facts,
        check: callback_inspector::Check::Valid {
            key: "k".into(),
            expires_in: 600,
        },
        group: id.to_string(),
        attempt: 1,
        answer: callback_inspector::Answer::ok(),
    }
}

#[test]
fn the_timeline_marks_what_looks_wrong() {
    let t = 1_700_000_000;
    let events = vec![
        ev(1, 1, "A", t, json!({})),
        ev(2, 332, "A", t + 1, json!({"record_event": "record_start_succeeded"})),
        ev(3, 0, "A", t + 60, json!({})),
        // A second session: push, push again without an interruption, then an interruption of a
        // session that never started.
        ev(4, 1, "B", t + 2000, json!({})),
        ev(5, 1, "C", t + 2010, json!({})),
        ev(6, 0, "D", t + 2020, json!({})),
    ];
    let tl = timeline(&events);
    assert_eq!(
        tl.iter().map(|e| e.event.id).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6]
    );
    assert_eq!(tl[1].anomalies, vec![Anomaly::RecordingWithoutFile]);
    assert!(tl[2].anomalies.is_empty());
    assert_eq!(tl[3].anomalies, vec![Anomaly::Gap { seconds: 1940 }]);
    assert_eq!(
        tl[4].anomalies,
        vec![Anomaly::PushWithoutInterruption { previous: "B".into() }]
    );
    assert_eq!(tl[5].anomalies, vec![Anomaly::InterruptionWithoutPush]);

    // The file arrives after all: the recording is no longer marked. Out of order input is sorted.
    let mut with_file = events.clone();
    with_file.insert(0, ev(7, 100, "A", t + 90, json!({})));
    let tl = timeline(&with_file);
    assert!(tl.iter().all(|e| !e.anomalies.contains(&Anomaly::RecordingWithoutFile)));
    assert_eq!(tl[3].event.id, 7);
}

/// What the read API answers reads back into the same callback: a remote `inspector show` prints what a
/// local one does, body bytes included.
#[test]
fn an_api_record_reads_back_into_the_same_callback() {
    let e = callback_inspector::StoredEvent {
        id: 7,
        request: callback_inspector::Captured {
            received_at: 1_700_000_000_123,
            method: "POST".into(),
            path: "/live".into(),
            query: "a=1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            remote: "10.0.0.1:5000".into(),
            body: br#"{"z":1,"a":"x"}"#.to_vec(),
            body_size: 15,
            too_large: false,
        },
        facts: callback_inspector::Facts {
            event_type: Some(1),
            stream_id: Some("s".into()),
            domain: Some("push.example.com".into()),
            app_name: Some("live".into()),
            sequence: Some("q".into()),
            event_time: None,
        },
        check: callback_inspector::Check::Unsigned,
        group: "g".into(),
        attempt: 2,
        answer: callback_inspector::Answer::ok(),
    };
    let back = tools::from_record(&tools::api_record(&e)).expect("reads back");
    assert_eq!(back.request, e.request, "the exact body, keys in their order");
    assert_eq!(
        (back.id, back.attempt, &back.check, &back.answer),
        (e.id, e.attempt, &e.check, &e.answer)
    );
    assert_eq!(back.facts.stream_id, e.facts.stream_id);
    // An export record (no bodyText) still reads, its body written out from the JSON.
    let plain = tools::from_record(&tools::export_record(&e)).expect("reads");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&plain.request.body).expect("json")["z"],
        1
    );
}
