//! `make bench`: what the inspector sustains on this machine. Ingest: signed callbacks per second
//! answered 200 after commit, with p50/p99 latency, at 1, 16 and 128 concurrent senders, beside three
//! ceilings measured in the same run: the same receiver with storage switched off (HTTP alone), the store
//! alone driven by as many writers with the same callbacks (no HTTP), and raw write + fdatasync a second;
//! durable/s is also given as a share of the lower of the first two. Queries: a
//! filtered page, a deep page and text searches at 100 000 and 1 000 000 stored events, beside the
//! unfiltered first page. The load generator (a lean keep-alive client, one connection per sender)
//! shares the machine's cores with the receiver. Prints a table; asserts nothing.

// The allocator of `livehook` (the receiver that runs on servers), so the figures are the server's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use callback_inspector::{start, Captured, Check, Facts, Filter, NamedKey, ReceiverConfig, Retention, Store};
use serde_json::json;
use tencent_live::callback::sign;
use tencent_live::secret::Secret;

const KEY: &str = "benchKey0001";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A lean HTTP/1.1 keep-alive client: pre-formatted requests on one connection, answers read by
/// Content-Length. It leaves more of the shared cores to the receiver than a full client would.
struct Sender {
    stream: tokio::net::TcpStream,
    buf: Vec<u8>,
}

impl Sender {
    async fn connect(addr: std::net::SocketAddr) -> Sender {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Sender {
            stream,
            buf: Vec::with_capacity(4096),
        }
    }

    /// The answer's status code.
    async fn post(&mut self, path: &str, body: &str) -> u16 {
        use tokio::io::AsyncWriteExt;
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.stream.write_all(request.as_bytes()).await.expect("send");
        self.buf.clear();
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = std::str::from_utf8(&self.buf[..end]).expect("an ASCII head");
                let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).expect("a status line");
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().ok())?
                    })
                    .expect("a Content-Length");
                while self.buf.len() < end + 4 + length {
                    self.read_more().await;
                }
                return status;
            }
            self.read_more().await;
        }
    }

    async fn read_more(&mut self) {
        use tokio::io::AsyncReadExt;
        let mut chunk = [0u8; 4096];
        let n = self.stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the receiver closed the connection");
        self.buf.extend_from_slice(&chunk[..n]);
    }
}

/// (callbacks per second answered 200, p50, p99). With `same_body`, every sender posts one identical
/// body again and again (a retrying or misbehaving sender: one delivery group that keeps growing).
async fn ingest(durable: bool, senders: usize, seconds: f64, same_body: bool) -> (f64, Duration, Duration) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = durable.then(|| Store::open(&dir.path().join("bench.db"), Retention::default()).expect("store"));
    let mut config = ReceiverConfig::new("127.0.0.1:0".parse().expect("addr"), store.clone());
    config.keys = vec![NamedKey::new("bench", KEY)];
    let rx = start(config).await.expect("start");
    let addr = rx.addr();
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    let fixed_t = chrono::Utc::now().timestamp() + 600;
    for s in 0..senders {
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Sender::connect(addr).await;
            let mut lat = Vec::new();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let body = if same_body {
                    push_body("bench_same", "same", fixed_t)
                } else {
                    push_body(
                        &format!("bench{s}_{n}"),
                        &format!("{s}-{n}"),
                        chrono::Utc::now().timestamp() + 600,
                    )
                };
                let started = Instant::now();
                if conn.post("/cb", &body).await == 200 {
                    lat.push(started.elapsed());
                }
            }
            lat
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("sender"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    rx.stop().await;
    if let Some(s) = store {
        s.close();
    }
    (
        all.len() as f64 / elapsed,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
    )
}

