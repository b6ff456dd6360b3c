//! Remote inspectors: receivers on other machines (`livehook inspector serve --api-listen`) the app
//! attaches to instead of its own. Saved by name and address in the inspector's folder, each token in
//! the OS keyring only; a connection check that tells a refusal as what it is; while one is attached
//! the list, chart, detail, timeline, gallery, export and replay read it through its API, and live
//! updates come from its event stream, reopened after a drop from the last id seen.

use std::time::Duration;

use callback_inspector::remote::{LiveItem, LiveStream, RemoteClient, RemoteError, RemoteOptions};
use callback_inspector::Update;

use super::*;
use crate::secrets::remote_owner;

/// A saved remote inspector (never its token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedRemote {
    pub id: String,
    pub name: String,
    /// The read API's address, `https://host:port`.
    pub url: String,
    /// The SHA-256 fingerprint of a certificate the user chose to trust (a self-signed one).
    pub fingerprint: Option<String>,
}

/// A remote inspector as the form sends it: `id` None for a new one; `token` None keeps the saved one.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoteInput {
    pub id: Option<String>,
    pub name: String,
    pub url: String,
    pub token: Option<String>,
    pub fingerprint: Option<String>,
}

/// What went wrong with a remote, for the UI to say in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RemoteProblem {
    /// The address or token is not usable; nothing was sent.
    Invalid,
    Unauthorized,
    NameMismatch,
    Untrusted,
    FingerprintChanged,
    Unreachable,
    /// It answered, but not as a LiveHook read API does.
    NotAnInspector,
}

/// The outcome of a connection check.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoteCheck {
    pub ok: bool,
    /// How many callbacks it holds, when it answered.
    pub stored: Option<u64>,
    pub problem: Option<RemoteProblem>,
    /// What happened, in detail (English, technical).
    pub message: Option<String>,
    /// The certificate's fingerprint, when one was refused.
    pub fingerprint: Option<String>,
}

/// The remote the inspector shows, as the header names it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachedRemote {
    pub id: String,
    pub name: String,
    pub url: String,
}

pub(super) struct Attached {
    pub(super) saved: SavedRemote,
    pub(super) client: RemoteClient,
    /// Where it takes callbacks (for a replay's cURL), with its host when it listens on every address.
    pub(super) callback_url: String,
}

fn problem_of(e: &RemoteError) -> RemoteProblem {
    match e {
        RemoteError::Usage(_) => RemoteProblem::Invalid,
        RemoteError::Unauthorized { .. } => RemoteProblem::Unauthorized,
        RemoteError::NameMismatch { .. } => RemoteProblem::NameMismatch,
        RemoteError::Untrusted { .. } => RemoteProblem::Untrusted,
        RemoteError::FingerprintChanged { .. } => RemoteProblem::FingerprintChanged,
        RemoteError::Unreachable { .. } => RemoteProblem::Unreachable,
        RemoteError::Status { .. } | RemoteError::Protocol { .. } => RemoteProblem::NotAnInspector,
    }
}

/// A remote's refusal as an error of a command.
pub(super) fn remote_err(e: RemoteError) -> AppError {
    let kind = match &e {
        RemoteError::Usage(_) => AppErrorKind::Validation,
        RemoteError::Unauthorized { .. } => AppErrorKind::Auth,
        RemoteError::NameMismatch { .. } | RemoteError::Untrusted { .. } | RemoteError::FingerprintChanged { .. } => {
            AppErrorKind::Network
        }
        RemoteError::Unreachable { .. } => AppErrorKind::Network,
        RemoteError::Status { status: 404, .. } => AppErrorKind::NotFound,
        RemoteError::Status { status: 400, .. } => AppErrorKind::Validation,
        RemoteError::Status { .. } | RemoteError::Protocol { .. } => AppErrorKind::Internal,
    };
    AppError::new(kind, e.to_string())
}

