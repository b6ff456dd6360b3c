//! A receiver on another machine, read through its read API ([`crate::api`]): what `livehook inspector
//! list --remote` and the desktop app attached to a remote receiver both use. The token goes only in
//! the `Authorization` header. A refusal is told as what it is (the token, a certificate for another
//! name, a certificate nobody vouches for, with its fingerprint so the user can decide to trust it).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::event::{EventSummary, StoredEvent};
use crate::store::{Filter, ForwardRecord, Page, Traffic};
use crate::timeline::Timeline;
use crate::tools;

/// Where a remote receiver's read API is and how to trust it.
#[derive(Clone, Default)]
pub struct RemoteOptions {
    /// `https://host:port` (or `http://` to this computer).
    pub url: String,
    pub token: String,
    /// Also trust this certificate authority (PEM).
    pub ca_pem: Option<Vec<u8>>,
    /// Trust exactly the certificate with this SHA-256 fingerprint (hex, colons allowed), whatever its
    /// name or issuer: for a self-signed certificate the user has looked at.
    pub fingerprint: Option<String>,
    /// Allow plain `http://` to another machine (the token crosses the network unencrypted).
    pub allow_insecure: bool,
}

impl std::fmt::Debug for RemoteOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteOptions")
            .field("url", &self.url)
            .field("token", &"<hidden>")
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// Why a remote receiver could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RemoteError {
    /// The address or options are wrong; nothing was sent.
    #[error("{0}")]
    Usage(String),
    #[error("{url} refused the token ({said}): check the token the receiver was started with (--api-token-file)")]
    Unauthorized { url: String, said: String },
    #[error(
        "{url}: the certificate is not for this host name ({detail}); connect with the name it was made for, \
         or trust this certificate's fingerprint {fingerprint}"
    )]
    NameMismatch {
        url: String,
        detail: String,
        fingerprint: String,
    },
    #[error(
        "{url}: the certificate is not signed by an authority this computer trusts (self-signed?). Its \
         SHA-256 fingerprint is {fingerprint}: compare it with the server's, then trust it"
    )]
    Untrusted { url: String, fingerprint: String },
    #[error(
        "{url}: the certificate changed: its fingerprint is now {fingerprint}, not the {pinned} that was \
         trusted. If the server was given a new certificate, trust the new one"
    )]
    FingerprintChanged {
        url: String,
        pinned: String,
        fingerprint: String,
    },
    #[error("{url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("{url} answered {status}: {said}")]
    Status { url: String, status: u16, said: String },
    #[error("{url} answered something this version cannot read: {detail}")]
    Protocol { url: String, detail: String },
}

impl RemoteError {
    /// The fingerprint of the certificate that was refused, for "trust this certificate".
    pub fn fingerprint(&self) -> Option<&str> {
        match self {
            RemoteError::NameMismatch { fingerprint, .. }
            | RemoteError::Untrusted { fingerprint, .. }
            | RemoteError::FingerprintChanged { fingerprint, .. } => Some(fingerprint),
            _ => None,
        }
    }
}

/// `AB:CD:…`, the way browsers and `openssl x509 -fingerprint -sha256` show it.
pub fn fingerprint_of(der: &[u8]) -> String {
    fingerprint_of_digest(&Sha256::digest(der).into())
}

/// A fingerprint as typed or pasted (any case, with or without colons or spaces), or why not one.
pub fn parse_fingerprint(text: &str) -> Result<[u8; 32], String> {
    let hex: String = text.chars().filter(|c| !matches!(c, ':' | ' ' | '-')).collect();
    let bytes = hex::decode(hex.trim()).map_err(|_| format!("{text:?} is not a hexadecimal SHA-256 fingerprint"))?;
    bytes
        .try_into()
        .map_err(|_| format!("{text:?} is not a SHA-256 fingerprint (32 bytes, 64 hexadecimal digits)"))
}

/// The leaf certificate last presented and why it was refused, as the verifier saw it.
#[derive(Debug, Default)]
struct Seen {
    fingerprint: Option<String>,
    refused: Option<CertificateError>,
}

