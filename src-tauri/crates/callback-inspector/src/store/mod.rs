//! Callbacks in SQLite (the bundled library), WAL mode with `synchronous=FULL`: a commit is on disk
//! before the receiver answers 200. One writer thread takes every insert that is waiting, writes them
//! in one transaction and commits once (group commit), so durability costs one fsync per batch, not per
//! callback. The full-text index of bodies and the stream and delivery-group indexes are not on that
//! path: the writer adds callbacks to them in larger transactions when it is idle, or when it has
//! fallen [`FTS_MAX_LAG`] events behind, and records how far it got (`fts_through` in `meta`, in the
//! same transaction), so after a crash it carries on from there. A text search, or a query on one
//! stream or group, reads the index up to that mark and scans the few callbacks after it. Readers use
//! their own connections and never wait for the writer.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use crate::event::{Answer, Captured, Check, EventSummary, Facts, StoredEvent, Verify, VerifyFilter};

mod arrivals;
mod fts;
mod keyed;
mod query;
mod retention;
mod schema;
mod traffic;
mod writer;

#[cfg(test)]
mod plans;

pub use arrivals::{Arrival, ARRIVALS_CAP};
pub use fts::FTS_MAX_LAG;
use fts::*;
use keyed::*;
use query::*;
pub use query::{Filter, Page, StreamEvents, MAX_IDS, TIMELINE_CAP, TIMELINE_MAX};
pub use retention::Retention;
use retention::*;
use schema::*;
pub use traffic::{Traffic, TrafficSeries, MAX_BUCKETS};
pub use writer::Inserted;
use writer::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the event database {path} could not be opened: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("the event database {path} was written by an earlier version of LiveHook and could not be upgraded to be read (open it once with `livehook inspector serve` or the app, with write access): {reason}")]
    Upgrade { path: PathBuf, reason: String },
    #[error("the event database failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the event store has shut down")]
    Closed,
    #[error("the event database could not take this callback now (an earlier one in its batch failed)")]
    Unavailable,
    #[error("{0}")]
    BadFilter(String),
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
    /// How many callbacks are stored, kept by the writer (counted once at open, then moved by each
    /// commit and each retention run), so "N stored" never costs a `COUNT(*)`. None for a reader.
    stored: Option<Arc<AtomicU64>>,
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