/// `http://0.0.0.0:8920` names no host: the API's host with that port.
fn callback_url(said: Option<&str>, api: &str) -> String {
    let api = url::Url::parse(api).ok();
    let Some(mut url) = said.and_then(|s| url::Url::parse(s).ok()) else {
        return api
            .and_then(|u| u.host_str().map(|h| format!("{}://{h}:8920", u.scheme())))
            .unwrap_or_default();
    };
    let unspecified = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_unspecified(),
        Some(url::Host::Ipv6(ip)) => ip.is_unspecified(),
        _ => false,
    };
    if unspecified {
        if let Some(host) = api.as_ref().and_then(|u| u.host_str().map(str::to_owned)) {
            let _ = url.set_host(Some(&host));
        }
    }
    url.as_str().trim_end_matches('/').to_owned()
}

impl Inspector {
    fn remotes_path(&self) -> PathBuf {
        self.dir.join("remotes.json")
    }

    /// The saved remote inspectors, in the order they were added.
    pub fn remotes(&self) -> Vec<SavedRemote> {
        std::fs::read_to_string(self.remotes_path())
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    fn save_remotes(&self, all: &[SavedRemote]) -> Result<(), AppError> {
        crate::files::private_dir(&self.dir)
            .and_then(|()| {
                crate::files::write_atomic(
                    &self.remotes_path(),
                    serde_json::to_string_pretty(all).expect("serialisable").as_bytes(),
                )
            })
            .map_err(|e| {
                AppError::new(
                    AppErrorKind::Internal,
                    format!("Could not save the remote inspectors: {e}"),
                )
            })
    }

    /// The token for `input`: the one typed, else the saved one's.
    fn token_for(&self, input: &RemoteInput) -> Result<String, AppError> {
        if let Some(t) = input.token.as_deref().filter(|t| !t.trim().is_empty()) {
            return Ok(t.trim().to_owned());
        }
        let saved = match &input.id {
            Some(id) => self
                .secrets
                .get(&remote_owner(id), SecretKind::RemoteToken)
                .map_err(|e| {
                    AppError::new(
                        AppErrorKind::KeyringUnavailable,
                        format!("The token could not be read from the keyring: {e}"),
                    )
                })?,
            None => None,
        };
        saved.map(|s| s.expose().to_owned()).ok_or_else(|| {
            AppError::new(
                AppErrorKind::Validation,
                "Enter the token the receiver was started with.",
            )
        })
    }

    fn client_for(&self, input: &RemoteInput) -> Result<RemoteClient, AppError> {
        let url = input.url.trim();
        if url.is_empty() {
            return Err(AppError::new(AppErrorKind::Validation, "Enter the read API's address."));
        }
        RemoteClient::new(&RemoteOptions {
            url: url.to_owned(),
            token: self.token_for(input)?,
            ca_pem: None,
            fingerprint: input.fingerprint.clone().filter(|f| !f.trim().is_empty()),
            allow_insecure: false,
        })
        .map_err(remote_err)
    }

    /// Try `input` without saving it: the API answered with this token, or why not.
    pub async fn check_remote(&self, input: RemoteInput) -> RemoteCheck {
        let failed = |problem, message: String, fingerprint: Option<String>| RemoteCheck {
            ok: false,
            stored: None,
            problem: Some(problem),
            message: Some(message),
            fingerprint,
        };
        let client = match self.client_for(&input) {
            Ok(c) => c,
            Err(e) => return failed(RemoteProblem::Invalid, e.message, None),
        };
        match client.status().await {
            Ok(s) => RemoteCheck {
                ok: true,
                stored: Some(s.stored),
                problem: None,
                message: None,
                fingerprint: None,
            },
            Err(e) => failed(problem_of(&e), e.to_string(), e.fingerprint().map(str::to_owned)),
        }
    }

    /// Add or change a saved remote (its token into the keyring); answers it as saved.
    pub fn save_remote(&self, input: RemoteInput) -> Result<SavedRemote, AppError> {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(AppError::new(
                AppErrorKind::Validation,
                "Give the remote inspector a name.",
            ));
        }
        // Checked as a connection would be, so nothing unusable is saved.
        self.client_for(&input)?;
        let mut all = self.remotes();
        if all
            .iter()
            .any(|r| r.name.eq_ignore_ascii_case(name) && Some(&r.id) != input.id.as_ref())
        {
            return Err(AppError::new(
                AppErrorKind::AlreadyExists,
                format!("A remote inspector named \"{name}\" is already saved."),
            ));
        }
        let id = match &input.id {
            Some(id) if all.iter().any(|r| &r.id == id) => id.clone(),
            Some(id) => {
                return Err(AppError::new(
                    AppErrorKind::NotFound,
                    format!("The remote inspector {id} is no longer saved."),
                ))
            }
            None => format!("{:x}", chrono::Utc::now().timestamp_micros()),
        };
        if let Some(token) = input.token.as_deref().filter(|t| !t.trim().is_empty()) {
            self.secrets
                .set(
                    &remote_owner(&id),
                    SecretKind::RemoteToken,
                    &Secret::new(token.trim().to_owned()),
                )
                .map_err(|e| {
                    AppError::new(
                        AppErrorKind::KeyringUnavailable,
                        format!("The token could not be kept in the keyring, so nothing was saved: {e}"),
                    )
                })?;
        }
        let saved = SavedRemote {
            id: id.clone(),
            name: name.to_owned(),
            url: input.url.trim().trim_end_matches('/').to_owned(),
            fingerprint: input
                .fingerprint
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned),
        };
        match all.iter_mut().find(|r| r.id == id) {
            Some(r) => *r = saved.clone(),
            None => all.push(saved.clone()),
        }
        self.save_remotes(&all)?;
        // The one shown changed: shown again with what was saved.
        let shown = self.attached().is_some_and(|a| a.saved.id == id);
        if shown {
            *self.remote.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
        Ok(saved)
    }

