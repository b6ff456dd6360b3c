//! The receiver's read API, on a listener of its own (the callback listener never serves stored data):
//! every request needs `Authorization: Bearer <token>`, compared in constant time; anything else,
//! a token in the URL included, is answered 401.
//!
//! - `GET /api/v1/events`: the filters of `livehook inspector list` as query parameters, answering
//!   what `inspector list --json` prints, `{"events": [...], "nextBeforeId": N}`, each record with the
//!   body's exact text beside it (`bodyText`);
//! - `GET /api/v1/status`: `{"stored", "newestId", "callbackUrl", "version"}`, a client's first check;
//! - `GET /api/v1/events/{id}`: one callback whole (the same record), with `attempts` and `forwards`;
//! - `GET /api/v1/live`: Server-Sent Events, one `id:` (the callback's id) and one `data:` (its summary
//!   as JSON) per arrival. A client reconnecting with `Last-Event-ID` first receives what it missed,
//!   from the database, then the live ones; a client too slow for the arrivals gets an `event: resync`
//!   and then, again from the database, everything after the last id it was sent: never a silent gap.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::broadcast;

use crate::event::{EventSummary, Verify, VerifyFilter};
use crate::receiver::{Live, ReceiverError};
use crate::store::{Filter, Store};
use crate::tools;

/// Where the read API listens and the token it takes.
pub struct ApiConfig {
    pub listen: SocketAddr,
    /// Listening on anything but a loopback address must be asked for.
    pub allow_external: bool,
    /// The bearer token; at least 16 characters.
    pub token: String,
    /// Serve HTTPS with this configuration ([`tencent_live::tls::server_config`]); None: plain HTTP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Where the receiver takes callbacks, as `/api/v1/status` tells clients (None: not said).
    pub callback_url: Option<String>,
}

impl std::fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiConfig")
            .field("listen", &self.listen)
            .field("allow_external", &self.allow_external)
            .field("token", &"<hidden>")
            .field("tls", &self.tls.is_some())
            .field("callback_url", &self.callback_url)
            .finish()
    }
}

/// The shortest token accepted.
pub const MIN_TOKEN: usize = 16;

/// A running read API; stopped when dropped or by [`RunningApi::stop`].
#[derive(Debug)]
pub struct RunningApi {
    addr: SocketAddr,
    https: bool,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    encoder: tokio::task::AbortHandle,
}

impl RunningApi {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> String {
        format!("{}://{}", if self.https { "https" } else { "http" }, self.addr)
    }

    pub fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.encoder.abort();
    }
}

impl Drop for RunningApi {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.encoder.abort();
    }
}

/// An arrival's `data:` on the live stream: its summary, and how many callbacks were stored with it
/// (absent when a resumed client is caught up from the database).
#[derive(Serialize)]
struct LiveRecord<'a> {
    #[serde(flatten)]
    event: &'a EventSummary,
    stored: u64,
}

/// An arrival as the live clients receive it: its summary written as JSON once for all of them.
#[derive(Clone)]
enum Wire {
    Event {
        id: i64,
        json: Arc<str>,
    },
    /// The encoder itself fell behind the receiver by this many arrivals.
    Lagged(u64),
}

#[derive(Clone)]
struct Shared {
    store: Store,
    /// The token's SHA-256: compared in constant time whatever the length offered.
    token: Arc<[u8; 32]>,
    wire: broadcast::Sender<Wire>,
    callback_url: Option<Arc<str>>,
}

fn digest(s: &[u8]) -> [u8; 32] {
    Sha256::digest(s).into()
}

fn unauthorized(why: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(json!({ "error": why })),
    )
        .into_response()
}

async fn auth(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    // A token in the URL ends up in logs and histories: refused even beside a good header.
    let query = request.uri().query().unwrap_or("");
    if query
        .split('&')
        .any(|kv| matches!(kv.split('=').next(), Some("token" | "access_token" | "api_token")))
    {
        return unauthorized("a token in the URL is refused; send it as Authorization: Bearer <token>");
    }
    let offered = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match offered {
        None => unauthorized("send Authorization: Bearer <token>"),
        Some(t) if bool::from(digest(t.as_bytes()).ct_eq(&*shared.token)) => next.run(request).await,
        Some(_) => unauthorized("the token is not this receiver's"),
    }
}

/// The most ids one request may pick (`ids=`): they travel in the URL.
pub const MAX_QUERY_IDS: usize = 1000;

