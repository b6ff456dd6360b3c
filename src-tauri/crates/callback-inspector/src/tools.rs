//! What a person does with a captured callback: send it again (as captured, re-signed with a fresh
//! `t`, or edited), copy it as cURL, export a selection (JSON, NDJSON, HAR), and send realistic signed
//! test events of every type to any URL, optionally on Tencent's retry schedule.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tencent_live::callback::bodies::{self, StreamRef};
use tencent_live::callback::EventType;
use tencent_live::callback::{seal, Retries, ANSWER_TIMEOUT};
use tencent_live::secret::Secret;
use tencent_live::validate::is_http_url;

use crate::event::{Captured, Facts, StoredEvent};

/// How to send a captured callback again.
#[derive(Debug, Clone)]
pub enum Replay {
    /// The exact bytes received.
    AsCaptured,
    /// The body with a fresh `t` (now + 600) and the `sign` for `key`.
    Resigned { key: Secret },
    /// Another body (edited by the user), optionally re-signed.
    Edited { body: String, resign: Option<Secret> },
}

/// What came back from one send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SendResult {
    pub url: String,
    pub attempt: u32,
    pub status: Option<u16>,
    pub answer: String,
    pub error: Option<String>,
    pub elapsed_ms: u64,
    /// The body that was sent.
    pub body: String,
}

