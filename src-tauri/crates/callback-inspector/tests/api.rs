//! The read API on its own loopback listener: bearer auth (every 401 case), the events with the list's
//! filters and paging, one callback whole, and the live stream with its resume from `Last-Event-ID`.

use std::sync::Arc;
use std::time::Duration;

use callback_inspector::api::{self, ApiConfig, ApiError};
use callback_inspector::{start, ReceiverConfig, Retention, RunningReceiver, Store};
use serde_json::{json, Value};

const TOKEN: &str = "api-token-0123456789abcdef";

struct Rig {
    _dir: tempfile::TempDir,
    store: Store,
    rx: RunningReceiver,
    api: api::RunningApi,
    http: reqwest::Client,
}

impl Rig {
    async fn new() -> Rig {
        Rig::serving(None).await
    }

    /// Both listeners over HTTPS with `tls`, or plain HTTP.
    async fn serving(tls: Option<Arc<rustls::ServerConfig>>) -> Rig {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("events.db"), Retention::default()).expect("store");
        let mut config = ReceiverConfig::new("127.0.0.1:0".parse().expect("addr"), Some(store.clone()));
        config.tls = tls.clone();
        let rx = start(config).await.expect("receiver");
        let subscribe = {
            let live = rx.subscriber();
            Arc::new(move || live.subscribe()) as Arc<dyn Fn() -> _ + Send + Sync>
        };
        let api = api::serve(
            ApiConfig {
                listen: "127.0.0.1:0".parse().expect("addr"),
                allow_external: false,
                token: TOKEN.into(),
                tls,
                callback_url: Some(rx.base_url()),
            },
            store.clone(),
            subscribe,
        )
        .await
        .expect("api");
        Rig {
            _dir: dir,
            store,
            rx,
            api,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("client"),
        }
    }

    async fn callback(&self, i: usize) {
        let event_type = [1, 0, 200][i % 3];
        let body = json!({"event_type": event_type, "stream_id": format!("cam{}", i % 2), "sequence": i.to_string(), "app": "push.example.com", "appname": "live"});
        let r = self
            .http
            .post(format!("{}/cb", self.rx.base_url()))
            .body(body.to_string())
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200);
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.api.base_url()))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("get");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn every_request_without_the_token_is_refused() {
    let rig = Rig::new().await;
    rig.callback(0).await;
    let url = |p: &str| format!("{}{p}", rig.api.base_url());
    let cases: Vec<(&str, reqwest::RequestBuilder)> = vec![
        ("no header", rig.http.get(url("/api/v1/events"))),
        (
            "a wrong token",
            rig.http
                .get(url("/api/v1/events"))
                .bearer_auth("api-token-0123456789abcdeX"),
        ),
        (
            "a prefix of the token",
            rig.http.get(url("/api/v1/events")).bearer_auth(&TOKEN[..20]),
        ),
        (
            "basic auth",
            rig.http.get(url("/api/v1/events")).basic_auth("x", Some(TOKEN)),
        ),
        (
            "the token in the URL",
            rig.http.get(url(&format!("/api/v1/events?token={TOKEN}"))),
        ),
        (
            "the token in the URL beside a good header",
            rig.http
                .get(url(&format!("/api/v1/events?access_token={TOKEN}")))
                .bearer_auth(TOKEN),
        ),
        ("one callback", rig.http.get(url("/api/v1/events/1"))),
        ("the live stream", rig.http.get(url("/api/v1/live"))),
        ("an unknown path", rig.http.get(url("/anything"))),
    ];
    for (what, req) in cases {
        let r = req.send().await.expect("send");
        assert_eq!(r.status(), 401, "{what}");
        assert_eq!(r.headers()["www-authenticate"], "Bearer", "{what}");
        let body: Value = r.json().await.expect("json");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.contains(TOKEN)),
            "{what}: {body}"
        );
    }
    // The callback listener serves no stored data, whatever the path and token.
    let r = rig
        .http
        .get(format!("{}/api/v1/events", rig.rx.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("send");
    let text = r.text().await.expect("text");
    assert!(!text.contains("\"events\""), "{text}");
    // A short token is refused when the API starts.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("e.db"), Retention::default()).expect("store");
    let live = rig.rx.subscriber();
    let short = api::serve(
        ApiConfig {
            listen: "127.0.0.1:0".parse().expect("addr"),
            allow_external: false,
            token: "short".into(),
            tls: None,
            callback_url: None,
        },
        store,
        Arc::new(move || live.subscribe()),
    )
    .await;
    assert!(matches!(short, Err(ApiError::ShortToken)));
}

#[tokio::test]
async fn events_take_the_lists_filters_and_page() {
    let rig = Rig::new().await;
    for i in 0..7 {
        rig.callback(i).await;
    }
    let (status, all) = rig.get("/api/v1/events").await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = all["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, vec![7, 6, 5, 4, 3, 2, 1], "newest first");
    assert_eq!(all["nextBeforeId"], Value::Null);
    // Filters: by type name and number, by stream.
    let (_, pushes) = rig.get("/api/v1/events?event_type=push").await;
    assert_eq!(pushes["events"].as_array().expect("events").len(), 3);
    let (_, ends) = rig.get("/api/v1/events?event_type=0&stream=cam1").await;
    let ends = ends["events"].as_array().expect("events").clone();
    assert!(!ends.is_empty());
    assert!(
        ends.iter().all(|e| e["eventType"] == 0 && e["streamId"] == "cam1"),
        "{ends:?}"
    );
    // Paging by nextBeforeId.
    let (_, first) = rig.get("/api/v1/events?limit=3").await;
    assert_eq!(first["events"].as_array().expect("events").len(), 3);
    let next = first["nextBeforeId"].as_i64().expect("more");
    let (_, second) = rig.get(&format!("/api/v1/events?limit=3&before_id={next}")).await;
    let second: Vec<i64> = second["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(second, vec![4, 3, 2]);
    // Bad parameters say what is wrong.
    for (q, says) in [
        ("limit=5000", "limit"),
        ("event_type=nothing", "event_type"),
        ("verified=maybe", "verified"),
        ("since=tomorrow", "since"),
    ] {
        let (status, body) = rig.get(&format!("/api/v1/events?{q}")).await;
        assert_eq!(status, 400, "{q}");
        assert!(body["error"].as_str().is_some_and(|e| e.contains(says)), "{q}: {body}");
    }
    // One callback whole; an unknown one is 404.
    let (status, one) = rig.get("/api/v1/events/2").await;
    assert_eq!(status, 200);
    assert_eq!(one["id"], 2);
    assert_eq!(one["body"]["sequence"], "1", "{one}");
    let (status, _) = rig.get("/api/v1/events/999").await;
    assert_eq!(status, 404);
}

type SseEvent = (Option<String>, Option<String>, String);

/// Reads a live stream's events (id, event name, data), keeping what a chunk held past the last one.
struct SseReader {
    r: reqwest::Response,
    text: String,
}

impl SseReader {
    async fn read(&mut self, n: usize) -> Vec<SseEvent> {
        let mut out = Vec::new();
        loop {
            while let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                let (mut id, mut kind, mut data) = (None, None, String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().to_owned());
                    } else if let Some(v) = line.strip_prefix("event:") {
                        kind = Some(v.trim().to_owned());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if !data.is_empty() {
                    out.push((id, kind, data));
                    if out.len() == n {
                        return out;
                    }
                }
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.r.chunk())
                .await
                .expect("an event in time")
                .expect("chunk")
                .expect("open");
            self.text.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// A live stream, on a client with no overall timeout (the stream stays open).
async fn connect(rig: &Rig, last: Option<&str>) -> SseReader {
    let mut req = reqwest::Client::new()
        .get(format!("{}/api/v1/live", rig.api.base_url()))
        .bearer_auth(TOKEN);
    if let Some(id) = last {
        req = req.header("Last-Event-ID", id);
    }
    let r = req.send().await.expect("connect");
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/event-stream"));
    SseReader { r, text: String::new() }
}

#[tokio::test]
async fn the_live_stream_delivers_each_arrival_and_resumes_after_a_drop() {
    let rig = Rig::new().await;
    let mut r = connect(&rig, None).await;
    let started = std::time::Instant::now();
    rig.callback(0).await;
    rig.callback(1).await;
    let got = r.read(2).await;
    let elapsed = started.elapsed();
    assert_eq!(
        got.iter().map(|g| g.0.clone().expect("id")).collect::<Vec<_>>(),
        vec!["1", "2"]
    );
    let first: Value = serde_json::from_str(&got[0].2).expect("summary JSON");
    assert_eq!((first["id"].as_i64(), first["eventType"].as_i64()), (Some(1), Some(1)));
    println!("two arrivals on the live stream after {elapsed:?}");
    drop(r);

    // Three arrive while the client is away; reconnecting with the last id it saw gives those first,
    // then what arrives after.
    for i in 2..5 {
        rig.callback(i).await;
    }
    let mut r = connect(&rig, Some("2")).await;
    let missed = r.read(3).await;
    assert_eq!(
        missed.iter().map(|g| g.0.clone().expect("id")).collect::<Vec<_>>(),
        vec!["3", "4", "5"]
    );
    rig.callback(5).await;
    let next = r.read(1).await;
    assert_eq!(next[0].0.as_deref(), Some("6"), "then live, none twice");
}

/// A client that reads nothing while 16 senders post 6 000 callbacks at once: the arrivals are announced
/// as their handlers finish, not in id order, and the client still gets every id once (told with
/// `event: resync` and caught up from the database if it fell behind).
#[tokio::test]
async fn many_senders_at_once_lose_no_arrival_on_the_live_stream() {
    let rig = Rig::new().await;
    let mut r = connect(&rig, None).await;
    let n = 6_000usize;
    let base = rig.rx.base_url();
    let mut senders = Vec::new();
    for s in 0..16 {
        let http = reqwest::Client::new();
        let base = base.clone();
        senders.push(tokio::spawn(async move {
            for i in (s..n).step_by(16) {
                let body = json!({"event_type": 1, "stream_id": "load", "sequence": i.to_string()});
                let r = http
                    .post(format!("{base}/cb"))
                    .body(body.to_string())
                    .send()
                    .await
                    .expect("send");
                assert_eq!(r.status(), 200);
            }
        }));
    }
    for s in senders {
        s.await.expect("sender");
    }
    // Now read: every id from 1 to n once, in order, with the notice where the client fell behind.
    let mut ids = Vec::new();
    let mut resyncs = 0;
    while ids.len() < n {
        for (id, kind, _) in r.read(1).await {
            match kind.as_deref() {
                Some("resync") => resyncs += 1,
                _ => ids.push(id.expect("id").parse::<i64>().expect("number")),
            }
        }
    }
    // Arrivals are announced as their handlers finish, so neighbours may swap; none is missing or twice.
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=n as i64).collect::<Vec<_>>(), "every id once");
    println!("{resyncs} resync notice(s)");
}

/// A client whose arrivals' channel overflows (here a channel of 16 fed 300 arrivals at once, as a
/// burst would overflow the receiver's 4 096) gets `event: resync` and then every callback from the
/// database: told, and never silently skipped.
#[tokio::test]
async fn an_overflowed_client_is_told_and_caught_up_from_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("events.db"), Retention::default()).expect("store");
    let rx = start(ReceiverConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        Some(store.clone()),
    ))
    .await
    .expect("receiver");
    let (small, _) = tokio::sync::broadcast::channel::<callback_inspector::Live>(16);
    let feed = small.clone();
    let api = api::serve(
        ApiConfig {
            listen: "127.0.0.1:0".parse().expect("addr"),
            allow_external: false,
            token: TOKEN.into(),
            tls: None,
            callback_url: None,
        },
        store.clone(),
        Arc::new(move || feed.subscribe()),
    )
    .await
    .expect("api");
    let r = reqwest::Client::new()
        .get(format!("{}/api/v1/live", api.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("connect");
    let mut reader = SseReader { r, text: String::new() };
    let http = reqwest::Client::new();
    for i in 0..300 {
        let body = json!({"event_type": 1, "stream_id": "burst", "sequence": i.to_string()});
        http.post(format!("{}/cb", rx.base_url()))
            .body(body.to_string())
            .send()
            .await
            .expect("send");
    }
    store.flush().expect("flush");
    // All 300 announced at once, without yielding: the live stream's task cannot keep up.
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .query(&callback_inspector::Filter {
                before_id: before,
                limit: Some(1000),
                ..Default::default()
            })
            .expect("query");
        all.extend(page.items);
        match page.next_before_id {
            Some(id) => before = Some(id),
            None => break,
        }
    }
    all.reverse();
    for event in all {
        let _ = small.send(callback_inspector::Live::Received { event, stored: 300 });
    }
    let mut ids = Vec::new();
    let mut resync = None;
    while ids.len() < 300 {
        for (id, kind, data) in reader.read(1).await {
            match kind.as_deref() {
                Some("resync") => resync = Some(data),
                _ => ids.push(id.expect("id").parse::<i64>().expect("number")),
            }
        }
    }
    let notice: Value = serde_json::from_str(&resync.expect("the client is told it fell behind")).expect("json");
    assert!(notice["missed"].as_u64().is_some_and(|m| m > 0), "{notice}");
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "none twice");
    assert_eq!(sorted, (1..=300).collect::<Vec<_>>(), "none missing");
}

