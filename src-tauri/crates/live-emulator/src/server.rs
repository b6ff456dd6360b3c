//! The HTTP front of the emulator: the API on `/` (POST JSON or GET query) and a small admin API under
//! `/__admin/` for fault injection and inspection.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::auth::{self, RequestParts};
use crate::faults::{FaultKind, FaultRule};
use crate::params::from_query;
use crate::reply::{self, Fault};
use crate::simulate::{SimError, StreamEvent, StreamSpec};
use crate::{actions, Emulator, Shared};

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", any(api))
        .route("/__media/{*path}", get(crate::media::serve))
        .route("/__admin/health", get(|| async { Json(json!({"ok": true})) }))
        .route("/__admin/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/__admin/state", get(state))
        .route("/__admin/streams", get(live_streams))
        .route("/__admin/streams/start", post(start_stream))
        .route("/__admin/streams/stop", post(stop_stream))
        .route("/__admin/streams/event", post(stream_event))
        .route("/__admin/streams/scenario", post(scenario))
        .route("/__admin/deliveries", get(deliveries))
        .with_state(shared)
}

/// An answer whose body breaks off: the client sees the connection fail after its request went out.
fn broken_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped by fault injection"))
    });
    Response::new(Body::from_stream(stream))
}

async fn api(State(shared): State<Arc<Shared>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let now = shared.clock.now_unix();
    let request_id = reply::request_id();
    let date = reply::http_date(now);
    let chinese = headers
        .get("x-tc-language")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|l| l.eq_ignore_ascii_case("zh-CN"));
    let fail = |fault: Fault| reply::error(&fault, chinese, &request_id, &date);

    if method != Method::POST && method != Method::GET {
        return fail(Fault::new(
            "UnsupportedProtocol",
            "Only GET and POST requests are supported.",
        ));
    }
    let query = uri.query().unwrap_or_default();
    let parts = RequestParts {
        method: method.as_str(),
        query,
        headers: &headers,
        body: &body,
    };
    let secret_id = match auth::authenticate(&parts, now, |id| shared.key_of(id)) {
        Ok(id) => id,
        Err(fault) => return fail(fault),
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let Some(action) = header("x-tc-action") else {
        return fail(Fault::new(
            "MissingParameter",
            "The request is missing a required parameter `Action`.",
        ));
    };
    let Some(action) = actions::ACTIONS.iter().copied().find(|a| *a == action) else {
        return fail(Fault::new(
            "InvalidAction",
            format!("The action `{action}` is not supported."),
        ));
    };
    match header("x-tc-version") {
        None => {
            return fail(Fault::new(
                "MissingParameter",
                "The request is missing a required parameter `Version`.",
            ))
        }
        Some(v) if v != tencent_live::api::VERSION => {
            return fail(Fault::new(
                "NoSuchVersion",
                format!("The API version `{v}` does not exist."),
            ))
        }
        Some(_) => {}
    }

    *shared
        .calls
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(action)
        .or_default() += 1;
    let mut drop_answer = false;
    match shared.faults.take(action, rand::random::<f64>()) {
        Some(FaultKind::Latency { ms }) => tokio::time::sleep(std::time::Duration::from_millis(ms)).await,
        Some(FaultKind::Drop) => drop_answer = true,
        Some(FaultKind::Reset) => return broken_connection(),
        Some(FaultKind::Http { status }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            return (status, "<html><body>injected gateway error</body></html>").into_response();
        }
        Some(FaultKind::Error { code, message }) => {
            let message = message.unwrap_or_else(|| format!("Injected error {code}."));
            return fail(Fault::new(&code, message));
        }
        None => {}
    }
    if !shared.within_rate(&secret_id, action) {
        return fail(
            Fault::new("RequestLimitExceeded", "Your request frequency has exceeded the limit.")
                .zh("请求的次数超过了频率限制。"),
        );
    }
    let params: Map<String, Value> = if method == Method::GET {
        from_query(query)
    } else if body.is_empty() {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(m)) => m,
            _ => {
                return fail(Fault::new(
                    "InvalidParameter",
                    "The request body must be a JSON object.",
                ))
            }
        }
    };
    let result = shared.with_world(|world| actions::handle(world, &secret_id, action, params, now));
    if drop_answer {
        return broken_connection();
    }
    match result {
        Ok(fields) => reply::success(fields, &request_id, &date),
        Err(fault) => fail(fault),
    }
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Json<Vec<FaultRule>> {
    Json(shared.faults.list())
}