/// The query parameters of `GET /api/v1/events`, as `livehook inspector list` names them.
#[derive(Debug, Default)]
pub struct EventsQuery {
    pub event_type: Option<String>,
    pub stream: Option<String>,
    pub domain: Option<String>,
    pub app_name: Option<String>,
    /// `yes` or `no`.
    pub verified: Option<String>,
    pub text: Option<String>,
    /// UNIX ms, an RFC 3339 time or an age (`30s`, `15m`, `2h`, `7d`).
    pub since: Option<String>,
    /// The same forms as `since`; exclusive.
    pub until: Option<String>,
    /// Only these ids, comma-separated (at most [`crate::MAX_IDS`]).
    pub ids: Option<String>,
    pub before_id: Option<i64>,
    /// 1 to 1000 (default 100).
    pub limit: Option<u32>,
}

/// A time for `since`: UNIX ms, RFC 3339, or an age before now.
fn since_ms(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(ms) = t.parse::<i64>() {
        return Ok(ms);
    }
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(time.timestamp_millis());
    }
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => 0,
    };
    match n.parse::<i64>() {
        Ok(n) if ms > 0 => Ok(chrono::Utc::now().timestamp_millis() - n * ms),
        _ => Err(format!(
            "since={text:?} is not UNIX milliseconds, an RFC 3339 time or an age such as 30s, 15m, 2h or 7d"
        )),
    }
}

/// The query string's parameters by name (a repeated one: its last value).
type Params = std::collections::HashMap<String, String>;

/// A number parameter, or what is wrong with it.
fn number<T: std::str::FromStr>(p: &Params, name: &str) -> Result<Option<T>, String> {
    p.get(name)
        .filter(|v| !v.is_empty())
        .map(|v| v.trim().parse().map_err(|_| format!("{name}={v:?} is not a number")))
        .transpose()
}

impl EventsQuery {
    /// The filters among `p`, or what is wrong with one.
    pub fn from_params(p: &Params) -> Result<EventsQuery, String> {
        let text = |k: &str| p.get(k).filter(|v| !v.is_empty()).cloned();
        Ok(EventsQuery {
            event_type: text("event_type"),
            stream: text("stream"),
            domain: text("domain"),
            app_name: text("app_name"),
            verified: text("verified"),
            text: text("text"),
            since: text("since"),
            until: text("until"),
            ids: text("ids"),
            before_id: number(p, "before_id")?,
            limit: number(p, "limit")?,
        })
    }

    /// The store's filter, or what is wrong with a parameter.
    pub fn filter(&self) -> Result<Filter, String> {
        let event_type = match self.event_type.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                tencent_live::callback::EventType::parse(s)
                    .map(|e| e.code())
                    .or_else(|| s.parse::<i64>().ok())
                    .ok_or_else(|| format!("event_type={s:?} is not an event type's number, slug or name"))?,
            ),
        };
        let verify = match self.verified.as_deref() {
            None | Some("") => None,
            Some("yes") => Some(VerifyFilter::Is(Verify::Valid)),
            Some("no") => Some(VerifyFilter::Invalid),
            Some(other) => {
                Some(VerifyFilter::parse(other).map_err(|e| format!("verified={other:?}: yes, no, or a result: {e}"))?)
            }
        };
        let ids = match self.ids.as_deref().filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(list) => Some(
                list.split(',')
                    .map(|id| {
                        id.trim()
                            .parse::<i64>()
                            .map_err(|_| format!("ids: {id:?} is not a number"))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        if let Some(n) = ids.as_ref().map(Vec::len).filter(|&n| n > MAX_QUERY_IDS) {
            return Err(format!("ids: {n} ids; at most {MAX_QUERY_IDS} in one request"));
        }
        let limit = self.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(format!("limit={limit}: 1 to 1000"));
        }
        Ok(Filter {
            event_type,
            stream_id: self.stream.clone(),
            domain: self.domain.clone(),
            app_name: self.app_name.clone(),
            verify,
            text: self.text.clone(),
            since: self.since.as_deref().map(since_ms).transpose()?,
            until: self.until.as_deref().map(since_ms).transpose()?,
            ids,
            before_id: self.before_id,
            limit: Some(limit),
        })
    }
}

fn bad_request(why: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": why }))).into_response()
}

fn internal(why: String) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "error": why }))).into_response()
}

async fn events(State(shared): State<Shared>, Query(p): Query<Params>) -> Response {
    let filter = match EventsQuery::from_params(&p).and_then(|q| q.filter()) {
        Ok(f) => f,
        Err(e) => return bad_request(e),
    };
    let store = shared.store.clone();
    match tokio::task::spawn_blocking(move || store.query_whole(&filter)).await {
        Ok(Ok((events, next))) => {
            let events: Vec<_> = events.iter().map(tools::api_record).collect();
            Json(json!({ "events": events, "nextBeforeId": next })).into_response()
        }
        Ok(Err(e)) => bad_request(e.to_string()),
        Err(e) => internal(e.to_string()),
    }
}

