//! The HTTP receiver: any method, any path. Each request is examined, stored whole (before it is
//! answered), answered as the rules say, announced to subscribers, and forwarded to the user's own
//! handler when asked.
//!
//! Over 500 lines on purpose: one request's path from socket to answer (read, examine, store, announce,
//! answer, forward) stays in one file, so the order that makes the durability promise is read at once.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::StreamExt;
use serde::Serialize;
use tencent_live::callback::ExpiryPolicy;
use tokio::sync::{broadcast, oneshot};

use crate::event::{self, Answer, Captured, Check, EventSummary, NamedKey};
use crate::live::Watch;
use crate::rules::{self, ResponseRule, RuleError};
use crate::store::{Filter, ForwardRecord, Store};

/// Bodies over this are refused with 413 (and the refusal is recorded).
pub const BODY_LIMIT: usize = 1024 * 1024;
/// How much of a refused body is kept, to show what it was.
const REFUSED_PREFIX: usize = 64 * 1024;
/// How long a request's head, its body, or a kept-alive connection's next request may take to arrive.
pub const READ_TIMEOUT: Duration = Duration::from_secs(20);
/// Connections open at once; more are closed as soon as they are accepted.
pub const MAX_CONNECTIONS: usize = 2048;

#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    pub listen: SocketAddr,
    /// Listening on anything but a loopback address must be asked for.
    pub allow_external: bool,
    pub body_limit: usize,
    pub policy: ExpiryPolicy,
    /// None: nothing is stored (for measuring what storage costs); answers are still given.
    pub store: Option<Store>,
    pub keys: Vec<NamedKey>,
    pub rules: Vec<ResponseRule>,
    /// Every request is also sent here, and the answer recorded.
    pub forward_to: Option<String>,
    /// A request's head and its body must each arrive within this, and an idle kept-alive connection
    /// is closed after it: a slow or silent sender cannot hold a connection.
    pub read_timeout: Duration,
    /// Connections open at once. One more is closed at once, with a warning in the log.
    pub max_connections: usize,
    /// Serve HTTPS with this configuration ([`tencent_live::tls::server_config`]); None: plain HTTP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl ReceiverConfig {
    pub fn new(listen: SocketAddr, store: Option<Store>) -> ReceiverConfig {
        ReceiverConfig {
            listen,
            allow_external: false,
            body_limit: BODY_LIMIT,
            policy: ExpiryPolicy::default(),
            store,
            keys: Vec::new(),
            rules: Vec::new(),
            forward_to: None,
            read_timeout: READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            tls: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReceiverError {
    #[error("port {port} on {ip} is in use{}", suggestion.map(|p| format!("; port {p} is free")).unwrap_or_default())]
    PortInUse {
        ip: IpAddr,
        port: u16,
        suggestion: Option<u16>,
    },
    #[error(
        "{0} is not a loopback address; listening there lets other machines send callbacks, so it must be asked for"
    )]
    External(SocketAddr),
    #[error("could not listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(transparent)]
    Rule(#[from] RuleError),
}

/// What subscribers hear, as it happens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Live {
    Received {
        event: EventSummary,
        /// How many callbacks are stored with this one (or received, without a store).
        stored: u64,
    },
    Forwarded {
        record: ForwardRecord,
    },
    /// A request could not be stored; it was answered 500.
    StoreFailed {
        message: String,
    },
}

struct Shared {
    // Swapped whole on change, so a request takes a reference instead of copying them.
    keys: RwLock<Arc<Vec<NamedKey>>>,
    rules: RwLock<Arc<Vec<ResponseRule>>>,
    forward_to: RwLock<Option<String>>,
    store: Option<Store>,
    live: broadcast::Sender<Live>,
    http: reqwest::Client,
    limit: usize,
    read_timeout: Duration,
    policy: ExpiryPolicy,
    /// Ids for events when nothing is stored.
    unstored: AtomicI64,
    /// This run's replay token (see [`event::REPLAY_HEADER`]) and a count of the replays received.
    replay_token: String,
    replays: AtomicU64,
}

/// A receiver that is listening. Dropping it stops it.
pub struct RunningReceiver {
    addr: SocketAddr,
    https: bool,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for RunningReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningReceiver").field("addr", &self.addr).finish()
    }
}

/// The callback a replay header names, when it carries `token`.
fn replay_mark_of(value: &str, token: &str) -> Option<i64> {
    use subtle::ConstantTimeEq;
    let (id, given) = value.trim().split_once('.')?;
    bool::from(given.as_bytes().ct_eq(token.as_bytes())).then(|| id.parse().ok())?
}

