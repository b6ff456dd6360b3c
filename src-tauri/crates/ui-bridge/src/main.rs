//! `livehook-ui-bridge`: the desktop app's command table served over loopback HTTP, so the UI can run
//! in a plain browser (UI tests, development) against the *real* backend: the console, the offline
//! demo's emulator and the inspector, exactly as the app composes them. Development only; the shipped
//! app and packages do not contain it.
//!
//! ```text
//! livehook-ui-bridge --dir STATE_DIR [--ui ui/dist] [--listen 127.0.0.1:0]
//! ```
//!
//! It prints one JSON line, `{"url": "http://127.0.0.1:PORT", "token": "..."}`, then serves:
//! - `POST /invoke/<command>` with `Authorization: Bearer <token>` and the arguments Tauri's `invoke`
//!   takes: an NDJSON stream of `{"progress": message}` lines and one `{"ok": result}` or
//!   `{"error": AppError}` line (a subscription keeps streaming after it);
//! - `GET /calls` (same token): every command called so far with its arguments, secrets blanked, so a
//!   test can check what the UI sent and what it did not;
//! - the built UI from `--ui`, opened as `URL/#token=TOKEN`.
//!
//! Secrets live in memory (never the OS keyring); settings, the demo's state and the inspector's
//! database live in `--dir`. Only 127.0.0.0/8 addresses are accepted for `--listen`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use livehook_console::commands::{self, Handles};
use livehook_console::inspector::Inspector;
use livehook_console::{Console, MemoryStore, ProfileStore};
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

#[derive(Clone)]
struct Bridge {
    handles: Handles,
    token: Arc<String>,
    ui: Option<PathBuf>,
    calls: Arc<Mutex<Vec<Value>>>,
}

fn usage() -> ! {
    eprintln!("usage: livehook-ui-bridge --dir STATE_DIR [--ui UI_DIST_DIR] [--listen 127.0.0.1:0]");
    std::process::exit(2);
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("LIVEHOOK_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let mut dir = None;
    let mut ui = None;
    let mut listen: SocketAddr = "127.0.0.1:0".parse().expect("an address");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dir" => dir = args.next().map(PathBuf::from),
            "--ui" => ui = args.next().map(PathBuf::from),
            "--listen" => listen = args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| usage()),
            _ => usage(),
        }
    }
    let Some(dir) = dir else { usage() };
    if !listen.ip().is_loopback() {
        eprintln!("livehook-ui-bridge: {listen} is not a loopback address; the bridge serves this computer only");
        std::process::exit(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(serve(dir, ui, listen));
}

fn handles(dir: &Path) -> Handles {
    let secrets = Arc::new(MemoryStore::default());
    let store = ProfileStore::new(&dir.join("settings"), secrets.clone());
    let home = dir.join("home");
    let export_dir = home.join("Downloads");
    let _ = std::fs::create_dir_all(&export_dir);
    Handles {
        console: Arc::new(Console::new(store, dir.join("demo"))),
        inspector: Arc::new(Inspector::new(dir.join("inspector"), secrets)),
        export_dir,
    }
}

async fn serve(dir: PathBuf, ui: Option<PathBuf>, listen: SocketAddr) {
    let token: String = {
        use rand::Rng;
        let mut rng = rand::rng();
        (0..32).map(|_| format!("{:x}", rng.random::<u8>() & 15)).collect()
    };
    let bridge = Bridge {
        handles: handles(&dir),
        token: Arc::new(token.clone()),
        ui,
        calls: Arc::default(),
    };
    let app = Router::new()
        .route("/invoke/{name}", post(invoke))
        .route("/calls", get(calls))
        .fallback(get(static_file))
        .with_state(bridge);
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("livehook-ui-bridge: cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().expect("a local address");
    println!("{}", json!({ "url": format!("http://{addr}"), "token": token }));
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("livehook-ui-bridge: {e}");
        std::process::exit(1);
    }
}

fn authorised(bridge: &Bridge, headers: &HeaderMap) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    bool::from(given.as_bytes().ct_eq(bridge.token.as_bytes()))
}

/// Blank every argument that may hold a secret before it is kept in the call log.
fn redacted(mut v: Value) -> Value {
    match &mut v {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                // `text` is an export or import file, which may hold callback keys.
                // An empty string or null is kept: it says "none" or "remove", and hides nothing.
                let secret = matches!(
                    k.as_str(),
                    "secretKey" | "sessionToken" | "key" | "text" | "CallbackKey" | "token"
                ) && !v.as_str().is_some_and(str::is_empty);
                *v = if secret && !v.is_null() {
                    json!("<redacted>")
                } else {
                    redacted(v.take())
                };
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| *i = redacted(i.take())),
        _ => {}
    }
    v
}