/// A paced load of `rate` signed callbacks a second for `seconds` from 16 senders, with `clients` read
/// API clients on the live stream: (callbacks stored, answered 200 a second, answer p50, p99, each client's
/// count of events received, the p95 and max delay from storing to a client reading it).
#[allow(clippy::type_complexity)]
async fn live_clients(
    clients: usize,
    rate: Option<u32>,
    seconds: f64,
) -> (usize, f64, Duration, Duration, Vec<u64>, Duration, Duration) {
    const TOKEN: &str = "bench-api-token-0123456789";
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("bench.db"), Retention::default()).expect("store");
    let mut config = ReceiverConfig::new("127.0.0.1:0".parse().expect("addr"), Some(store.clone()));
    config.keys = vec![NamedKey::new("bench", KEY)];
    let rx = start(config).await.expect("start");
    let live = rx.subscriber();
    let api = callback_inspector::api::serve(
        callback_inspector::api::ApiConfig {
            listen: "127.0.0.1:0".parse().expect("addr"),
            allow_external: false,
            token: TOKEN.into(),
            tls: None,
            callback_url: None,
        },
        store.clone(),
        Arc::new(move || live.subscribe()),
    )
    .await
    .expect("api");
    // The clients: each reads the stream and notes, per event, how long after it was stored it came.
    let stop = Arc::new(AtomicBool::new(false));
    let readers_stop = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for _ in 0..clients {
        let url = format!("{}/api/v1/live", api.base_url());
        let stop = readers_stop.clone();
        let mut r = reqwest::Client::new()
            .get(url)
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("connect");
        readers.push(tokio::spawn(async move {
            let (mut text, mut count, mut delays) = (String::new(), 0u64, Vec::new());
            while !stop.load(Ordering::Relaxed) {
                let Ok(Ok(Some(chunk))) = tokio::time::timeout(Duration::from_millis(500), r.chunk()).await else {
                    continue;
                };
                text.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = text.find("\n\n") {
                    let block: String = text.drain(..end + 2).collect();
                    if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) {
                        let v: serde_json::Value = serde_json::from_str(data.trim()).unwrap_or_default();
                        if let Some(at) = v["receivedAt"].as_i64() {
                            count += 1;
                            let now = chrono::Utc::now().timestamp_millis();
                            delays.push(Duration::from_millis((now - at).max(0) as u64));
                        }
                    }
                }
            }
            (count, delays)
        }));
    }
    let addr = rx.addr();
    let senders = 16usize;
    // Paced at `rate` in all, or (None) each sender as fast as its answers come.
    let per_sender = rate.map(|r| Duration::from_secs_f64(senders as f64 / f64::from(r)));
    let mut tasks = Vec::new();
    for s in 0..senders {
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Sender::connect(addr).await;
            let mut tick = per_sender.map(tokio::time::interval);
            if let Some(t) = tick.as_mut() {
                t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            }
            let (mut lat, mut n) = (Vec::new(), 0u64);
            while !stop.load(Ordering::Relaxed) {
                if let Some(t) = tick.as_mut() {
                    t.tick().await;
                }
                n += 1;
                let body = push_body(
                    &format!("live{s}_{n}"),
                    &format!("{s}-{n}"),
                    chrono::Utc::now().timestamp() + 600,
                );
                let started = Instant::now();
                if conn.post("/cb", &body).await == 200 {
                    lat.push(started.elapsed());
                }
            }
            lat
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("sender"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Give the clients a moment to read the last arrivals, then stop them.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    readers_stop.store(true, Ordering::Relaxed);
    let mut counts = Vec::new();
    let mut delays = Vec::new();
    for r in readers {
        let (c, d) = r.await.expect("reader");
        counts.push(c);
        delays.extend(d);
    }
    all.sort();
    delays.sort();
    api.stop();
    rx.stop().await;
    store.close();
    (
        all.len(),
        all.len() as f64 / elapsed,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        counts,
        percentile(&delays, 0.95),
        delays.last().copied().unwrap_or_default(),
    )
}

/// One realistic stored callback, the `i`th of 11 event types, 1 000 streams, 20 domains, 1% with the
/// word "needle" in the body: its request, facts, verification and delivery group.
fn sample(i: usize) -> (Captured, Facts, Check, String) {
    let types = [1, 0, 100, 200, 314, 315, 317, 321, 332, 341, 348];
    let ty = types[i % types.len()];
    let stream = format!("stream{}", i % 1000);
    let domain = format!("push{}.example.com", i % 20);
    let word = if i % 100 == 7 { "needle" } else { "hay" };
    let body = json!({"event_type": ty, "app": domain, "appname": "live", "stream_id": stream,
        "sequence": format!("seq{}", i / 50), "errmsg": word, "t": 1_700_000_600 + i as i64,
        "sign": "0123456789abcdef0123456789abcdef", "event_time": 1_700_000_000 + i as i64})
    .to_string();
    let request = Captured {
        received_at: 1_700_000_000_000 + i as i64 * 10,
        method: "POST".into(),
        path: "/cb".into(),
        query: String::new(),
        headers: vec![("content-type".into(), "application/json".into())],
        remote: "127.0.0.1:50000".into(),
        body_size: body.len() as u64,
        body: body.into_bytes(),
        too_large: false,
    };
    let facts = Facts {
        event_type: Some(ty),
        stream_id: Some(stream),
        domain: Some(domain),
        app_name: Some("live".into()),
        sequence: Some(format!("seq{}", i / 50)),
        event_time: Some(1_700_000_000 + i as i64),
    };
    let check = if i % 7 == 0 {
        Check::BadSign
    } else {
        Check::Valid {
            key: "bench".into(),
            expires_in: 600,
        }
    };
    (request, facts, check, format!("g{i}"))
}

/// Fill a store with `n` [`sample`]s, 2 048 in flight at a time.
async fn fill(store: &Store, n: usize) {
    fill_with(store, n, |_, _| {}).await
}

/// [`fill`], with each sample's request changed by `change` first.
async fn fill_with(store: &Store, n: usize, change: impl Fn(usize, &mut Captured)) {
    let mut pending = Vec::with_capacity(2048);
    for i in 0..n {
        let (mut request, facts, check, group) = sample(i);
        change(i, &mut request);
        let s = store.clone();
        pending.push(tokio::spawn(async move {
            s.insert(request, facts, check, group, |_| callback_inspector::Answer::ok())
                .await
                .expect("insert")
        }));
        if pending.len() == 2048 {
            for p in pending.drain(..) {
                p.await.expect("insert task");
            }
        }
    }
    for p in pending {
        p.await.expect("insert task");
    }
}

/// The signed push callback the senders post: `stream`'s push session `sequence`, sealed at `t`.
fn push_body(stream: &str, sequence: &str, t: i64) -> String {
    json!({"event_type": 1, "app": "push.example.com", "appname": "live",
        "stream_id": stream, "sequence": sequence, "errcode": 0,
        "errmsg": "ok", "t": t, "sign": sign(&Secret::new(KEY), t)})
    .to_string()
}

/// What the receiver stores for sender `s`'s `n`th callback in [`ingest`] (distinct bodies): the same
/// body, facts, verification and delivery group, received now.
fn sender_callback(s: usize, n: u64) -> (Captured, Facts, Check, String) {
    let body = push_body(
        &format!("bench{s}_{n}"),
        &format!("{s}-{n}"),
        chrono::Utc::now().timestamp() + 600,
    );
    let group = callback_inspector::event::group_key("/cb", body.as_bytes());
    let request = Captured {
        received_at: chrono::Utc::now().timestamp_millis(),
        method: "POST".into(),
        path: "/cb".into(),
        query: String::new(),
        headers: vec![
            ("host".into(), "127.0.0.1".into()),
            ("content-type".into(), "application/json".into()),
            ("content-length".into(), body.len().to_string()),
        ],
        remote: "127.0.0.1:50000".into(),
        body_size: body.len() as u64,
        body: body.into_bytes(),
        too_large: false,
    };
    let facts = Facts {
        event_type: Some(1),
        stream_id: Some(format!("bench{s}_{n}")),
        domain: Some("push.example.com".into()),
        app_name: Some("live".into()),
        sequence: Some(format!("{s}-{n}")),
        event_time: None,
    };
    let check = Check::Valid {
        key: "bench".into(),
        expires_in: 600,
    };
    (request, facts, check, group)
}

/// The storage engine alone, as the receiver drives it with the callbacks of [`ingest`]: `writers`
/// tasks each storing one callback and waiting for its commit before the next (as `writers` senders
/// do), for `seconds`, without HTTP. Callbacks a second.
async fn storage_alone(writers: usize, seconds: f64) -> f64 {
    storage_alone_after(writers, seconds, 0).await
}

/// [`storage_alone`] into a store (default retention) that already holds `stored_before` recent
/// callbacks.
async fn storage_alone_after(writers: usize, seconds: f64, stored_before: usize) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("alone.db");
    let mut store = Store::open(&path, Retention::default()).expect("store");
    if stored_before > 0 {
        // Arrived over the last `stored_before` ms: recent enough for the default 30 days.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_millis() as i64;
        fill_with(&store, stored_before, |i, request| {
            request.received_at = now - (stored_before - i) as i64;
        })
        .await;
        // Closing indexes every body for full-text search, so that work is not measured below.
        store.close();
        store = Store::open(&path, Retention::default()).expect("store");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..writers)
        .map(|s| {
            let (store, stop) = (store.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let (request, facts, check, group) = sender_callback(s, n);
                    store
                        .insert(request, facts, check, group, |_| callback_inspector::Answer::ok())
                        .await
                        .expect("insert");
                }
                n
            })
        })
        .collect();
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut stored = 0;
    for t in tasks {
        stored += t.await.expect("writer");
    }
    let rate = stored as f64 / started.elapsed().as_secs_f64();
    store.close();
    rate
}