fn suggest_port(ip: IpAddr, busy: u16) -> Option<u16> {
    let tries = (1..=20).filter_map(|d| busy.checked_add(d));
    for port in tries {
        if std::net::TcpListener::bind((ip, port)).is_ok() {
            return Some(port);
        }
    }
    std::net::TcpListener::bind((ip, 0))
        .ok()
        .and_then(|l| l.local_addr().ok())
        .map(|a| a.port())
}

/// Start listening.
pub async fn start(config: ReceiverConfig) -> Result<RunningReceiver, ReceiverError> {
    if !config.listen.ip().is_loopback() && !config.allow_external {
        return Err(ReceiverError::External(config.listen));
    }
    rules::validate(&config.rules)?;
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            return Err(ReceiverError::PortInUse {
                ip: config.listen.ip(),
                port: config.listen.port(),
                suggestion: suggest_port(config.listen.ip(), config.listen.port()),
            })
        }
        Err(source) => {
            return Err(ReceiverError::Bind {
                addr: config.listen,
                source,
            })
        }
    };
    let addr = listener.local_addr().map_err(|source| ReceiverError::Bind {
        addr: config.listen,
        source,
    })?;
    let (live, _) = broadcast::channel(4096);
    let shared = Arc::new(Shared {
        keys: RwLock::new(Arc::new(config.keys)),
        rules: RwLock::new(Arc::new(config.rules)),
        forward_to: RwLock::new(config.forward_to),
        store: config.store,
        live,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client"),
        limit: config.body_limit,
        read_timeout: config.read_timeout,
        policy: config.policy,
        unstored: AtomicI64::new(0),
        replay_token: {
            use rand::Rng;
            let mut rng = rand::rng();
            (0..32).map(|_| format!("{:x}", rng.random_range(0..16u8))).collect()
        },
        replays: AtomicU64::new(0),
    });
    let app = Router::new().fallback(handle).with_state(shared.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let limits = Limits {
        read_timeout: config.read_timeout,
        max_connections: config.max_connections.max(1),
        tls: config.tls.clone().map(tokio_rustls::TlsAcceptor::from),
    };
    raise_open_files_limit(limits.max_connections);
    let task = tokio::spawn(serve(listener, app, limits, rx));
    Ok(RunningReceiver {
        addr,
        https: config.tls.is_some(),
        shared,
        shutdown: Some(tx),
        task: Some(task),
    })
}

#[derive(Clone)]
struct Limits {
    read_timeout: Duration,
    max_connections: usize,
    /// The TLS handshake every connection makes first, within the read timeout.
    tls: Option<tokio_rustls::TlsAcceptor>,
}

/// Let the process open enough files for `connections` connections and its database (where the
/// system allows).
fn raise_open_files_limit(connections: usize) {
    let wanted = u64::try_from(connections).unwrap_or(u64::MAX).saturating_add(256);
    if let Err(e) = rlimit::increase_nofile_limit(wanted) {
        tracing::debug!("the open files limit stays as it is: {e}");
    }
}

/// At most one warning per this, however many connections are turned away.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// Says, at most once per [`WARN_EVERY`], that connections are being turned away and why.
struct Refusals {
    last: Option<Instant>,
    since: u64,
}

impl Refusals {
    fn note(&mut self, why: impl FnOnce(u64) -> String) {
        self.since += 1;
        if self.last.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
            tracing::warn!("{}", why(self.since));
            self.last = Some(Instant::now());
            self.since = 0;
        }
    }
}

/// Accept connections until `stop`, each served over HTTP/1.1 with read timeouts, at most
/// `limits.max_connections` at once; then let the requests in flight finish.
async fn serve(listener: tokio::net::TcpListener, app: Router, limits: Limits, stop: oneshot::Receiver<()>) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let mut full = Refusals { last: None, since: 0 };
    let mut failing = Refusals { last: None, since: 0 };
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        let (tcp, remote) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors, most often: wait for some to close instead of spinning.
                failing.note(|n| format!("the receiver could not accept a connection ({n} times): {e}"));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(tcp);
            let max = limits.max_connections;
            full.note(|n| {
                format!(
                    "{max} connections are open, the most the receiver allows (--max-connections); \
                     {n} new connection(s) were closed unanswered"
                )
            });
            continue;
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            app.clone().oneshot(req)
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            // Also the idle timeout: hyper waits for a kept-alive connection's next head the same way.
            .header_read_timeout(limits.read_timeout);
        match &limits.tls {
            None => {
                let conn = graceful.watch(http.serve_connection(TokioIo::new(tcp), service));
                tokio::spawn(async move {
                    let _ = conn.await;
                    drop(slot);
                });
            }
            Some(acceptor) => {
                // The handshake in the connection's own task, bounded like a request's head.
                let (acceptor, watcher, timeout) = (acceptor.clone(), graceful.watcher(), limits.read_timeout);
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) = tokio::time::timeout(timeout, acceptor.accept(tcp)).await {
                        let _ = watcher.watch(http.serve_connection(TokioIo::new(tls), service)).await;
                    }
                    drop(slot);
                });
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