impl SendResult {
    pub fn ok(&self) -> bool {
        self.status == Some(200)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ToolError {
    #[error("the edited body is not a JSON object: {0}")]
    NotJson(String),
    #[error("\"{0}\" is not an http:// or https:// URL")]
    BadUrl(String),
    #[error("event type {0} has no test event; use one of {list}", list = test_event_types().iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", "))]
    UnknownEventType(i64),
}

fn check_url(url: &str) -> Result<(), ToolError> {
    if is_http_url(url) {
        Ok(())
    } else {
        Err(ToolError::BadUrl(url.to_owned()))
    }
}

/// Give `body` a fresh `t` and the matching `sign`, as Tencent would.
pub fn resign(body: &mut Value, key: &Secret, now: i64) {
    seal(body, key, now);
}

/// The bytes a replay sends.
pub fn replay_body(event: &StoredEvent, how: &Replay, now: i64) -> Result<Vec<u8>, ToolError> {
    let parse = |b: &[u8]| -> Result<Value, ToolError> {
        match serde_json::from_slice::<Value>(b) {
            Ok(v @ Value::Object(_)) => Ok(v),
            Ok(_) => Err(ToolError::NotJson("not an object".into())),
            Err(e) => Err(ToolError::NotJson(e.to_string())),
        }
    };
    Ok(match how {
        Replay::AsCaptured => event.request.body.clone(),
        Replay::Resigned { key } => {
            let mut v = parse(&event.request.body)?;
            resign(&mut v, key, now);
            v.to_string().into_bytes()
        }
        Replay::Edited { body, resign: None } => {
            parse(body.as_bytes())?;
            body.clone().into_bytes()
        }
        Replay::Edited {
            body,
            resign: Some(key),
        } => {
            let mut v = parse(body.as_bytes())?;
            self::resign(&mut v, key, now);
            v.to_string().into_bytes()
        }
    })
}

/// POST `body` to `url` with Tencent's 20 s timeout and report what came back.
pub async fn send(http: &reqwest::Client, url: &str, body: Vec<u8>, attempt: u32, timeout: Duration) -> SendResult {
    send_marked(http, url, body, attempt, timeout, None).await
}

/// [`send`], with `mark` as the [`crate::event::REPLAY_HEADER`] when given.
async fn send_marked(
    http: &reqwest::Client,
    url: &str,
    body: Vec<u8>,
    attempt: u32,
    timeout: Duration,
    mark: Option<&str>,
) -> SendResult {
    let started = Instant::now();
    let text = String::from_utf8_lossy(&body).into_owned();
    let mut request = http.post(url).header("Content-Type", "application/json");
    if let Some(mark) = mark {
        request = request.header(crate::event::REPLAY_HEADER, mark);
    }
    let result = request.timeout(timeout).body(body).send().await;
    let (status, answer, error) = match result {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let answer = resp.text().await.unwrap_or_default();
            (Some(status), answer.chars().take(4096).collect(), None)
        }
        Err(e) if e.is_timeout() => (
            None,
            String::new(),
            Some(format!("no answer within {} s", timeout.as_secs())),
        ),
        Err(e) => (None, String::new(), Some(tencent_live::error::error_chain(&e))),
    };
    SendResult {
        url: url.to_owned(),
        attempt,
        status,
        answer,
        error,
        elapsed_ms: started.elapsed().as_millis() as u64,
        body: text,
    }
}

/// Send a captured callback again. `mark` is the receiver's replay mark for it
/// ([`crate::receiver::RunningReceiver::replay_mark`]), given when `url` is that receiver: it then keeps
/// the request as a replay, not as another delivery attempt. Another server gets no mark.
pub async fn replay(
    http: &reqwest::Client,
    url: &str,
    event: &StoredEvent,
    how: &Replay,
    now: i64,
    mark: Option<&str>,
) -> Result<SendResult, ToolError> {
    check_url(url)?;
    let body = replay_body(event, how, now)?;
    Ok(send_marked(http, url, body, 1, Duration::from_secs(20), mark).await)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The request as a cURL command against `base` (e.g. `http://127.0.0.1:9000`), for a POSIX shell.
pub fn curl(event: &StoredEvent, base: &str) -> String {
    let mut url = format!("{}{}", base.trim_end_matches('/'), event.request.path);
    if !event.request.query.is_empty() {
        url.push('?');
        url.push_str(&event.request.query);
    }
    // Every part came from the network: each is one quoted word, so none can run as a command.
    let mut out = format!("curl -X {} {}", shell_quote(&event.request.method), shell_quote(&url));
    for (k, v) in &event.request.headers {
        if matches!(
            k.as_str(),
            "host" | "content-length" | "connection" | "accept-encoding" | crate::event::REPLAY_HEADER
        ) {
            continue;
        }
        out.push_str(&format!(" \\\n  -H {}", shell_quote(&format!("{k}: {v}"))));
    }
    if !event.request.body.is_empty() {
        out.push_str(&format!(" \\\n  --data-raw {}", shell_quote(&event.body_text())));
    }
    out
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Format {
    Json,
    Ndjson,
    Har,
}

impl Format {
    /// The file name extension of this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Har => "har",
        }
    }
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// One event as an export record: the body as JSON when it is JSON, else as text.
pub fn export_record(e: &StoredEvent) -> Value {
    let body = serde_json::from_slice::<Value>(&e.request.body).unwrap_or_else(|_| Value::String(e.body_text()));
    json!({
        "id": e.id,
        "receivedAt": rfc3339(e.request.received_at),
        "method": e.request.method,
        "path": e.request.path,
        "query": e.request.query,
        "headers": e.request.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "remote": e.request.remote,
        "bodySize": e.request.body_size,
        "body": body,
        "eventType": e.facts.event_type,
        "streamId": e.facts.stream_id,
        "domain": e.facts.domain,
        "appName": e.facts.app_name,
        "sequence": e.facts.sequence,
        "verification": e.check,
        "attempt": e.attempt,
        "answer": e.answer,
    })
}

/// An export record with the body's exact text beside it (`bodyText`): what the read API answers, so a
/// remote client shows and resends the very bytes received (the `body` JSON may order keys otherwise).
pub fn api_record(e: &StoredEvent) -> Value {
    let mut v = export_record(e);
    v["bodyText"] = Value::String(e.body_text());
    // What a remote client needs to hold the very callback stored: the body's event time (the gallery's
    // order) and its delivery group (its other attempts).
    v["eventTime"] = json!(e.facts.event_time);
    v["group"] = Value::String(e.group.clone());
    v
}

/// A stored callback again from an [`api_record`] (or an export record, whose body is then written
/// out from its JSON); None when a field is missing or of the wrong kind.
pub fn from_record(v: &Value) -> Option<StoredEvent> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let opt_text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let body = match (v.get("bodyText").and_then(Value::as_str), v.get("body")?) {
        (Some(t), _) => t.as_bytes().to_vec(),
        (None, Value::String(s)) => s.as_bytes().to_vec(),
        (None, other) => serde_json::to_vec(other).ok()?,
    };
    let headers = v
        .get("headers")?
        .as_array()?
        .iter()
        .map(|h| Some((h.get(0)?.as_str()?.to_owned(), h.get(1)?.as_str()?.to_owned())))
        .collect::<Option<Vec<_>>>()?;
    Some(StoredEvent {
        id: v.get("id")?.as_i64()?,
        request: Captured {
            received_at: chrono::DateTime::parse_from_rfc3339(v.get("receivedAt")?.as_str()?)
                .ok()?
                .timestamp_millis(),
            method: text("method")?,
            path: text("path")?,
            query: text("query").unwrap_or_default(),
            headers,
            remote: text("remote").unwrap_or_default(),
            body_size: v.get("bodySize").and_then(Value::as_u64).unwrap_or(body.len() as u64),
            too_large: v
                .get("bodySize")
                .and_then(Value::as_u64)
                .is_some_and(|n| n > body.len() as u64),
            body,
        },
        facts: Facts {
            event_type: v.get("eventType").and_then(Value::as_i64),
            stream_id: opt_text("streamId"),
            domain: opt_text("domain"),
            app_name: opt_text("appName"),
            sequence: opt_text("sequence"),
            event_time: v.get("eventTime").and_then(Value::as_i64),
        },
        check: serde_json::from_value(v.get("verification")?.clone()).ok()?,
        group: opt_text("group").unwrap_or_default(),
        attempt: u32::try_from(v.get("attempt")?.as_u64()?).ok()?,
        answer: serde_json::from_value(v.get("answer")?.clone()).ok()?,
    })
}

/// The events in `format`; `base` is the receiver's address, for HAR's request URLs.
pub fn export(events: &[StoredEvent], format: Format, base: &str) -> String {
    let mut out = Vec::new();
    let mut w = Exporter::new(&mut out, format, base).expect("writing to memory");
    for e in events {
        w.add(e).expect("writing to memory");
    }
    w.finish().expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes an export one callback at a time, so an export of any size holds one callback in memory.
pub struct Exporter<W: std::io::Write> {
    out: W,
    format: Format,
    base: String,
    written: u64,
}

impl<W: std::io::Write> std::fmt::Debug for Exporter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exporter")
            .field("format", &self.format)
            .field("written", &self.written)
            .finish()
    }
}

