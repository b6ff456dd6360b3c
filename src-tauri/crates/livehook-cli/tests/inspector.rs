//! `livehook inspector serve|list` and `livehook trigger` as scripts use them, and the promise that
//! matters most: a callback answered 200 is on disk, even when the receiver is killed with SIGKILL
//! under load.
//!
//! Over 500 lines: one suite sharing one rig (a real `livehook inspector serve` process).

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use callback_inspector::{Filter, Retention, Store};
use common::{spawn_served, spawn_served_with_output, Served};
use serde_json::{json, Value};
use tencent_live::callback::sign;
use tencent_live::secret::Secret;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_livehook");

fn serve(db: &Path, extra: &[&str]) -> Served {
    spawn_served(serve_command(db, extra))
}

/// `livehook inspector serve` on any free loopback port, keeping callbacks in `db`.
fn serve_command(db: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["inspector", "serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(extra);
    cmd
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("livehook runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn serve_trigger_and_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("events.db");
    let db_s = db.to_str().expect("utf-8 path");
    let served = serve(&db, &["--key", "main=abc123", "--key", "def456"]);
    let url = format!("{}/live/push", served.url);

    let o = run(&["trigger", "--event", "push", "--url", &url, "--key", "abc123"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("attempt 1: 200"), "{}", text(&o));
    let o = run(&[
        "--output", "json", "trigger", "--event", "100", "--url", &url, "--key", "def456",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["delivered"], true);
    assert_eq!(v["body"]["event_type"], 100);
    assert_eq!(v["attempts"][0]["status"], 200);
    let o = run(&["trigger", "--event", "snapshot", "--url", &url, "--key", "wrongkey"]);
    assert_eq!(o.status.code(), Some(0), "the receiver still answers 200: {}", text(&o));

    let o = run(&["inspector", "list", "--db", db_s, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let events = v["events"].as_array().expect("events");
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["eventType"], 200, "newest first");
    assert_eq!(events[0]["verification"]["result"], "bad_sign");
    assert_eq!(events[1]["verification"]["key"], "--key 2");
    assert_eq!(events[2]["verification"]["key"], "main");
    assert_eq!(events[2]["path"], "/live/push");

    let o = run(&["inspector", "list", "--db", db_s, "--verified", "no"]);
    let out = text(&o);
    assert!(out.contains("bad_sign") && !out.contains(" valid "), "{out}");
    for by in ["1", "push", "stream-begin", "Push", "推流"] {
        let o = run(&["inspector", "list", "--db", db_s, "--event-type", by, "--json"]);
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["events"].as_array().expect("events").len(), 1, "--event-type {by}");
    }
    // Tables name the type; an unknown one is refused before anything is read.
    let o = run(&["inspector", "list", "--db", db_s, "--event-type", "screenshot"]);
    assert!(text(&o).contains("Screenshot (200)"), "{}", text(&o));
    let o = run(&["inspector", "list", "--db", db_s, "--event-type", "interupt"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("unknown event type \"interupt\"; use a number or one of: push, interruption,"),
        "{}",
        text(&o)
    );
    let o = run(&["inspector", "list", "--db", db_s, "--stream", "nope"]);
    assert!(text(&o).contains("No callbacks match."));
    let o = run(&["inspector", "list", "--db", db_s, "--limit", "1", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["events"].as_array().expect("events").len(), 1);
    assert!(v["nextBeforeId"].is_number());
    // The next page starts after it; domain, AppName and age narrow the list.
    let before = v["nextBeforeId"].to_string();
    let o = run(&["inspector", "list", "--db", db_s, "--before-id", &before, "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let ids: Vec<&Value> = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| &e["id"])
        .collect();
    assert_eq!(ids.len(), 2, "the two older ones");
    assert!(v["nextBeforeId"].is_null());
    let domain = events[2]["domain"]
        .as_str()
        .expect("the push names its domain")
        .to_owned();
    let app = events[2]["appName"].as_str().expect("and its AppName").to_owned();
    let o = run(&[
        "inspector",
        "list",
        "--db",
        db_s,
        "--domain",
        &domain,
        "--app-name",
        &app,
        "--json",
    ]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let listed = v["events"].as_array().expect("events");
    assert!(
        !listed.is_empty()
            && listed
                .iter()
                .all(|e| e["domain"] == domain.as_str() && e["appName"] == app.as_str())
    );
    let o = run(&["inspector", "list", "--db", db_s, "--domain", "elsewhere.example.com"]);
    assert!(text(&o).contains("No callbacks match."), "{}", text(&o));
    for since in ["1h", "2020-01-01T00:00:00+08:00"] {
        let o = run(&["inspector", "list", "--db", db_s, "--since", since, "--json"]);
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["events"].as_array().expect("events").len(), 3, "--since {since}");
    }
    let o = run(&["inspector", "list", "--db", db_s, "--since", "2099-01-01T00:00:00Z"]);
    assert!(text(&o).contains("No callbacks match."), "{}", text(&o));
    let o = run(&["inspector", "list", "--db", db_s, "--since", "yesterday"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("an age like 30s"), "{}", text(&o));

    // Mistakes are explained and exit 2.
    let o = run(&["trigger", "--event", "nonsense", "--url", &url, "--key", "k"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown event"), "{}", text(&o));
    let o = run(&["trigger", "--event", "push", "--url", "ftp://x", "--key", "k"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "inspector",
        "list",
        "--db",
        dir.path().join("missing.db").to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("does not exist"));
    // Nothing listening: exit 1 with the reason.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let o = run(&[
        "trigger",
        "--event",
        "push",
        "--url",
        &format!("http://{closed}/"),
        "--key",
        "k",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("no answer"), "{}", text(&o));
}

#[test]
fn rules_make_the_receiver_fail_first_attempts_and_trigger_retries_until_200() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("events.db");
    let served = serve(
        &db,
        &[
            "--key",
            "k1",
            "--rule",
            "path=/flaky,fail-first=2",
            "--rule",
            "type=200,status=503",
        ],
    );
    let o = run(&[
        "trigger",
        "--event",
        "push",
        "--url",
        &format!("{}/flaky", served.url),
        "--key",
        "k1",
        "--retries",
        "--time-scale",
        "600",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("attempt 1: 500") && out.contains("attempt 2: 500") && out.contains("attempt 3: 200"),
        "{out}"
    );
    let o = run(&[
        "trigger",
        "--event",
        "screenshot",
        "--url",
        &format!("{}/any", served.url),
        "--key",
        "k1",
    ]);
    assert_eq!(o.status.code(), Some(1), "503 is not delivered: {}", text(&o));
    let o = run(&["inspector", "list", "--db", db.to_str().expect("path"), "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let attempts: Vec<i64> = v["events"].as_array().expect("events")[1..]
        .iter()
        .map(|e| e["attempt"].as_i64().expect("n"))
        .collect();
    assert_eq!(attempts, vec![3, 2, 1], "grouped as attempts of one delivery");
    let o = Command::new(BIN)
        .args([
            "inspector",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--rule",
            "status=42",
            "--db",
        ])
        .arg(&db)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("not an HTTP status"), "{}", text(&o));
}

#[test]
fn a_busy_port_and_an_external_address_are_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("events.db");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let o = Command::new(BIN)
        .args(["inspector", "serve", "--listen", &addr, "--db"])
        .arg(&db)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("is in use; port"), "{}", text(&o));
    let o = Command::new(BIN)
        .args(["inspector", "serve", "--listen", "0.0.0.0:0", "--db"])
        .arg(&db)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("--allow-external"), "{}", text(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_callback_answered_200_survives_sigkill_under_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("events.db");
    let mut served = serve(&db, &["--key", "durable"]);
    let url = format!("{}/cb", served.url);
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let stop_at = Instant::now() + Duration::from_millis(1500);
    let mut senders = Vec::new();
    for sender in 0..32 {
        let (http, url, acked) = (http.clone(), url.clone(), acked.clone());
        senders.push(tokio::spawn(async move {
            let mut n = 0u64;
            loop {
                n += 1;
                let stream = format!("s{sender}_{n}");
                let t = chrono::Utc::now().timestamp() + 600;
                let body =
                    json!({"event_type": 1, "stream_id": stream, "t": t, "sign": sign(&Secret::new("durable"), t)});
                match http.post(&url).body(body.to_string()).send().await {
                    Ok(r) if r.status() == 200 => {
                        acked.lock().expect("lock").insert(stream);
                    }
                    Ok(_) => {}
                    // The receiver is gone.
                    Err(_) => return,
                }
                if Instant::now() > stop_at + Duration::from_secs(10) {
                    return;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    served.child.kill().expect("SIGKILL");
    served.child.wait().expect("reaped");
    for s in senders {
        s.await.expect("sender");
    }
    let acked = acked.lock().expect("lock").clone();
    assert!(acked.len() > 100, "the load ran: {} answered", acked.len());

    let store = Store::open(
        &db,
        Retention {
            max_events: 0,
            max_age_days: 0,
            max_mb: 0,
        },
    )
    .expect("reopen after the kill");
    let kept: HashSet<String> = store
        .export(&Filter::default(), usize::MAX)
        .expect("read")
        .into_iter()
        .filter_map(|e| e.facts.stream_id)
        .collect();
    let lost: Vec<&String> = acked.difference(&kept).collect();
    assert!(
        lost.is_empty(),
        "{} of {} answered callbacks lost, e.g. {:?}",
        lost.len(),
        acked.len(),
        &lost[..lost.len().min(5)]
    );
    store.close();
}

/// One raw HTTP/1.1 request, as a hostile sender would write it, answered before returning.
fn raw_request(url: &str, request: &[u8]) -> String {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut socket = std::net::TcpStream::connect(addr).expect("connect");
    socket.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    socket.write_all(request).expect("send");
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// Hostile method, path, headers and body: stored as sent, shown with terminal escapes made harmless,
/// and copied as a cURL command that a real shell runs as one `curl` with exactly those words.
#[test]
fn hostile_requests_are_shown_harmlessly_and_copied_as_curl_that_runs_nothing_else() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("events.db");
    let db_s = db.to_str().expect("utf-8 path");
    let mut child = Command::new(BIN)
        .args(["inspector", "serve", "--listen", "127.0.0.1:0", "--db", db_s])
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let banner = lines.next().expect("banner").expect("line");
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("address")
        .trim_end_matches(',')
        .to_owned();

    let body = "{\"event_type\":1,\"stream_id\":\"cam\\u001b[2J\\u001b]0;owned\\u0007\",\"x\":\"'$(touch body)'`touch tick`\"}";
    let request = format!(
        "X&touch$IFS'method'& /live/a'$(touch$IFS'path')' HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Evil: '; touch header; echo '\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = raw_request(&url, request.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let printed = lines.next().expect("a line for the callback").expect("line");
    assert!(!printed.contains('\u{1b}') && !printed.contains('\u{7}'), "{printed:?}");
    assert!(
        printed.contains("\\u{1b}"),
        "the escape is shown, not obeyed: {printed}"
    );
    let _ = child.kill();
    let _ = child.wait();

    let o = run(&["inspector", "list", "--db", db_s]);
    assert!(!o.stdout.contains(&0x1b), "{}", text(&o));
    let o = run(&["inspector", "show", "1", "--db", db_s]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!o.stdout.contains(&0x1b) && !o.stdout.contains(&0x07), "{}", text(&o));
    assert!(
        text(&o).contains("X-Evil") || text(&o).contains("x-evil"),
        "{}",
        text(&o)
    );
    let o = run(&["inspector", "show", "1", "--db", db_s, "--json"]);
    let record: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(record["method"], "X&touch$IFS'method'&");

    // The cURL command, through a real shell, with a `curl` that writes down its arguments.
    let o = run(&[
        "inspector",
        "show",
        "1",
        "--db",
        db_s,
        "--curl",
        "--base",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let command = String::from_utf8(o.stdout).expect("utf-8");
    let work = dir.path().join("work");
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&work).expect("work");
    std::fs::create_dir_all(&bin).expect("bin");
    let stub = bin.join("curl");
    std::fs::write(
        &stub,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$ARGS_FILE\"\n",
    )
    .expect("stub");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let args_file = dir.path().join("args");
    let status = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .current_dir(&work)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("ARGS_FILE", &args_file)
        .status()
        .expect("sh");
    assert!(status.success());
    let created: Vec<_> = std::fs::read_dir(&work)
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(created.is_empty(), "the command ran something else: {created:?}");
    let args = std::fs::read(&args_file).expect("args");
    let args: Vec<String> = args
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    assert_eq!(
        args[..2],
        ["-X".to_owned(), record["method"].as_str().expect("method").to_owned()]
    );
    assert_eq!(
        args[2],
        format!("http://127.0.0.1:9{}", record["path"].as_str().expect("path"))
    );
    assert!(args.contains(&"x-evil: '; touch header; echo '".to_owned()), "{args:?}");
    assert_eq!(args.last().expect("body"), body);
}

/// Past `--max-connections`, a connection is closed unanswered and the person running `serve` is
/// told so on standard error, once for a burst rather than once per connection.
#[test]
fn serve_says_when_the_connection_cap_is_reached() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(BIN)
        .args([
            "inspector",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--max-connections",
            "2",
            "--db",
        ])
        .arg(dir.path().join("events.db"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut banner = String::new();
    out.read_line(&mut banner).expect("banner");
    let addr = banner
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://127.0.0.1:"))
        .map(|p| format!("127.0.0.1:{}", p.trim_end_matches(',')))
        .expect("address");
    let held: Vec<_> = (0..2)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).expect("connect");
            s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n").expect("write");
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..5 {
        let mut extra = std::net::TcpStream::connect(&addr).expect("connect");
        extra.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        let mut got = Vec::new();
        let _ = extra.read_to_end(&mut got);
        assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    }
    let _ = child.kill();
    let _ = child.wait();
    drop(held);
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    let warnings = err
        .matches("2 connections are open, the most the receiver allows (--max-connections)")
        .count();
    assert_eq!(warnings, 1, "{err}");
}

/// Keys from files and standard input, never on the command line: `serve --key-file` verifies with
/// them, `trigger --key-file` signs with one, and a bad file is explained without showing a key.
#[test]
fn keys_come_from_files_and_standard_input_instead_of_the_command_line() {
    use std::io::Write;
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("events.db");
    let keys = dir.path().join("keys");
    std::fs::write(&keys, "# the servers' keys\nprod=prodKey2024\n\nstagingKey01\n").expect("keys");
    let keys_s = keys.to_str().expect("utf-8");
    let served = serve(&db, &["--key-file", keys_s]);
    let url = format!("{}/live/push", served.url);

    let one = dir.path().join("one");
    std::fs::write(&one, "prodKey2024\n").expect("one");
    let o = run(&[
        "trigger",
        "--event",
        "push",
        "--url",
        &url,
        "--key-file",
        one.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let mut child = Command::new(BIN)
        .args(["trigger", "--event", "push", "--url", &url, "--key-file", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("trigger");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"stagingKey01\n")
        .expect("write");
    let o = child.wait_with_output().expect("trigger");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    let o = run(&["inspector", "list", "--db", db.to_str().expect("utf-8"), "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let events = v["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["verification"]["key"], format!("{keys_s} line 4"));
    assert_eq!(events[1]["verification"]["key"], "prod");
    drop(served);

    // A file with several keys cannot sign; a broken line is named, its key never shown.
    let o = run(&["trigger", "--event", "push", "--url", &url, "--key-file", keys_s]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("holds 2 keys"), "{}", text(&o));
    let bad = dir.path().join("bad");
    std::fs::write(&bad, "prod=secretThing\nempty=\n").expect("bad");
    let o = run(&[
        "inspector",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--db",
        db.to_str().expect("utf-8"),
        "--key-file",
        bad.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("line 2: empty= has no key"), "{}", text(&o));
    assert!(!text(&o).contains("secretThing"), "{}", text(&o));
    let o = run(&["trigger", "--event", "push", "--url", &url]);
    assert_eq!(o.status.code(), Some(2), "no key at all is a usage error: {}", text(&o));
}

/// `livehook inspector serve ARGS` with the read API: the process (killed when dropped) and the
/// callback listener's and the API's addresses from its first two lines (the rest of its output is
/// read and dropped, so it never blocks).
struct WithApi {
    child: std::process::Child,
    callbacks: String,
    api: String,
    second: String,
}

impl Drop for WithApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve_with_api(args: &[&str]) -> WithApi {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(BIN)
        .args([
            "inspector",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--api-listen",
            "127.0.0.1:0",
        ])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("banner").expect("line");
    let second = lines.next().expect("api line").expect("line");
    std::thread::spawn(move || for _ in lines {});
    let url_in = |line: &str| {
        line.split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:") || w.starts_with("https://127.0.0.1:"))
            .unwrap_or_else(|| panic!("an address in {line:?}"))
            .trim_end_matches(',')
            .trim_end_matches("/api/v1/")
            .to_owned()
    };
    WithApi {
        callbacks: url_in(&first),
        api: url_in(&second),
        second,
        child,
    }
}

/// `inspector serve --api-listen --api-token-file`: the read API beside the receiver, answering only
/// with the token; a short token, or a missing token file, refused with exit 2.
#[test]
fn serve_offers_the_read_api_with_a_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("events.db");
    let token = dir.path().join("token");
    std::fs::write(&token, "cli-api-token-0123456789\n").expect("token");
    let served = serve_with_api(&[
        "--api-token-file",
        token.to_str().expect("path"),
        "--db",
        db.to_str().expect("path"),
    ]);
    let (callbacks, api, second) = (served.callbacks.clone(), served.api.clone(), served.second.clone());
    assert!(second.contains("Read API on"), "{second}");
    assert!(
        !second.contains("cli-api-token"),
        "the token is never printed: {second}"
    );
    let o = run(&[
        "trigger",
        "--event",
        "push",
        "--url",
        &format!("{callbacks}/cb"),
        "--key",
        "k",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let http = reqwest::Client::new();
        let r = http.get(format!("{api}/api/v1/events")).send().await.expect("get");
        assert_eq!(r.status(), 401);
        let v: Value = http
            .get(format!("{api}/api/v1/events?event_type=push"))
            .bearer_auth("cli-api-token-0123456789")
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        assert_eq!(v["events"].as_array().expect("events").len(), 1, "{v}");
        assert_eq!(v["events"][0]["eventType"], 1);
    });
    // The CLI reads the remote exactly as it reads the database.
    let db_arg = db.to_str().expect("path").to_owned();
    let token_arg = token.to_str().expect("path").to_owned();
    let remote = ["--remote", api.as_str(), "--token-file", token_arg.as_str()];
    for args in [
        &["inspector", "list"][..],
        &["inspector", "list", "--json"],
        &["inspector", "list", "--event-type", "push", "--since", "1h"],
        &["inspector", "show", "1"],
        &["inspector", "show", "1", "--json"],
        &["inspector", "show", "1", "--curl"],
    ] {
        let local = run(&[args, &["--db", &db_arg][..]].concat());
        let far = run(&[args, &remote[..]].concat());
        assert_eq!(local.status.code(), Some(0), "{args:?}: {}", text(&local));
        assert_eq!(text(&far), text(&local), "{args:?}: the same output from the remote");
    }
    let o = run(&["inspector", "show", "99", "--remote", &api, "--token-file", &token_arg]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("callback 99 is not on"), "{}", text(&o));
    let wrong = dir.path().join("wrong");
    std::fs::write(&wrong, "not-the-token-0123456789\n").expect("token");
    let o = run(&[
        "inspector",
        "list",
        "--remote",
        &api,
        "--token-file",
        wrong.to_str().expect("path"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("refused the token"), "{}", text(&o));
    assert!(
        !text(&o).contains("not-the-token"),
        "the token is never printed: {}",
        text(&o)
    );
    let o = run(&[
        "inspector",
        "list",
        "--remote",
        "http://192.0.2.1:8921",
        "--token-file",
        &token_arg,
    ]);
    assert_eq!(o.status.code(), Some(2), "plain http to another machine: {}", text(&o));
    assert!(text(&o).contains("unencrypted"), "{}", text(&o));
    let o = run(&["inspector", "list", "--remote", &api]);
    assert_eq!(o.status.code(), Some(2), "--remote needs --token-file: {}", text(&o));
    drop(served);

    std::fs::write(&token, "short\n").expect("token");
    let o = Command::new(BIN)
        .args([
            "inspector",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--api-listen",
            "127.0.0.1:0",
            "--api-token-file",
        ])
        .arg(&token)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("at least 16 characters"), "{}", text(&o));
    let o = run(&[
        "inspector",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--api-listen",
        "127.0.0.1:0",
        "--db",
        "x.db",
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "--api-listen needs --api-token-file: {}",
        text(&o)
    );
}

/// `--tls-cert`/`--tls-key`: the receiver and the read API over HTTPS; `--remote` trusts a private
/// authority given with `--remote-ca`, and without it says the certificate is not trusted and what to do.
#[test]
fn serve_over_https_and_read_it_remotely() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("path").to_owned();
    // An authority and a certificate it signed for 127.0.0.1 (webpki refuses a self-signed leaf).
    let made = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cd '{d}' && printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > ext.cnf && \
             openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=test CA' -keyout ca.key -out ca.pem && \
             openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout key.pem -out leaf.csr && \
             openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out cert.pem"
        ))
        .output()
        .expect("sh runs");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    std::fs::write(dir.path().join("token"), "tls-api-token-0123456789\n").expect("token");
    let at = |f: &str| format!("{d}/{f}");
    let served = serve_with_api(&[
        "--api-token-file",
        &at("token"),
        "--tls-cert",
        &at("cert.pem"),
        "--tls-key",
        &at("key.pem"),
        "--db",
        &at("events.db"),
    ]);
    let (callbacks, api) = (served.callbacks.clone(), served.api.clone());
    assert!(callbacks.starts_with("https://") && api.starts_with("https://"));
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let pem = std::fs::read(at("ca.pem")).expect("ca");
        let http = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("pem"))
            .build()
            .expect("client");
        let r = http
            .post(format!("{callbacks}/cb"))
            .body(json!({"event_type": 0, "stream_id": "over_tls"}).to_string())
            .send()
            .await
            .expect("a callback over https");
        assert_eq!(r.status(), 200);
    });
    let remote = ["--remote", api.as_str(), "--token-file"];
    let o = run(&[
        &["inspector", "list"][..],
        &remote,
        &[&at("token"), "--remote-ca", &at("ca.pem")],
    ]
    .concat());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("over_tls"), "{}", text(&o));
    let o = run(&[&["inspector", "list"][..], &remote, &[&at("token")]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("not trusted: give its authority with --remote-ca"),
        "{}",
        text(&o)
    );
    // The fingerprint it names is the certificate's (as openssl prints it), and trusting it is enough.
    let told = text(&o);
    let fingerprint = told
        .split("--remote-fingerprint ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a fingerprint is named")
        .to_owned();
    let openssl = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in", &at("cert.pem")])
        .output()
        .expect("openssl");
    assert_eq!(
        String::from_utf8_lossy(&openssl.stdout).trim().split('=').nth(1),
        Some(fingerprint.as_str())
    );
    let o = run(&[
        &["inspector", "list"][..],
        &remote,
        &[&at("token"), "--remote-fingerprint", &fingerprint],
    ]
    .concat());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("over_tls"), "{}", text(&o));
    drop(served);
}

/// The server package's /etc/livehook/inspector.conf, as systemd hands it to `livehook inspector
/// serve`: every variable from the file (empty ones meaning unset), with the address, database and keys
/// file moved into the test's own places. The callback sent is verified with the file's key.
#[test]
fn the_service_configuration_file_configures_serve() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("callbacks.db");
    let keys = dir.path().join("keys");
    std::fs::write(&keys, "# comment\nservice=svc-key-123\n").expect("keys");
    let conf = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../packaging/server/inspector.conf"
    ))
    .expect("packaging/server/inspector.conf");
    let mut cmd = Command::new(BIN);
    cmd.args(["inspector", "serve"]).env_clear();
    let mut names = Vec::new();
    for line in conf
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (name, value) = line.split_once('=').unwrap_or_else(|| panic!("not NAME=VALUE: {line}"));
        assert!(name.starts_with("LIVEHOOK_INSPECTOR_"), "{name}");
        names.push(name.to_owned());
        cmd.env(name, value);
    }
    for name in [
        "LISTEN",
        "ALLOW_EXTERNAL",
        "DB",
        "KEY_FILE",
        "KEEP_DAYS",
        "FORWARD",
        "API_LISTEN",
        "TLS_CERT",
    ] {
        assert!(
            names.contains(&format!("LIVEHOOK_INSPECTOR_{name}")),
            "the file sets {name}"
        );
    }
    cmd.env("LIVEHOOK_INSPECTOR_LISTEN", "127.0.0.1:0")
        .env("LIVEHOOK_INSPECTOR_DB", &db)
        .env("LIVEHOOK_INSPECTOR_KEY_FILE", &keys);
    let served = spawn_served(cmd);
    let url = format!("{}/live", served.url);
    let o = run(&["trigger", "--event", "push", "--url", &url, "--key", "svc-key-123"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    drop(served);
    let o = run(&["inspector", "list", "--db", db.to_str().expect("path"), "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v["events"][0]["verification"]["key"], "service",
        "verified with the keys file's key"
    );

    // An external address from the file alone is refused unless the file also allows it.
    let o = Command::new(BIN)
        .args(["inspector", "serve"])
        .env("LIVEHOOK_INSPECTOR_LISTEN", "0.0.0.0:0")
        .env("LIVEHOOK_INSPECTOR_ALLOW_EXTERNAL", "false")
        .env("LIVEHOOK_INSPECTOR_DB", &db)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// `serve` prints a line per callback; `--quiet` (LIVEHOOK_INSPECTOR_QUIET=true, as the service's
/// configuration file sets it) prints none, and the callback is stored all the same.
#[test]
fn serve_quiet_prints_no_line_per_callback() {
    use std::io::BufRead;
    for quiet in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("quiet.db");
        let mut cmd = serve_command(&db, &["--key", "quiet-key-1"]);
        cmd.env("LIVEHOOK_INSPECTOR_QUIET", if quiet { "true" } else { "false" });
        // `served` is killed when the test ends, however it ends.
        let (served, out) = spawn_served_with_output(cmd);
        let url = served.url.clone();
        // The rest of the output, line by line, as it comes.
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let o = run(&[
            "trigger",
            "--event",
            "push",
            "--url",
            &format!("{url}/live"),
            "--key",
            "quiet-key-1",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let per_callback = |wait: Duration| {
            let until = Instant::now() + wait;
            while let Ok(line) = lines.recv_timeout(until.saturating_duration_since(Instant::now())) {
                if line.starts_with("#1 ") {
                    return Some(line);
                }
            }
            None
        };
        if quiet {
            // Printed within a few ms when not quiet; a second without it is its absence.
            assert_eq!(
                per_callback(Duration::from_secs(1)),
                None,
                "--quiet prints no line per callback"
            );
        } else {
            let line = per_callback(Duration::from_secs(30)).expect("a line for the callback");
            assert!(
                line.contains("type Push (1)") && line.contains("→ 200 (valid)"),
                "{line}"
            );
        }
        drop(served);
        let o = run(&["inspector", "list", "--db", db.to_str().expect("path"), "--json"]);
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["events"].as_array().map(Vec::len), Some(1), "stored (quiet: {quiet})");
    }
}
