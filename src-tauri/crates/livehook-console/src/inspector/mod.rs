//! The event inspector inside the app: one receiver on a loopback port the user picks, its database in
//! the app's data folder, verifying with the callback keys of the current account's templates and keys
//! added by hand (kept in the OS keyring); "use the inspector for this template" (and restoring the
//! URLs it replaced); and, in the offline demo, pushing a test stream so its callbacks arrive.
//!
//! This file holds the receiver's life cycle (start, stop, status, rules, forwarding, live subscriptions)
//! and the browsing of what it stored (pages, timelines, export); `keys` the keys it verifies with,
//! `takeover` pointing a template at it and back, `detail` one callback for the detail view, `sending`
//! replays and test events.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use callback_inspector::timeline::Timeline;
use callback_inspector::tools;
use callback_inspector::{
    EventSummary, Filter, ForwardRecord, NamedKey, Page, ReceiverConfig, ReceiverError, ResponseRule, Retention,
    RunningReceiver, Store, Traffic, Watch,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tencent_live::api::{CallbackTemplate, TemplateFields};
use tencent_live::callback as cb;
use tencent_live::validate::is_http_url;
use tencent_live::{Client, Secret};
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::error::{AppError, AppErrorKind};
use crate::secrets::{SecretKind, SecretStore, INSPECTOR_OWNER};

mod detail;
mod keys;
mod remote;
mod sending;
mod takeover;

use detail::*;
pub use detail::{EventDetail, Gallery, Screenshot, VerifySteps, GALLERY_MAX};
use keys::*;
pub use keys::{mask_key, template_keys};
use remote::{remote_err, remote_event};
pub use remote::{AttachedRemote, RemoteCheck, RemoteInput, RemoteProblem, RemoteWatch, SavedRemote, Watching};
pub use sending::send_test;

/// A key the receiver checks with, as the UI shows it (never the key itself).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyView {
    pub label: String,
    pub masked: String,
    /// Added by hand (removable), as opposed to a template's.
    pub manual: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InspectorStatus {
    pub running: bool,
    /// `http://127.0.0.1:PORT` while running.
    pub address: Option<String>,
    pub db: String,
    pub keys: Vec<KeyView>,
    pub rules: Vec<ResponseRule>,
    pub forward_to: Option<String>,
    pub stored: u64,
    pub retention: Retention,
    /// Set when the keys added by hand could not be read from or saved to the keyring: they are then
    /// kept only until the app closes.
    pub keys_note: Option<String>,
    /// Templates whose URLs point at the inspector, with their own URLs kept for "Restore".
    pub taken_over: Vec<i64>,
    /// The remote inspector shown instead of this computer's (its list, chart and live updates); the
    /// other fields still describe this computer's receiver, except `stored`, which is the remote's.
    pub remote: Option<AttachedRemote>,
    /// Why the remote shown did not answer just now.
    pub remote_note: Option<String>,
}

struct Running {
    receiver: RunningReceiver,
    store: Store,
}

/// The app's inspector.
pub struct Inspector {
    dir: PathBuf,
    running: Mutex<Option<Running>>,
    secrets: Arc<dyn SecretStore>,
    manual: std::sync::Mutex<Vec<NamedKey>>,
    /// The keyring entry was read (or is known to be absent or unreadable), so saving cannot lose keys
    /// stored by an earlier run.
    manual_loaded: std::sync::atomic::AtomicBool,
    keys_note: std::sync::Mutex<Option<String>>,
    template_keys: std::sync::Mutex<Vec<NamedKey>>,
    retention: std::sync::Mutex<Retention>,
    /// The database while the receiver is stopped, opened to read: stored callbacks stay browsable.
    idle: std::sync::Mutex<Option<Store>>,
    /// The receiver's address on this computer when it last ran (the address in a cURL or an export).
    last_url: std::sync::Mutex<Option<String>>,
    /// Live subscriptions by number, so a front end can end one (a filter changed, a page closed).
    watches: std::sync::Mutex<std::collections::HashMap<u64, tokio::task::AbortHandle>>,
    next_watch: std::sync::atomic::AtomicU64,
    /// The remote inspector shown instead of this computer's, if any.
    remote: std::sync::Mutex<Option<Arc<remote::Attached>>>,
}

impl std::fmt::Debug for Inspector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inspector").field("dir", &self.dir).finish()
    }
}

