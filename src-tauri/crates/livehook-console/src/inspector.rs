//! The event inspector inside the app: one receiver on a loopback port the user picks, its database in
//! the app's data folder, verifying with the callback keys of the current account's templates and keys
//! added by hand (kept in the OS keyring); "use the inspector for this template" (and restoring the
//! URLs it replaced); and, in the offline demo, pushing a test stream so its callbacks arrive.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use callback_inspector::timeline::{self, Timeline, TimelineEntry};
use callback_inspector::tools;
use callback_inspector::{
    EventSummary, Filter, ForwardRecord, NamedKey, Page, ReceiverConfig, ReceiverError, ResponseRule, Retention,
    RunningReceiver, Store, Watch, TIMELINE_CAP, TIMELINE_MAX,
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
}

/// Each verification step, for the detail view. The key itself never crosses; only its label and a
/// masked form.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerifySteps {
    pub t: Option<i64>,
    pub received_sign: Option<String>,
    /// The key that matched (or, when none did, the first key tried), masked.
    pub key_label: Option<String>,
    pub key_masked: Option<String>,
    /// `md5(<key> + t)` with the key masked.
    pub md5_input: Option<String>,
    /// Shown only once `t` has passed: until then it (with this `t`) would make any body pass as
    /// signed, since the sign does not cover the body.
    pub expected_sign: Option<String>,
    /// When the expected sign is held back: the `t` (Unix seconds) after which it is shown.
    pub expected_after: Option<i64>,
    /// Seconds from receipt to `t` (negative: it had expired).
    pub expires_in: Option<i64>,
    pub keys_tried: u32,
}

/// One callback, whole, for the detail view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventDetail {
    pub summary: EventSummary,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body_text: String,
    /// The body as JSON, when it is JSON.
    #[ts(type = "unknown")]
    pub json: Option<Value>,
    /// Facts made for the event type (label, value), in both languages.
    pub facts: Vec<callback_inspector::details::Fact>,
    pub check: callback_inspector::Check,
    pub steps: VerifySteps,
    pub answer: callback_inspector::Answer,
    pub attempts: Vec<EventSummary>,
    pub forwards: Vec<ForwardRecord>,
    pub curl: String,
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
    /// Live subscriptions by number, so a front end can end one (a filter changed, a page closed).
    watches: std::sync::Mutex<std::collections::HashMap<u64, tokio::task::AbortHandle>>,
    next_watch: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Inspector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inspector").field("dir", &self.dir).finish()
    }
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

/// The key to re-sign or explain a callback with: the one that matched it, else the first one known.
fn signing_key<'a>(check: &callback_inspector::Check, keys: &'a [NamedKey]) -> Option<&'a NamedKey> {
    check
        .key_label()
        .and_then(|l| keys.iter().find(|k| k.label == l))
        .or(keys.first())
}

impl Running {
    /// The receiver's address on this computer.
    fn local_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.receiver.addr().port())
    }

    fn event(&self, id: i64) -> Result<callback_inspector::StoredEvent, AppError> {
        self.store
            .get(id)
            .map_err(store_err)?
            .ok_or_else(|| AppError::new(AppErrorKind::NotFound, format!("Callback {id} is no longer stored.")))
    }
}

/// The callback keys of an account's templates, labelled by template.
pub fn template_keys(templates: &[CallbackTemplate]) -> Vec<NamedKey> {
    templates
        .iter()
        .filter(|t| !t.callback_key.is_empty())
        .map(|t| {
            NamedKey::new(
                format!("template {} ({})", t.template_id, t.template_name),
                t.callback_key.clone(),
            )
        })
        .collect()
}

/// One key added by hand, as kept in the keyring entry.
#[derive(Serialize, Deserialize)]
struct ManualKey {
    label: String,
    key: String,
}