async fn invoke(
    State(bridge): State<Bridge>,
    UrlPath(name): UrlPath<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !authorised(&bridge, &headers) {
        return (StatusCode::UNAUTHORIZED, "a bearer token is required").into_response();
    }
    let args: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return (StatusCode::BAD_REQUEST, format!("the arguments are not JSON: {e}")).into_response(),
        }
    };
    bridge
        .calls
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(json!({ "command": name, "args": redacted(args.clone()) }));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Value>();
    let progress_tx = tx.clone();
    let progress: Arc<dyn Fn(Value) -> bool + Send + Sync> =
        Arc::new(move |m| progress_tx.send(json!({ "progress": m })).is_ok());
    tokio::spawn(async move {
        let line = match commands::dispatch(&bridge.handles, &name, args, progress).await {
            Ok(v) => json!({ "ok": v }),
            Err(e) => json!({ "error": e }),
        };
        let _ = tx.send(line);
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let line = rx.recv().await?;
        let mut bytes = serde_json::to_vec(&line).expect("JSON");
        bytes.push(b'\n');
        Some((Ok::<_, std::convert::Infallible>(bytes), rx))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(stream))
        .expect("a response")
}

async fn calls(State(bridge): State<Bridge>, headers: HeaderMap) -> Response {
    if !authorised(&bridge, &headers) {
        return (StatusCode::UNAUTHORIZED, "a bearer token is required").into_response();
    }
    let list = bridge.calls.lock().unwrap_or_else(|p| p.into_inner()).clone();
    axum::Json(list).into_response()
}

/// The file under `root` that the URL path `path` names, when it names one inside it: plain names only
/// (no `..`, no root, no drive or `\\` on any platform).
fn ui_path(root: &std::path::Path, path: &str) -> Option<std::path::PathBuf> {
    let rel = path.trim_start_matches('/');
    let plain = |part: &str| !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', ':']);
    (!rel.is_empty() && rel.split('/').all(plain)).then(|| root.join(rel))
}

async fn static_file(State(bridge): State<Bridge>, uri: axum::http::Uri) -> Response {
    let Some(root) = bridge.ui.as_ref() else {
        return (StatusCode::NOT_FOUND, "no --ui folder").into_response();
    };
    let file = ui_path(root, uri.path())
        .filter(|f| f.is_file())
        .unwrap_or_else(|| root.join("index.html"));
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "css" => "text/css",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "json" => "application/json",
        _ => "application/octet-stream",
    };
    match std::fs::read(&file) {
        Ok(bytes) => ([(header::CONTENT_TYPE, kind)], bytes).into_response(),
        Err(e) => (StatusCode::NOT_FOUND, format!("{}: {e}", file.display())).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_folder_serves_only_what_is_inside_it() {
        let root = std::path::Path::new("/srv/ui");
        assert_eq!(ui_path(root, "/assets/a.js"), Some(root.join("assets/a.js")));
        for outside in [
            "/",
            "/../etc/passwd",
            "/assets/../../x",
            "/C:/Windows/win.ini",
            "/..\\x",
            "/a/./b",
        ] {
            assert_eq!(ui_path(root, outside), None, "{outside}");
        }
    }

    #[test]
    fn the_call_log_blanks_secrets_but_keeps_none_and_remove() {
        let args = json!({
            "profile": {"secretKey": "sk", "sessionToken": null, "secretId": "AKID1"},
            "changes": {"sessionToken": "", "language": "zh-CN"},
            "fields": [{"CallbackKey": "k"}, {"CallbackKey": ""}],
            "text": "{\"CallbackKey\":\"k\"}",
            "key": "label-key",
            "remote": {"name": "staging", "token": "api-token", "fingerprint": null},
        });
        assert_eq!(
            redacted(args),
            json!({
                "profile": {"secretKey": "<redacted>", "sessionToken": null, "secretId": "AKID1"},
                "changes": {"sessionToken": "", "language": "zh-CN"},
                "fields": [{"CallbackKey": "<redacted>"}, {"CallbackKey": ""}],
                "text": "<redacted>",
                "key": "<redacted>",
                "remote": {"name": "staging", "token": "<redacted>", "fingerprint": null},
            })
        );
    }
}