/// The chart's figures: the events' filters, with `buckets` (at most 400) and `utc_offset_minutes`
/// (east of UTC, so hour and day buckets start on the viewer's hour and midnight).
async fn traffic(State(shared): State<Shared>, Query(p): Query<Params>) -> Response {
    let parsed = EventsQuery::from_params(&p).and_then(|q| {
        Ok((
            q.filter()?,
            number::<u32>(&p, "buckets")?,
            number::<i32>(&p, "utc_offset_minutes")?,
        ))
    });
    let (filter, buckets, offset) = match parsed {
        Ok(x) => x,
        Err(e) => return bad_request(e),
    };
    let offset = i64::from(offset.unwrap_or(0).clamp(-16 * 60, 16 * 60)) * 60_000;
    let buckets = buckets.unwrap_or(120);
    let store = shared.store.clone();
    match tokio::task::spawn_blocking(move || store.traffic(&filter, buckets, offset)).await {
        Ok(Ok(t)) => Json(t).into_response(),
        Ok(Err(e)) => bad_request(e.to_string()),
        Err(e) => internal(e.to_string()),
    }
}

/// A stream's timeline: `session_of` (only that callback's push session) and `limit`.
async fn stream_timeline(
    State(shared): State<Shared>,
    Path(stream): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    let (session_of, limit) = match (number::<i64>(&p, "session_of"), number::<u32>(&p, "limit")) {
        (Ok(s), Ok(l)) => (s, l),
        (Err(e), _) | (_, Err(e)) => return bad_request(e),
    };
    let store = shared.store.clone();
    match tokio::task::spawn_blocking(move || crate::timeline::read(&store, &stream, session_of, limit)).await {
        Ok(Ok(t)) => Json(t).into_response(),
        Ok(Err(e @ crate::timeline::TimelineError::Gone(_))) => {
            (StatusCode::NOT_FOUND, Json(json!({ "error": e.to_string() }))).into_response()
        }
        Ok(Err(e)) => internal(e.to_string()),
        Err(e) => internal(e.to_string()),
    }
}

/// The export's answer header that says how many callbacks the file holds.
pub const COUNT_HEADER: &str = "x-livehook-callbacks";

/// The most callbacks one export holds.
pub const EXPORT_CAP: usize = 100_000;

/// The callbacks the filters pick as a file: `format` json (default), ndjson or har.
async fn export(State(shared): State<Shared>, Query(p): Query<Params>) -> Response {
    let filter = match EventsQuery::from_params(&p).and_then(|q| q.filter()) {
        Ok(f) => Filter { limit: None, ..f },
        Err(e) => return bad_request(e),
    };
    let format = match p.get("format").map(String::as_str).unwrap_or("json") {
        "json" => tools::Format::Json,
        "ndjson" => tools::Format::Ndjson,
        "har" => tools::Format::Har,
        other => return bad_request(format!("format={other:?}: json, ndjson or har")),
    };
    let store = shared.store.clone();
    /// Why an export stopped: the database, or writing (to memory, so never in practice).
    struct Failed(String);
    impl From<crate::store::StoreError> for Failed {
        fn from(e: crate::store::StoreError) -> Failed {
            Failed(e.to_string())
        }
    }
    let made = tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, usize), Failed> {
        let mut w = tools::Exporter::new(Vec::new(), format, "").map_err(|e| Failed(e.to_string()))?;
        let n = store.export_each(&filter, EXPORT_CAP, |e| w.add(&e).map_err(|e| Failed(e.to_string())))?;
        Ok((w.finish().map_err(|e| Failed(e.to_string()))?, n))
    })
    .await;
    match made {
        Ok(Ok((bytes, n))) => {
            let kind = if format == tools::Format::Ndjson {
                "application/x-ndjson"
            } else {
                "application/json"
            };
            let name = format!("callbacks.{}", format.extension());
            (
                [
                    (header::CONTENT_TYPE, kind.to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                    (header::HeaderName::from_static(COUNT_HEADER), n.to_string()),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(Err(Failed(e))) => internal(e),
        Err(e) => internal(e.to_string()),
    }
}

/// One callback whole, with the other attempts of its delivery (`attempts`, summaries) and what the
/// user's own handler answered when it was forwarded (`forwards`).
async fn event(State(shared): State<Shared>, Path(id): Path<i64>) -> Response {
    let store = shared.store.clone();
    let read = tokio::task::spawn_blocking(move || -> Result<Option<Value>, crate::store::StoreError> {
        let Some(e) = store.get(id)? else {
            return Ok(None);
        };
        let mut record = tools::api_record(&e);
        record["attempts"] = json!(store.attempts(&e.group)?);
        record["forwards"] = json!(store.forwards(id)?);
        Ok(Some(record))
    });
    match read.await {
        Ok(Ok(Some(record))) => Json(record).into_response(),
        Ok(Ok(None)) => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("callback {id} is not stored") })),
        )
            .into_response(),
        Ok(Err(e)) => internal(e.to_string()),
        Err(e) => internal(e.to_string()),
    }
}