/// Stop a subscription's task; whether it was still delivering.
fn end_watch(task: tokio::task::AbortHandle) -> bool {
    let running = !task.is_finished();
    task.abort();
    running
}

fn store_err(e: callback_inspector::StoreError) -> AppError {
    AppError::new(AppErrorKind::Internal, e.to_string())
}

fn not_http(url: &str) -> AppError {
    AppError::new(
        AppErrorKind::Validation,
        format!("\"{url}\" is not an http:// or https:// address with a host name."),
    )
}

impl Running {
    /// The receiver's address on this computer.
    fn local_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.receiver.addr().port())
    }

    fn event(&self, id: i64) -> Result<callback_inspector::StoredEvent, AppError> {
        event_in(&self.store, id)
    }
}

fn event_in(store: &Store, id: i64) -> Result<callback_inspector::StoredEvent, AppError> {
    store
        .get(id)
        .map_err(store_err)?
        .ok_or_else(|| AppError::new(AppErrorKind::NotFound, format!("Callback {id} is no longer stored.")))
}

/// The stored callbacks, to read: running or not.
struct Reading {
    store: Store,
    /// The receiver's address on this computer (when it last ran, if stopped).
    url: String,
}

fn nothing_stored() -> AppError {
    AppError::new(
        AppErrorKind::NotFound,
        "No callbacks are stored yet. Start the inspector to receive some.",
    )
}

impl Inspector {
    /// `dir` holds the database and the URLs a template had before the inspector took it over; the keys
    /// added by hand live in `secrets` (the OS keyring).
    pub fn new(dir: PathBuf, secrets: Arc<dyn SecretStore>) -> Inspector {
        let (manual, note) = load_manual(secrets.as_ref());
        let inspector = Inspector {
            running: Mutex::new(None),
            secrets,
            manual_loaded: std::sync::atomic::AtomicBool::new(manual.is_some()),
            manual: std::sync::Mutex::new(manual.unwrap_or_default()),
            keys_note: std::sync::Mutex::new(note),
            template_keys: std::sync::Mutex::new(Vec::new()),
            retention: std::sync::Mutex::new(
                std::fs::read_to_string(dir.join("retention.json"))
                    .ok()
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or_default(),
            ),
            idle: std::sync::Mutex::new(None),
            last_url: std::sync::Mutex::new(None),
            watches: std::sync::Mutex::new(std::collections::HashMap::new()),
            next_watch: std::sync::atomic::AtomicU64::new(0),
            remote: std::sync::Mutex::new(None),
            dir,
        };
        inspector.scrub_saved_urls();
        inspector
    }

    fn retention(&self) -> Retention {
        *self.retention.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many callbacks to keep and for how long; saved, and applied at once when running.
    pub async fn set_retention(&self, retention: Retention) -> Result<(), AppError> {
        let text = serde_json::to_string_pretty(&retention).expect("serialisable");
        crate::files::write_atomic(&self.dir.join("retention.json"), text.as_bytes()).map_err(|e| {
            AppError::new(
                AppErrorKind::Internal,
                format!("Could not save the retention setting: {e}"),
            )
        })?;
        *self.retention.lock().unwrap_or_else(|p| p.into_inner()) = retention;
        if let Some(r) = self.running.lock().await.as_ref() {
            r.store.apply_retention(retention).await.map_err(store_err)?;
        }
        Ok(())
    }

    fn db_path(&self) -> PathBuf {
        self.dir.join("events.db")
    }

    /// Listen on `port` (0: any free port) of 127.0.0.1, or of every address when `external`.
    pub async fn start(&self, port: u16, external: bool) -> Result<InspectorStatus, AppError> {
        let mut running = self.running.lock().await;
        if let Some(r) = running.take() {
            r.receiver.stop().await;
            r.store.close();
        }
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).take();
        crate::files::private_dir(&self.dir).map_err(|e| {
            AppError::new(
                AppErrorKind::Internal,
                format!(
                    "The inspector's folder {} could not be made private: {e}",
                    self.dir.display()
                ),
            )
        })?;
        let store = Store::open(&self.db_path(), self.retention()).map_err(store_err)?;
        let ip = if external {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        };
        let mut config = ReceiverConfig::new(SocketAddr::new(ip, port), Some(store.clone()));
        config.allow_external = external;
        config.keys = self.keys();
        let receiver = callback_inspector::start(config).await.map_err(|e| match e {
            ReceiverError::PortInUse { .. } => AppError::new(AppErrorKind::PortInUse, e.to_string()),
            other => AppError::new(AppErrorKind::Internal, other.to_string()),
        })?;
        let running_now = Running { receiver, store };
        *self.last_url.lock().unwrap_or_else(|p| p.into_inner()) = Some(running_now.local_url());
        *running = Some(running_now);
        drop(running);
        self.status().await
    }

