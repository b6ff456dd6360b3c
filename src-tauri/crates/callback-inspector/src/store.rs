//! Callbacks in SQLite (the bundled library), WAL mode with `synchronous=FULL`: a commit is on disk
//! before the receiver answers 200. One writer thread takes every insert that is waiting, writes them
//! in one transaction and commits once (group commit), so durability costs one fsync per batch, not per
//! callback. The full-text index of bodies is not on that path: the writer adds bodies to it in larger
//! transactions when it is idle, or when it has fallen [`FTS_MAX_LAG`] events behind, and records how
//! far it got (`fts_through` in `meta`, in the same transaction), so after a crash it carries on from
//! there. A text search reads the index up to that mark and scans the few bodies after it. Readers use
//! their own connections and never wait for the writer.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use crate::event::{Answer, Captured, Check, EventSummary, Facts, StoredEvent, Verify, VerifyFilter};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the event database {path} could not be opened: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("the event database failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the event store has shut down")]
    Closed,
    #[error("the event database could not take this callback now (an earlier one in its batch failed)")]
    Unavailable,
    #[error("{0}")]
    BadFilter(String),
}

/// How many callbacks to keep, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Retention {
    /// Keep at most this many (the oldest go first). 0: no limit.
    pub max_events: u64,
    /// Keep none older than this many days. 0: no limit.
    pub max_age_days: u32,
    /// Keep the database under this many MiB (the oldest go first). 0: no limit.
    #[serde(default = "default_max_mb")]
    pub max_mb: u64,
}

fn default_max_mb() -> u64 {
    2048
}

impl Default for Retention {
    /// Half a million callbacks, 30 days or 2 GiB, whichever comes first: a few large bodies cannot
    /// fill the disk before the count is reached.
    fn default() -> Self {
        Retention {
            max_events: 500_000,
            max_age_days: 30,
            max_mb: default_max_mb(),
        }
    }
}

/// What to show: every field is optional and they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Filter {
    pub event_type: Option<i64>,
    pub stream_id: Option<String>,
    pub domain: Option<String>,
    pub app_name: Option<String>,
    /// A verification result (`valid`, `bad_sign`, …), or `invalid` for every result but `valid`.
    #[cfg_attr(feature = "ts", ts(type = "\"invalid\" | Verify | null"))]
    pub verify: Option<VerifyFilter>,
    /// UNIX milliseconds, inclusive.
    pub since: Option<i64>,
    /// UNIX milliseconds, exclusive.
    pub until: Option<i64>,
    /// Words or a phrase to find in bodies.
    pub text: Option<String>,
    /// Only these events (a hand-picked selection), at most [`MAX_IDS`].
    pub ids: Option<Vec<i64>>,
    /// Paging: only events with a smaller id (the last id of the previous page).
    pub before_id: Option<i64>,
    /// Page size, 1 to 1000 (default 100).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page {
    /// Newest first.
    pub items: Vec<EventSummary>,
    /// Pass as `before_id` for the next page; None at the end.
    pub next_before_id: Option<i64>,
}

/// What the writer returns for one insert.
#[derive(Debug, Clone, PartialEq)]
pub struct Inserted {
    pub event: StoredEvent,
}

type Decide = Box<dyn FnOnce(u32) -> Answer + Send>;

struct NewEvent {
    request: Captured,
    facts: Facts,
    check: Check,
    group: String,
    decide: Decide,
    reply: oneshot::Sender<Result<Inserted, StoreError>>,
}

/// Sends a batch's outcome to whoever waits for one of its writes, once the commit is known.
type Reply = Box<dyn FnOnce(Option<&rusqlite::Error>)>;

enum Cmd {
    Insert(Box<NewEvent>),
    Forward {
        record: ForwardRecord,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    Retention(Retention),
    Flush(mpsc::Sender<()>),
}

/// The answer of the user's own handler to a forwarded callback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ForwardRecord {
    pub event_id: i64,
    pub at: i64,
    pub url: String,
    pub status: Option<u16>,
    pub answer: String,
    pub error: Option<String>,
    pub elapsed_ms: u64,
}

struct Inner {
    path: PathBuf,
    tx: Mutex<Option<mpsc::Sender<Cmd>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
}

/// A handle to the store; clones share one writer.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.inner.path).finish()
    }
}

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    headers TEXT NOT NULL,
    remote TEXT NOT NULL,
    body BLOB NOT NULL,
    body_size INTEGER NOT NULL,
    too_large INTEGER NOT NULL,
    event_type INTEGER,
    stream_id TEXT,
    domain TEXT,
    app_name TEXT,
    sequence TEXT,
    event_time INTEGER,
    verify TEXT NOT NULL,
    check_detail TEXT NOT NULL,
    key_label TEXT,
    group_key TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status INTEGER NOT NULL,
    delay_ms INTEGER NOT NULL,
    answer TEXT NOT NULL,
    rule TEXT
);
CREATE INDEX IF NOT EXISTS events_time ON events (received_at);
CREATE INDEX IF NOT EXISTS events_type ON events (event_type, id);
CREATE INDEX IF NOT EXISTS events_stream ON events (stream_id, id);
CREATE INDEX IF NOT EXISTS events_domain ON events (domain, id);
CREATE INDEX IF NOT EXISTS events_domain_app ON events (domain, app_name, id);
CREATE INDEX IF NOT EXISTS events_verify ON events (verify, id);
CREATE INDEX IF NOT EXISTS events_group ON events (group_key, id);
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5 (body, content = '', contentless_delete = 1);
CREATE TABLE IF NOT EXISTS forwards (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    url TEXT NOT NULL,
    status INTEGER,
    answer TEXT NOT NULL,
    error TEXT,
    elapsed_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS forwards_event ON forwards (event_id);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '1');