/// The usual checks (the system's authorities and an optional extra one), unless the certificate is the
/// very one the user trusted by fingerprint; notes what it saw so a refusal can be explained.
#[derive(Debug)]
struct Verifier {
    webpki: Arc<WebPkiServerVerifier>,
    pinned: Option<[u8; 32]>,
    provider: Arc<rustls::crypto::CryptoProvider>,
    seen: Arc<Mutex<Seen>>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let digest: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.fingerprint = Some(fingerprint_of_digest(&digest));
        seen.refused = None;
        if self.pinned == Some(digest) {
            return Ok(ServerCertVerified::assertion());
        }
        self.webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
            .inspect_err(|e| {
                if let rustls::Error::InvalidCertificate(c) = e {
                    seen.refused = Some(c.clone());
                }
            })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// What `/api/v1/status` says.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteStatus {
    pub stored: u64,
    pub newest_id: i64,
    /// Where it takes callbacks, as it was started (`http://0.0.0.0:8920` names no host).
    pub callback_url: Option<String>,
    pub version: Option<String>,
}

/// One callback whole, with the other attempts of its delivery and its forwards.
#[derive(Debug, Clone)]
pub struct RemoteEvent {
    pub event: StoredEvent,
    pub attempts: Vec<EventSummary>,
    pub forwards: Vec<ForwardRecord>,
}

/// A read API to ask, with its token.
#[derive(Clone)]
pub struct RemoteClient {
    base: String,
    token: Arc<str>,
    http: reqwest::Client,
    pinned: Option<String>,
    seen: Arc<Mutex<Seen>>,
}

impl std::fmt::Debug for RemoteClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteClient").field("base", &self.base).finish()
    }
}

/// How long an ordinary request may take; the live stream has no limit but hears a keep-alive every 15 s.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The live stream is taken as dropped after this long without a byte (its keep-alives come every 15 s).
pub const LIVE_SILENCE: Duration = Duration::from_secs(40);

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The query parameters of `/api/v1/events` (and the chart and the export) for `f`.
pub fn filter_params(f: &Filter) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    let mut add = |k: &'static str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            q.push((k, v));
        }
    };
    add("event_type", f.event_type.map(|t| t.to_string()));
    add("stream", f.stream_id.clone());
    add("domain", f.domain.clone());
    add("app_name", f.app_name.clone());
    add("verified", f.verify.map(String::from));
    add("text", f.text.clone());
    add("since", f.since.map(|t| t.to_string()));
    add("until", f.until.map(|t| t.to_string()));
    add(
        "ids",
        f.ids
            .as_ref()
            .map(|ids| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
    );
    add("before_id", f.before_id.map(|t| t.to_string()));
    add("limit", f.limit.map(|t| t.to_string()));
    q
}