    /// Forget a saved remote and its token; back to this computer's inspector if it was shown.
    pub fn delete_remote(&self, id: &str) -> Result<(), AppError> {
        let mut all = self.remotes();
        all.retain(|r| r.id != id);
        self.save_remotes(&all)?;
        if let Err(e) = self.secrets.delete(&remote_owner(id), SecretKind::RemoteToken) {
            tracing::warn!("a remote inspector's token stays in the keyring: {e}");
        }
        let mut shown = self.remote.lock().unwrap_or_else(|p| p.into_inner());
        if shown.as_ref().is_some_and(|a| a.saved.id == id) {
            *shown = None;
        }
        Ok(())
    }

    /// Show the saved remote `id` (checked first: a refusal leaves the view as it was), or with None
    /// this computer's inspector.
    pub async fn attach(&self, id: Option<String>) -> Result<(), AppError> {
        let Some(id) = id else {
            *self.remote.lock().unwrap_or_else(|p| p.into_inner()) = None;
            return Ok(());
        };
        let saved = self.remotes().into_iter().find(|r| r.id == id).ok_or_else(|| {
            AppError::new(
                AppErrorKind::NotFound,
                format!("The remote inspector {id} is no longer saved."),
            )
        })?;
        let client = self.client_for(&RemoteInput {
            id: Some(saved.id.clone()),
            name: saved.name.clone(),
            url: saved.url.clone(),
            token: None,
            fingerprint: saved.fingerprint.clone(),
        })?;
        let status = client.status().await.map_err(remote_err)?;
        let callback_url = callback_url(status.callback_url.as_deref(), client.base());
        *self.remote.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(Attached {
            saved,
            client,
            callback_url,
        }));
        Ok(())
    }

    pub(super) fn attached(&self) -> Option<Arc<Attached>> {
        self.remote.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The remote shown, for the header.
    pub fn attached_view(&self) -> Option<AttachedRemote> {
        self.attached().map(|a| AttachedRemote {
            id: a.saved.id.clone(),
            name: a.saved.name.clone(),
            url: a.saved.url.clone(),
        })
    }
}

/// A remote callback whole, or the error a command answers.
pub(super) async fn remote_event(a: &Attached, id: i64) -> Result<callback_inspector::remote::RemoteEvent, AppError> {
    a.client.event(id).await.map_err(remote_err)?.ok_or_else(|| {
        AppError::new(
            AppErrorKind::NotFound,
            format!("Callback {id} is no longer stored there."),
        )
    })
}