impl<W: std::io::Write> Exporter<W> {
    pub fn new(mut out: W, format: Format, base: &str) -> std::io::Result<Exporter<W>> {
        match format {
            Format::Json => out.write_all(b"[")?,
            Format::Ndjson => {}
            Format::Har => {
                let creator = json!({"name": "LiveHook", "version": env!("CARGO_PKG_VERSION")});
                write!(
                    out,
                    "{{\n  \"log\": {{\n    \"version\": \"1.2\",\n    \"creator\": {creator},\n    \"entries\": ["
                )?;
            }
        }
        Ok(Exporter {
            out,
            format,
            base: base.to_owned(),
            written: 0,
        })
    }

    /// Callbacks written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn add(&mut self, e: &StoredEvent) -> std::io::Result<()> {
        let sep: &[u8] = if self.written == 0 { b"\n" } else { b",\n" };
        match self.format {
            Format::Json => {
                self.out.write_all(sep)?;
                self.out.write_all(&indented(&export_record(e), 2))?;
            }
            Format::Ndjson => writeln!(self.out, "{}", export_record(e))?,
            Format::Har => {
                self.out.write_all(sep)?;
                self.out.write_all(&indented(&har_entry(e, &self.base), 6))?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// The closing brackets, and the writer back.
    pub fn finish(mut self) -> std::io::Result<W> {
        let nl = if self.written == 0 { "" } else { "\n" };
        match self.format {
            Format::Json => writeln!(self.out, "{nl}]")?,
            Format::Ndjson => {}
            Format::Har => write!(self.out, "{nl}    ]\n  }}\n}}\n")?,
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// `v` pretty-printed, every line indented by `by` spaces.
fn indented(v: &Value, by: usize) -> Vec<u8> {
    let pretty = serde_json::to_string_pretty(v).expect("JSON values serialise");
    let pad = " ".repeat(by);
    let mut out = String::with_capacity(pretty.len() + by * 8);
    for (i, line) in pretty.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&pad);
        out.push_str(line);
    }
    out.into_bytes()
}

fn har_entry(e: &StoredEvent, base: &str) -> Value {
    let mut url = format!("{}{}", base.trim_end_matches('/'), e.request.path);
    if !e.request.query.is_empty() {
        url = format!("{url}?{}", e.request.query);
    }
    let query: Vec<Value> = url::form_urlencoded::parse(e.request.query.as_bytes())
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    let mime = e
        .request
        .headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "application/json".into());
    json!({
        "startedDateTime": rfc3339(e.request.received_at),
        "time": e.answer.delay_ms,
        "request": {
            "method": e.request.method,
            "url": url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": e.request.headers.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "queryString": query,
            "postData": {"mimeType": mime, "text": e.body_text()},
            "headersSize": -1,
            "bodySize": e.request.body_size,
        },
        "response": {
            "status": e.answer.status,
            "statusText": axum::http::StatusCode::from_u16(e.answer.status).ok().and_then(|s| s.canonical_reason()).unwrap_or(""),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": "content-type", "value": "application/json"}],
            "content": {"size": e.answer.body.len(), "mimeType": "application/json", "text": e.answer.body},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": e.answer.body.len(),
        },
        "cache": {},
        "timings": {"send": 0, "wait": e.answer.delay_ms, "receive": 0},
        "comment": format!("verification: {}; attempt {}", e.check.slug(), e.attempt),
    })
}

/// The event types there are test events for: every type Tencent sends.
pub fn test_event_types() -> Vec<i64> {
    EventType::ALL.iter().map(|t| t.code()).collect()
}

/// The stream test events are about.
pub fn test_stream() -> StreamRef {
    StreamRef {
        appid: 1250000000,
        domain: "push.example.com".into(),
        app_name: "live".into(),
        stream_id: "livehook_test".into(),
        stream_param: "txSecret=0123456789abcdef&txTime=6F0A1B2C".into(),
        user_ip: "203.0.113.7".into(),
    }
}

/// A realistic body of `event_type`, as Tencent sends it, signed with `key` at `now`.
pub fn test_event(event_type: i64, key: &Secret, now: i64) -> Result<Value, ToolError> {
    let s = test_stream();
    let seq = format!("{}", 6_000_000_000_000_000_000u64 + now as u64);
    let session = format!("{}_{}", s.stream_id, now);
    let mut body = match event_type {
        1 => bodies::push(&s, true, &seq, now, 0, None),
        0 => bodies::push(&s, false, &seq, now, 1, Some(3_600_000)),
        100 => bodies::record_file(&s, &session, "5285890817000000001", now - 1800, now),
        200 => bodies::snapshot(&s, now, 1),
        314 => bodies::pull_task_alarm(&s, now),
        315 => bodies::audio_audit(&s, now),
        317 => bodies::image_audit(&s, now),
        321 => bodies::push_exception(&s, &seq, now, &[1, 3]),
        332 => bodies::record_status(&s, "record_started", &session, "1", now),
        341 => bodies::record_exception(&s, &session, now, "error", 3),
        348 => bodies::live_summary(&s, now - 3600, now),
        other => return Err(ToolError::UnknownEventType(other)),
    };
    seal(&mut body, key, now);
    Ok(body)
}

/// Send a test event to `url`; with `retries`, keep sending on Tencent's schedule (on its clock) until
/// it is answered 200 or the retries run out. `on_attempt` sees each answer.
pub async fn send_test_event(
    http: &reqwest::Client,
    url: &str,
    event_type: i64,
    key: &Secret,
    now: i64,
    retries: Option<&Retries>,
    on_attempt: impl Fn(&SendResult),
) -> Result<Vec<SendResult>, ToolError> {
    check_url(url)?;
    let body = test_event(event_type, key, now)?.to_string().into_bytes();
    let (interval, extra, timeout) = match retries {
        Some(r) => r.plan(event_type),
        None => (Duration::ZERO, 0, ANSWER_TIMEOUT),
    };
    let mut out = Vec::new();
    for attempt in 1..=extra + 1 {
        if attempt > 1 {
            tokio::time::sleep(interval).await;
        }
        let r = send(http, url, body.clone(), attempt, timeout).await;
        on_attempt(&r);
        let done = r.ok();
        out.push(r);
        if done {
            break;
        }
    }
    Ok(out)
}

/// `s` safe to show on a terminal: control characters (escape sequences among them) and the
/// characters that reorder text (bidirectional overrides) are written as `\u{..}` escapes, so text
/// from the network can neither move the cursor nor hide itself. Line breaks and tabs stay when
/// `keep_lines`.
pub fn printable(s: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let reorders = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if keep_lines && (c == '\n' || c == '\t') {
            out.push(c);
        } else if c.is_control() || reorders {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}
