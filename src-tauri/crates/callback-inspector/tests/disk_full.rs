//! A full disk: callbacks are answered 503 (never 200 unless kept), nothing is half-written, the
//! receiver keeps running, and it stores again by itself once there is room. The database lives on
//! a small tmpfs, which needs root to mount; CI runs as root, elsewhere the test says it cannot run.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use callback_inspector::{start, Filter, Live, ReceiverConfig, Retention, Store};

struct Tmpfs<'a>(&'a Path);

impl Tmpfs<'_> {
    fn mount<'a>(dir: &'a Path, size: &str) -> Option<Tmpfs<'a>> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }

    fn resize(&self, size: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount");
    }
}

impl Drop for Tmpfs<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0).status();
    }
}

#[tokio::test]
async fn a_full_disk_answers_503_loses_no_acknowledged_callback_and_recovers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(fs) = Tmpfs::mount(dir.path(), "6m") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must be able to mount a tmpfs (run as root) for the disk-full test"
        );
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    let db = dir.path().join("events.db");
    let store = Store::open(&db, Retention::default()).expect("store");
    let rx = start(ReceiverConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        Some(store.clone()),
    ))
    .await
    .expect("start");
    let mut live = rx.subscribe();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let filler = "x".repeat(256 * 1024);
    let mut acked: HashSet<String> = HashSet::new();
    let mut refused = 0;
    let mut n = 0;
    let send = |n: &mut u32| {
        *n += 1;
        let stream = format!("s{n}");
        let body = serde_json::json!({"event_type": 1, "stream_id": stream, "pad": filler}).to_string();
        let req = http.post(format!("{}/live/full", rx.base_url())).body(body);
        async move {
            let r = req.send().await.expect("answered");
            let status = r.status().as_u16();
            let text = r.text().await.expect("text");
            (stream, status, text)
        }
    };

    // Fill the disk with bursts, so that batches hold several callbacks when it fills: some are
    // refused, every answer is 200 or 503.
    while refused < 5 {
        assert!(n < 4000, "the disk never filled");
        let burst: Vec<_> = (0..16).map(|_| send(&mut n)).collect();
        for (stream, status, text) in futures_util::future::join_all(burst).await {
            match status {
                200 => {
                    acked.insert(stream);
                }
                503 => {
                    refused += 1;
                    assert!(
                        !text.contains("database") && !text.contains("disk"),
                        "internal text sent: {text}"
                    );
                }
                other => panic!("{other}: {text}"),
            }
        }
    }
    // More while it is full: the writer keeps answering.
    for _ in 0..3 {
        let burst: Vec<_> = (0..16).map(|_| send(&mut n)).collect();
        for (stream, status, text) in futures_util::future::join_all(burst).await {
            match status {
                200 => {
                    acked.insert(stream);
                }
                503 => refused += 1,
                other => panic!("{other}: {text}"),
            }
        }
    }
    let failed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Ok(Live::StoreFailed { message }) = live.recv().await {
                return message;
            }
        }
    })
    .await
    .expect("subscribers hear that storing failed");
    assert!(!failed.is_empty());

    // Room again: the receiver stores by itself, without a restart.
    fs.resize("256m");
    let mut recovered = false;
    for _ in 0..50 {
        let (stream, status, _) = send(&mut n).await;
        if status == 200 {
            acked.insert(stream);
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "storing did not resume when space returned");
    for _ in 0..5 {
        let burst: Vec<_> = (0..16).map(|_| send(&mut n)).collect();
        for (stream, status, text) in futures_util::future::join_all(burst).await {
            assert_eq!(status, 200, "{text}");
            acked.insert(stream);
        }
    }
    store.flush().expect("flush");

    // Every callback answered 200 is there, once, and nothing else is.
    let mut kept = Vec::new();
    let mut filter = Filter::default();
    loop {
        let page = store.query(&filter).expect("query");
        kept.extend(page.items.iter().map(|e| e.stream_id.clone().unwrap_or_default()));
        match page.next_before_id {
            Some(b) => filter.before_id = Some(b),
            None => break,
        }
    }
    let unique: HashSet<String> = kept.iter().cloned().collect();
    assert_eq!(unique.len(), kept.len(), "a callback was stored twice");
    let lost: Vec<_> = acked.difference(&unique).collect();
    assert!(lost.is_empty(), "answered 200 but not kept: {lost:?}");
    let extra: Vec<_> = unique.difference(&acked).collect();
    assert!(extra.is_empty(), "kept although answered 503: {extra:?}");
    eprintln!(
        "{n} callbacks sent, {} answered 200 and kept, {refused} refused while the disk was full",
        acked.len()
    );
    rx.stop().await;
    store.close();
}