impl RunningReceiver {
    /// The [`event::REPLAY_HEADER`] value that marks a request to this receiver as a replay of the
    /// stored callback `of`.
    pub fn replay_mark(&self, of: i64) -> String {
        format!("{of}.{}", self.shared.replay_token)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR` (loopback shown as 127.0.0.1).
    pub fn base_url(&self) -> String {
        format!("{}://{}", if self.https { "https" } else { "http" }, self.addr)
    }

    pub fn set_keys(&self, keys: Vec<NamedKey>) {
        *self.shared.keys.write().expect("keys lock") = Arc::new(keys);
    }

    pub fn keys(&self) -> Vec<NamedKey> {
        self.shared.keys.read().expect("keys lock").to_vec()
    }

    pub fn set_rules(&self, rules: Vec<ResponseRule>) -> Result<(), RuleError> {
        rules::validate(&rules)?;
        *self.shared.rules.write().expect("rules lock") = Arc::new(rules);
        Ok(())
    }

    pub fn rules(&self) -> Vec<ResponseRule> {
        self.shared.rules.read().expect("rules lock").to_vec()
    }

    pub fn set_forward(&self, url: Option<String>) {
        *self.shared.forward_to.write().expect("forward lock") = url;
    }

    pub fn forward_to(&self) -> Option<String> {
        self.shared.forward_to.read().expect("forward lock").clone()
    }

    /// The arrivals' channel, for a listener that subscribes on its own (the read API's live stream).
    pub fn subscriber(&self) -> broadcast::Sender<Live> {
        self.shared.live.clone()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Live> {
        self.shared.live.subscribe()
    }

    /// Arrivals as one subscriber with `filter` sees them (see [`Watch`]).
    pub fn watch(&self, filter: Filter) -> Watch {
        Watch::new(self.subscribe(), filter, self.shared.store.clone())
    }

    pub fn store(&self) -> Option<&Store> {
        self.shared.store.as_ref()
    }

    /// Stop accepting, let requests in flight finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }
}

impl Drop for RunningReceiver {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A body that did not arrive whole: it is neither stored nor answered as a callback.
#[derive(Debug)]
enum BodyBroken {
    /// The sender stopped sending before the body was complete.
    Cut(u64),
    /// It took longer than the read timeout.
    Slow(u64),
}

async fn read_body(
    body: Body,
    declared: Option<u64>,
    limit: usize,
    timeout: Duration,
) -> Result<(Vec<u8>, u64, bool), BodyBroken> {
    let limit = u64::try_from(limit).unwrap_or(u64::MAX);
    if declared.is_some_and(|n| n > limit) {
        return Ok((Vec::new(), declared.unwrap_or_default(), true));
    }
    let mut out = Vec::new();
    let mut seen: u64 = 0;
    let mut stream = body.into_data_stream();
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let chunk = match tokio::time::timeout_at(deadline, stream.next()).await {
            Err(_) => return Err(BodyBroken::Slow(seen)),
            Ok(None) => break,
            Ok(Some(Err(_))) => return Err(BodyBroken::Cut(seen)),
            Ok(Some(Ok(chunk))) => chunk,
        };
        seen = seen.saturating_add(u64::try_from(chunk.len()).unwrap_or(u64::MAX));
        if seen > limit {
            out.truncate(REFUSED_PREFIX);
            return Ok((out, seen, true));
        }
        out.extend_from_slice(&chunk);
    }
    Ok((out, seen, false))
}

fn json_answer(status: StatusCode, message: &str) -> Response {
    let code = status.as_u16();
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({"code": code, "message": message}).to_string(),
    )
        .into_response()
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let received_at = now_ms();
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let (bytes, size, too_large) = match read_body(body, declared, shared.limit, shared.read_timeout).await {
        Ok(read) => read,
        Err(broken) => {
            let path = crate::tools::printable(parts.uri.path(), false);
            let (status, what, got) = match broken {
                BodyBroken::Cut(got) => (StatusCode::BAD_REQUEST, "the connection broke", got),
                BodyBroken::Slow(got) => (StatusCode::REQUEST_TIMEOUT, "the body took too long", got),
            };
            tracing::warn!(
                "a {} {path} from {remote} was not stored: {what} after {got} of {} bytes",
                parts.method,
                declared.map_or("?".to_owned(), |n| n.to_string())
            );
            return json_answer(
                status,
                &format!("{what} before the whole body arrived; nothing was stored"),
            );
        }
    };
    let request = Captured {
        received_at,
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                let v = String::from_utf8_lossy(v.as_bytes());
                // The replay token is this run's secret: the stored header keeps only the id.
                let v = match k.as_str() {
                    event::REPLAY_HEADER => v.split('.').next().unwrap_or_default().to_owned(),
                    _ => v.into_owned(),
                };
                (k.to_string(), v)
            })
            .collect(),
        remote: remote.to_string(),
        body: bytes,
        body_size: size,
        too_large,
    };
    let replay_of = parts
        .headers
        .get(event::REPLAY_HEADER)
        .and_then(|v| replay_mark_of(v.to_str().ok()?, &shared.replay_token));
    let event::Examined { facts, check, group } = if too_large {
        event::Examined {
            facts: event::Facts::default(),
            check: Check::TooLarge {
                limit: shared.limit as u64,
            },
            group: event::group_key(&request.path, &request.body),
        }
    } else {
        let keys = shared.keys.read().expect("keys lock").clone();
        event::examine(&request.path, &request.body, &keys, received_at / 1000, shared.policy)
    };
    let group = match replay_of {
        Some(of) => event::replay_group(of, received_at, shared.replays.fetch_add(1, Ordering::Relaxed)),
        None => group,
    };
    let rules = shared.rules.read().expect("rules lock").clone();
    let path = request.path.clone();
    let event_type = facts.event_type;
    let limit = shared.limit;
    let decide = move |attempt: u32| {
        if too_large {
            Answer {
                status: 413,
                delay_ms: 0,
                body: format!(r#"{{"code":413,"message":"the body is over {limit} bytes"}}"#),
                rule: Some("over the size limit".to_owned()),
            }
        } else {
            rules::answer(&rules, &path, event_type, attempt)
        }
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).cloned();
    let stored = match &shared.store {
        Some(store) => match store.insert(request, facts, check, group, decide).await {
            Ok(ins) => ins.event,
            Err(e) => {
                // What went wrong is for the person running the receiver, not for the sender.
                tracing::error!("a callback could not be stored: {e}");
                let _ = shared.live.send(Live::StoreFailed { message: e.to_string() });
                return json_answer(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "LiveHook could not store this callback; send it again later",
                );
            }
        },
        None => {
            let answer = decide(1);
            event::StoredEvent {
                id: shared.unstored.fetch_add(1, Ordering::Relaxed) + 1,
                request,
                facts,
                check,
                group,
                attempt: 1,
                answer,
            }
        }
    };
    let count = match &shared.store {
        Some(store) => store.stored().unwrap_or_default(),
        None => shared.unstored.load(Ordering::Relaxed).max(0) as u64,
    };
    let _ = shared.live.send(Live::Received {
        event: stored.summary(),
        stored: count,
    });
    if !too_large {
        if let Some(url) = shared.forward_to.read().expect("forward lock").clone() {
            let body = stored.request.body.clone();
            tokio::spawn(forward(shared.clone(), url, stored.id, body, content_type));
        }
    }
    let answer = stored.answer;
    if answer.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(answer.delay_ms)).await;
    }
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], answer.body).into_response()
}

async fn forward(shared: Arc<Shared>, url: String, event_id: i64, body: Vec<u8>, content_type: Option<HeaderValue>) {
    let started = Instant::now();
    let at = now_ms();
    let mut req = shared.http.post(&url).body(body);
    req = req.header(
        header::CONTENT_TYPE,
        content_type.unwrap_or(HeaderValue::from_static("application/json")),
    );
    let (status, answer, error) = match req.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let text = resp.text().await.unwrap_or_default();
            (Some(status), text.chars().take(4096).collect(), None)
        }
        Err(e) => (None, String::new(), Some(e.to_string())),
    };
    let record = ForwardRecord {
        event_id,
        at,
        url,
        status,
        answer,
        error,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    if let Some(store) = &shared.store {
        if let Err(e) = store.record_forward(record.clone()).await {
            tracing::warn!("a forward's answer could not be stored: {e}");
        }
    }
    let _ = shared.live.send(Live::Forwarded { record });
}
