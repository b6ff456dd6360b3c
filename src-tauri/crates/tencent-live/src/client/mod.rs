//! The async client: signs each call at call time, retries what is safe to retry, keeps each action
//! under its documented rate, corrects for a wrong local clock, and settles creates and deletes whose
//! outcome is unknown by looking before repeating them.

mod retry;
mod writes;

pub use retry::{Bucket, RateLimiter, RetryPolicy};
pub use writes::Settled;

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::api::{self, Action, Effect};
use crate::clock::{SharedClock, SystemClock};
use crate::error::{ApiError, Error, Result};
use crate::secret::Credentials;
use crate::sign::{self, Payload, SignInput};
use crate::Language;

/// Where the client gets credentials, each time it signs (so a key changed in the keyring takes effect
/// at once, and none is held longer than a call).
pub trait CredentialSource: Send + Sync + fmt::Debug {
    fn credentials(&self) -> Result<Credentials, String>;
}

impl CredentialSource for Credentials {
    fn credentials(&self) -> Result<Credentials, String> {
        Ok(self.clone())
    }
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `https://live.tencentcloudapi.com` or any other base URL (an emulator on `http://127.0.0.1:PORT`).
    pub endpoint: String,
    /// Sent as `X-TC-Region` when set; the Live API ignores it.
    pub region: Option<String>,
    /// Language of the API's error messages (`X-TC-Language`).
    pub language: Option<Language>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Keep each action under Tencent's documented rate on this side.
    pub rate_limit: bool,
    /// Allow a plain `http://` endpoint on another machine: the signed requests (and an STS token)
    /// would cross the network unencrypted. Loopback needs no permission.
    pub allow_insecure_http: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            endpoint: api::DEFAULT_ENDPOINT.to_owned(),
            region: None,
            language: None,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            rate_limit: true,
            allow_insecure_http: false,
        }
    }
}

/// Whether `url` names this machine (an emulator or a local proxy).
pub fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    endpoint: reqwest::Url,
    host: String,
    config: ClientConfig,
    credentials: Arc<dyn CredentialSource>,
    clock: SharedClock,
    /// Seconds to add to the local clock, learnt from the server's `Date` after a SignatureExpire.
    clock_offset: AtomicI64,
    limiter: RateLimiter,
}

/// A Live API client. Cheap to clone; clones share the rate limiter and the learnt clock offset.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// A failed attempt, with the server's clock if it told us.
struct Failure {
    error: Error,
    server_time: Option<i64>,
}

impl Client {
    pub fn new(config: ClientConfig, credentials: Arc<dyn CredentialSource>) -> Result<Client> {
        Client::with_clock(config, credentials, Arc::new(SystemClock))
    }