impl Store {
    /// Open (or create) the database at `path` and start its writer.
    pub fn open(path: &Path, retention: Retention) -> Result<Store, StoreError> {
        private_files(path).map_err(|e| StoreError::Open {
            path: path.to_owned(),
            source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
        })?;
        let conn = open(path, true)?;
        // What the writer numbers attempts from, before it stores anything: read here, so a database
        // that cannot tell it fails to open instead of numbering wrong.
        let groups = PendingGroups::read(&conn).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        let count: i64 = conn
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .map_err(|source| StoreError::Open {
                path: path.to_owned(),
                source,
            })?;
        let stored = Arc::new(AtomicU64::new(count as u64));
        let (tx, rx) = mpsc::channel();
        let counter = stored.clone();
        let writer = std::thread::Builder::new()
            .name("inspector-writer".into())
            .spawn(move || writer_loop(conn, rx, retention, counter, groups))
            .expect("spawn the writer thread");
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                tx: Mutex::new(Some(tx)),
                writer: Mutex::new(Some(writer)),
                readers: Mutex::new(Vec::new()),
                stored: Some(stored),
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
        // A database no version with deferred indexing has written to is upgraded first, once (what a
        // writer does when it opens it): the queries read the column that version adds.
        let current = has_pending(&conn).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        let conn = if current {
            conn
        } else {
            drop(conn);
            upgrade_for_reading(path).map_err(|e| StoreError::Upgrade {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
            open(path, false)?
        };
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                tx: Mutex::new(None),
                writer: Mutex::new(None),
                readers: Mutex::new(vec![conn]),
                stored: None,
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
        self.send(Cmd::Retention(retention, None))
    }

    /// Change what is kept and wait until it has been applied, so a count read next is already
    /// without what it removed.
    pub async fn apply_retention(&self, retention: Retention) -> Result<(), StoreError> {
        let (done, rx) = oneshot::channel();
        self.send(Cmd::Retention(retention, Some(done)))?;
        rx.await.map_err(|_| StoreError::Closed)
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

    /// Callbacks with an id greater than `after_id`, oldest first, at most `limit` (capped at 1000):
    /// what a live client that reconnects missed.
    pub fn summaries_after(&self, after_id: i64, limit: usize) -> Result<Vec<EventSummary>, StoreError> {
        self.with_reader(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM events WHERE id > ?1 ORDER BY id LIMIT ?2"
            ))?;
            let rows = stmt
                .query_map(params![after_id, limit.clamp(1, 1000) as i64], summary_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    /// How many callbacks are stored: the writer's running count (no query), or for a store opened
    /// only to read, a count of the table.
    pub fn stored(&self) -> Result<u64, StoreError> {
        match &self.inner.stored {
            Some(n) => Ok(n.load(Ordering::Acquire)),
            None => self.with_reader(|conn| {
                Ok(conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))? as u64)
            }),
        }
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
            // One snapshot for both halves, so the index's mark cannot move between them.
            let tx = conn.unchecked_transaction()?;
            let rows = each_half(
                &tx,
                "events_by_group",
                false,
                &attempts_sql(),
                params![group],
                None,
                summary_row,
            )?;
            tx.finish()?;
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
            let tx = conn.unchecked_transaction()?;
            // One more than asked tells whether there are older ones.
            let mut events = each_half(
                &tx,
                "events_by_stream",
                true,
                &stream_events_sql(),
                params![stream_id, after, before],
                Some(limit + 1),
                full_row,
            )?;
            tx.finish()?;
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
            let tx = conn.unchecked_transaction()?;
            // The session's first and last ids, then the other sessions' nearest on either side.
            let id_of = |r: &rusqlite::Row<'_>| r.get::<_, i64>(0);
            let own = each_half(
                &tx,
                "events_by_stream",
                false,
                SESSION_FIRST,
                params![stream_id, sequence],
                Some(1),
                id_of,
            )?;
            let last = each_half(
                &tx,
                "events_by_stream",
                true,
                SESSION_LAST,
                params![stream_id, sequence],
                Some(1),
                id_of,
            )?;
            let (Some(&first), Some(&last)) = (own.first(), last.first()) else {
                return Ok(None);
            };
            let before = each_half(
                &tx,
                "events_by_stream",
                true,
                OTHER_SESSION_BEFORE,
                params![stream_id, first, sequence],
                Some(1),
                id_of,
            )?;
            let after = each_half(
                &tx,
                "events_by_stream",
                false,
                OTHER_SESSION_AFTER,
                params![stream_id, last, sequence],
                Some(1),
                id_of,
            )?;
            tx.finish()?;
            Ok(Some((
                before.first().copied().unwrap_or(0),
                after.first().copied().unwrap_or(i64::MAX),
            )))
        })
    }

    /// The push session a callback that names none sits in: the latest session of its stream before
    /// it, else the first one after it.
    pub fn session_near(&self, stream_id: &str, id: i64) -> Result<Option<String>, StoreError> {
        self.with_reader(|conn| {
            let tx = conn.unchecked_transaction()?;
            let near = |newest_first: bool, sql: &str| {
                each_half(
                    &tx,
                    "events_by_stream",
                    newest_first,
                    sql,
                    params![stream_id, id],
                    Some(1),
                    |r| r.get::<_, String>(0),
                )
                .map(|found| found.into_iter().next())
            };
            let found = match near(true, SESSION_BEFORE)? {
                Some(seq) => Some(seq),
                None => near(false, SESSION_AFTER)?,
            };
            tx.finish()?;
            Ok(found)
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