-- A database from before deferred indexing had every body indexed as it was stored.
INSERT OR IGNORE INTO meta (key, value) SELECT 'fts_through', COALESCE(MAX(id), 0) FROM events;
-- The highest id ever handed out, so none is handed out twice.
INSERT OR IGNORE INTO meta (key, value) SELECT 'newest', COALESCE(MAX(id), 0) FROM events;
"#;

/// A push session is the body's `sequence` only. Earlier versions also stored an audio audit's `seq`
/// or a recording's `session_id` there, which split one push into several sessions: read it again, once.
const SEQUENCE_ONLY: &str = r#"
BEGIN;
UPDATE events SET sequence = CASE
    WHEN json_valid(CAST(body AS TEXT)) AND json_type(CAST(body AS TEXT), '$.sequence') = 'text'
        AND json_extract(CAST(body AS TEXT), '$.sequence') <> ''
    THEN json_extract(CAST(body AS TEXT), '$.sequence') END
WHERE sequence IS NOT NULL;
INSERT INTO meta (key, value) VALUES ('sequence_only', '1');
COMMIT;
"#;

/// Bodies added to the full-text index per transaction.
const FTS_CHUNK: i64 = 4000;
/// How far the full-text index may fall behind while callbacks keep arriving before indexing takes a
/// turn anyway (searches scan the bodies after the mark, so it stays small).
pub const FTS_MAX_LAG: i64 = 8000;

fn open(path: &Path, write: bool) -> Result<Connection, StoreError> {
    let flags = if write {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let err = |source| StoreError::Open {
        path: path.to_owned(),
        source,
    };
    let conn = Connection::open_with_flags(path, flags).map_err(err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(err)?;
    if write {
        conn.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(err)?;
        // The writer keeps 64 MiB of pages (the indexes' hot pages stay in memory) and checkpoints the
        // WAL every 8 000 pages instead of 1 000, so a page written often is copied back less often.
        // Measured with `make bench`: about a fifth more durable callbacks per second at 128 senders.
        conn.pragma_update(None, "cache_size", -65536).map_err(err)?;
        conn.pragma_update(None, "wal_autocheckpoint", 8000).map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        let migrated: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'sequence_only')",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if !migrated {
            conn.execute_batch(SEQUENCE_ONLY).map_err(err)?;
        }
    }
    Ok(conn)
}

/// The database holds stream parameters (push secrets among them), senders' addresses and valid
/// (t, sign) pairs: only its owner may read it. Folders made for it are 0700; the database is
/// created 0600 (SQLite gives its `-wal` and `-shm` files the database's mode) and an existing
/// one, with its `-wal` and `-shm`, is narrowed to 0600.
fn private_files(path: &Path) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
        if let Some(dir) = dir {
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            if let Ok(meta) = std::fs::metadata(&file) {
                if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                }
            }
        }
    }
    #[cfg(not(unix))]
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    Ok(())
}