/// What a client checks first: how many callbacks are stored, the newest id, and where the receiver
/// takes callbacks (as it was told, for the cURL of a replay).
async fn status(State(shared): State<Shared>) -> Response {
    let store = shared.store.clone();
    let read = tokio::task::spawn_blocking(move || -> Result<(u64, i64), crate::store::StoreError> {
        let newest = store
            .query(&Filter {
                limit: Some(1),
                ..Default::default()
            })?
            .items
            .first()
            .map_or(0, |e| e.id);
        Ok((store.stored()?, newest))
    });
    match read.await {
        Ok(Ok((stored, newest))) => Json(json!({
            "stored": stored,
            "newestId": newest,
            "callbackUrl": shared.callback_url.as_deref(),
            "version": env!("CARGO_PKG_VERSION"),
        }))
        .into_response(),
        Ok(Err(e)) => internal(e.to_string()),
        Err(e) => internal(e.to_string()),
    }
}

fn sse_event(e: &EventSummary) -> Event {
    Event::default()
        .id(e.id.to_string())
        .data(serde_json::to_string(e).unwrap_or_else(|_| "{}".into()))
}

/// Which ids a live client has been sent: all up to `watermark`, and those in `above`. Arrivals are
/// announced in the order their handlers finish, not always in id order, so a lower id may come after
/// a higher one and must still be sent.
#[derive(Default)]
struct Sent {
    watermark: i64,
    above: std::collections::BTreeSet<i64>,
}

impl Sent {
    fn has(&self, id: i64) -> bool {
        id <= self.watermark || self.above.contains(&id)
    }

    fn add(&mut self, id: i64) {
        if id > self.watermark {
            self.above.insert(id);
            while self.above.remove(&(self.watermark + 1)) {
                self.watermark += 1;
            }
        }
    }
}

/// Sends what is stored after the watermark and not sent yet, oldest first; then everything up to the
/// newest stored id has been sent (ids missing from the database are gaps, not arrivals to wait for).
/// None when the client is gone.
async fn from_store(store: &Store, sent: &mut Sent, out: &tokio::sync::mpsc::Sender<Event>) -> Option<()> {
    loop {
        let s = store.clone();
        let after = sent.watermark;
        let page = tokio::task::spawn_blocking(move || s.summaries_after(after, 500))
            .await
            .ok()?
            .ok()?;
        let Some(last) = page.last().map(|e| e.id) else {
            return Some(());
        };
        for e in &page {
            if !sent.has(e.id) {
                out.send(sse_event(e)).await.ok()?;
            }
        }
        sent.watermark = last;
        sent.above = sent.above.split_off(&(last + 1));
    }
}