/// A throw-away authority and a certificate it signed for 127.0.0.1 (openssl): (authority, certificate,
/// key) PEM files. (A self-signed certificate is refused as an end entity by webpki.)
fn certificate(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let (ca, ca_key, csr, cert, key, ext) = (
        dir.join("ca.pem"),
        dir.join("ca.key"),
        dir.join("leaf.csr"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
        dir.join("ext.cnf"),
    );
    std::fs::write(&ext, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").expect("ext");
    let openssl = |args: &[&std::ffi::OsStr]| {
        let ok = std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl runs")
            .status
            .success();
        assert!(ok, "openssl {args:?}");
    };
    let s = |x: &str| std::ffi::OsStr::new(x).to_owned();
    let p = |x: &std::path::Path| x.as_os_str().to_owned();
    for args in [
        vec![
            s("req"),
            s("-x509"),
            s("-newkey"),
            s("rsa:2048"),
            s("-nodes"),
            s("-days"),
            s("2"),
            s("-subj"),
            s("/CN=LiveHook test CA"),
            s("-keyout"),
            p(&ca_key),
            s("-out"),
            p(&ca),
        ],
        vec![
            s("req"),
            s("-newkey"),
            s("rsa:2048"),
            s("-nodes"),
            s("-subj"),
            s("/CN=127.0.0.1"),
            s("-keyout"),
            p(&key),
            s("-out"),
            p(&csr),
        ],
        vec![
            s("x509"),
            s("-req"),
            s("-in"),
            p(&csr),
            s("-CA"),
            p(&ca),
            s("-CAkey"),
            p(&ca_key),
            s("-CAcreateserial"),
            s("-days"),
            s("2"),
            s("-extfile"),
            p(&ext),
            s("-out"),
            p(&cert),
        ],
    ] {
        openssl(&args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>());
    }
    (ca, cert, key)
}

/// `--tls-cert`/`--tls-key`: the receiver and the read API both over HTTPS; a client that does not
/// trust the certificate is refused by TLS, one that does gets the callbacks.
#[tokio::test]
async fn both_listeners_speak_https_with_the_given_certificate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ca, cert, key) = certificate(dir.path());
    let tls = tencent_live::tls::server_config(&cert, &key).expect("tls");
    let rig = Rig::serving(Some(tls)).await;
    let (rx, api) = (&rig.rx, &rig.api);
    assert!(rx.base_url().starts_with("https://") && api.base_url().starts_with("https://"));
    let pem = std::fs::read(&ca).expect("authority");
    let trusted = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("pem"))
        .build()
        .expect("client");
    let r = trusted
        .post(format!("{}/cb", rx.base_url()))
        .body(json!({"event_type": 1, "stream_id": "tls"}).to_string())
        .send()
        .await
        .expect("a callback over TLS");
    assert_eq!(r.status(), 200);
    let v: Value = trusted
        .get(format!("{}/api/v1/events", api.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("the API over TLS")
        .json()
        .await
        .expect("json");
    assert_eq!(v["events"][0]["streamId"], "tls");
    // Without the certificate trusted, TLS refuses before any HTTP.
    let e = reqwest::Client::new()
        .get(format!("{}/api/v1/events", api.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect_err("an untrusted certificate");
    assert!(e.is_connect(), "{e}");
    // Plain HTTP to the TLS port gets no answer.
    assert!(reqwest::Client::new()
        .get(format!("http://{}/api/v1/events", api.addr()))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .is_err());
}

/// What the app needs beyond the list: the chart's counts, a stream's timeline and an export, on the
/// same filters and the same token.
#[tokio::test]
async fn traffic_timeline_and_export_over_the_api() {
    let rig = Rig::new().await;
    for i in 0..6 {
        rig.callback(i).await;
    }
    let (status, t) = rig
        .get("/api/v1/traffic?buckets=10&utc_offset_minutes=480&limit=5")
        .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["total"], 6, "{t}");
    let (_, pushes) = rig.get("/api/v1/traffic?event_type=push&buckets=10").await;
    assert_eq!(pushes["total"], 2, "{pushes}");
    let (status, bad) = rig.get("/api/v1/traffic?buckets=ten").await;
    assert_eq!(status, 400, "{bad}");
    let (status, tl) = rig.get("/api/v1/streams/cam0/timeline?limit=100").await;
    assert_eq!(status, 200, "{tl}");
    let entries = tl["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 3, "cam0 has callbacks 1, 3 and 5: {tl}");
    let (status, _) = rig.get("/api/v1/streams/cam0/timeline?session_of=999").await;
    assert_eq!(status, 404);
    let r = rig
        .http
        .get(format!(
            "{}/api/v1/export?format=ndjson&stream=cam1",
            rig.api.base_url()
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("export");
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .expect("name")
        .contains("callbacks.ndjson"));
    let text = r.text().await.expect("text");
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text
        .lines()
        .all(|l| serde_json::from_str::<Value>(l).expect("a record")["streamId"] == "cam1"));
    let (status, _) = rig.get("/api/v1/export?format=xml").await;
    assert_eq!(status, 400);
    let r = rig
        .http
        .get(format!("{}/api/v1/traffic", rig.api.base_url()))
        .send()
        .await
        .expect("no token");
    assert_eq!(r.status(), 401);
}

/// The client the CLI's `--remote` and the app attached to a remote receiver both use: every filter of
/// the list (picked ids, a time range, a verification result included) answers what the receiver's own
/// database answers, and so do one callback (with its other attempts), the chart and the export.
#[tokio::test]
async fn the_remote_client_reads_what_the_database_holds() {
    use callback_inspector::remote::{RemoteClient, RemoteOptions};
    use callback_inspector::{Filter, Verify, VerifyFilter};
    let rig = Rig::new().await;
    for i in 0..9 {
        rig.callback(i).await;
    }
    let client = RemoteClient::new(&RemoteOptions {
        url: rig.api.base_url(),
        token: TOKEN.into(),
        ..Default::default()
    })
    .expect("client");
    let status = client.status().await.expect("status");
    assert_eq!((status.stored, status.newest_id), (9, 9));
    assert_eq!(status.callback_url.as_deref(), Some(rig.rx.base_url().as_str()));
    let now = chrono::Utc::now().timestamp_millis();
    let filters = [
        Filter::default(),
        Filter {
            event_type: Some(200),
            ..Default::default()
        },
        Filter {
            stream_id: Some("cam1".into()),
            limit: Some(2),
            before_id: Some(8),
            ..Default::default()
        },
        Filter {
            ids: Some(vec![2, 5, 7]),
            ..Default::default()
        },
        Filter {
            verify: Some(VerifyFilter::Is(Verify::Unsigned)),
            since: Some(now - 60_000),
            until: Some(now + 60_000),
            ..Default::default()
        },
        Filter {
            verify: Some(VerifyFilter::Is(Verify::Valid)),
            ..Default::default()
        },
        Filter {
            until: Some(now - 60_000),
            ..Default::default()
        },
    ];
    for f in &filters {
        let local = rig.store.query(&Filter {
            limit: Some(f.limit.unwrap_or(100)),
            ..f.clone()
        });
        assert_eq!(client.page(f).await.expect("page"), local.expect("local"), "{f:?}");
        let (local_events, _) = rig.store.query_whole(&f.clone()).expect("whole");
        let (remote_events, _) = client.events(f).await.expect("events");
        assert_eq!(remote_events, local_events, "{f:?}");
        assert_eq!(
            client.traffic(f, 30, 480).await.expect("traffic"),
            rig.store.traffic(f, 30, 480 * 60_000).expect("local traffic"),
            "{f:?}"
        );
    }
    let one = client.event(4).await.expect("event").expect("stored");
    assert_eq!(one.event, rig.store.get(4).expect("get").expect("stored"));
    assert_eq!(one.attempts, rig.store.attempts(&one.event.group).expect("attempts"));
    assert!(client.event(999).await.expect("a missing id is no error").is_none());
    let timeline = client
        .timeline("cam0", None, None)
        .await
        .expect("timeline")
        .expect("found");
    assert_eq!(
        timeline,
        callback_inspector::timeline::read(&rig.store, "cam0", None, None).expect("local timeline")
    );
    let mut file = Vec::new();
    let n = client
        .export(
            &Filter {
                stream_id: Some("cam1".into()),
                ..Default::default()
            },
            callback_inspector::tools::Format::Ndjson,
            |chunk| {
                file.extend_from_slice(chunk);
                Ok(())
            },
        )
        .await
        .expect("export");
    assert_eq!(n, 4);
    assert_eq!(file.iter().filter(|&&b| b == b'\n').count(), 4);
    // A filter the API cannot take is told, not answered with everything.
    let e = client
        .page(&Filter {
            ids: Some((0..2000).collect()),
            ..Default::default()
        })
        .await
        .expect_err("too many ids");
    assert!(
        matches!(e, callback_inspector::remote::RemoteError::Status { status: 400, .. }),
        "{e}"
    );
}

/// Each refusal is told as what it is: the token, a certificate for another name or from nobody the
/// computer trusts (with its fingerprint, which then can be trusted), a certificate that changed, a
/// receiver not running, plain http:// to another machine.
#[tokio::test]
async fn the_remote_client_explains_each_refusal() {
    use callback_inspector::remote::{fingerprint_of, RemoteClient, RemoteError, RemoteOptions};
    use rustls::pki_types::pem::PemObject;
    let dir = tempfile::tempdir().expect("tempdir");
    let (ca, cert, key) = certificate(dir.path());
    let rig = Rig::serving(Some(tencent_live::tls::server_config(&cert, &key).expect("tls"))).await;
    let der = rustls::pki_types::CertificateDer::from_pem_file(&cert).expect("der");
    let fingerprint = fingerprint_of(der.as_ref());
    let port = rig.api.addr().port();
    let client = |url: String, token: &str, fingerprint: Option<String>, ca_pem: Option<Vec<u8>>| {
        RemoteClient::new(&RemoteOptions {
            url,
            token: token.into(),
            ca_pem,
            fingerprint,
            allow_insecure: false,
        })
    };
    let https = format!("https://127.0.0.1:{port}");
    // Signed by an authority this computer does not know: refused, with the certificate's fingerprint.
    let e = client(https.clone(), TOKEN, None, None)
        .expect("client")
        .status()
        .await
        .expect_err("untrusted");
    assert_eq!(
        e,
        RemoteError::Untrusted {
            url: https.clone(),
            fingerprint: fingerprint.clone()
        }
    );
    // That fingerprint trusted (as shown, or typed in lower case without colons): answered.
    for typed in [fingerprint.clone(), fingerprint.replace(':', "").to_lowercase()] {
        let ok = client(https.clone(), TOKEN, Some(typed), None).expect("client");
        assert_eq!(ok.status().await.expect("trusted").stored, 0);
    }
    // The certificate is for 127.0.0.1, not localhost: a name mismatch, even with its authority trusted.
    let by_name = format!("https://localhost:{port}");
    let authority = std::fs::read(&ca).expect("ca");
    let e = client(by_name.clone(), TOKEN, None, Some(authority.clone()))
        .expect("client")
        .status()
        .await
        .expect_err("another name");
    assert!(
        matches!(&e, RemoteError::NameMismatch { fingerprint: f, .. } if *f == fingerprint),
        "{e:?}"
    );
    assert!(e.to_string().contains("not for this host name"), "{e}");
    // With its authority trusted and the right name: answered.
    assert!(client(https.clone(), TOKEN, None, Some(authority.clone()))
        .expect("client")
        .status()
        .await
        .is_ok());
    // A trusted fingerprint that no longer matches: told that the certificate changed.
    let other = "AB:".repeat(31) + "AB";
    let e = client(https.clone(), TOKEN, Some(other.clone()), None)
        .expect("client")
        .status()
        .await
        .expect_err("changed");
    assert_eq!(
        e,
        RemoteError::FingerprintChanged {
            url: https.clone(),
            pinned: other,
            fingerprint: fingerprint.clone()
        }
    );
    // The wrong token: 401, said as such.
    let e = client(https.clone(), "not-the-token-0000000", Some(fingerprint.clone()), None)
        .expect("client")
        .status()
        .await
        .expect_err("401");
    assert!(matches!(e, RemoteError::Unauthorized { .. }), "{e:?}");
    // Nothing listening.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let e = client(format!("https://127.0.0.1:{closed}"), TOKEN, None, None)
        .expect("client")
        .status()
        .await
        .expect_err("refused");
    assert!(
        matches!(&e, RemoteError::Unreachable { detail, .. } if detail.contains("--api-listen")),
        "{e:?}"
    );
    // Plain http:// to another machine is refused before anything is sent; to this one it is fine.
    let e = client("http://192.0.2.1:8921".into(), TOKEN, None, None).expect_err("insecure");
    assert!(
        matches!(&e, RemoteError::Usage(m) if m.contains("unencrypted")),
        "{e:?}"
    );
    assert!(client("http://127.0.0.1:8921".into(), TOKEN, None, None).is_ok());
    assert!(matches!(
        client("https://x".into(), TOKEN, Some("12:34".into()), None),
        Err(RemoteError::Usage(_))
    ));
}

/// The next callback of a live stream (within 10 s): its id and the stored count it came with.
async fn next(live: &mut callback_inspector::remote::LiveStream) -> (i64, Option<u64>) {
    use callback_inspector::remote::LiveItem;
    match tokio::time::timeout(Duration::from_secs(10), live.next()).await {
        Ok(Ok(Some(LiveItem::Event { event, stored }))) => (event.id, stored),
        other => panic!("{other:?}"),
    }
}

/// The live stream as the client reads it: an arrival within moments, its stored count with it, and
/// after a drop, resumed from the last id seen with nothing missed.
#[tokio::test]
async fn the_remote_live_stream_resumes_from_the_last_id_seen() {
    use callback_inspector::remote::{RemoteClient, RemoteOptions};
    let rig = Rig::new().await;
    let client = RemoteClient::new(&RemoteOptions {
        url: rig.api.base_url(),
        token: TOKEN.into(),
        ..Default::default()
    })
    .expect("client");
    let mut live = client.live(None).await.expect("live");
    rig.callback(0).await;
    assert_eq!(next(&mut live).await, (1, Some(1)));
    drop(live);
    for i in 1..4 {
        rig.callback(i).await;
    }
    let mut live = client.live(Some(1)).await.expect("resumed");
    // Caught up from the database (no stored count there), then live again.
    assert_eq!(next(&mut live).await, (2, None));
    assert_eq!(next(&mut live).await, (3, None));
    assert_eq!(next(&mut live).await, (4, None));
    rig.callback(4).await;
    assert_eq!(next(&mut live).await, (5, Some(5)));
}