impl Store {
    /// Open (or create) the database at `path` and start its writer.
    pub fn open(path: &Path, retention: Retention) -> Result<Store, StoreError> {
        private_files(path).map_err(|e| StoreError::Open {
            path: path.to_owned(),
            source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
        })?;
        let conn = open(path, true)?;
        let (tx, rx) = mpsc::channel();
        let writer = std::thread::Builder::new()
            .name("inspector-writer".into())
            .spawn(move || writer_loop(conn, rx, retention))
            .expect("spawn the writer thread");
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                tx: Mutex::new(Some(tx)),
                writer: Mutex::new(Some(writer)),
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Open an existing database for queries only (no writer: inserts fail with
    /// [`StoreError::Closed`]), e.g. to list callbacks while a receiver keeps storing them.
    pub fn open_reader(path: &Path) -> Result<Store, StoreError> {
        // Opening checks that the file is a database this store can read.
        let conn = open(path, false)?;
        conn.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
            r.get::<_, String>(0)
        })
        .map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                tx: Mutex::new(None),
                writer: Mutex::new(None),
                readers: Mutex::new(vec![conn]),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    fn send(&self, cmd: Cmd) -> Result<(), StoreError> {
        let tx = self.inner.tx.lock().expect("store lock");
        tx.as_ref()
            .ok_or(StoreError::Closed)?
            .send(cmd)
            .map_err(|_| StoreError::Closed)
    }

    /// Store a request; `decide` chooses the answer once the attempt number is known. Returns after
    /// the commit is on disk.
    pub async fn insert(
        &self,
        request: Captured,
        facts: Facts,
        check: Check,
        group: String,
        decide: impl FnOnce(u32) -> Answer + Send + 'static,
    ) -> Result<Inserted, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Insert(Box::new(NewEvent {
            request,
            facts,
            check,
            group,
            decide: Box::new(decide),
            reply,
        })))?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    pub async fn record_forward(&self, record: ForwardRecord) -> Result<(), StoreError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Forward { record, reply })?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Change what is kept; applied at once and then after every batch.
    pub fn set_retention(&self, retention: Retention) -> Result<(), StoreError> {
        self.send(Cmd::Retention(retention))
    }

    /// Wait until every write sent so far is committed.
    pub fn flush(&self) -> Result<(), StoreError> {
        let (tx, rx) = mpsc::channel();
        self.send(Cmd::Flush(tx))?;
        rx.recv().map_err(|_| StoreError::Closed)
    }

    /// Stop the writer after it has committed what it has.
    pub fn close(&self) {
        self.inner.tx.lock().expect("store lock").take();
        if let Some(h) = self.inner.writer.lock().expect("store lock").take() {
            let _ = h.join();
        }
    }

    fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let conn = match self.inner.readers.lock().expect("store lock").pop() {
            Some(c) => c,
            None => open(&self.inner.path, false)?,
        };
        let out = f(&conn);
        let mut pool = self.inner.readers.lock().expect("store lock");
        if pool.len() < 8 {
            pool.push(conn);
        }
        out
    }

    /// One page of rows matching `filter`, newest first, read with `columns` and `row`.
    fn page<T>(
        &self,
        filter: &Filter,
        columns: &str,
        row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
        id_of: fn(&T) -> i64,
    ) -> Result<(Vec<T>, Option<i64>), StoreError> {
        let limit = filter.limit.unwrap_or(100).clamp(1, 1000);
        let parts = query_parts(filter, columns, true)?;
        self.with_reader(|conn| {
            // One snapshot for every part, so the index's mark cannot move between them.
            let tx = conn.unchecked_transaction()?;
            let mut items = Vec::new();
            for part in &parts {
                let left = limit as usize - items.len();
                if left == 0 {
                    break;
                }
                let mut stmt = tx.prepare_cached(&part.sql)?;
                match &part.phrases {
                    None => {
                        let mut args = part.args.clone();
                        args.push(SqlValue::Integer(left as i64));
                        for r in stmt.query_map(rusqlite::params_from_iter(args.iter()), row)? {
                            items.push(r?);
                        }
                    }
                    Some(phrases) => {
                        let mut rows = stmt.query(rusqlite::params_from_iter(part.args.iter()))?;
                        while let Some(r) = rows.next()? {
                            let body: Vec<u8> = r.get(r.as_ref().column_count() - 1)?;
                            if holds(&body, phrases) {
                                items.push(row(r)?);
                                if items.len() == limit as usize {
                                    break;
                                }
                            }
                        }
                    }
                }
            }
            tx.finish()?;
            let next_before_id = if items.len() == limit as usize {
                items.last().map(id_of)
            } else {
                None
            };
            Ok((items, next_before_id))
        })
    }

    /// One page of events matching `filter`, newest first.
    pub fn query(&self, filter: &Filter) -> Result<Page, StoreError> {
        let (items, next_before_id) = self.page(filter, SUMMARY_COLUMNS, summary_row, |e| e.id)?;
        Ok(Page { items, next_before_id })
    }

    /// The same page as `query`, with each event whole; and the `before_id` of the next page.
    pub fn query_whole(&self, filter: &Filter) -> Result<(Vec<StoredEvent>, Option<i64>), StoreError> {
        self.page(filter, FULL_COLUMNS, full_row, |e| e.id)
    }

    /// How many events match (without paging).
    pub fn count(&self, filter: &Filter) -> Result<u64, StoreError> {
        let f = Filter {
            before_id: None,
            ..filter.clone()
        };
        let parts = query_parts(&f, "events.id", false)?;
        self.with_reader(|conn| {
            let tx = conn.unchecked_transaction()?;
            let mut n = 0u64;
            for part in &parts {
                match &part.phrases {
                    None => {
                        let sql = format!("SELECT COUNT(*) FROM ({})", part.sql);
                        n += tx.query_row(&sql, rusqlite::params_from_iter(part.args.iter()), |r| {
                            r.get::<_, i64>(0)
                        })? as u64;
                    }
                    Some(phrases) => {
                        let mut stmt = tx.prepare(&part.sql)?;
                        let mut rows = stmt.query(rusqlite::params_from_iter(part.args.iter()))?;
                        while let Some(r) = rows.next()? {
                            let body: Vec<u8> = r.get(r.as_ref().column_count() - 1)?;
                            n += u64::from(holds(&body, phrases));
                        }
                    }
                }
            }
            tx.finish()?;
            Ok(n)
        })
    }

    /// How far the full-text index has got (the highest event id it covers), and the newest id.
    pub fn indexed_through(&self) -> Result<(i64, i64), StoreError> {
        self.with_reader(|conn| {
            let m = FtsMark::read(conn)?;
            Ok((m.through, m.newest))
        })
    }

    /// One event, whole.
    pub fn get(&self, id: i64) -> Result<Option<StoredEvent>, StoreError> {
        self.with_reader(|conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {FULL_COLUMNS} FROM events WHERE id = ?1"),
                    [id],
                    full_row,
                )
                .optional()?)
        })
    }

    /// Every attempt of the delivery `group`, oldest first.
    pub fn attempts(&self, group: &str) -> Result<Vec<EventSummary>, StoreError> {
        self.with_reader(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM events WHERE group_key = ?1 ORDER BY id"
            ))?;
            let rows = stmt.query_map([group], summary_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// A stream's events for its timeline, oldest first: the newest `limit` (at most [`TIMELINE_CAP`])
    /// of those with an id strictly between `after` and `before`, and whether older ones were left out.
    /// Light: no headers, and a body only where the timeline reads one (a recording status's
    /// `record_event`), so a stream of large callbacks costs little memory.
    pub fn stream_events(
        &self,
        stream_id: &str,
        after: i64,
        before: i64,
        limit: usize,
    ) -> Result<StreamEvents, StoreError> {
        let limit = limit.clamp(1, TIMELINE_CAP);
        self.with_reader(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {LIGHT_COLUMNS} FROM events WHERE stream_id = ?1 AND id > ?2 AND id < ?3 ORDER BY id DESC LIMIT ?4"
            ))?;
            // One more than asked tells whether there are older ones.
            let mut events = stmt
                .query_map(params![stream_id, after, before, limit as i64 + 1], full_row)?
                .collect::<Result<Vec<_>, _>>()?;
            let older = events.len() > limit;
            events.truncate(limit);
            events.reverse();
            Ok(StreamEvents { events, older })
        })
    }

    /// Where the push session `sequence` of a stream lies among the stream's ids: (the last id of an
    /// earlier other session or 0, the first id of a later other session or `i64::MAX`). The events
    /// between belong to that session or name none. None when no event has that sequence.
    pub fn session_span(&self, stream_id: &str, sequence: &str) -> Result<Option<(i64, i64)>, StoreError> {
        self.with_reader(|conn| {
            let own: (Option<i64>, Option<i64>) = conn.query_row(
                "SELECT MIN(id), MAX(id) FROM events WHERE stream_id = ?1 AND sequence = ?2",
                params![stream_id, sequence],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let (Some(first), Some(last)) = own else { return Ok(None) };
            let before: Option<i64> = conn.query_row(
                "SELECT MAX(id) FROM events WHERE stream_id = ?1 AND id < ?2 AND sequence IS NOT NULL AND sequence <> ?3",
                params![stream_id, first, sequence],
                |r| r.get(0),
            )?;
            let after: Option<i64> = conn.query_row(
                "SELECT MIN(id) FROM events WHERE stream_id = ?1 AND id > ?2 AND sequence IS NOT NULL AND sequence <> ?3",
                params![stream_id, last, sequence],
                |r| r.get(0),
            )?;
            Ok(Some((before.unwrap_or(0), after.unwrap_or(i64::MAX))))
        })
    }

    /// The push session a callback that names none sits in: the latest session of its stream before
    /// it, else the first one after it.
    pub fn session_near(&self, stream_id: &str, id: i64) -> Result<Option<String>, StoreError> {
        self.with_reader(|conn| {
            let near = |sql: &str| {
                conn.query_row(sql, params![stream_id, id], |r| r.get::<_, String>(0))
                    .optional()
            };
            Ok(match near("SELECT sequence FROM events WHERE stream_id = ?1 AND id < ?2 AND sequence IS NOT NULL ORDER BY id DESC LIMIT 1")? {
                Some(seq) => Some(seq),
                None => near("SELECT sequence FROM events WHERE stream_id = ?1 AND id > ?2 AND sequence IS NOT NULL ORDER BY id LIMIT 1")?,
            })
        })
    }

    /// Whole events for an export: those matching `filter` (all pages), newest first, at most `max`.
    pub fn export(&self, filter: &Filter, max: usize) -> Result<Vec<StoredEvent>, StoreError> {
        let mut out = Vec::new();
        self.export_each(filter, max, |e| {
            out.push(e);
            Ok::<(), StoreError>(())
        })?;
        Ok(out)
    }

    /// Hand the callbacks `filter` picks, newest first and at most `max`, to `each` one by one, read
    /// a page of 50 at a time: an export of any size holds a page in memory, not the whole.
    pub fn export_each<E: From<StoreError>>(
        &self,
        filter: &Filter,
        max: usize,
        mut each: impl FnMut(StoredEvent) -> Result<(), E>,
    ) -> Result<usize, E> {
        let mut f = Filter {
            limit: Some(50),
            ..filter.clone()
        };
        let mut n = 0;
        loop {
            let (events, next) = self.query_whole(&f)?;
            for e in events {
                if n >= max {
                    return Ok(n);
                }
                each(e)?;
                n += 1;
            }
            match next {
                Some(id) if n < max => f.before_id = Some(id),
                _ => return Ok(n),
            }
        }
    }

    /// The answers of the user's handler to the forwarded copies of an event.
    pub fn forwards(&self, event_id: i64) -> Result<Vec<ForwardRecord>, StoreError> {
        self.with_reader(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT event_id, at, url, status, answer, error, elapsed_ms FROM forwards WHERE event_id = ?1 ORDER BY id",
            )?;
            let rows = stmt
                .query_map([event_id], |r| {
                    Ok(ForwardRecord {
                        event_id: r.get(0)?,
                        at: r.get(1)?,
                        url: r.get(2)?,
                        status: r.get::<_, Option<i64>>(3)?.map(|s| s as u16),
                        answer: r.get(4)?,
                        error: r.get(5)?,
                        elapsed_ms: r.get::<_, i64>(6)? as u64,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }
}

/// The most events a filter may pick by id.
pub const MAX_IDS: usize = 100_000;

/// How far out of arrival order a commit may be, in ids, when a time range becomes an id range.
const TIME_SLACK_IDS: i64 = 10_000;

const SUMMARY_COLUMNS: &str = "events.id, received_at, method, path, remote, body_size, event_type, stream_id, domain, app_name, sequence, verify, key_label, attempt, status, group_key";
// Qualified where the text index has a column of the same name.
/// How many events a timeline reads unless asked for more ("load older" asks in steps of this).
pub const TIMELINE_MAX: usize = 5000;

/// The most events one timeline reads, however many are asked for.
pub const TIMELINE_CAP: usize = 50_000;

/// A stream's events for its timeline, oldest first, and whether older ones were left out.
#[derive(Debug, Default)]
pub struct StreamEvents {
    pub events: Vec<StoredEvent>,
    pub older: bool,
}

/// [`FULL_COLUMNS`] for the timeline: no headers, and only a recording status's body.
const LIGHT_COLUMNS: &str = "events.id, received_at, method, path, query, '[]', remote, CASE WHEN event_type = 332 AND length(events.body) <= 65536 THEN events.body ELSE x'' END, body_size, too_large, event_type, stream_id, domain, app_name, sequence, event_time, check_detail, group_key, attempt, status, delay_ms, answer, rule";

const FULL_COLUMNS: &str = "events.id, received_at, method, path, query, headers, remote, events.body, body_size, too_large, event_type, stream_id, domain, app_name, sequence, event_time, check_detail, group_key, attempt, status, delay_ms, answer, rule";

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventSummary> {
    Ok(EventSummary {
        id: r.get(0)?,
        received_at: r.get(1)?,
        method: r.get(2)?,
        path: r.get(3)?,
        remote: r.get(4)?,
        body_size: r.get::<_, i64>(5)? as u64,
        event_type: r.get(6)?,
        stream_id: r.get(7)?,
        domain: r.get(8)?,
        app_name: r.get(9)?,
        sequence: r.get(10)?,
        verify: {
            let slug: String = r.get(11)?;
            Verify::parse(&slug).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    11,
                    rusqlite::types::Type::Text,
                    format!("unknown verification result {slug:?}").into(),
                )
            })?
        },
        key_label: r.get(12)?,
        attempt: r.get::<_, i64>(13)? as u32,
        status: r.get::<_, i64>(14)? as u16,
        replay_of: crate::event::replay_of(&r.get::<_, String>(15)?),
    })
}

fn json_col<T: serde::de::DeserializeOwned>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_str(&s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

fn full_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
    Ok(StoredEvent {
        id: r.get(0)?,
        request: Captured {
            received_at: r.get(1)?,
            method: r.get(2)?,
            path: r.get(3)?,
            query: r.get(4)?,
            headers: json_col(r, 5)?,
            remote: r.get(6)?,
            body: r.get(7)?,
            body_size: r.get::<_, i64>(8)? as u64,
            too_large: r.get(9)?,
        },
        facts: Facts {
            event_type: r.get(10)?,
            stream_id: r.get(11)?,
            domain: r.get(12)?,
            app_name: r.get(13)?,
            sequence: r.get(14)?,
            event_time: r.get(15)?,
        },
        check: json_col(r, 16)?,
        group: r.get(17)?,
        attempt: r.get::<_, i64>(18)? as u32,
        answer: Answer {
            status: r.get::<_, i64>(19)? as u16,
            delay_ms: r.get::<_, i64>(20)? as u64,
            body: r.get(21)?,
            rule: r.get(22)?,
        },
    })
}

/// Quote user text as one FTS5 phrase per word, so no character has a query meaning. A word without a
/// letter or digit has no token to match: None when no word is left.
fn fts_query(words: &[&str]) -> Option<String> {
    let words: Vec<String> = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// One SELECT of a query, with its parameters; a limited one takes the row limit as one more.
struct Part {
    sql: String,
    args: Vec<SqlValue>,
    /// Rows still to be matched against these phrases (the words of a text search, as tokens): the
    /// SELECT has no LIMIT and its last column is the body.
    phrases: Option<Vec<Vec<String>>>,
}

/// Words as the full-text index sees them (its `unicode61` tokenizer): runs of letters and digits,
/// in lower case.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `body` holds every phrase, each as consecutive words, as the index would find it.
fn holds(body: &[u8], phrases: &[Vec<String>]) -> bool {
    let words = tokens(&String::from_utf8_lossy(body));
    phrases
        .iter()
        .all(|p| !p.is_empty() && words.windows(p.len()).any(|w| w == p.as_slice()))
}

/// The conditions of `f` other than text, with their parameters appended to `args`.
fn conditions(f: &Filter, args: &mut Vec<SqlValue>) -> Result<Vec<String>, StoreError> {
    let mut conds: Vec<String> = Vec::new();
    let mut arg = |v: SqlValue| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(t) = f.event_type {
        conds.push(format!("event_type = {}", arg(SqlValue::Integer(t))));
    }
    if let Some(s) = f.stream_id.as_deref().filter(|s| !s.is_empty()) {
        conds.push(format!("stream_id = {}", arg(SqlValue::Text(s.to_owned()))));
    }
    if let Some(d) = f.domain.as_deref().filter(|s| !s.is_empty()) {
        conds.push(format!("domain = {}", arg(SqlValue::Text(d.to_owned()))));
    }
    if let Some(a) = f.app_name.as_deref().filter(|s| !s.is_empty()) {
        conds.push(format!("app_name = {}", arg(SqlValue::Text(a.to_owned()))));
    }
    match f.verify {
        None => {}
        Some(VerifyFilter::Invalid) => conds.push("verify <> 'valid'".to_owned()),
        Some(VerifyFilter::Is(v)) => conds.push(format!("verify = {}", arg(SqlValue::Text(v.slug().to_owned())))),
    }
    // Ids grow with arrival time, so a time range is first narrowed to an id range found through the
    // time index (with slack for requests committed out of arrival order); the exact times still apply.
    if let Some(t) = f.since {
        let p = arg(SqlValue::Integer(t));
        conds.push(format!(
            "events.id >= COALESCE((SELECT id FROM events WHERE received_at >= {p} ORDER BY received_at LIMIT 1), 9223372036854775807) - {TIME_SLACK_IDS}"
        ));
        conds.push(format!("received_at >= {p}"));
    }
    if let Some(t) = f.until {
        let p = arg(SqlValue::Integer(t));
        conds.push(format!(
            "events.id <= COALESCE((SELECT id FROM events WHERE received_at < {p} ORDER BY received_at DESC LIMIT 1), 0) + {TIME_SLACK_IDS}"
        ));
        conds.push(format!("received_at < {p}"));
    }
    if let Some(id) = f.before_id {
        conds.push(format!("events.id < {}", arg(SqlValue::Integer(id))));
    }
    if let Some(ids) = &f.ids {
        if ids.len() > MAX_IDS {
            return Err(StoreError::BadFilter(format!(
                "{} events are picked; pick at most {MAX_IDS}, or use a filter instead",
                ids.len()
            )));
        }
        // One parameter whatever the count: the ids as a JSON array.
        let list = serde_json::to_string(ids).expect("ids serialise");
        conds.push(format!(
            "events.id IN (SELECT value FROM json_each({}))",
            arg(SqlValue::Text(list))
        ));
    }
    Ok(conds)
}

/// The mark below which the full-text index is complete.
const FTS_MARK: &str = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_through')";

/// The SELECTs of `columns` for `f`, each newest first; run in order, their rows are the answer newest
/// first (a text search: the bodies after the index's mark, then the index). `limited`: each ends in
/// `LIMIT ?` for one more parameter.
fn query_parts(f: &Filter, columns: &str, limited: bool) -> Result<Vec<Part>, StoreError> {
    let limit = |args: &Vec<SqlValue>| {
        if limited {
            format!(" LIMIT ?{}", args.len() + 1)
        } else {
            String::new()
        }
    };
    let where_ = |conds: &[String]| {
        if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        }
    };
    let words: Vec<&str> = f
        .text
        .as_deref()
        .map(|t| t.split_whitespace().collect())
        .unwrap_or_default();
    if words.is_empty() {
        let mut args = Vec::new();
        let conds = conditions(f, &mut args)?;
        // Walk the index of the most selective equality filter in id order; SQLite would otherwise
        // often walk the primary key and test every row.
        let index = if f.stream_id.as_deref().is_some_and(|s| !s.is_empty()) {
            "INDEXED BY events_stream"
        } else if f.domain.as_deref().is_some_and(|s| !s.is_empty()) {
            if f.app_name.as_deref().is_some_and(|s| !s.is_empty()) {
                "INDEXED BY events_domain_app"
            } else {
                "INDEXED BY events_domain"
            }
        } else if f.event_type.is_some() {
            "INDEXED BY events_type"
        } else if matches!(f.verify, Some(VerifyFilter::Is(_))) {
            "INDEXED BY events_verify"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {columns} FROM events {index} {} ORDER BY events.id DESC{}",
            where_(&conds),
            limit(&args)
        );
        return Ok(vec![Part {
            sql,
            args,
            phrases: None,
        }]);
    }
    // The newest bodies, not indexed yet (at most about FTS_MAX_LAG of them): read with their bodies
    // and matched the way the index matches, word by word, in `page` and `count`.
    let mut args = Vec::new();
    let mut conds = conditions(f, &mut args)?;
    conds.push(format!("events.id > {FTS_MARK}"));
    let tail = format!(
        "SELECT {columns}, events.body FROM events {} ORDER BY events.id DESC",
        where_(&conds),
    );
    let tail = Part {
        sql: tail,
        args,
        phrases: Some(words.iter().map(|w| tokens(w)).collect()),
    };
    let Some(q) = fts_query(&words) else {
        return Ok(vec![tail]);
    };
    // The index drives: its rowids come out newest first and the other conditions filter them.
    let mut args = Vec::new();
    let mut conds = conditions(f, &mut args)?;
    args.push(SqlValue::Text(q));
    conds.insert(0, format!("events_fts MATCH ?{}", args.len()));
    let indexed = format!(
        "SELECT {columns} FROM events_fts JOIN events ON events.id = events_fts.rowid {} ORDER BY events_fts.rowid DESC{}",
        where_(&conds),
        limit(&args)
    );
    Ok(vec![
        tail,
        Part {
            sql: indexed,
            args,
            phrases: None,
        },
    ])
}

fn writer_loop(mut conn: Connection, rx: mpsc::Receiver<Cmd>, mut retention: Retention) {
    let mut since_retention = 0usize;
    // Bytes stored since retention last ran: large bodies bring it forward.
    let mut bytes_since_retention = 0usize;
    apply_retention(&conn, retention);
    let mut fts = match FtsMark::read(&conn) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!("the event database's index mark could not be read: {e}");
            FtsMark { through: 0, newest: 0 }
        }
    };
    // After a failed indexing, wait for work instead of retrying at once.
    let mut index_failed = false;
    loop {
        // Idle with bodies left to index: index a chunk, then look for work again.
        let first = if fts.behind() && !index_failed {
            match rx.try_recv() {
                Ok(c) => c,
                Err(mpsc::TryRecvError::Empty) => {
                    index_failed = !fts.index_chunk(&mut conn);
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(c) => c,
                Err(_) => break,
            }
        };
        let mut batch = vec![first];
        while batch.len() < 4096 {
            match rx.try_recv() {
                Ok(c) => batch.push(c),
                Err(_) => break,
            }
        }
        let mut replies: Vec<Reply> = Vec::with_capacity(batch.len());
        let mut newest = fts.newest;
        let mut pending = batch.into_iter();
        let result = (|| -> Result<(), rusqlite::Error> {
            let tx = conn.transaction()?;
            for cmd in pending.by_ref() {
                match cmd {
                    Cmd::Insert(new) => {
                        let NewEvent {
                            request,
                            facts,
                            check,
                            group,
                            decide,
                            reply,
                        } = *new;
                        // Ids are handed out here and never reused, even when retention removed
                        // every event: they order the list and bound the full-text index's mark.
                        bytes_since_retention = bytes_since_retention.saturating_add(request.body.len());
                        let r = insert_one(&tx, newest + 1, request, facts, check, group, decide);
                        since_retention += 1;
                        match r {
                            Ok(ev) => {
                                newest = newest.max(ev.id);
                                replies.push(Box::new(move |err| {
                                    let _ = reply.send(match err {
                                        None => Ok(Inserted { event: ev }),
                                        Some(e) => Err(StoreError::Sql(clone_err(e))),
                                    });
                                }))
                            }
                            Err(e) => {
                                let _ = reply.send(Err(StoreError::Sql(clone_err(&e))));
                                // SQLite rolled the whole transaction back (a full disk does that):
                                // what follows would commit on its own, so nothing more runs.
                                if tx.is_autocommit() {
                                    return Err(e);
                                }
                            }
                        }
                    }
                    Cmd::Forward { record, reply } => {
                        let r = tx.execute(
                            "INSERT INTO forwards (event_id, at, url, status, answer, error, elapsed_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            params![
                                record.event_id,
                                record.at,
                                record.url,
                                record.status.map(i64::from),
                                record.answer,
                                record.error,
                                record.elapsed_ms as i64
                            ],
                        );
                        match r {
                            Ok(_) => replies.push(Box::new(move |err| {
                                let _ = reply.send(match err {
                                    None => Ok(()),
                                    Some(e) => Err(StoreError::Sql(clone_err(e))),
                                });
                            })),
                            Err(e) => {
                                let _ = reply.send(Err(StoreError::Sql(clone_err(&e))));
                                if tx.is_autocommit() {
                                    return Err(e);
                                }
                            }
                        }
                    }
                    Cmd::Retention(r) => {
                        retention = r;
                        since_retention = usize::MAX / 2;
                    }
                    Cmd::Flush(done) => replies.push(Box::new(move |_| {
                        let _ = done.send(());
                    })),
                }
            }
            if newest > fts.newest {
                tx.prepare_cached("UPDATE meta SET value = ?1 WHERE key = 'newest'")?
                    .execute([newest.to_string()])?;
            }
            tx.commit()
        })();
        index_failed = false;
        match &result {
            Ok(()) => fts.newest = newest,
            Err(e) => {
                tracing::error!("the event database could not commit: {e}");
                // Nothing of the batch was kept; the ids go on from what is really there.
                match FtsMark::read(&conn) {
                    Ok(m) => fts.newest = fts.newest.max(m.newest),
                    Err(e) => tracing::error!("the event database's newest id could not be read: {e}"),
                }
            }
        }
        for reply in replies {
            reply(result.as_ref().err());
        }
        // What the failed batch did not reach is failed too (and asked again by its sender).
        for cmd in pending {
            match cmd {
                Cmd::Insert(new) => {
                    let _ = new.reply.send(Err(StoreError::Unavailable));
                }
                Cmd::Forward { reply, .. } => {
                    let _ = reply.send(Err(StoreError::Unavailable));
                }
                Cmd::Retention(r) => retention = r,
                Cmd::Flush(done) => {
                    let _ = done.send(());
                }
            }
        }
        if since_retention >= 1000 || bytes_since_retention >= RETENTION_EVERY_BYTES {
            since_retention = 0;
            bytes_since_retention = 0;
            apply_retention(&conn, retention);
        }
        // Under a steady stream of callbacks the index still takes a turn when it falls too far behind.
        if fts.newest - fts.through > FTS_MAX_LAG {
            index_failed = !fts.index_chunk(&mut conn);
        }
    }
    // Closing: index what is left, so a closed database is complete.
    while fts.behind() {
        if !fts.index_chunk(&mut conn) {
            break;
        }
    }
}