/// The keys added by hand, from the keyring, and a note when they could not be read; None for the
/// keys when the keyring did not answer (so nothing may be written over its entry yet).
fn load_manual(secrets: &dyn SecretStore) -> (Option<Vec<NamedKey>>, Option<String>) {
    match secrets.get(INSPECTOR_OWNER, SecretKind::InspectorKeys) {
        Ok(None) => (Some(Vec::new()), None),
        Ok(Some(text)) => match serde_json::from_str::<Vec<ManualKey>>(text.expose()) {
            Ok(list) => (
                Some(list.into_iter().map(|k| NamedKey::new(k.label, k.key)).collect()),
                None,
            ),
            Err(e) => (
                Some(Vec::new()),
                Some(format!(
                    "The keyring entry of the inspector's keys is not readable ({e}); add the keys again to replace it."
                )),
            ),
        },
        Err(e) => (
            None,
            Some(format!(
                "The inspector's keys added by hand could not be read from the keyring: {e} Keys added now last until LiveHook closes."
            )),
        ),
    }
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
            watches: std::sync::Mutex::new(std::collections::HashMap::new()),
            next_watch: std::sync::atomic::AtomicU64::new(0),
            dir,
        };
        inspector.scrub_saved_urls();
        inspector
    }

    /// An earlier version kept the template's whole fields, its callback key among them, in the
    /// restore file: rewrite it with the URLs only.
    fn scrub_saved_urls(&self) {
        let Ok(raw) = std::fs::read_to_string(self.saved_urls_path()) else {
            return;
        };
        let Ok(all) = serde_json::from_str::<HashMap<String, TemplateFields>>(&raw) else {
            return;
        };
        if all
            .values()
            .any(|f| f.callback_key.is_some() || f.template_name.is_some() || f.description.is_some())
        {
            if let Err(e) = self.save_urls(&all) {
                tracing::warn!("the inspector's restore file still holds a callback key: {}", e.message);
            }
        }
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
            r.store.set_retention(retention).map_err(store_err)?;
        }
        Ok(())
    }

    fn db_path(&self) -> PathBuf {
        self.dir.join("events.db")
    }

    fn keys(&self) -> Vec<NamedKey> {
        let mut keys = self.template_keys.lock().unwrap_or_else(|p| p.into_inner()).clone();
        keys.extend(self.manual.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned());
        keys
    }

    async fn push_keys(&self) {
        let keys = self.keys();
        if let Some(r) = self.running.lock().await.as_ref() {
            r.receiver.set_keys(keys);
        }
    }

    /// Take the keys of the account's templates (call after the templates change).
    pub async fn refresh_keys(&self, client: &Client) -> Result<(), AppError> {
        let templates = client.templates().await?;
        *self.template_keys.lock().unwrap_or_else(|p| p.into_inner()) = template_keys(&templates);
        self.push_keys().await;
        Ok(())
    }

    /// Save the keys added by hand to the keyring. When it refuses they still work until the app
    /// closes, and the status says so. When an earlier run's keys could not be read yet, they are read
    /// (and kept) first; while the keyring stays silent nothing is written over them.
    fn save_manual(&self, manual: &mut Vec<NamedKey>, removed: Option<&str>) {
        use std::sync::atomic::Ordering;
        if !self.manual_loaded.load(Ordering::SeqCst) {
            match load_manual(self.secrets.as_ref()) {
                (Some(stored), _) => {
                    for k in stored {
                        if Some(k.label.as_str()) != removed && !manual.iter().any(|m| m.label == k.label) {
                            manual.push(k);
                        }
                    }
                    self.manual_loaded.store(true, Ordering::SeqCst);
                }
                (None, note) => {
                    *self.keys_note.lock().unwrap_or_else(|p| p.into_inner()) = note;
                    return;
                }
            }
        }
        let result = if manual.is_empty() {
            self.secrets.delete(INSPECTOR_OWNER, SecretKind::InspectorKeys)
        } else {
            let list: Vec<ManualKey> = manual
                .iter()
                .map(|k| ManualKey {
                    label: k.label.clone(),
                    key: k.key.expose().to_owned(),
                })
                .collect();
            let text = Secret::new(serde_json::to_string(&list).expect("keys serialise"));
            self.secrets.set(INSPECTOR_OWNER, SecretKind::InspectorKeys, &text)
        };
        *self.keys_note.lock().unwrap_or_else(|p| p.into_inner()) = result.err().map(|e| {
            format!("The keys added by hand could not be saved in the keyring: {e} They work until LiveHook closes.")
        });
    }

    pub async fn add_key(&self, label: String, key: String) -> Result<(), AppError> {
        let label = label.trim().to_owned();
        if label.is_empty() || key.is_empty() {
            return Err(AppError::new(
                AppErrorKind::Validation,
                "A key needs a name and a value.",
            ));
        }
        {
            let mut manual = self.manual.lock().unwrap_or_else(|p| p.into_inner());
            if manual.iter().any(|k| k.label == label) {
                return Err(AppError::new(
                    AppErrorKind::AlreadyExists,
                    format!("A key named \"{label}\" exists."),
                ));
            }
            manual.push(NamedKey::new(label, key));
            self.save_manual(&mut manual, None);
        }
        self.push_keys().await;
        Ok(())
    }

    pub async fn remove_key(&self, label: &str) -> Result<(), AppError> {
        {
            let mut manual = self.manual.lock().unwrap_or_else(|p| p.into_inner());
            manual.retain(|k| k.label != label);
            self.save_manual(&mut manual, Some(label));
        }
        self.push_keys().await;
        Ok(())
    }

    /// Listen on `port` (0: any free port) of 127.0.0.1, or of every address when `external`.
    pub async fn start(&self, port: u16, external: bool) -> Result<InspectorStatus, AppError> {
        let mut running = self.running.lock().await;
        if let Some(r) = running.take() {
            r.receiver.stop().await;
            r.store.close();
        }
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
        *running = Some(Running { receiver, store });
        drop(running);
        self.status().await
    }

    pub async fn stop(&self) -> Result<InspectorStatus, AppError> {
        if let Some(r) = self.running.lock().await.take() {
            r.receiver.stop().await;
            r.store.close();
        }
        self.status().await
    }

    pub async fn status(&self) -> Result<InspectorStatus, AppError> {
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
            },
            None => InspectorStatus {
                running: false,
                address: None,
                db: self.db_path().display().to_string(),
                keys,
                rules: Vec::new(),
                forward_to: None,
                stored: 0,
                retention: self.retention(),
                keys_note,
                taken_over: self.taken_over(),
            },
        })
    }

    async fn with<T>(&self, f: impl FnOnce(&Running) -> Result<T, AppError>) -> Result<T, AppError> {
        match self.running.lock().await.as_ref() {
            Some(r) => f(r),
            None => Err(AppError::new(
                AppErrorKind::NotFound,
                "The inspector is not running. Start it to receive and browse callbacks.",
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
    pub async fn watch(&self, filter: Filter) -> Result<Watch, AppError> {
        if let Some(ids) = &filter.ids {
            if ids.len() > callback_inspector::MAX_IDS {
                return Err(AppError::new(
                    AppErrorKind::Validation,
                    format!(
                        "{} events are picked; pick at most {}.",
                        ids.len(),
                        callback_inspector::MAX_IDS
                    ),
                ));
            }
        }
        self.with(|r| Ok(r.receiver.watch(filter))).await
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
        match self.watches.lock().expect("watches lock").remove(&id) {
            Some(task) => {
                let running = !task.is_finished();
                task.abort();
                running
            }
            None => false,
        }
    }

    /// How many subscriptions are still delivering.
    pub fn watches(&self) -> usize {
        let mut watches = self.watches.lock().expect("watches lock");
        watches.retain(|_, t| !t.is_finished());
        watches.len()
    }

    pub async fn query(&self, filter: Filter) -> Result<Page, AppError> {
        self.with(|r| {
            r.store
                .query(&filter)
                .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))
        })
        .await
    }

    pub async fn detail(&self, id: i64) -> Result<EventDetail, AppError> {
        let keys = self.keys();
        self.with(|r| {
            let e = r.event(id)?;
            let attempts = r.store.attempts(&e.group).map_err(store_err)?;
            let forwards = r.store.forwards(id).map_err(store_err)?;
            Ok(detail(&e, &keys, attempts, forwards, &r.local_url()))
        })
        .await
    }

    /// A picture that the stored callback `id` names (a screenshot, an audited image), as a data URL.
    /// Only an address the callback's own facts show is fetched, so the command cannot be pointed at
    /// any other address.
    pub async fn picture(&self, id: i64, url: String) -> Result<String, AppError> {
        let named = self
            .with(move |r| {
                let e = r.event(id)?;
                let json: Option<Value> = serde_json::from_slice(&e.request.body).ok();
                let facts = json
                    .as_ref()
                    .map(callback_inspector::details::facts_of)
                    .unwrap_or_default();
                Ok(facts
                    .iter()
                    .any(|f| f.image.as_deref() == Some(url.as_str()))
                    .then_some(url))
            })
            .await?;
        match named {
            Some(url) => crate::images::fetch_data_url(&url).await,
            None => Err(AppError::new(
                AppErrorKind::Validation,
                format!("Callback {id} names no such picture, so nothing was fetched."),
            )),
        }
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
        let limit = limit.map_or(TIMELINE_MAX, |n| n as usize).clamp(1, TIMELINE_CAP);
        let made = |entries: Vec<TimelineEntry>, older: bool| Timeline {
            entries,
            older,
            limit: limit as u32,
            cap: TIMELINE_CAP as u32,
        };
        self.with(|r| {
            let store = &r.store;
            let Some(id) = session_of else {
                // The whole stream: its newest events.
                let read = store.stream_events(&stream_id, 0, i64::MAX, limit).map_err(store_err)?;
                return Ok(made(timeline::timeline(&read.events), read.older));
            };
            let event = r.event(id)?;
            let sequence = match event.facts.sequence {
                Some(seq) => Some(seq),
                None => store.session_near(&stream_id, id).map_err(store_err)?,
            };
            let span = match &sequence {
                Some(seq) => store.session_span(&stream_id, seq).map_err(store_err)?,
                None => None,
            };
            // Only the events between the sessions before and after this one are read.
            let (after, before) = span.unwrap_or((id - 1, id + 1));
            let read = store
                .stream_events(&stream_id, after, before, limit)
                .map_err(store_err)?;
            let all = timeline::timeline(&read.events);
            let entries = match all.iter().find(|e| e.event.id == id).and_then(|e| e.session.clone()) {
                Some(seq) => timeline::session(all, &seq),
                None => all.into_iter().filter(|e| e.event.id == id).collect(),
            };
            Ok(made(entries, read.older))
        })
        .await
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
        let (tmp, n) = self
            .with(|r| {
                let mut w = tools::Exporter::new(std::io::BufWriter::new(tmp), format, &r.local_url()).map_err(io)?;
                let n = r
                    .store
                    .export_each(&filter, 100_000, |e| w.add(&e).map_err(|e| ExportError::Io(io(e))))
                    .map_err(|e| match e {
                        ExportError::Io(e) => e,
                        ExportError::Store(e) => store_err(e),
                    })?;
                let tmp = w.finish().map_err(io)?.into_inner().map_err(|e| io(e.into_error()))?;
                tmp.as_file().sync_all().map_err(io)?;
                Ok((tmp, n as u64))
            })
            .await?;
        crate::files::check_export_path(&path, overwrite, format.extension())?;
        let persisted = if overwrite {
            tmp.persist(&path).map_err(|e| e.error)
        } else {
            tmp.persist_noclobber(&path).map_err(|e| e.error)
        };
        persisted.map_err(io)?;
        Ok(n)
    }

    /// Send a stored callback to `url` again: as captured, re-signed with the key that matched (or the
    /// first key), or edited.
    pub async fn replay(
        &self,
        id: i64,
        url: String,
        resign: bool,
        body: Option<String>,
    ) -> Result<tools::SendResult, AppError> {
        let keys = self.keys();
        // Only a replay to this inspector carries its mark; any other server gets the request alone.
        let (event, mark) = self
            .with(|r| {
                let port = r.receiver.addr().port();
                let to_self = url::Url::parse(&url).is_ok_and(|u| {
                    u.port_or_known_default() == Some(port)
                        && match u.host() {
                            Some(url::Host::Domain(d)) => d == "localhost",
                            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                            None => false,
                        }
                });
                Ok((r.event(id)?, to_self.then(|| r.receiver.replay_mark(id))))
            })
            .await?;
        let key = || -> Result<Secret, AppError> {
            signing_key(&event.check, &keys)
                .map(|k| k.key.clone())
                .ok_or_else(|| AppError::new(AppErrorKind::Validation, "There is no key to sign with; add one first."))
        };
        let how = match (body, resign) {
            (Some(body), resign) => tools::Replay::Edited {
                body,
                resign: if resign { Some(key()?) } else { None },
            },
            (None, true) => tools::Replay::Resigned { key: key()? },
            (None, false) => tools::Replay::AsCaptured,
        };
        let http = reqwest::Client::new();
        tools::replay(
            &http,
            &url,
            &event,
            &how,
            chrono::Utc::now().timestamp(),
            mark.as_deref(),
        )
        .await
        .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))
    }

    fn saved_urls_path(&self) -> PathBuf {
        self.dir.join("replaced-urls.json")
    }

    fn saved_urls(&self) -> HashMap<String, TemplateFields> {
        std::fs::read_to_string(self.saved_urls_path())
            .ok()
            .and_then(|s| serde_json::from_str::<HashMap<String, TemplateFields>>(&s).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|(id, fields)| (id, urls_only(fields)))
            .collect()
    }

    fn save_urls(&self, all: &HashMap<String, TemplateFields>) -> Result<(), AppError> {
        // urls_only again: a file written by an earlier version (with the key) is rewritten without.
        let all: HashMap<&String, TemplateFields> = all.iter().map(|(id, f)| (id, urls_only(f.clone()))).collect();
        let text = serde_json::to_string_pretty(&all).expect("serialisable");
        crate::files::write_atomic(&self.saved_urls_path(), text.as_bytes()).map_err(|e| {
            AppError::new(
                AppErrorKind::Internal,
                format!("Could not save the template's earlier URLs: {e}"),
            )
        })
    }

    /// Point every callback URL of a template at the inspector (`base`, e.g. its own address or a
    /// tunnel's public URL), one path per event type, keeping the old URLs to restore.
    pub async fn use_for_template(&self, client: &Client, template_id: i64, base: String) -> Result<(), AppError> {
        let base = base.trim().trim_end_matches('/').to_owned();
        if !is_http_url(&base) {
            return Err(not_http(&base));
        }
        let current = TemplateFields::from_template(&client.template(template_id).await?);
        let mut saved = self.saved_urls();
        let first = !saved.contains_key(&template_id.to_string());
        if first {
            // Only the URLs are kept to restore: the key stays in the keyring and the cloud.
            saved.insert(template_id.to_string(), urls_only(current));
        }
        // The restore point is on disk before the cloud template changes: a crash in between
        // leaves a way back, not a template pointing at the inspector with nothing to restore.
        self.save_urls(&saved)?;
        let url = |slug: &str| Some(format!("{base}/{slug}"));
        let changes = TemplateFields {
            stream_begin_notify_url: url("push"),
            stream_end_notify_url: url("interruption"),
            record_notify_url: url("recording"),
            record_status_notify_url: url("recording-status"),
            snapshot_notify_url: url("screenshot"),
            porn_censorship_notify_url: url("porn-detection"),
            push_exception_notify_url: url("push-exception"),
            audio_audit_notify_url: url("audio-audit"),
            record_exception_notify_url: url("recording-exception"),
            ..Default::default()
        };
        if let Err(e) = crate::ops::update_template(client, template_id, &changes).await {
            if first {
                saved.remove(&template_id.to_string());
                let _ = self.save_urls(&saved);
            }
            return Err(e);
        }
        self.refresh_keys(client).await
    }

    /// Put back the URLs a template had before `use_for_template`.
    pub async fn restore_template(&self, client: &Client, template_id: i64) -> Result<(), AppError> {
        let mut saved = self.saved_urls();
        let Some(before) = saved.get(&template_id.to_string()).cloned() else {
            return Err(AppError::new(
                AppErrorKind::NotFound,
                format!("LiveHook has no earlier URLs of template {template_id} to restore."),
            ));
        };
        let changes = TemplateFields {
            template_name: None,
            description: None,
            callback_key: None,
            record_exception_levels: None,
            ..before
        };
        crate::ops::update_template(client, template_id, &changes).await?;
        saved.remove(&template_id.to_string());
        self.save_urls(&saved)
    }

    /// Templates whose URLs the inspector replaced (their ids).
    pub fn taken_over(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.saved_urls().keys().filter_map(|k| k.parse().ok()).collect();
        ids.sort();
        ids
    }
}