    pub async fn stop(&self) -> Result<InspectorStatus, AppError> {
        if let Some(r) = self.running.lock().await.take() {
            r.receiver.stop().await;
            r.store.close();
            // Closed, it still reads: what was stored stays browsable until the next start.
            *self.idle.lock().unwrap_or_else(|p| p.into_inner()) = Some(r.store);
        }
        self.status().await
    }

    /// The stored callbacks to read: the running receiver's store, or while it is stopped the database
    /// opened to read. None when nothing was ever stored.
    async fn reading(&self) -> Result<Option<Reading>, AppError> {
        let running = self.running.lock().await;
        if let Some(r) = running.as_ref() {
            return Ok(Some(Reading {
                store: r.store.clone(),
                url: r.local_url(),
            }));
        }
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.is_none() && self.db_path().exists() {
            *idle = Some(Store::open_reader(&self.db_path()).map_err(store_err)?);
        }
        let url = self
            .last_url
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1:8920".to_owned());
        Ok(idle.clone().map(|store| Reading { store, url }))
    }

    pub async fn status(&self) -> Result<InspectorStatus, AppError> {
        let mut status = self.local_status().await?;
        if let Some(a) = self.attached() {
            status.remote = self.attached_view();
            match a.client.status().await {
                Ok(s) => status.stored = s.stored,
                Err(e) => status.remote_note = Some(e.to_string()),
            }
        }
        Ok(status)
    }

