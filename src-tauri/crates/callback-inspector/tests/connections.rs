//! What slow, silent and too many connections get: closed after the read timeout, turned away past
//! the connection cap, while real callbacks keep being answered.

use std::time::Duration;

use callback_inspector::{start, Filter, ReceiverConfig, Retention, RunningReceiver, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Rig {
    _dir: tempfile::TempDir,
    store: Store,
    rx: RunningReceiver,
}

async fn rig(read_timeout: Duration, max_connections: usize) -> Rig {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("events.db"), Retention::default()).expect("store");
    let mut config = ReceiverConfig::new("127.0.0.1:0".parse().expect("addr"), Some(store.clone()));
    config.read_timeout = read_timeout;
    config.max_connections = max_connections;
    let rx = start(config).await.expect("start");
    Rig { _dir: dir, store, rx }
}

impl Rig {
    fn stored(&self) -> usize {
        self.store.query(&Filter::default()).expect("query").items.len()
    }
}

const HALF_HEAD: &[u8] = b"POST /live/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: applic";

fn slow_body_head(declared: usize) -> Vec<u8> {
    format!("POST /live/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {declared}\r\n\r\n{{\"event_type\":")
        .into_bytes()
}

/// Everything the server sends until it closes the connection, or None if it is still open at
/// `within`.
async fn until_closed(socket: &mut TcpStream, within: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| String::from_utf8_lossy(&got).into_owned())
}

/// True when the server has neither answered nor closed `socket`.
fn still_open(socket: &TcpStream) -> bool {
    let mut buf = [0u8; 1];
    matches!(socket.try_read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[tokio::test]
async fn slow_heads_slow_bodies_and_idle_connections_are_closed_after_the_read_timeout() {
    let rig = rig(Duration::from_secs(1), 4096).await;
    let addr = rig.rx.addr();
    let mut heads = Vec::new();
    let mut bodies = Vec::new();
    let mut idle = Vec::new();
    for _ in 0..100 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(HALF_HEAD).await.expect("write");
        heads.push(s);
    }
    for _ in 0..50 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(&slow_body_head(100)).await.expect("write");
        bodies.push(s);
    }
    for i in 0..50 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        let body = format!("{{\"event_type\":1,\"stream_id\":\"idle{i}\"}}");
        let request = format!(
            "POST /live/idle HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(request.as_bytes()).await.expect("write");
        let mut buf = [0u8; 1024];
        let n = s.read(&mut buf).await.expect("answer");
        assert!(
            buf[..n].starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&buf[..n])
        );
        idle.push(s);
    }

    for s in &mut heads {
        let closed = until_closed(s, Duration::from_secs(15)).await;
        assert!(closed.is_some(), "a half-sent head keeps its connection");
    }
    for s in &mut bodies {
        let answer = until_closed(s, Duration::from_secs(15))
            .await
            .expect("a slow body keeps its connection");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("nothing was stored"), "{answer}");
    }
    for s in &mut idle {
        let closed = until_closed(s, Duration::from_secs(15)).await;
        assert_eq!(closed.as_deref(), Some(""), "an idle kept-alive connection stays open");
    }
    assert_eq!(rig.stored(), 50, "only the whole requests are stored");
}

#[tokio::test]
async fn a_body_cut_short_is_not_stored_as_a_callback() {
    let rig = rig(Duration::from_secs(20), 64).await;
    let mut s = TcpStream::connect(rig.rx.addr()).await.expect("connect");
    s.write_all(&slow_body_head(200)).await.expect("write");
    s.shutdown().await.expect("half-close");
    let answer = until_closed(&mut s, Duration::from_secs(10)).await.expect("closed");
    assert!(!answer.starts_with("HTTP/1.1 200"), "{answer}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(rig.stored(), 0, "a cut body was stored");
}

#[tokio::test]
async fn callbacks_are_answered_while_1500_connections_hang() {
    let rig = rig(Duration::from_secs(30), 4096).await;
    let addr = rig.rx.addr();
    let mut hanging = Vec::new();
    for i in 0..1500 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        if i % 2 == 0 {
            s.write_all(HALF_HEAD).await.expect("write");
        } else {
            s.write_all(&slow_body_head(1000)).await.expect("write");
        }
        hanging.push(s);
    }
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut slowest = Duration::ZERO;
    for i in 0..20 {
        let started = std::time::Instant::now();
        let r = http
            .post(format!("{}/live/real", rig.rx.base_url()))
            .body(format!("{{\"event_type\":1,\"stream_id\":\"real{i}\"}}"))
            .send()
            .await
            .expect("a real callback is answered");
        assert_eq!(r.status(), 200);
        slowest = slowest.max(started.elapsed());
    }
    eprintln!("slowest of 20 callbacks beside 1500 hanging connections: {slowest:?}");
    assert_eq!(rig.stored(), 20);
    let open = hanging.iter().filter(|s| still_open(s)).count();
    assert_eq!(
        open, 1500,
        "the hanging connections were not all still open, so this tested nothing"
    );
}

#[tokio::test]
async fn past_the_connection_cap_new_connections_are_closed_at_once() {
    let rig = rig(Duration::from_secs(30), 5).await;
    let addr = rig.rx.addr();
    let mut held = Vec::new();
    for _ in 0..5 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(HALF_HEAD).await.expect("write");
        held.push(s);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(addr).await.expect("the listener still accepts");
    let closed = until_closed(&mut extra, Duration::from_secs(10)).await;
    assert_eq!(closed.as_deref(), Some(""), "the sixth connection was kept");
    assert!(held.iter().all(still_open), "a connection within the cap was closed");

    drop(held);
    let http = reqwest::Client::new();
    let mut answered = false;
    for _ in 0..50 {
        if let Ok(r) = http
            .post(format!("{}/live/after", rig.rx.base_url()))
            .body("{}")
            .send()
            .await
        {
            answered = r.status() == 200;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(answered, "the cap did not free its slots");
}