async fn live(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let resume: Option<i64> = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    // Subscribed before anything is read from the database, so nothing falls between the two.
    let mut rx = shared.wire.subscribe();
    let (tx, events) = tokio::sync::mpsc::channel::<Event>(256);
    let store = shared.store.clone();
    // A new client starts with what arrives from now on: what is stored when it is answered counts as
    // seen. Decided before the answer, so an arrival after the client is connected is never skipped.
    let newest = match resume {
        Some(_) => None,
        None => {
            let s = store.clone();
            match tokio::task::spawn_blocking(move || {
                s.query(&Filter {
                    limit: Some(1),
                    ..Default::default()
                })
            })
            .await
            {
                Ok(Ok(p)) => Some(p.items.first().map_or(0, |e| e.id)),
                Ok(Err(e)) => return internal(e.to_string()),
                Err(e) => return internal(e.to_string()),
            }
        }
    };
    tokio::spawn(async move {
        let mut sent = Sent::default();
        match (resume, newest) {
            (Some(after), _) => {
                sent.watermark = after;
                if from_store(&store, &mut sent, &tx).await.is_none() {
                    return;
                }
            }
            (None, newest) => sent.watermark = newest.unwrap_or(0),
        }
        loop {
            match rx.recv().await {
                Ok(Wire::Event { id, json }) => {
                    if sent.has(id) {
                        continue;
                    }
                    if tx.send(Event::default().id(id.to_string()).data(&*json)).await.is_err() {
                        return;
                    }
                    sent.add(id);
                    // Ids that never arrive (a batch that failed to commit) would keep the set growing:
                    // the database says which exist.
                    if sent.above.len() > 4096 && from_store(&store, &mut sent, &tx).await.is_none() {
                        return;
                    }
                }
                Ok(Wire::Lagged(missed)) | Err(broadcast::error::RecvError::Lagged(missed)) => {
                    // Too slow for the arrivals: say so, then catch up from the database.
                    let notice = Event::default()
                        .event("resync")
                        .data(json!({ "missed": missed, "after": sent.watermark }).to_string());
                    if tx.send(notice).await.is_err() {
                        return;
                    }
                    if from_store(&store, &mut sent, &tx).await.is_none() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    let stream = futures_util::stream::unfold(events, |mut rx| async move {
        rx.recv().await.map(|e| (Ok::<_, Infallible>(e), rx))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// Serve the read API of `store`, with live arrivals from `subscribe` (a receiver's
/// [`crate::RunningReceiver::subscribe`]).
pub async fn serve(
    config: ApiConfig,
    store: Store,
    subscribe: Arc<dyn Fn() -> broadcast::Receiver<Live> + Send + Sync>,
) -> Result<RunningApi, ApiError> {
    if !config.listen.ip().is_loopback() && !config.allow_external {
        return Err(ApiError::Receiver(ReceiverError::External(config.listen)));
    }
    if config.token.trim().chars().count() < MIN_TOKEN {
        return Err(ApiError::ShortToken);
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|source| {
        ApiError::Receiver(ReceiverError::Bind {
            addr: config.listen,
            source,
        })
    })?;
    let addr = listener.local_addr().map_err(|source| {
        ApiError::Receiver(ReceiverError::Bind {
            addr: config.listen,
            source,
        })
    })?;
    // Each arrival is written as JSON once, for every live client.
    let (wire, _) = broadcast::channel::<Wire>(4096);
    let encoder = {
        let (wire, mut arrivals) = (wire.clone(), subscribe());
        tokio::spawn(async move {
            loop {
                let sent = match arrivals.recv().await {
                    Ok(Live::Received { event, stored }) => wire.send(Wire::Event {
                        id: event.id,
                        json: serde_json::to_string(&LiveRecord { event: &event, stored })
                            .unwrap_or_else(|_| "{}".into())
                            .into(),
                    }),
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(n)) => wire.send(Wire::Lagged(n)),
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                // No client listening is not an error.
                drop(sent);
            }
        })
        .abort_handle()
    };
    let shared = Shared {
        store,
        token: Arc::new(digest(config.token.trim().as_bytes())),
        wire,
        callback_url: config.callback_url.map(Arc::from),
    };
    let app = Router::new()
        .route("/api/v1/status", get(status))
        .route("/api/v1/events", get(events))
        .route("/api/v1/events/{id}", get(event))
        .route("/api/v1/live", get(live))
        .route("/api/v1/traffic", get(traffic))
        .route("/api/v1/streams/{stream}/timeline", get(stream_timeline))
        .route("/api/v1/export", get(export))
        .fallback(|| async { (StatusCode::NOT_FOUND, Json(json!({ "error": "no such endpoint" }))) })
        .layer(middleware::from_fn_with_state(shared.clone(), auth))
        .with_state(shared);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let https = config.tls.is_some();
    match config.tls {
        None => {
            tokio::spawn(async move {
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = rx.await;
                    })
                    .await;
            });
        }
        Some(tls) => {
            tokio::spawn(serve_tls(listener, tokio_rustls::TlsAcceptor::from(tls), app, rx));
        }
    }
    Ok(RunningApi {
        addr,
        https,
        shutdown: Some(tx),
        encoder,
    })
}

/// Accept connections until `stop`, each after its TLS handshake (within 20 s).
async fn serve_tls(
    listener: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    app: Router,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use hyper_util::service::TowerToHyperService;
    tokio::pin!(stop);
    loop {
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => return,
        };
        let (acceptor, service) = (acceptor.clone(), TowerToHyperService::new(app.clone()));
        tokio::spawn(async move {
            let Ok(Ok(tls)) = tokio::time::timeout(Duration::from_secs(20), acceptor.accept(tcp)).await else {
                return;
            };
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Receiver(ReceiverError),
    #[error("the API token must be at least {MIN_TOKEN} characters (e.g. `openssl rand -hex 24`)")]
    ShortToken,
}