    pub fn with_clock(
        config: ClientConfig,
        credentials: Arc<dyn CredentialSource>,
        clock: SharedClock,
    ) -> Result<Client> {
        let invalid = |detail: String| Error::Config(format!("endpoint {:?}: {detail}", config.endpoint));
        let endpoint =
            reqwest::Url::parse(&config.endpoint).map_err(|e| invalid(format!("the endpoint is not a URL: {e}")))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(invalid("the endpoint must start with http:// or https://".into()));
        }
        if endpoint.scheme() == "http" && !is_loopback(&endpoint) && !config.allow_insecure_http {
            return Err(Error::InsecureEndpoint(config.endpoint.clone()));
        }
        let host = match (endpoint.host_str(), endpoint.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            (None, _) => return Err(invalid("the endpoint has no host".into())),
        };
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("livehook/", env!("CARGO_PKG_VERSION")))
            // A redirect would carry a signed request (and X-TC-Token) to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| invalid(e.to_string()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint,
                host,
                config,
                credentials,
                clock,
                clock_offset: AtomicI64::new(0),
                limiter: RateLimiter::default(),
            }),
        })
    }

    pub fn endpoint(&self) -> &str {
        self.inner.endpoint.as_str()
    }

    /// How many seconds the local clock was found to be behind the server's (negative: ahead).
    /// Zero until a `SignatureExpire` taught otherwise.
    pub fn clock_offset(&self) -> i64 {
        self.inner.clock_offset.load(Ordering::SeqCst)
    }

    fn now(&self) -> i64 {
        self.inner.clock.now_unix() + self.clock_offset()
    }

    /// Call an action. Reads and idempotent writes are repeated on passing failures; creates and deletes
    /// only when the service certainly did not act (rate limit, no connection). Use the methods in
    /// [`writes`] for creates and deletes that must also survive an unknown outcome.
    pub async fn call<A: Action>(&self, request: &A) -> Result<A::Response> {
        self.call_inner(request, A::EFFECT != Effect::NonIdempotent).await
    }

    async fn call_inner<A: Action>(&self, request: &A, repeat_when_unknown: bool) -> Result<A::Response> {
        let body = serde_json::to_vec(request).map_err(|e| Error::Decode {
            action: A::NAME.into(),
            detail: format!("the request could not be encoded: {e}"),
            request_id: None,
        })?;
        let policy = self.inner.config.retry;
        let mut attempt = 1;
        let mut clock_corrected = false;
        loop {
            if self.inner.config.rate_limit {
                self.inner.limiter.acquire(A::NAME, A::RATE_LIMIT).await;
            }
            let failure = match self.send_once::<A>(&body).await {
                Ok(response) => return Ok(response),
                Err(f) => f,
            };
            if failure.error.code() == Some("AuthFailure.SignatureExpire") && !clock_corrected {
                if let Some(server) = failure.server_time {
                    let offset = server - self.inner.clock.now_unix();
                    self.inner.clock_offset.store(offset, Ordering::SeqCst);
                    tracing::warn!(
                        offset_seconds = offset,
                        "the local clock differs from the server's; signing with the server's time"
                    );
                    clock_corrected = true;
                    continue;
                }
            }
            let error = failure.error;
            let repeatable = error.is_transient() && (repeat_when_unknown || !error.outcome_unknown());
            if !repeatable || attempt >= policy.max_attempts {
                return Err(error);
            }
            let pause = policy.delay(attempt, rand::random::<f64>());
            tracing::debug!(action = A::NAME, attempt, ?pause, %error, "retrying");
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    }

    async fn send_once<A: Action>(&self, body: &[u8]) -> Result<A::Response, Failure> {
        let fail = |error: Error| Failure {
            error,
            server_time: None,
        };
        let creds = self
            .inner
            .credentials
            .credentials()
            .map_err(|e| fail(Error::Credentials(e)))?;
        let timestamp = self.now();
        let content_type = "application/json";
        let signed = sign::sign(
            &SignInput {
                method: "POST",
                path: "/",
                query: "",
                headers: &[("content-type", content_type), ("host", &self.inner.host)],
                payload: Payload::Bytes(body),
                timestamp,
                service: api::SERVICE,
            },
            &creds.secret_id,
            &creds.secret_key,
        );
        let mut request = self
            .inner
            .http
            .post(self.inner.endpoint.clone())
            .header("Content-Type", content_type)
            .header("Authorization", signed.authorization)
            .header("X-TC-Action", A::NAME)
            .header("X-TC-Version", api::VERSION)
            .header("X-TC-Timestamp", timestamp.to_string());
        if let Some(region) = self.inner.config.region.as_deref().filter(|r| !r.is_empty()) {
            request = request.header("X-TC-Region", region);
        }
        if let Some(lang) = self.inner.config.language {
            request = request.header("X-TC-Language", lang.code());
        }
        if let Some(token) = creds.token.as_ref().filter(|t| !t.is_empty()) {
            request = request.header("X-TC-Token", token.expose());
        }
        let endpoint = self.inner.endpoint.to_string();
        let response = request
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| fail(self.transport_error(A::NAME, e)))?;
        let server_time = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|d| d.to_str().ok())
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
            .map(|d| d.timestamp());
        let with_time = |error: Error| Failure { error, server_time };
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
        let bytes = response
            .bytes()
            .await
            .map_err(|e| with_time(self.transport_error(A::NAME, e)))?;
        if let (300..=399, Some(location)) = (status, location) {
            return Err(with_time(Error::Redirect {
                action: A::NAME.into(),
                endpoint,
                status,
                location,
            }));
        }
        if status != 200 {
            return Err(with_time(Error::Http {
                action: A::NAME.into(),
                endpoint,
                status,
                body: String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).into_owned(),
            }));
        }
        let decode = |detail: String, request_id: Option<String>| Error::Decode {
            action: A::NAME.into(),
            detail,
            request_id,
        };
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|e| with_time(decode(format!("not JSON: {e}"), None)))?;
        let Some(inner) = value.get("Response") else {
            return Err(with_time(decode("no \"Response\" object".into(), None)));
        };
        let request_id = inner
            .get("RequestId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(err) = inner.get("Error") {
            let text = |k: &str| err.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
            return Err(with_time(Error::Api(ApiError {
                action: A::NAME.into(),
                code: text("Code"),
                message: text("Message"),
                request_id,
            })));
        }
        serde_json::from_value::<A::Response>(inner.clone())
            .map_err(|e| with_time(decode(e.to_string(), Some(request_id))))
    }

    fn transport_error(&self, action: &str, e: reqwest::Error) -> Error {
        let endpoint = self.inner.endpoint.to_string();
        let detail = crate::error::error_chain(&e);
        if e.is_connect() {
            Error::Network {
                action: action.into(),
                endpoint,
                detail,
                sent: false,
            }
        } else if e.is_timeout() {
            Error::Timeout {
                action: action.into(),
                endpoint,
                seconds: self.inner.config.request_timeout.as_secs(),
            }
        } else {
            Error::Network {
                action: action.into(),
                endpoint,
                detail,
                sent: true,
            }
        }
    }

    /// Every domain matching `filter`, all pages.
    pub async fn all_domains(&self, filter: api::DescribeLiveDomains) -> Result<Vec<api::DomainInfo>> {
        let mut all = Vec::new();
        let mut page = 1;
        loop {
            let request = api::DescribeLiveDomains {
                page_num: Some(page),
                page_size: Some(100),
                ..filter.clone()
            };
            let response = self.call(&request).await?;
            let got = response.domain_list.len();
            all.extend(response.domain_list);
            if got == 0 || all.len() as i64 >= response.all_count || page >= 100_000 {
                return Ok(all);
            }
            page += 1;
        }
    }

    pub async fn templates(&self) -> Result<Vec<api::CallbackTemplate>> {
        Ok(self.call(&api::DescribeLiveCallbackTemplates {}).await?.templates)
    }

    pub async fn template(&self, template_id: i64) -> Result<api::CallbackTemplate> {
        Ok(self
            .call(&api::DescribeLiveCallbackTemplate { template_id })
            .await?
            .template)
    }

    pub async fn rules(&self) -> Result<Vec<api::CallbackRule>> {
        Ok(self.call(&api::DescribeLiveCallbackRules {}).await?.rules)
    }
}