/// Live updates from a remote receiver as a subscriber with `filter` sees them: its event stream,
/// decided with the list's rules here (a text search asked of the remote), reopened after a drop
/// from the last id seen so nothing that arrived meanwhile is skipped.
#[derive(Debug)]
pub struct RemoteWatch {
    client: RemoteClient,
    filter: Filter,
    stream: Option<LiveStream>,
    /// The newest id seen: where a reopened stream resumes.
    last: Option<i64>,
    stored: u64,
    /// Told the subscriber that the stream dropped, and not yet that it is back.
    dropped: bool,
    retry: Duration,
}

impl RemoteWatch {
    pub(super) async fn open(a: &Attached, filter: Filter) -> Result<RemoteWatch, AppError> {
        let status = a.client.status().await.map_err(remote_err)?;
        // From the newest id it holds now: what arrives while the stream opens is not skipped.
        let stream = a.client.live(Some(status.newest_id)).await.map_err(remote_err)?;
        Ok(RemoteWatch {
            client: a.client.clone(),
            filter: Filter {
                limit: None,
                before_id: None,
                ..filter
            },
            stream: Some(stream),
            last: Some(status.newest_id),
            stored: status.stored,
            dropped: false,
            retry: Duration::from_millis(500),
        })
    }

    /// The next updates; never None (a remote stream is reopened until the subscription ends).
    pub async fn next(&mut self) -> Option<Vec<Update>> {
        loop {
            let Some(stream) = self.stream.as_mut() else {
                tokio::time::sleep(self.retry).await;
                match self.client.live(self.last).await {
                    Ok(s) => {
                        self.stream = Some(s);
                        self.retry = Duration::from_millis(500);
                        if std::mem::take(&mut self.dropped) {
                            return Some(vec![Update::Reconnected]);
                        }
                    }
                    Err(e) => {
                        self.retry = (self.retry * 2).min(Duration::from_secs(10));
                        if !std::mem::replace(&mut self.dropped, true) {
                            return Some(vec![Update::Disconnected { message: e.to_string() }]);
                        }
                    }
                }
                continue;
            };
            let item = stream.next().await;
            match item {
                Ok(Some(LiveItem::Event { event, stored })) => {
                    self.last = Some(self.last.map_or(event.id, |l| l.max(event.id)));
                    self.stored = stored.unwrap_or(self.stored + 1);
                    let keep = self.filter.keeps(&event) && self.searched(event.id).await;
                    return Some(vec![if keep {
                        Update::Received {
                            event,
                            stored: self.stored,
                        }
                    } else {
                        Update::Hidden {
                            count: 1,
                            stored: self.stored,
                        }
                    }]);
                }
                // What it missed follows from the remote's database: no gap to report.
                Ok(Some(LiveItem::Resync { .. })) => continue,
                Ok(None) => {
                    self.stream = None;
                    if !std::mem::replace(&mut self.dropped, true) {
                        return Some(vec![Update::Disconnected {
                            message: format!("{} closed the live stream", self.client.base()),
                        }]);
                    }
                }
                Err(e) => {
                    self.stream = None;
                    if !std::mem::replace(&mut self.dropped, true) {
                        return Some(vec![Update::Disconnected { message: e.to_string() }]);
                    }
                }
            }
        }
    }

    /// Whether the text search keeps callback `id` (asked of the remote, whose index knows the words).
    async fn searched(&self, id: i64) -> bool {
        if !self.filter.searches_text() {
            return true;
        }
        let filter = Filter {
            ids: Some(vec![id]),
            limit: Some(1),
            ..self.filter.clone()
        };
        self.client.page(&filter).await.is_ok_and(|p| !p.items.is_empty())
    }
}

/// A subscription's source: this computer's receiver, or a remote one.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per subscription, kept by its task
pub enum Watching {
    Local(Watch),
    Remote(RemoteWatch),
}

impl Watching {
    pub async fn next(&mut self) -> Option<Vec<Update>> {
        match self {
            Watching::Local(w) => w.next().await,
            Watching::Remote(w) => w.next().await,
        }
    }
}