/// How far the full-text index has got, and the highest event id handed out.
struct FtsMark {
    through: i64,
    newest: i64,
}

impl FtsMark {
    fn read(conn: &Connection) -> Result<FtsMark, rusqlite::Error> {
        conn.query_row(
            "SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_through'), MAX((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'newest'), COALESCE((SELECT MAX(id) FROM events), 0))",
            [],
            |r| {
                Ok(FtsMark {
                    through: r.get(0)?,
                    newest: r.get(1)?,
                })
            },
        )
    }

    fn behind(&self) -> bool {
        self.newest > self.through
    }

    /// Index the next bodies after the mark and move it, in one transaction. That transaction need
    /// not reach the disk before the next one: after a crash the mark and the index agree, and the
    /// bodies after the mark are indexed again. False when it failed (logged).
    fn index_chunk(&mut self, conn: &mut Connection) -> bool {
        let run = |conn: &mut Connection| -> Result<i64, rusqlite::Error> {
            let tx = conn.transaction()?;
            let mut through = self.through;
            {
                let mut rows = tx.prepare_cached("SELECT id, body FROM events WHERE id > ?1 ORDER BY id LIMIT ?2")?;
                let mut add = tx.prepare_cached("INSERT INTO events_fts (rowid, body) VALUES (?1, ?2)")?;
                let mut found = rows.query(params![self.through, FTS_CHUNK])?;
                while let Some(r) = found.next()? {
                    let id: i64 = r.get(0)?;
                    let body: Vec<u8> = r.get(1)?;
                    if !body.is_empty() {
                        add.execute(params![id, String::from_utf8_lossy(&body)])?;
                    }
                    through = id;
                }
            }
            if through == self.through {
                // Nothing after the mark any more (retention took it): the index is complete.
                through = self.newest;
            }
            tx.execute(
                "UPDATE meta SET value = ?1 WHERE key = 'fts_through'",
                [through.to_string()],
            )?;
            tx.commit()?;
            Ok(through)
        };
        let relaxed = conn.pragma_update(None, "synchronous", "NORMAL");
        let result = relaxed.and_then(|_| run(conn));
        if let Err(e) = conn.pragma_update(None, "synchronous", "FULL") {
            tracing::error!("the event database could not return to synchronous=FULL: {e}");
        }
        match result {
            Ok(through) => {
                self.through = through;
                true
            }
            Err(e) => {
                tracing::error!("bodies could not be added to the full-text index: {e}");
                false
            }
        }
    }
}

