//! `make bench`: what signing requests and checking callbacks cost, each beside a baseline measured in
//! the same run (the bare hash or parse that the operation cannot avoid), so the figures compare on any
//! machine. Prints a table; asserts nothing.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::Value;
use tencent_live::callback::{verify, Callback, ExpiryPolicy};
use tencent_live::secret::Secret;
use tencent_live::sign::{sha256_hex, sign, Payload, SignInput};

/// Runs `f` repeatedly for about `budget` and returns nanoseconds per call.
fn measure(budget: Duration, mut f: impl FnMut()) -> f64 {
    // Warm up, and find a batch size that takes about a millisecond.
    let mut batch = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        if t.elapsed() > Duration::from_millis(1) || batch > 1 << 24 {
            break;
        }
        batch *= 2;
    }
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < budget {
        for _ in 0..batch {
            f();
        }
        calls += batch;
    }
    start.elapsed().as_nanos() as f64 / calls as f64
}

fn row(name: &str, ns: f64, baseline: Option<(&str, f64)>) {
    let per_sec = 1e9 / ns;
    match baseline {
        Some((b, bns)) => println!(
            "{name:<58} {:>10.2} µs {:>12.0}/s   {:>5.2}× {b}",
            ns / 1e3,
            per_sec,
            ns / bns
        ),
        None => println!("{name:<58} {:>10.2} µs {:>12.0}/s   (baseline)", ns / 1e3, per_sec),
    }
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(700),
    );
    println!(
        "tencent-live protocol benchmarks ({} ms per figure)\n",
        budget.as_millis()
    );

    let body = br#"{"TemplateName":"demo_tpl","Description":"demo","StreamBeginNotifyUrl":"http://127.0.0.1:8080/cb","StreamEndNotifyUrl":"http://127.0.0.1:8080/cb","CallbackKey":"abc123"}"#;
    let key = Secret::new("EXAMPLEKEY");
    let hash = measure(budget, || {
        black_box(sha256_hex(black_box(body)));
    });
    row("SHA-256 of a CreateLiveCallbackTemplate body", hash, None);
    let signing = measure(budget, || {
        black_box(sign(
            &SignInput {
                method: "POST",
                path: "/",
                query: "",
                headers: &[
                    ("content-type", "application/json"),
                    ("host", "live.tencentcloudapi.com"),
                ],
                payload: Payload::Bytes(black_box(body)),
                timestamp: 1_700_000_000,
                service: "live",
            },
            "AKIDEXAMPLE",
            &key,
        ));
    });
    row(
        "TC3-HMAC-SHA256 signature of the same request",
        signing,
        Some(("the body hash", hash)),
    );
    println!();

    let samples: Vec<(&str, Vec<u8>)> = [
        (
            "event 1 (push)",
            &include_bytes!("../tests/data/callback-samples/event_1_stream_begin.json")[..],
        ),
        (
            "event 100 (recording file)",
            &include_bytes!("../tests/data/callback-samples/event_100_record_file.json")[..],
        ),
        (
            "event 332 (recording status)",
            &include_bytes!("../tests/data/callback-samples/event_332_record_status.json")[..],
        ),
    ]
    .into_iter()
    .map(|(n, b)| (n, b.to_vec()))
    .collect();
    for (name, bytes) in &samples {
        let plain = measure(budget, || {
            black_box(serde_json::from_slice::<Value>(black_box(bytes)).ok());
        });
        row(&format!("parse {name} as untyped JSON"), plain, None);
        let typed = measure(budget, || {
            black_box(Callback::parse(black_box(bytes)).ok());
        });
        row(
            &format!("parse {name} into its typed model"),
            typed,
            Some(("untyped JSON", plain)),
        );
    }
    println!();

    let body: Value = serde_json::from_slice(&samples[0].1).expect("sample");
    let t = body["t"].as_i64().expect("t");
    let mut keys: Vec<Secret> = (0..99).map(|i| Secret::new(format!("otherkey{i}"))).collect();
    keys.push(Secret::new("adasda131312"));
    let one = measure(budget, || {
        black_box(verify(black_box(&body), &keys[99..], t - 60, ExpiryPolicy::default()));
    });
    row("verify sign with the right key only", one, None);
    for n in [10usize, 100] {
        let many = measure(budget, || {
            black_box(verify(
                black_box(&body),
                &keys[100 - n..],
                t - 60,
                ExpiryPolicy::default(),
            ));
        });
        row(
            &format!("verify sign against {n} keys (every key is tried)"),
            many,
            Some(("one key", one)),
        );
    }
}