/// A template's callback URLs, without its name, description, levels or key.
fn urls_only(fields: TemplateFields) -> TemplateFields {
    TemplateFields {
        template_name: None,
        description: None,
        callback_key: None,
        record_exception_levels: None,
        ..fields
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

/// A callback key as it may be shown: at most a quarter of it and never more than 4 characters.
pub fn mask_key(key: &str) -> String {
    let shown = (key.chars().count() / 4).min(4);
    format!("{}****", key.chars().take(shown).collect::<String>())
}

fn steps(
    raw: Option<&Value>,
    check: &callback_inspector::Check,
    keys: &[NamedKey],
    received_s: i64,
    now_s: i64,
) -> VerifySteps {
    let t = raw.and_then(cb::expiry_of);
    let received_sign = raw
        .and_then(|v| v.get("sign"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let key = signing_key(check, keys);
    VerifySteps {
        t,
        received_sign,
        key_label: key.map(|k| k.label.clone()),
        key_masked: key.map(|k| mask_key(k.key.expose())),
        md5_input: match (key, t) {
            (Some(k), Some(t)) => Some(format!("{}{t}", mask_key(k.key.expose()))),
            _ => None,
        },
        expected_sign: match (key, t) {
            (Some(k), Some(t)) if t < now_s => Some(cb::sign(&k.key, t)),
            _ => None,
        },
        expected_after: match (key, t) {
            (Some(_), Some(t)) if t >= now_s => Some(t),
            _ => None,
        },
        expires_in: t.map(|t| t.saturating_sub(received_s)),
        keys_tried: u32::try_from(keys.len()).unwrap_or(u32::MAX),
    }
}

fn detail(
    e: &callback_inspector::StoredEvent,
    keys: &[NamedKey],
    attempts: Vec<EventSummary>,
    forwards: Vec<ForwardRecord>,
    base: &str,
) -> EventDetail {
    let json: Option<Value> = serde_json::from_slice(&e.request.body).ok();
    EventDetail {
        summary: e.summary(),
        query: e.request.query.clone(),
        headers: e.request.headers.clone(),
        body_text: e.body_text(),
        facts: json
            .as_ref()
            .map(callback_inspector::details::facts_of)
            .unwrap_or_default(),
        steps: steps(
            json.as_ref(),
            &e.check,
            keys,
            e.request.received_at / 1000,
            chrono::Utc::now().timestamp(),
        ),
        json,
        check: e.check.clone(),
        answer: e.answer.clone(),
        attempts,
        forwards,
        curl: tools::curl(e, base),
    }
}

/// Send a realistic signed test event to the user's URL (optionally on Tencent's retry schedule,
/// one minute taken as one second so a person can watch it), reporting each answer as it comes.
pub async fn send_test(
    event_type: i64,
    url: String,
    key: String,
    retries: bool,
    on_attempt: impl Fn(&tools::SendResult),
) -> Result<Vec<tools::SendResult>, AppError> {
    let config = tencent_live::callback::Retries {
        time_scale: 60.0,
        ..Default::default()
    };
    let http = reqwest::Client::new();
    tools::send_test_event(
        &http,
        &url,
        event_type,
        &Secret::new(key),
        chrono::Utc::now().timestamp(),
        retries.then_some(&config),
        on_attempt,
    )
    .await
    .map_err(|e| AppError::new(AppErrorKind::Validation, e.to_string()))
}