async fn add_fault(State(shared): State<Arc<Shared>>, Json(rule): Json<FaultRule>) -> Response {
    match shared.faults.add(rule) {
        Ok(()) => (StatusCode::CREATED, Json(json!({"ok": true}))).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, Json(json!({"error": e}))).into_response(),
    }
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Json<Value> {
    shared.faults.clear();
    Json(json!({"ok": true}))
}

async fn state(State(shared): State<Arc<Shared>>) -> Json<crate::state::World> {
    Json(shared.snapshot())
}

fn sim_answer(result: Result<Vec<crate::Dispatch>, SimError>) -> Response {
    match result {
        Ok(dispatched) => Json(json!({ "dispatched": dispatched })).into_response(),
        Err(e) => {
            let status = match e {
                SimError::UnknownDomain(_) => StatusCode::NOT_FOUND,
                SimError::AlreadyLive(_) | SimError::NotLive(_) => StatusCode::CONFLICT,
                _ => StatusCode::BAD_REQUEST,
            };
            (status, Json(json!({ "error": e.to_string() }))).into_response()
        }
    }
}

async fn live_streams(State(shared): State<Arc<Shared>>) -> Json<Vec<StreamSpec>> {
    Json(Emulator { shared }.live_streams())
}

#[derive(serde::Deserialize)]
struct StopRequest {
    #[serde(flatten)]
    stream: StreamSpec,
    /// Interruption code; 1 = the client stopped pushing.
    #[serde(default = "one")]
    errcode: i64,
}

fn one() -> i64 {
    1
}

async fn start_stream(State(shared): State<Arc<Shared>>, Json(spec): Json<StreamSpec>) -> Response {
    sim_answer(Emulator { shared }.start_push(&spec))
}

async fn stop_stream(State(shared): State<Arc<Shared>>, Json(req): Json<StopRequest>) -> Response {
    sim_answer(Emulator { shared }.stop_push(&req.stream, req.errcode))
}

#[derive(serde::Deserialize)]
struct EventRequest {
    #[serde(flatten)]
    stream: StreamSpec,
    #[serde(flatten)]
    event: StreamEvent,
}

async fn stream_event(State(shared): State<Arc<Shared>>, Json(req): Json<EventRequest>) -> Response {
    sim_answer(Emulator { shared }.stream_event(&req.stream, &req.event))
}

#[derive(serde::Deserialize)]
struct ScenarioRequest {
    domain: String,
    #[serde(default = "live")]
    app_name: String,
    /// Stream names; or `streams` generated names `<prefix>-1` … `<prefix>-N`.
    #[serde(default)]
    stream_ids: Vec<String>,
    #[serde(default)]
    streams: Option<u32>,
    #[serde(default = "two")]
    snapshots: u32,
    /// Seconds between steps, before the time scale.
    #[serde(default = "ten")]
    step_seconds: u64,
}

fn live() -> String {
    "live".into()
}
fn two() -> u32 {
    2
}
fn ten() -> u64 {
    10
}

/// Starts the scenario in the background and answers at once with the streams it plays.
async fn scenario(State(shared): State<Arc<Shared>>, Json(req): Json<ScenarioRequest>) -> Response {
    let mut ids = req.stream_ids.clone();
    if let Some(n) = req.streams {
        ids.extend((1..=n).map(|i| format!("livehook-demo-{i}")));
    }
    if ids.is_empty() || ids.len() > 1000 {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "give 1 to 1000 streams (stream_ids or streams)"})),
        )
            .into_response();
    }
    let specs: Vec<StreamSpec> = ids
        .iter()
        .map(|id| StreamSpec::new(&req.domain, &req.app_name, id))
        .collect();
    let emulator = Emulator { shared };
    // Check the first step now, so a bad domain is an answer rather than a log line.
    for spec in &specs {
        if let Err(e) = emulator.check_stream(spec) {
            return sim_answer(Err(e));
        }
    }
    let run = emulator.clone();
    let step = std::time::Duration::from_secs(req.step_seconds);
    let snapshots = req.snapshots;
    let streams = specs.clone();
    tokio::spawn(async move {
        if let Err(e) = run.scenario(&streams, snapshots, step).await {
            tracing::warn!(%e, "the scenario stopped");
        }
    });
    (StatusCode::ACCEPTED, Json(json!({ "streams": specs }))).into_response()
}

async fn deliveries(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let world = shared.snapshot();
    let list: Vec<Value> = world
        .accounts
        .iter()
        .flat_map(|(id, a)| a.deliveries.iter().map(move |d| json!({"account": id, "record": d})))
        .collect();
    Json(Value::Array(list))
}