fn clone_err(e: &rusqlite::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(e.to_string().into())
}

fn insert_one(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    request: Captured,
    facts: Facts,
    check: Check,
    group: String,
    decide: Decide,
) -> Result<StoredEvent, rusqlite::Error> {
    let previous: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM events WHERE group_key = ?1")?
        .query_row([&group], |r| r.get(0))?;
    let attempt = previous as u32 + 1;
    let answer = decide(attempt);
    let headers = serde_json::to_string(&request.headers).unwrap_or_else(|_| "[]".into());
    let detail = serde_json::to_string(&check).unwrap_or_else(|_| "{}".into());
    tx.prepare_cached(
        "INSERT INTO events (received_at, method, path, query, headers, remote, body, body_size, too_large, event_type, stream_id, domain, app_name, sequence, event_time, verify, check_detail, key_label, group_key, attempt, status, delay_ms, answer, rule, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
    )?
    .execute(params![
        request.received_at,
        request.method,
        request.path,
        request.query,
        headers,
        request.remote,
        request.body,
        request.body_size as i64,
        request.too_large,
        facts.event_type,
        facts.stream_id,
        facts.domain,
        facts.app_name,
        facts.sequence,
        facts.event_time,
        check.slug(),
        detail,
        check.key_label(),
        group,
        attempt,
        answer.status,
        answer.delay_ms as i64,
        answer.body,
        answer.rule,
        id,
    ])?;
    Ok(StoredEvent {
        id,
        request,
        facts,
        check,
        group,
        attempt,
        answer,
    })
}