impl RemoteClient {
    /// A client for `options`, or what is wrong with them (nothing is sent yet).
    pub fn new(options: &RemoteOptions) -> Result<RemoteClient, RemoteError> {
        let base = options.url.trim().trim_end_matches('/').to_owned();
        let url = reqwest::Url::parse(&base).map_err(|e| RemoteError::Usage(format!("{base:?} is not a URL: {e}")))?;
        if url.host().is_none() {
            return Err(RemoteError::Usage(format!("{base:?} names no host")));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) || options.allow_insecure => {}
            "http" => {
                return Err(RemoteError::Usage(format!(
                    "{base} is plain http:// to another machine: the token would cross the network unencrypted. \
                     Use https:// (serve it with --tls-cert/--tls-key, or behind a TLS proxy)"
                )))
            }
            other => {
                return Err(RemoteError::Usage(format!(
                    "{base:?}: {other}:// is not http:// or https://"
                )))
            }
        }
        if options.token.trim().is_empty() {
            return Err(RemoteError::Usage("the token is empty".into()));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        if let Some(pem) = &options.ca_pem {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
                .collect::<Result<_, _>>()
                .map_err(|e| RemoteError::Usage(format!("the certificate authority is not PEM: {e}")))?;
            if certs.is_empty() {
                return Err(RemoteError::Usage(
                    "the certificate authority file holds no certificate".into(),
                ));
            }
            for c in certs {
                roots
                    .add(c)
                    .map_err(|e| RemoteError::Usage(format!("the certificate authority cannot be used: {e}")))?;
            }
        }
        let pinned = options
            .fingerprint
            .as_deref()
            .filter(|f| !f.trim().is_empty())
            .map(parse_fingerprint)
            .transpose()
            .map_err(RemoteError::Usage)?;
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| RemoteError::Usage(e.to_string()))?;
        let seen = Arc::new(Mutex::new(Seen::default()));
        let verifier = Verifier {
            webpki,
            pinned,
            provider: provider.clone(),
            seen: seen.clone(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| RemoteError::Usage(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| RemoteError::Usage(e.to_string()))?;
        Ok(RemoteClient {
            base,
            token: options.token.trim().into(),
            http,
            pinned: pinned.map(|p| fingerprint_of_digest(&p)),
            seen,
        })
    }

    /// The API's address as given (without a trailing slash).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A failed request in words: a certificate refused is told as what it is, with its fingerprint.
    fn explain(&self, e: &reqwest::Error) -> RemoteError {
        let url = self.base.clone();
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let fingerprint = seen.fingerprint.clone().unwrap_or_default();
        match &seen.refused {
            Some(CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }) => {
                let detail = chain(e)
                    .split(": ")
                    .find(|part| part.contains("not valid for"))
                    .unwrap_or("certificate not valid for this name")
                    .to_owned();
                return RemoteError::NameMismatch {
                    url,
                    detail,
                    fingerprint,
                };
            }
            Some(_) if self.pinned.is_some() => {
                return RemoteError::FingerprintChanged {
                    url,
                    pinned: self.pinned.clone().unwrap_or_default(),
                    fingerprint,
                }
            }
            Some(_) => return RemoteError::Untrusted { url, fingerprint },
            None => {}
        }
        let text = chain(e);
        let detail = if e.is_timeout() {
            "no answer in time; is the address right, and does a firewall let it through?".to_owned()
        } else if text.contains("Connection refused") {
            format!("{text}; is `livehook inspector serve --api-listen` running there, on this port?")
        } else if text.contains("InvalidContentType") || text.contains("CorruptMessage") {
            format!("{text}; is it http:// rather than https://?")
        } else {
            text
        };
        RemoteError::Unreachable { url, detail }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, RemoteError> {
        let r = request
            .bearer_auth(&*self.token)
            .send()
            .await
            .map_err(|e| self.explain(&e))?;
        let status = r.status().as_u16();
        if status == 200 {
            return Ok(r);
        }
        let body: Value = r.json().await.unwrap_or(Value::Null);
        let said = body
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("no reason given")
            .to_owned();
        let url = self.base.clone();
        Err(match status {
            401 => RemoteError::Unauthorized { url, said },
            status => RemoteError::Status { url, status, said },
        })
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, RemoteError> {
        self.get_json_at(format!("{}{path}", self.base), query).await
    }

    async fn get_json_at<T: serde::de::DeserializeOwned>(
        &self,
        url: impl reqwest::IntoUrl,
        query: &[(&str, String)],
    ) -> Result<T, RemoteError> {
        let r = self
            .send(self.http.get(url).query(query).timeout(REQUEST_TIMEOUT))
            .await?;
        let bytes = r.bytes().await.map_err(|e| self.explain(&e))?;
        serde_json::from_slice(&bytes).map_err(|e| self.protocol(e))
    }

    fn protocol(&self, detail: impl std::fmt::Display) -> RemoteError {
        RemoteError::Protocol {
            url: self.base.clone(),
            detail: detail.to_string(),
        }
    }

    /// The connection check: whether the API answers with this token, and what it holds.
    pub async fn status(&self) -> Result<RemoteStatus, RemoteError> {
        self.get_json("/api/v1/status", &[]).await
    }

    /// A page of callbacks as `inspector list --json` prints it (the export records, without what only
    /// the API adds), and the callbacks themselves.
    pub async fn events_raw(&self, query: &[(&str, String)]) -> Result<(Value, Vec<StoredEvent>), RemoteError> {
        let mut page: Value = self.get_json("/api/v1/events", query).await?;
        let mut events = Vec::new();
        if let Some(list) = page.get_mut("events").and_then(Value::as_array_mut) {
            for v in list.iter_mut() {
                events.push(tools::from_record(v).ok_or_else(|| self.protocol("a callback without its fields"))?);
                if let Some(o) = v.as_object_mut() {
                    for only_api in ["bodyText", "eventTime", "group"] {
                        o.remove(only_api);
                    }
                }
            }
        }
        Ok((page, events))
    }

    /// The callbacks `filter` picks, whole, and the id to page on from.
    pub async fn events(&self, filter: &Filter) -> Result<(Vec<StoredEvent>, Option<i64>), RemoteError> {
        let (page, events) = self.events_raw(&filter_params(filter)).await?;
        Ok((events, page.get("nextBeforeId").and_then(Value::as_i64)))
    }

    /// A page of the list, as the local store answers it.
    pub async fn page(&self, filter: &Filter) -> Result<Page, RemoteError> {
        let (events, next) = self.events(filter).await?;
        Ok(Page {
            items: events.iter().map(StoredEvent::summary).collect(),
            next_before_id: next,
        })
    }

    /// One callback whole, or None when the remote has no such id.
    pub async fn event(&self, id: i64) -> Result<Option<RemoteEvent>, RemoteError> {
        let v: Value = match self.get_json(&format!("/api/v1/events/{id}"), &[]).await {
            Ok(v) => v,
            Err(RemoteError::Status { status: 404, .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let event = tools::from_record(&v).ok_or_else(|| self.protocol("a callback without its fields"))?;
        let list = |k: &str| v.get(k).cloned().unwrap_or(Value::Array(Vec::new()));
        Ok(Some(RemoteEvent {
            event,
            attempts: serde_json::from_value(list("attempts")).map_err(|e| self.protocol(e))?,
            forwards: serde_json::from_value(list("forwards")).map_err(|e| self.protocol(e))?,
        }))
    }

    /// The chart's figures.
    pub async fn traffic(
        &self,
        filter: &Filter,
        buckets: u32,
        utc_offset_minutes: i32,
    ) -> Result<Traffic, RemoteError> {
        let mut q = filter_params(filter);
        q.retain(|(k, _)| *k != "limit" && *k != "before_id");
        q.push(("buckets", buckets.to_string()));
        q.push(("utc_offset_minutes", utc_offset_minutes.to_string()));
        self.get_json("/api/v1/traffic", &q).await
    }

    /// A stream's timeline (None: the callback `session_of` is gone).
    pub async fn timeline(
        &self,
        stream: &str,
        session_of: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Option<Timeline>, RemoteError> {
        let mut q = Vec::new();
        if let Some(s) = session_of {
            q.push(("session_of", s.to_string()));
        }
        if let Some(l) = limit {
            q.push(("limit", l.to_string()));
        }
        // The stream's name as one path segment, whatever it holds.
        let mut url = reqwest::Url::parse(&format!("{}/api/v1/streams/", self.base)).map_err(|e| self.protocol(e))?;
        url.path_segments_mut()
            .map_err(|_| self.protocol("the address cannot take a path"))?
            .pop_if_empty()
            .push(stream)
            .push("timeline");
        match self.get_json_at(url, &q).await {
            Ok(t) => Ok(Some(t)),
            Err(RemoteError::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The callbacks `filter` picks as a file in `format` (at most [`crate::api::EXPORT_CAP`]), handed
    /// to `out` a chunk at a time; answers how many callbacks it holds.
    pub async fn export(
        &self,
        filter: &Filter,
        format: tools::Format,
        mut out: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<u64, ExportFailed> {
        let mut q = filter_params(filter);
        q.retain(|(k, _)| *k != "limit" && *k != "before_id");
        q.push(("format", format.extension().to_owned()));
        let mut r = self
            .send(self.http.get(format!("{}/api/v1/export", self.base)).query(&q))
            .await
            .map_err(ExportFailed::Remote)?;
        let count = r
            .headers()
            .get(crate::api::COUNT_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| ExportFailed::Remote(self.protocol("an export without its count of callbacks")))?;
        loop {
            let chunk = tokio::time::timeout(LIVE_SILENCE, r.chunk())
                .await
                .map_err(|_| {
                    ExportFailed::Remote(RemoteError::Unreachable {
                        url: self.base.clone(),
                        detail: "the export stopped arriving".into(),
                    })
                })?
                .map_err(|e| ExportFailed::Remote(self.explain(&e)))?;
            let Some(chunk) = chunk else { break };
            out(&chunk).map_err(ExportFailed::Write)?;
        }
        Ok(count)
    }

    /// The live stream: what arrives from now on, or after `after` (an id already seen) first what was
    /// missed since.
    pub async fn live(&self, after: Option<i64>) -> Result<LiveStream, RemoteError> {
        let mut request = self
            .http
            .get(format!("{}/api/v1/live", self.base))
            .header(reqwest::header::ACCEPT, "text/event-stream");
        if let Some(after) = after {
            request = request.header("Last-Event-ID", after.to_string());
        }
        let response = tokio::time::timeout(REQUEST_TIMEOUT, self.send(request))
            .await
            .map_err(|_| RemoteError::Unreachable {
                url: self.base.clone(),
                detail: "the live stream did not open in time".into(),
            })??;
        Ok(LiveStream {
            client: self.clone(),
            response,
            buf: Vec::new(),
            pending: Pending::default(),
        })
    }
}

fn fingerprint_of_digest(d: &[u8; 32]) -> String {
    d.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// Why a remote export stopped.
#[derive(Debug)]
pub enum ExportFailed {
    Remote(RemoteError),
    Write(std::io::Error),
}

/// An error and its causes on one line.
fn chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

/// One message of the live stream.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // one at a time, moved straight on: boxing would only add a step
pub enum LiveItem {
    /// A callback arrived (or, after a resume or a resync, was stored while this client was not
    /// reading); with the stored count when the receiver said it.
    Event { event: EventSummary, stored: Option<u64> },
    /// This client was too slow and `missed` arrivals went by; what was stored is sent next.
    Resync { missed: u64 },
}

#[derive(Debug, Default)]
struct Pending {
    event: Option<String>,
    data: Vec<String>,
}

/// An open live stream.
#[derive(Debug)]
pub struct LiveStream {
    client: RemoteClient,
    response: reqwest::Response,
    buf: Vec<u8>,
    pending: Pending,
}

#[derive(Deserialize)]
struct LiveData {
    #[serde(flatten)]
    event: EventSummary,
    stored: Option<u64>,
}

impl LiveStream {
    /// The next message; None when the receiver ended the stream. An error (the network, or
    /// [`LIVE_SILENCE`] without even a keep-alive) means reconnect with the last id seen.
    pub async fn next(&mut self) -> Result<Option<LiveItem>, RemoteError> {
        loop {
            while let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                let line = line.trim_end_matches(['\n', '\r']);
                if line.is_empty() {
                    if let Some(item) = self.dispatch()? {
                        return Ok(Some(item));
                    }
                    continue;
                }
                if line.starts_with(':') {
                    continue;
                }
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "event" => self.pending.event = Some(value.to_owned()),
                    "data" => self.pending.data.push(value.to_owned()),
                    _ => {}
                }
            }
            let chunk = tokio::time::timeout(LIVE_SILENCE, self.response.chunk())
                .await
                .map_err(|_| RemoteError::Unreachable {
                    url: self.client.base.clone(),
                    detail: format!("the live stream was silent for {} s", LIVE_SILENCE.as_secs()),
                })?
                .map_err(|e| self.client.explain(&e))?;
            match chunk {
                Some(c) => self.buf.extend_from_slice(&c),
                None => return Ok(None),
            }
        }
    }

    fn dispatch(&mut self) -> Result<Option<LiveItem>, RemoteError> {
        let Pending { event, data } = std::mem::take(&mut self.pending);
        if data.is_empty() {
            return Ok(None);
        }
        let data = data.join("\n");
        match event.as_deref() {
            None | Some("message") => {
                let d: LiveData = serde_json::from_str(&data).map_err(|e| self.client.protocol(e))?;
                Ok(Some(LiveItem::Event {
                    event: d.event,
                    stored: d.stored,
                }))
            }
            Some("resync") => {
                let v: Value = serde_json::from_str(&data).map_err(|e| self.client.protocol(e))?;
                Ok(Some(LiveItem::Resync {
                    missed: v.get("missed").and_then(Value::as_u64).unwrap_or(0),
                }))
            }
            Some(_) => Ok(None),
        }
    }
}
