//! Helpers shared by the cross-crate tests: an emulator on a free loopback port and clients for it.

use std::sync::Arc;
use std::time::Duration;

use live_emulator::{Account, Emulator, EmulatorConfig, RunningEmulator};
use tencent_live::client::RetryPolicy;
use tencent_live::clock::SharedClock;
use tencent_live::secret::Secret;
use tencent_live::{Client, ClientConfig, Credentials};

pub const SECRET_ID: &str = "AKIDtestaccount0001";
pub const SECRET_KEY: &str = "testkey0001";

/// An emulator with one account (`SECRET_ID`/`SECRET_KEY`), in memory, on 127.0.0.1 and a free port.
pub async fn emulator() -> RunningEmulator {
    emulator_with(EmulatorConfig::new(vec![Account::new(SECRET_ID, SECRET_KEY)])).await
}

pub async fn emulator_with(config: EmulatorConfig) -> RunningEmulator {
    Emulator::new(config)
        .expect("emulator state")
        .start("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("emulator binds a loopback port")
}

/// Retries that are quick enough for tests.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    }
}

pub fn config(endpoint: &str) -> ClientConfig {
    ClientConfig {
        endpoint: endpoint.to_owned(),
        retry: fast_retries(),
        request_timeout: Duration::from_secs(5),
        ..ClientConfig::default()
    }
}

pub fn credentials() -> Credentials {
    Credentials::new(SECRET_ID, Secret::new(SECRET_KEY))
}

pub fn client(emulator: &RunningEmulator) -> Client {
    Client::new(config(&emulator.endpoint()), Arc::new(credentials())).expect("client")
}

pub fn client_with(config: ClientConfig, credentials: Credentials, clock: SharedClock) -> Client {
    Client::with_clock(config, Arc::new(credentials), clock).expect("client")
}

/// Add a fault through the emulator's admin endpoint, as a test or a person would.
pub async fn add_fault(emulator: &RunningEmulator, rule: serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/__admin/faults", emulator.endpoint()))
        .json(&rule)
        .send()
        .await
        .expect("admin endpoint answers");
    assert_eq!(response.status(), 201, "fault accepted: {rule}");
}

/// How many templates the account has, straight from the emulator's state.
pub fn template_count(emulator: &RunningEmulator) -> usize {
    emulator.emulator.snapshot().accounts[SECRET_ID].templates.len()
}

/// A hand-made request to the API, for checking how the service treats what our client never sends.
#[derive(Debug, Clone)]
pub struct Raw {
    pub method: &'static str,
    pub action: String,
    pub version: String,
    pub body: String,
    pub query: String,
    pub timestamp: i64,
    pub secret_id: String,
    pub secret_key: String,
    pub authorization: Option<String>,
    pub content_type: String,
}

impl Raw {
    pub fn post(action: &str, body: serde_json::Value) -> Raw {
        use tencent_live::clock::{Clock, SystemClock};
        Raw {
            method: "POST",
            action: action.to_owned(),
            version: tencent_live::api::VERSION.to_owned(),
            body: body.to_string(),
            query: String::new(),
            timestamp: SystemClock.now_unix(),
            secret_id: SECRET_ID.to_owned(),
            secret_key: SECRET_KEY.to_owned(),
            authorization: None,
            content_type: "application/json".to_owned(),
        }
    }

    /// Send it; returns the HTTP status, the Content-Type and the parsed body.
    pub async fn send(&self, endpoint: &str) -> (u16, String, serde_json::Value) {
        use tencent_live::sign::{sign, Payload, SignInput};
        let url = reqwest::Url::parse(endpoint).expect("endpoint");
        let host = format!("{}:{}", url.host_str().expect("host"), url.port().expect("port"));
        let auth = self.authorization.clone().unwrap_or_else(|| {
            sign(
                &SignInput {
                    method: self.method,
                    path: "/",
                    query: &self.query,
                    headers: &[("content-type", &self.content_type), ("host", &host)],
                    payload: Payload::Bytes(if self.method == "GET" {
                        b""
                    } else {
                        self.body.as_bytes()
                    }),
                    timestamp: self.timestamp,
                    service: "live",
                },
                &self.secret_id,
                &Secret::new(self.secret_key.as_str()),
            )
            .authorization
        });
        let http = reqwest::Client::new();
        let target = if self.query.is_empty() {
            format!("{endpoint}/")
        } else {
            format!("{endpoint}/?{}", self.query)
        };
        let mut req = if self.method == "GET" {
            http.get(target)
        } else {
            http.post(target).body(self.body.clone())
        };
        req = req
            .header("Content-Type", &self.content_type)
            .header("X-TC-Action", &self.action)
            .header("X-TC-Version", &self.version)
            .header("X-TC-Timestamp", self.timestamp.to_string());
        if !auth.is_empty() {
            req = req.header("Authorization", auth);
        }
        let resp = req.send().await.expect("emulator answers");
        let status = resp.status().as_u16();
        let ct = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        let body = resp.json().await.unwrap_or(serde_json::Value::Null);
        (status, ct, body)
    }
}

/// The error code of a raw answer (None on success).
pub fn error_code(body: &serde_json::Value) -> Option<String> {
    body["Response"]["Error"]["Code"].as_str().map(str::to_owned)
}

/// A local HTTP server standing in for a customer's callback handler: it records every request and
/// answers 500 for the first `fail_first` of them (or never answers, with `hang`), then 200 `{"code":0}`.
#[derive(Debug, Clone)]
pub struct Receiver {
    pub url: String,
    pub received: Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
}

impl Receiver {
    pub async fn start(fail_first: usize, hang: bool) -> Receiver {
        use axum::http::StatusCode;
        let received: Arc<std::sync::Mutex<Vec<serde_json::Value>>> = Arc::default();
        let store = received.clone();
        let app = axum::Router::new().fallback(move |body: axum::body::Bytes| {
            let store = store.clone();
            async move {
                let value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
                let n = {
                    let mut list = store.lock().expect("lock");
                    list.push(value);
                    list.len()
                };
                if hang {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
                if n <= fail_first {
                    (StatusCode::INTERNAL_SERVER_ERROR, "busy")
                } else {
                    (StatusCode::OK, "{\"code\":0}")
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/callback"),
            received,
        }
    }

    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.received.lock().expect("lock").clone()
    }
}