/// Retention also runs after this many bytes of bodies, however few callbacks carried them.
const RETENTION_EVERY_BYTES: usize = 64 * 1024 * 1024;

/// The newest id to delete so the database's used pages fall to 90% of `max_mb` (0: none). Freed
/// pages are reused by later callbacks, so the file stops growing there.
fn size_cutoff(conn: &Connection, max_mb: u64) -> Result<i64, rusqlite::Error> {
    let pragma = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0));
    let used = (pragma("page_count")? - pragma("freelist_count")?).saturating_mul(pragma("page_size")?);
    let limit = i64::try_from(max_mb.saturating_mul(1024 * 1024)).unwrap_or(i64::MAX);
    if used <= limit {
        return Ok(0);
    }
    let mut to_free = used - limit / 10 * 9;
    let mut after = 0i64;
    let mut stmt = conn.prepare_cached(
        "SELECT id, length(body) + length(headers) + length(answer) + 256 FROM events WHERE id > ?1 ORDER BY id LIMIT 1000",
    )?;
    loop {
        let rows: Vec<(i64, i64)> = stmt
            .query_map([after], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        if rows.is_empty() {
            return Ok(after);
        }
        for (id, size) in rows {
            after = id;
            // At least the row's size is freed (its index entries and full-text rows go with it).
            to_free -= size;
            if to_free <= 0 {
                return Ok(id);
            }
        }
    }
}

