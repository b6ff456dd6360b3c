//! The `livehook` contract that scripts rely on: commands, JSON output, exit statuses 0/1/2, and that
//! invalid input never reaches the network. Runs the real binary against `livehook emulator serve`.
//!
//! Over 500 lines: one suite sharing one rig (the real binary and an emulator).

mod common;

use std::process::{Command, Output};

use common::{spawn_served, Served};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_livehook");
const ID: &str = "AKIDclitest0001";
const KEY: &str = "clitestkey";

/// A `livehook emulator serve` process on a free port; killed when dropped.
fn serve(extra: &[&str]) -> Served {
    let mut cmd = Command::new(BIN);
    cmd.args([
        "emulator",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--secret-id",
        ID,
        "--secret-key",
        KEY,
    ])
    .args(extra)
    .env_remove("TENCENTCLOUD_SECRET_ID")
    .env_remove("TENCENTCLOUD_SECRET_KEY");
    spawn_served(cmd)
}

/// `livehook ARGS` against `endpoint` with the test account's keys.
fn run_at(endpoint: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("LIVEHOOK_ENDPOINT", endpoint)
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", KEY)
        .env_remove("TENCENTCLOUD_SESSION_TOKEN")
        .output()
        .expect("livehook runs")
}

fn run(served: &Served, args: &[&str]) -> Output {
    run_at(&served.url, args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("one JSON document ({e}): {}", stdout(o)))
}

fn status(o: &Output) -> i32 {
    o.status.code().expect("exit status")
}