    async fn local_status(&self) -> Result<InspectorStatus, AppError> {
        let running = self.running.lock().await;
        let manual: Vec<String> = self
            .manual
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|k| k.label.clone())
            .collect();
        let keys_note = self.keys_note.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let keys = self
            .keys()
            .into_iter()
            .map(|k| KeyView {
                manual: manual.contains(&k.label),
                masked: mask_key(k.key.expose()),
                label: k.label,
            })
            .collect();
        Ok(match running.as_ref() {
            Some(r) => InspectorStatus {
                running: true,
                address: Some(r.local_url()),
                db: self.db_path().display().to_string(),
                keys,
                rules: r.receiver.rules(),
                forward_to: r.receiver.forward_to(),
                stored: r.store.stored().map_err(store_err)?,
                retention: self.retention(),
                keys_note: keys_note.clone(),
                taken_over: self.taken_over(),
                remote: None,
                remote_note: None,
            },
            None => InspectorStatus {
                running: false,
                address: None,
                db: self.db_path().display().to_string(),
                keys,
                rules: Vec::new(),
                forward_to: None,
                stored: {
                    drop(running);
                    match self.reading().await? {
                        Some(r) => r.store.stored().map_err(store_err)?,
                        None => 0,
                    }
                },
                retention: self.retention(),
                keys_note,
                taken_over: self.taken_over(),
                remote: None,
                remote_note: None,
            },
        })
    }

    async fn with<T>(&self, f: impl FnOnce(&Running) -> Result<T, AppError>) -> Result<T, AppError> {
        match self.running.lock().await.as_ref() {
            Some(r) => f(r),
            None => Err(AppError::new(
                AppErrorKind::NotFound,
                "The inspector is not running. Start it first.",
            )),
        }
    }

    pub async fn set_rules(&self, rules: Vec<ResponseRule>) -> Result<(), AppError> {
        self.with(|r| {
            r.receiver
                .set_rules(rules)
                .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))
        })
        .await
    }

    pub async fn set_forward(&self, url: Option<String>) -> Result<(), AppError> {
        let url = url.filter(|u| !u.trim().is_empty());
        if let Some(u) = url.as_deref().filter(|u| !is_http_url(u)) {
            return Err(not_http(u));
        }
        self.with(|r| {
            r.receiver.set_forward(url);
            Ok(())
        })
        .await
    }

    /// The running receiver's arrivals as a subscriber with `filter` sees them.
    pub async fn watch(&self, filter: Filter) -> Result<Watching, AppError> {
        filter
            .check()
            .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))?;
        if let Some(a) = self.attached() {
            return Ok(Watching::Remote(RemoteWatch::open(&a, filter).await?));
        }
        self.with(|r| Ok(Watching::Local(r.receiver.watch(filter)))).await
    }

    /// Number a subscription's task so it can be ended with [`Inspector::unwatch`].
    pub fn watching(&self, task: tokio::task::AbortHandle) -> u64 {
        let id = self.next_watch.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let mut watches = self.watches.lock().expect("watches lock");
        watches.retain(|_, t| !t.is_finished());
        watches.insert(id, task);
        id
    }

    /// End subscription `id`; false when it had already ended (its receiver stopped, say).
    pub fn unwatch(&self, id: u64) -> bool {
        let task = self.watches.lock().expect("watches lock").remove(&id);
        task.is_some_and(end_watch)
    }

    /// End every subscription (the page that held them is gone); answers how many were running.
    pub fn unwatch_all(&self) -> usize {
        let all: Vec<_> = self.watches.lock().expect("watches lock").drain().collect();
        all.into_iter()
            .map(|(_, task)| end_watch(task))
            .filter(|&running| running)
            .count()
    }

    /// How many subscriptions are still delivering.
    pub fn watches(&self) -> usize {
        let mut watches = self.watches.lock().expect("watches lock");
        watches.retain(|_, t| !t.is_finished());
        watches.len()
    }

    pub async fn query(&self, filter: Filter) -> Result<Page, AppError> {
        if let Some(a) = self.attached() {
            filter
                .check()
                .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))?;
            return a.client.page(&filter).await.map_err(remote_err);
        }
        let Some(r) = self.reading().await? else {
            filter
                .check()
                .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))?;
            return Ok(Page {
                items: Vec::new(),
                next_before_id: None,
            });
        };
        r.store
            .query(&filter)
            .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))
    }

    /// The stored callbacks' database for reading, when there is one (running or not).
    pub async fn store_for_reading(&self) -> Result<Option<Store>, AppError> {
        Ok(self.reading().await?.map(|r| r.store))
    }

    /// The streams with stored callbacks, the most recently heard first (at most 500).
    pub async fn streams(&self) -> Result<Vec<String>, AppError> {
        let Some(r) = self.reading().await? else {
            return Ok(Vec::new());
        };
        tokio::task::spawn_blocking(move || r.store.streams(500))
            .await
            .map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?
            .map_err(store_err)
    }

    /// Callbacks over time for the traffic chart, counted by the database (at most
    /// [`callback_inspector::MAX_BUCKETS`] buckets); `utc_offset_minutes` is the viewer's zone.
    pub async fn traffic(&self, filter: Filter, buckets: u32, utc_offset_minutes: i32) -> Result<Traffic, AppError> {
        if let Some(a) = self.attached() {
            return a
                .client
                .traffic(&filter, buckets, utc_offset_minutes)
                .await
                .map_err(remote_err);
        }
        let Some(r) = self.reading().await? else {
            return Ok(Traffic::default());
        };
        let offset = i64::from(utc_offset_minutes.clamp(-16 * 60, 16 * 60)) * 60_000;
        tokio::task::spawn_blocking(move || r.store.traffic(&filter, buckets, offset))
            .await
            .map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?
            .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))
    }

    /// The timeline of a stream: whole, or only the push session that the callback `session_of` belongs
    /// to (its own `sequence`, or for one that names none, such as a recording file, the session the
    /// timeline places it in). It reads the newest `limit` callbacks (5 000 unless asked, at most
    /// 50 000) and says when older ones were left out.
    pub async fn timeline(
        &self,
        stream_id: String,
        session_of: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Timeline, AppError> {
        if let Some(a) = self.attached() {
            return a
                .client
                .timeline(&stream_id, session_of, limit)
                .await
                .map_err(remote_err)?
                .ok_or_else(|| {
                    AppError::new(
                        AppErrorKind::NotFound,
                        "The callback whose push session was asked for is no longer stored there.",
                    )
                });
        }
        let r = self.reading().await?.ok_or_else(nothing_stored)?;
        tokio::task::spawn_blocking(move || callback_inspector::timeline::read(&r.store, &stream_id, session_of, limit))
            .await
            .map_err(|e| AppError::new(AppErrorKind::Internal, e.to_string()))?
            .map_err(|e| match e {
                callback_inspector::timeline::TimelineError::Gone(_) => {
                    AppError::new(AppErrorKind::NotFound, e.to_string())
                }
                callback_inspector::timeline::TimelineError::Store(e) => store_err(e),
            })
    }

    /// Write the callbacks `filter` picks (at most 100 000) to `path`, whose extension must match
    /// `format`; an existing file only when `overwrite`.
    pub async fn export(
        &self,
        filter: Filter,
        format: tools::Format,
        path: PathBuf,
        overwrite: bool,
    ) -> Result<u64, AppError> {
        // A path that cannot take the file, or needs asking, is told before any callback is read.
        crate::files::check_export_path(&path, overwrite, format.extension())?;
        let io = |e: std::io::Error| {
            AppError::new(
                AppErrorKind::Internal,
                format!("Could not write {}: {e}", path.display()),
            )
        };
        // Streamed into a file beside the target, one callback at a time, then renamed over it: an
        // export of any size holds a page of callbacks in memory, and a failure leaves no half file.
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        let tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        let (written, n) = if let Some(a) = self.attached() {
            // The remote writes the file; it is streamed here as it comes.
            let mut w = std::io::BufWriter::new(tmp);
            let n = a
                .client
                .export(&filter, format, |chunk| std::io::Write::write_all(&mut w, chunk))
                .await
                .map_err(|e| match e {
                    callback_inspector::remote::ExportFailed::Remote(e) => remote_err(e),
                    callback_inspector::remote::ExportFailed::Write(e) => io(e),
                })?;
            (w, n)
        } else {
            let r = self.reading().await?.ok_or_else(nothing_stored)?;
            let mut w = tools::Exporter::new(std::io::BufWriter::new(tmp), format, &r.url).map_err(io)?;
            let n = r
                .store
                .export_each(&filter, 100_000, |e| w.add(&e).map_err(|e| ExportError::Io(io(e))))
                .map_err(|e| match e {
                    ExportError::Io(e) => e,
                    ExportError::Store(e) => store_err(e),
                })?;
            (w.finish().map_err(io)?, n as u64)
        };
        let tmp = written.into_inner().map_err(|e| io(e.into_error()))?;
        tmp.as_file().sync_all().map_err(io)?;
        crate::files::check_export_path(&path, overwrite, format.extension())?;
        let persisted = if overwrite {
            tmp.persist(&path).map_err(|e| e.error)
        } else {
            tmp.persist_noclobber(&path).map_err(|e| e.error)
        };
        persisted.map_err(io)?;
        Ok(n)
    }
}

/// Why a streamed export stopped: the file, or the database.
enum ExportError {
    Io(AppError),
    Store(callback_inspector::StoreError),
}

impl From<callback_inspector::StoreError> for ExportError {
    fn from(e: callback_inspector::StoreError) -> Self {
        ExportError::Store(e)
    }
}