fn apply_retention(conn: &Connection, r: Retention) {
    let run = || -> Result<(), rusqlite::Error> {
        let mut cutoff_id: i64 = 0;
        if r.max_events > 0 {
            let max: Option<i64> = conn.query_row("SELECT MAX(id) FROM events", [], |row| row.get(0))?;
            if let Some(max) = max {
                cutoff_id = cutoff_id.max(max - r.max_events as i64);
            }
        }
        if r.max_mb > 0 {
            cutoff_id = cutoff_id.max(size_cutoff(conn, r.max_mb)?);
        }
        if r.max_age_days > 0 {
            let oldest_kept = chrono::Utc::now().timestamp_millis() - i64::from(r.max_age_days) * 86_400_000;
            let id: Option<i64> = conn.query_row(
                "SELECT MAX(id) FROM events WHERE received_at < ?1",
                [oldest_kept],
                |row| row.get(0),
            )?;
            cutoff_id = cutoff_id.max(id.unwrap_or(0));
        }
        if cutoff_id > 0 {
            conn.execute("DELETE FROM events_fts WHERE rowid <= ?1", [cutoff_id])?;
            conn.execute("DELETE FROM forwards WHERE event_id <= ?1", [cutoff_id])?;
            conn.execute("DELETE FROM events WHERE id <= ?1", [cutoff_id])?;
        }
        Ok(())
    };
    if let Err(e) = run() {
        tracing::error!("retention could not run: {e}");
    }
}