#[test]
fn the_whole_life_cycle() {
    let s = serve(&[]);
    let o = run(&s, &["templates", "list"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("No callback templates yet"), "{}", stdout(&o));

    let o = run(
        &s,
        &[
            "templates",
            "create",
            "--name",
            "直播回调",
            "--description",
            "主站",
            "--callback-key",
            "abc123",
            "--stream-begin-url",
            "http://127.0.0.1:8080/cb",
            "--stream-end-url",
            "http://127.0.0.1:8080/cb",
            "--record-exception-url",
            "http://127.0.0.1:8080/rx",
            "--record-exception-levels",
            "error,warning",
            "--output",
            "json",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let id = json(&o)["TemplateId"].as_i64().expect("TemplateId");
    let id_s = id.to_string();

    let o = run(&s, &["templates", "show", &id_s, "--output", "json"]);
    let t = json(&o);
    assert_eq!(t["TemplateName"], "直播回调");
    assert_eq!(t["CallbackKey"], "abc123");
    assert_eq!(t["RecordExceptionLevels"], serde_json::json!(["error", "warning"]));

    let o = run(
        &s,
        &[
            "templates",
            "edit",
            &id_s,
            "--stream-end-url",
            "",
            "--snapshot-url",
            "https://h.example.com/s",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let t = json(&run(&s, &["templates", "show", &id_s, "--output", "json"]));
    assert_eq!(t["StreamEndNotifyUrl"], "");
    assert_eq!(t["SnapshotNotifyUrl"], "https://h.example.com/s");

    let o = run(&s, &["domains", "list", "--type", "push", "--output", "json"]);
    let names: Vec<String> = json(&o)["DomainList"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["Name"].as_str().expect("Name").to_owned())
        .collect();
    assert!(
        names.contains(&"push.example.com".to_owned()) && names.contains(&"push2.example.com".to_owned()),
        "{names:?}"
    );
    assert!(!names.contains(&"play.example.com".to_owned()));

    let o = run(
        &s,
        &[
            "rules",
            "bind",
            "--template",
            &id_s,
            "--domain",
            "push.example.com",
            "--domain",
            "push2.example.com",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("5–10 minutes"), "{}", stdout(&o));
    let o = run(
        &s,
        &[
            "rules",
            "bind",
            "--template",
            &id_s,
            "--domain",
            "push.example.com:live",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("to push.example.com (AppName live)"),
        "DOMAIN:APPNAME binds that AppName: {}",
        stdout(&o)
    );

    let o = run(&s, &["rules", "list", "--output", "json"]);
    assert_eq!(json(&o)["Rules"].as_array().expect("rules").len(), 3);
    let o = run(&s, &["templates", "list"]);
    let table = stdout(&o);
    assert!(
        table.contains("BOUND TO") && table.contains("push.example.com/live"),
        "{table}"
    );
    assert!(table.contains("push,screenshot,record-exception"), "{table}");

    // Deleting a bound template: the cloud's code, RequestId and advice, exit 1.
    let o = run(&s, &["templates", "delete", &id_s]);
    assert_eq!(status(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("FailedOperation.ConfInUsed") && err.contains("RequestId") && err.contains("Unbind"),
        "{err}"
    );
    assert_eq!(
        err.matches("FailedOperation.ConfInUsed").count(),
        1,
        "the code once: {err}"
    );
    assert_eq!(err.matches("RequestId").count(), 1, "the RequestId once: {err}");
    let o = run(&s, &["templates", "delete", &id_s, "--output", "json"]);
    assert_eq!(json(&o)["Error"]["Code"], "FailedOperation.ConfInUsed");
    assert_eq!(json(&o)["Error"]["Kind"], "in_use");

    for args in [
        vec![
            "rules",
            "unbind",
            "--domain",
            "push.example.com",
            "--domain",
            "push2.example.com",
        ],
        vec!["rules", "unbind", "--domain", "push.example.com:live"],
        vec!["templates", "delete", &id_s],
    ] {
        let o = run(&s, &args);
        assert_eq!(status(&o), 0, "{args:?}: {}", stderr(&o));
    }
    let o = run(&s, &["templates", "list", "--output", "json"]);
    assert_eq!(json(&o)["Templates"], serde_json::json!([]));
}

#[test]
fn invalid_input_exits_2_and_names_every_field() {
    let s = serve(&[]);
    let o = run(
        &s,
        &[
            "templates",
            "create",
            "--name",
            "bad name!",
            "--callback-key",
            "a_b",
            "--stream-begin-url",
            "ftp://x",
            "--record-exception-levels",
            "info",
        ],
    );
    assert_eq!(status(&o), 2);
    let err = stderr(&o);
    for flag in [
        "--name",
        "--callback-key",
        "--stream-begin-url",
        "--record-exception-levels",
    ] {
        assert!(err.contains(flag), "{flag} in {err}");
    }
    assert!(err.contains("nothing was sent"), "{err}");
    let o = run(&s, &["templates", "create", "--name", "no_url", "--output", "json"]);
    assert_eq!(status(&o), 2);
    assert_eq!(json(&o)["Error"]["Fields"][0]["Field"], "Template");
    // --api-limits allows what the console does not, e.g. the info level.
    let o = run(
        &s,
        &[
            "templates",
            "create",
            "--name",
            "api",
            "--record-url",
            "http://a.com/r",
            "--record-exception-levels",
            "info",
            "--api-limits",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));

    for args in [
        vec!["templates", "edit", "1000"],
        vec!["templates", "show", "0"],
        vec!["rules", "bind", "--template", "1000", "--domain", "not a domain"],
        vec!["rules", "unbind", "--domain", "push.example.com", "--app-name", "a/b"],
        vec![
            "rules",
            "bind",
            "--template",
            "1000",
            "--domain",
            "push.example.com:a b",
        ],
        vec!["templates", "frobnicate"],
    ] {
        let o = run(&s, &args);
        assert_eq!(status(&o), 2, "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn invalid_input_never_reaches_the_network() {
    // The endpoint is a port nobody listens on: a request would fail with status 1, not 2.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let endpoint = format!("http://{closed}");
    let o = run_at(
        &endpoint,
        &[
            "templates",
            "create",
            "--name",
            "x y",
            "--stream-begin-url",
            "http://a.com/x",
        ],
    );
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    let o = run_at(&endpoint, &["templates", "list"]);
    assert_eq!(status(&o), 1, "a network error: {}", stderr(&o));
    assert!(stderr(&o).contains("could not reach"), "{}", stderr(&o));
}

#[test]
fn credentials_come_from_the_environment() {
    let s = serve(&[]);
    let o = Command::new(BIN)
        .args(["templates", "list"])
        .env("LIVEHOOK_ENDPOINT", &s.url)
        .env_remove("TENCENTCLOUD_SECRET_ID")
        .env_remove("TENCENTCLOUD_SECRET_KEY")
        .output()
        .expect("runs");
    assert_eq!(status(&o), 2);
    assert!(stderr(&o).contains("TENCENTCLOUD_SECRET_ID"), "{}", stderr(&o));
    let o = Command::new(BIN)
        .args(["templates", "list", "--endpoint", &s.url, "--output", "json"])
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", "wrong")
        .output()
        .expect("runs");
    assert_eq!(status(&o), 1);
    assert_eq!(json(&o)["Error"]["Code"], "AuthFailure.SignatureFailure");
    assert!(
        !stderr(&o).contains("wrong"),
        "the key is never printed: {}",
        stderr(&o)
    );
}

#[test]
fn a_partial_bind_says_what_was_done() {
    let s = serve(&[]);
    let o = run(
        &s,
        &[
            "templates",
            "create",
            "--name",
            "p",
            "--record-url",
            "http://a.com/r",
            "--output",
            "json",
        ],
    );
    let id = json(&o)["TemplateId"].as_i64().expect("id").to_string();
    let o = run(
        &s,
        &[
            "rules",
            "bind",
            "--template",
            &id,
            "--domain",
            "push.example.com",
            "--domain",
            "nowhere.example.com",
            "--output",
            "json",
        ],
    );
    assert_eq!(status(&o), 1);
    let results = json(&o)["Results"].clone();
    assert_eq!(results[0]["Ok"], true);
    assert_eq!(results[1]["Ok"], false);
    assert_eq!(results[1]["Error"]["Code"], "ResourceNotFound.DomainNotExist");
    assert!(stderr(&o).contains("1 of 2 done, 1 failed"), "{}", stderr(&o));
}

#[test]
fn fault_injection_from_the_command_line() {
    let s = serve(&["--no-rate-limits"]);
    let o = run(
        &s,
        &[
            "emulator",
            "fault",
            "add",
            "--emulator",
            &s.url,
            "--action",
            "CreateLiveCallbackTemplate",
            "--kind",
            "drop",
            "--count",
            "1",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let o = run(
        &s,
        &["emulator", "fault", "list", "--emulator", &s.url, "--output", "json"],
    );
    assert_eq!(json(&o)[0]["kind"], "drop");
    // The create's answer is lost; the CLI finds the template instead of making a second one.
    let o = run(
        &s,
        &[
            "templates",
            "create",
            "--name",
            "once",
            "--record-url",
            "http://a.com/r",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("was not created twice"), "{}", stderr(&o));
    let o = run(&s, &["templates", "list", "--output", "json"]);
    assert_eq!(json(&o)["Templates"].as_array().expect("list").len(), 1);

    let o = run(
        &s,
        &["emulator", "fault", "add", "--emulator", &s.url, "--kind", "latency"],
    );
    assert_eq!(status(&o), 2, "latency needs --ms");
    let o = run(&s, &["emulator", "fault", "clear", "--emulator", &s.url]);
    assert_eq!(status(&o), 0);
}

#[test]
fn the_emulator_explains_a_busy_port_and_bad_domain_files() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let o = Command::new(BIN)
        .args([
            "emulator",
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--secret-id",
            ID,
            "--secret-key",
            KEY,
        ])
        .output()
        .expect("runs");
    assert_eq!(status(&o), 2);
    assert!(
        stderr(&o).contains("127.0.0.1:0"),
        "suggests a free port: {}",
        stderr(&o)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("domains.json");
    std::fs::write(&file, "[{\"name\": \"x\"}]").expect("write");
    let o = Command::new(BIN)
        .args([
            "emulator",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--secret-id",
            ID,
            "--secret-key",
            KEY,
            "--domains",
        ])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(status(&o), 2);
    assert!(stderr(&o).contains("not a domain list"), "{}", stderr(&o));

    std::fs::write(
        &file,
        r#"[{"name": "live.mine.com", "type": "push"}, {"name": "play.mine.com", "type": "play"}]"#,
    )
    .expect("write");
    let s = serve(&[
        "--domains",
        file.to_str().expect("utf8"),
        "--state",
        dir.path().join("state").to_str().expect("utf8"),
    ]);
    let o = run(&s, &["domains", "list", "--output", "json"]);
    assert_eq!(json(&o)["AllCount"], 2);
    assert!(dir.path().join("state/state.json").exists(), "state written");
}

#[test]
fn streams_from_the_command_line() {
    let s = serve(&["--time-scale", "600", "--no-rate-limits"]);
    let o = run(
        &s,
        &[
            "templates",
            "create",
            "--name",
            "st",
            "--stream-begin-url",
            "http://127.0.0.1:9/cb",
            "--output",
            "json",
        ],
    );
    let id = json(&o)["TemplateId"].as_i64().expect("id").to_string();
    let o = run(
        &s,
        &["rules", "bind", "--template", &id, "--domain", "push.example.com"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));

    let at = [
        "--emulator",
        s.url.as_str(),
        "--domain",
        "push.example.com",
        "--stream",
        "room1",
    ];
    let o = run(&s, &[&["emulator", "stream", "start"][..], &at].concat());
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("  1 Push ") && out.contains("(template "), "{out}");
    assert!(
        out.contains("not sent: template") && out.contains("RecordStatusNotifyUrl"),
        "{out}"
    );

    let o = run(&s, &["emulator", "stream", "list", "--emulator", &s.url]);
    assert_eq!(stdout(&o).trim(), "push.example.com/live/room1");
    let o = run(
        &s,
        &[
            &[
                "emulator",
                "stream",
                "event",
                "--kind",
                "push-exception",
                "--types",
                "3,6",
            ][..],
            &at,
        ]
        .concat(),
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("not sent"), "no push exception URL: {}", stdout(&o));
    let o = run(
        &s,
        &[&["emulator", "stream", "event", "--kind", "live-summary"][..], &at].concat(),
    );
    assert_eq!(status(&o), 2, "live summary needs --url");
    let o = run(
        &s,
        &[
            &["emulator", "stream", "stop", "--errcode", "8", "--output", "json"][..],
            &at,
        ]
        .concat(),
    );
    let codes: Vec<i64> = json(&o)["dispatched"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["event_type"].as_i64().expect("code"))
        .collect();
    assert_eq!(codes, vec![332, 100, 0]);
    let o = run(&s, &[&["emulator", "stream", "stop"][..], &at].concat());
    assert_eq!(status(&o), 2, "not live any more: {}", stderr(&o));
    assert!(stderr(&o).contains("not being pushed"), "{}", stderr(&o));

    let o = run(
        &s,
        &[
            "emulator",
            "stream",
            "scenario",
            "--emulator",
            &s.url,
            "--domain",
            "nowhere.example.com",
        ],
    );
    assert_eq!(status(&o), 2, "{}", stderr(&o));
    let o = run(
        &s,
        &[
            "emulator",
            "stream",
            "scenario",
            "--emulator",
            &s.url,
            "--domain",
            "push.example.com",
            "--streams",
            "3",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("3 stream(s)"), "{}", stdout(&o));
}

#[test]
fn serve_checks_its_options() {
    for extra in [
        vec!["--time-scale", "0"],
        vec!["--callback-timeout", "0"],
        vec!["--rate-limit", "0"],
        vec![
            "--tls-cert",
            "/nonexistent/cert.pem",
            "--tls-key",
            "/nonexistent/key.pem",
        ],
    ] {
        let o = Command::new(BIN)
            .args([
                "emulator",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--secret-id",
                ID,
                "--secret-key",
                KEY,
            ])
            .args(&extra)
            .output()
            .expect("runs");
        assert_eq!(status(&o), 2, "{extra:?}: {}", stderr(&o));
    }
}

/// Plain http to another machine is a usage error: exit 2, told how to allow it, nothing sent and no
/// name looked up. A proxy on loopback watches: the run goes through it when it reaches the network at
/// all (reqwest hands the host name to an http proxy instead of resolving it), so the allowed run shows
/// the watcher sees a connection and the refused one that there was none.
#[test]
fn plain_http_to_another_machine_is_refused_before_anything_is_sent() {
    use std::io::{Read, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for conn in proxy.incoming() {
            let Ok(mut conn) = conn else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = conn.set_read_timeout(Some(std::time::Duration::from_secs(2)));
            let _ = conn.read(&mut [0u8; 4096]);
            let _ = conn.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    let through_proxy = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("LIVEHOOK_ENDPOINT", "http://livehook-no-such-host.invalid")
            .env("TENCENTCLOUD_SECRET_ID", ID)
            .env("TENCENTCLOUD_SECRET_KEY", KEY)
            .env_remove("TENCENTCLOUD_SESSION_TOKEN");
        for name in [
            "NO_PROXY",
            "no_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            cmd.env_remove(name);
        }
        cmd.env("HTTP_PROXY", &proxy_url).env("http_proxy", &proxy_url);
        cmd.output().expect("livehook runs")
    };

    let o = through_proxy(&["templates", "list"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--allow-insecure-http"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("dns") && !stderr(&o).contains("resolve"),
        "{}",
        stderr(&o)
    );
    assert_eq!(seen.load(Ordering::SeqCst), 0, "the refused run reached the network");

    // Asked for on purpose, it is tried: through the watcher, which answers 502 (a failure, exit 1).
    let o = through_proxy(&["templates", "list", "--allow-insecure-http", "--timeout", "5"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        seen.load(Ordering::SeqCst) >= 1,
        "the watcher saw nothing: {}",
        stderr(&o)
    );
}

/// `--callback-key-file -` takes the template's key from standard input, out of `ps`'s sight.
#[test]
fn a_template_key_can_come_from_standard_input() {
    use std::io::Write;
    use std::process::Stdio;
    let served = serve(&[]);
    let mut child = Command::new(BIN)
        .args([
            "--output",
            "json",
            "templates",
            "create",
            "--name",
            "fromstdin",
            "--stream-begin-url",
            "https://hooks.example.com/b",
            "--callback-key-file",
            "-",
        ])
        .env("LIVEHOOK_ENDPOINT", &served.url)
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", KEY)
        .env_remove("TENCENTCLOUD_SESSION_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("livehook");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"stdinKey2024\n")
        .expect("write");
    let o = child.wait_with_output().expect("create");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let id = json(&o)["TemplateId"].as_i64().expect("TemplateId");
    let o = run(&served, &["--output", "json", "templates", "show", &id.to_string()]);
    assert_eq!(json(&o)["CallbackKey"], "stdinKey2024");
}

/// `livehook deliveries list` against the emulator, with a receiver that fails the first two pushes:
/// every attempt, newest first, filters, the table and JSON, and the ranges refused before sending.
#[test]
fn the_delivery_log_of_a_stream_whose_callbacks_partly_failed() {
    let s = serve(&["--time-scale", "600", "--no-rate-limits"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(BIN);
    cmd.args([
        "inspector",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--rule",
        "path=/push,fail-first=2",
        "--db",
    ])
    .arg(dir.path().join("events.db"));
    let receiver = spawn_served(cmd);
    let o = run(
        &s,
        &[
            "templates",
            "create",
            "--name",
            "dl",
            "--stream-begin-url",
            &format!("{}/push", receiver.url),
            "--stream-end-url",
            &format!("{}/end", receiver.url),
            "--output",
            "json",
        ],
    );
    let id = json(&o)["TemplateId"].as_i64().expect("id").to_string();
    let o = run(
        &s,
        &["rules", "bind", "--template", &id, "--domain", "push.example.com"],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let at = [
        "--emulator",
        s.url.as_str(),
        "--domain",
        "push.example.com",
        "--stream",
        "room-1",
    ];
    for step in ["start", "stop"] {
        let o = run(&s, &[&["emulator", "stream", step][..], &at].concat());
        assert_eq!(status(&o), 0, "{}", stderr(&o));
    }
    // Two failed pushes, the third answered 200, and the interruption: four attempts in the log.
    let list = |extra: &[&str]| run(&s, &[&["deliveries", "list", "--stream", "room-1"][..], extra].concat());
    let mut records = Value::Null;
    for _ in 0..100 {
        let o = list(&["--output", "json"]);
        assert_eq!(status(&o), 0, "{}", stderr(&o));
        records = json(&o);
        if records["TotalNum"] == 4 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(records["TotalNum"], 4, "{records}");
    let list_of = |v: &Value| v["Records"].as_array().expect("records").clone();
    let all = list_of(&records);
    let times: Vec<String> = all
        .iter()
        .map(|r| r["EventTime"].as_str().expect("time").to_owned())
        .collect();
    assert!(
        times.iter().all(|t| t.ends_with('Z')),
        "answered in the form asked: {times:?}"
    );
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let codes: Vec<(i64, i64)> = all
        .iter()
        .map(|r| {
            (
                r["EventType"].as_i64().expect("type"),
                r["ResultCode"].as_i64().expect("code"),
            )
        })
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == (1, 500)).count(), 2, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == (1, 0)).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == (0, 0)).count(), 1, "{codes:?}");
    assert!(all
        .iter()
        .all(|r| r["StreamId"] == "room-1" && r["Request"].as_str().is_some_and(|b| b.contains("\"sign\""))));

    let failed = json(&list(&["--failed", "--output", "json"]));
    assert_eq!(failed["TotalNum"], 2);
    assert!(list_of(&failed).iter().all(|r| r["ResultCode"] == 500));
    let ends = json(&list(&[
        "--event-type",
        "interruption",
        "--since",
        "2h",
        "--output",
        "json",
    ]));
    assert_eq!(ends["TotalNum"], 1);

    let o = list(&[]);
    let table = stdout(&o);
    assert!(
        table.contains("SENT (") && table.contains("UTC"),
        "the zone is named: {table}"
    );
    assert!(
        table.contains("Push (1)") && table.contains("Interruption (0)"),
        "{table}"
    );
    assert!(table.contains(" OK ") && table.contains(" 500 "), "{table}");
    assert!(
        table.contains("4 deliveries of stream \"room-1\"") && table.contains("2 failed"),
        "{table}"
    );
    // A Beijing-time start reads the same log.
    let beijing = (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::hours(1))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    assert_eq!(json(&list(&["--since", &beijing, "--output", "json"]))["TotalNum"], 4);
    // A stream name is sent as typed, UTF-8 included (the emulator, like Tencent, pushes only ASCII
    // names, so this one has no records).
    let o = run(&s, &["deliveries", "list", "--stream", "直播间1", "--since", "5m"]);
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("No deliveries of stream \"直播间1\""),
        "{}",
        stdout(&o)
    );

    // Refused with 2 before anything is sent: nothing listens at the endpoint, which would be a 1.
    let nowhere = "http://127.0.0.1:9";
    for (args, says) in [
        (
            &["deliveries", "list", "--stream", "s", "--since", "15d"][..],
            "14 days",
        ),
        (&["deliveries", "list", "--stream", "", "--since", "1h"], "stream name"),
        (
            &["deliveries", "list", "--stream", "s", "--since", "1h", "--until", "2h"],
            "not after",
        ),
        (
            &["deliveries", "list", "--stream", "s", "--since", "tomorrow"],
            "--since",
        ),
        (&["deliveries", "list", "--since", "1h"], "--stream"),
    ] {
        let o = run_at(nowhere, args);
        assert_eq!(status(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    drop(receiver);
}

/// `rules bind --wait`: pending until the first callback for the domain reaches the inspector's
/// database, then live with the time it arrived; a binding nothing is pushed to stays pending and says so.
#[test]
fn bind_waits_for_the_first_callback() {
    let s = serve(&["--time-scale", "600", "--no-rate-limits"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("events.db");
    let mut cmd = Command::new(BIN);
    cmd.args(["inspector", "serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(&db);
    let receiver = spawn_served(cmd);
    let o = run(
        &s,
        &[
            "templates",
            "create",
            "--name",
            "waited",
            "--stream-begin-url",
            &format!("{}/push", receiver.url),
            "--output",
            "json",
        ],
    );
    let id = json(&o)["TemplateId"].as_i64().expect("id").to_string();
    let db_arg = db.to_str().expect("path").to_owned();
    let waiting = Command::new(BIN)
        .args([
            "rules",
            "bind",
            "--template",
            &id,
            "--domain",
            "push.example.com:live",
            "--wait",
            "--wait-timeout",
            "60s",
            "--db",
            &db_arg,
        ])
        .env("LIVEHOOK_ENDPOINT", &s.url)
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", KEY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("livehook runs");
    // The rule exists once the bind is done; then a stream is pushed.
    for _ in 0..100 {
        if stdout(&run(&s, &["rules", "list"])).contains("push.example.com") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let o = run(
        &s,
        &[
            "emulator",
            "stream",
            "start",
            "--emulator",
            &s.url,
            "--domain",
            "push.example.com",
            "--stream",
            "w1",
        ],
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let o = waiting.wait_with_output().expect("waits");
    assert_eq!(status(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("waiting up to 60 s for the first callback of push.example.com/live"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("push.example.com/live: live, first callback at"),
        "{}",
        stdout(&o)
    );

    // Nothing is pushed to another domain's new binding: it stays pending, and the command says so.
    let o = run(
        &s,
        &[
            "rules",
            "bind",
            "--template",
            &id,
            "--domain",
            "push2.example.com",
            "--wait",
            "--wait-timeout",
            "1s",
            "--db",
            &db_arg,
        ],
    );
    assert_eq!(status(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("push2.example.com: still pending"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &s,
        &[
            "rules",
            "bind",
            "--template",
            &id,
            "--domain",
            "push2.example.com",
            "--wait-timeout",
            "1s",
        ],
    );
    assert_eq!(status(&o), 2, "--wait-timeout needs --wait: {}", stderr(&o));
    drop(receiver);
}