/// Raw durable writes a second on this disk: 4 KiB written and `fdatasync`ed, again and again, for
/// `seconds` (what one commit at least costs).
fn raw_fsync(seconds: f64) -> f64 {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut file = std::fs::File::create(dir.path().join("sync")).expect("file");
    let page = [7u8; 4096];
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed().as_secs_f64() < seconds {
        file.write_all(&page).expect("write");
        file.sync_data().expect("sync");
        n += 1;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

fn time_query(store: &Store, f: &Filter) -> (Duration, usize) {
    // Best of five: the first run also warms the page cache.
    let mut best = Duration::MAX;
    let mut rows = 0;
    for _ in 0..5 {
        let t = Instant::now();
        rows = store.query(f).expect("query").items.len();
        best = best.min(t.elapsed());
    }
    (best, rows)
}

fn time_traffic(store: &Store, f: &Filter) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut counted = 0;
    for _ in 0..5 {
        let t = Instant::now();
        counted = store.traffic(f, 120, 8 * 3_600_000).expect("traffic").total as usize;
        best = best.min(t.elapsed());
    }
    (best, counted)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let seconds = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    // BENCH_PARTS=ingest, =live or =queries runs one part only.
    let parts = std::env::var("BENCH_PARTS").unwrap_or_else(|_| "ingest,live,queries".into());
    if parts.contains("ingest") {
        println!("Ingest: signed push callbacks over HTTP/1.1 keep-alive, {seconds} s per row, sender and receiver on the same {} cores",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
        println!(
            "Ceilings, measured in the same run: the receiver with storage switched off (HTTP alone), the store \
             alone driven by as many writers as senders (no HTTP), and raw 4 KiB write + fdatasync a second."
        );
        println!(
            "{:<8} {:>11} {:>9} {:>9} {:>12} {:>14} {:>10} {:>22}",
            "senders", "durable /s", "p50", "p99", "HTTP alone", "store alone", "fsync /s", "of the lower ceiling"
        );
        // BENCH_SENDERS=16 runs one row (for a profile).
        let rows: Vec<usize> = std::env::var("BENCH_SENDERS")
            .ok()
            .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![1, 16, 128]);
        for &senders in &rows {
            let (off, _, _) = rt.block_on(ingest(false, senders, seconds, false));
            let alone = rt.block_on(storage_alone(senders, seconds));
            let fsyncs = raw_fsync(1.0);
            let (on, on50, on99) = rt.block_on(ingest(true, senders, seconds, false));
            println!(
                "{senders:<8} {on:>11.0} {:>9} {:>9} {off:>12.0} {alone:>14.0} {fsyncs:>10.0} {:>21.0}%",
                format!("{:.2} ms", on50.as_secs_f64() * 1e3),
                format!("{:.2} ms", on99.as_secs_f64() * 1e3),
                100.0 * on / off.min(alone).max(1.0),
            );
        }
        // One delivery repeated: numbering each attempt must not cost more as its group grows. Compared
        // with distinct bodies from as many senders in the same run, over the same time.
        let (distinct, _, _) = rt.block_on(ingest(true, 16, seconds * 2.0, false));
        let (same, same50, same99) = rt.block_on(ingest(true, 16, seconds * 2.0, true));
        println!(
            "16, one body repeated for {} s: {same:.0} durable /s (p50 {:.2} ms, p99 {:.2} ms) against {distinct:.0} /s with distinct bodies ({:.2}x)",
            seconds * 2.0,
            same50.as_secs_f64() * 1e3,
            same99.as_secs_f64() * 1e3,
            same / distinct.max(1.0),
        );
        // A full store must take callbacks as fast as an empty one: what retention looks at every 1 000
        // callbacks may not grow with what is stored.
        let empty = rt.block_on(storage_alone(16, seconds));
        let full = rt.block_on(storage_alone_after(16, seconds, 300_000));
        println!(
            "store alone, 16 writers, into a store already holding 300 000 callbacks: {full:.0} /s against {empty:.0} /s into an empty one ({:.2}x)",
            full / empty.max(1.0)
        );
        println!();
    }
    if parts.contains("live") {
        println!(
            "Live clients: signed callbacks from 16 senders for {seconds} s, paced at 1 000 a second and then as fast as \
             the receiver answers, with read API clients on the live stream"
        );
        println!(
            "{:<10} {:>8} {:>8} {:>12} {:>10} {:>10} {:>22} {:>12} {:>10}",
            "clients", "paced", "stored", "answered /s", "p50", "p99", "events per client", "delay p95", "max"
        );
        for (clients, rate) in [(0, Some(1000)), (50, Some(1000)), (0, None), (50, None)] {
            let (stored, done, p50, p99, counts, d95, dmax) = rt.block_on(live_clients(clients, rate, seconds));
            let received = match (counts.iter().min(), counts.iter().max()) {
                (Some(lo), Some(hi)) if lo == hi => format!("{lo} each"),
                (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
                _ => "-".into(),
            };
            println!(
                "{clients:<10} {:>8} {stored:>8} {done:>12.0} {:>10} {:>10} {received:>22} {:>12} {:>10}",
                rate.map_or("no".to_owned(), |r| format!("{r}/s")),
                format!("{:.2} ms", p50.as_secs_f64() * 1e3),
                format!("{:.2} ms", p99.as_secs_f64() * 1e3),
                if clients == 0 {
                    "-".into()
                } else {
                    format!("{} ms", d95.as_millis())
                },
                if clients == 0 {
                    "-".into()
                } else {
                    format!("{} ms", dmax.as_millis())
                },
            );
        }
        println!("(every client should have received each stored callback)");
        println!();
    }
    if !parts.contains("queries") {
        return;
    }
    println!("Queries (best of 5, page of 100, newest first):");
    println!("{:<12} {:<44} {:>10} {:>6}", "stored", "query", "time", "rows");
    for n in [100_000usize, 1_000_000] {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(
            &dir.path().join("q.db"),
            Retention {
                max_events: 0,
                max_age_days: 0,
                max_mb: 0,
            },
        )
        .expect("store");
        let fill_started = Instant::now();
        rt.block_on(fill(&store, n));
        store.flush().expect("flush");
        let fill_rate = n as f64 / fill_started.elapsed().as_secs_f64();
        let mid = (n / 2) as i64;
        let queries: Vec<(&str, Filter)> = vec![
            ("baseline: first page, no filter", Filter::default()),
            (
                "event type + stream",
                Filter {
                    event_type: Some(200),
                    stream_id: Some("stream42".into()),
                    ..Default::default()
                },
            ),
            (
                "domain + AppName + not verified",
                Filter {
                    domain: Some("push3.example.com".into()),
                    app_name: Some("live".into()),
                    verify: Some(callback_inspector::VerifyFilter::Invalid),
                    ..Default::default()
                },
            ),
            (
                "deep page (before the middle id)",
                Filter {
                    before_id: Some(mid),
                    ..Default::default()
                },
            ),
            (
                "time range (an hour in the middle)",
                Filter {
                    since: Some(1_700_000_000_000 + mid * 10),
                    until: Some(1_700_000_000_000 + mid * 10 + 3_600_000),
                    ..Default::default()
                },
            ),
            (
                "text: \"needle\" (1% of bodies)",
                Filter {
                    text: Some("needle".into()),
                    ..Default::default()
                },
            ),
            (
                "text: \"hay\" (99%) + event type 0",
                Filter {
                    text: Some("hay".into()),
                    event_type: Some(0),
                    ..Default::default()
                },
            ),
        ];
        for (name, f) in &queries {
            let (t, rows) = time_query(&store, f);
            println!(
                "{:<12} {:<44} {:>10} {:>6}",
                n,
                name,
                format!("{:.2} ms", t.as_secs_f64() * 1e3),
                rows
            );
        }
        // The traffic chart in 120 buckets: the whole store and an hour of it from the per-minute counts,
        // and a stream's callbacks (which those counts do not tell apart) counted from the callbacks.
        let charts: Vec<(&str, Filter)> = vec![
            ("chart: everything stored", Filter::default()),
            (
                "chart: event type 0, not verified",
                Filter {
                    event_type: Some(0),
                    verify: Some(callback_inspector::VerifyFilter::Invalid),
                    ..Default::default()
                },
            ),
            ("chart: the hour in the middle", queries[4].1.clone()),
            (
                "chart: one stream (counted from rows)",
                Filter {
                    stream_id: Some("stream42".into()),
                    ..Default::default()
                },
            ),
        ];
        for (name, f) in &charts {
            let (t, counted) = time_traffic(&store, f);
            println!(
                "{:<12} {:<44} {:>10} {:>6}",
                n,
                name,
                format!("{:.2} ms", t.as_secs_f64() * 1e3),
                counted
            );
        }
        println!("{:<12} {:<44} {:>10}", n, "(filled at)", format!("{fill_rate:.0}/s"));
        store.close();
    }
}
