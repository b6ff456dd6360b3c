//! The database file: schema, one-time migrations, and opening it (private to its owner).

use super::*;

pub(super) const SCHEMA: &str = r#"
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
    rule TEXT,
    -- Cleared by `UPDATE OR IGNORE` (fts.rs): no constraint but NOT NULL may ever cover it, or a row
    -- the update skipped would stay pending behind the mark, in neither half of a stream's queries.
    pending INTEGER NOT NULL DEFAULT 0
);
-- Arrival time first, with what the traffic chart counts: a time range is found through it, and the
-- chart's counts are read from it alone, never from the rows (whose bodies spill onto other pages).
CREATE INDEX IF NOT EXISTS events_chart ON events (received_at, event_type, verify, status);
DROP INDEX IF EXISTS events_time;
CREATE INDEX IF NOT EXISTS events_type ON events (event_type, id);
CREATE INDEX IF NOT EXISTS events_domain ON events (domain, id);
-- Each index costs a page written per commit (more with many domains or types), so the commit path
-- keeps only those a filter needs: a domain's AppNames are few, so its rows, newest first, find an
-- AppName's page; the verification index holds only callbacks that failed it (a "valid" filter walks
-- the ids, where nearly every row matches).
DROP INDEX IF EXISTS events_domain_app;
DROP INDEX IF EXISTS events_verify;
CREATE INDEX IF NOT EXISTS events_unverified ON events (verify, id) WHERE verify <> 'valid';
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

/// The stream and delivery-group indexes are off the commit path. Their keys are spread over the whole
/// index (a delivery group is a hash of its body; streams are many), so each callback in a batch dirtied
/// a page of each, and every commit wrote those pages: the store alone took about half as many
/// callbacks a second at 16 writers (11 900 against 21 200 without them, `make bench`). A callback is
/// now stored `pending`, outside both (partial) indexes; the writer adds it with the full-text index's
/// chunk, in the chunk's transaction, so `pending` rows are exactly those after `fts_through`. A query
/// on one stream or group reads the index and scans those few newest rows (see `query::halves`).
/// Callbacks stored by an earlier version are indexed already (the column's default), and a version
/// that does not know the column stores them that way too.
pub(super) const DEFERRED_INDEXES: &str = r#"
BEGIN;
CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, id) WHERE pending = 0;
CREATE INDEX IF NOT EXISTS events_by_group ON events (group_key, id) WHERE pending = 0;
INSERT OR IGNORE INTO meta (key, value) SELECT 'pending_through', value FROM meta WHERE key = 'fts_through';
UPDATE events SET pending = 0
    WHERE id > (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'pending_through')
    AND id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_through') AND pending = 1;
UPDATE meta SET value = (SELECT value FROM meta WHERE key = 'fts_through') WHERE key = 'pending_through';
COMMIT;
"#;

/// Whether `events` has the `pending` column (a version with deferred indexing has opened it to write).
pub(super) fn has_pending(conn: &Connection) -> Result<bool, rusqlite::Error> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('events') WHERE name = 'pending')",
        [],
        |r| r.get(0),
    )
}

/// Adds `pending` to an `events` table made by a version before deferred indexing (every row it holds
/// is in the indexes already), and the partial indexes; `drop_old`: also drops the indexes they replace
/// (a writer of this version; a reader leaves them to a receiver of an earlier version that may still
/// be storing into the file, whose numbering reads them). `pending_through` is how far this version's
/// indexing got: a version without it that indexed further (after a crash left callbacks pending, and
/// before this version opened the file again) left them `pending` behind the mark, in neither half;
/// they join the indexes here, a range of ids.
pub(super) fn defer_indexes(conn: &Connection, drop_old: bool) -> Result<(), rusqlite::Error> {
    if !has_pending(conn)? {
        conn.execute_batch("ALTER TABLE events ADD COLUMN pending INTEGER NOT NULL DEFAULT 0")?;
    }
    if drop_old {
        conn.execute_batch("DROP INDEX IF EXISTS events_stream; DROP INDEX IF EXISTS events_group;")?;
    }
    conn.execute_batch(DEFERRED_INDEXES)
}

/// The traffic chart's counts per second and per minute, so a chart of a million callbacks reads at most
/// a few thousand rows of counts instead of a million index entries: per-minute counts for buckets of
/// whole minutes, per-second counts for narrower ones (a range of at most a few hours). The writer adds
/// a batch's counts in the batch's own transaction (a few rows per batch, not one per callback: a
/// trigger per row cost a quarter of the durable callbacks per second), retention takes away what it
/// deletes in the delete's transaction, and `traffic_through` is the newest id counted, so callbacks
/// stored by a version of the app without the counts are counted when this one opens the database.
/// `typed`: 0 when the callback carried no event type (`event_type` is then 0).
pub(super) fn traffic_counts_sql() -> String {
    let mut sql = String::from(
        "BEGIN;\nDROP TRIGGER IF EXISTS traffic_add; DROP TRIGGER IF EXISTS traffic_remove; \
         DROP TRIGGER IF EXISTS traffic_change;\n",
    );
    for (table, _) in TRAFFIC_TABLES {
        sql += &format!(
            "CREATE TABLE IF NOT EXISTS {table} (slot INTEGER NOT NULL, typed INTEGER NOT NULL, \
             event_type INTEGER NOT NULL, verify TEXT NOT NULL, failed INTEGER NOT NULL, n INTEGER NOT NULL, \
             PRIMARY KEY (slot, typed, event_type, verify, failed)) WITHOUT ROWID;\nDELETE FROM {table};\n"
        );
    }
    sql += "DELETE FROM meta WHERE key = 'traffic_through';\n\
            INSERT INTO meta (key, value) VALUES ('traffic_through', '0');\n\
            INSERT OR REPLACE INTO meta (key, value) VALUES ('traffic_counts', '2');\nCOMMIT;\n";
    sql
}

/// Adds (`sign` 1) or takes away (-1) the counts of the callbacks `filter` (an SQL condition on
/// `events` with parameter `?1`) picks, in every count table; rows that fall to 0 go.
pub(super) fn change_counts(conn: &Connection, filter: &str, arg: i64, sign: i64) -> Result<(), rusqlite::Error> {
    for (table, unit) in TRAFFIC_TABLES {
        let slot = format!("(received_at - ((received_at % {unit}) + {unit}) % {unit}) / {unit}");
        conn.prepare_cached(&format!(
            "INSERT INTO {table} (slot, typed, event_type, verify, failed, n) \
             SELECT {slot}, event_type IS NOT NULL, IFNULL(event_type, 0), verify, status <> 200, {sign} * COUNT(*) \
             FROM events WHERE {filter} GROUP BY 1, 2, 3, 4, 5 \
             ON CONFLICT DO UPDATE SET n = n + excluded.n"
        ))?
        .execute([arg])?;
        if sign < 0 {
            conn.prepare_cached(&format!("DELETE FROM {table} WHERE n <= 0"))?
                .execute([])?;
        }
    }
    Ok(())
}

/// Counts what is stored past `traffic_through` (callbacks written by a version of the app that did
/// not count), once, when the database is opened for writing.
pub(super) fn count_uncounted(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let tx = conn.transaction()?;
    let through: i64 = tx.query_row(
        "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'traffic_through'",
        [],
        |r| r.get(0),
    )?;
    let newest: Option<i64> = tx.query_row("SELECT MAX(id) FROM events", [], |r| r.get(0))?;
    if let Some(newest) = newest.filter(|n| *n > through) {
        change_counts(&tx, "id > ?1", through, 1)?;
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'traffic_through'",
            [newest.to_string()],
        )?;
    }
    tx.commit()
}

/// The counts of one batch of callbacks, added in the batch's transaction.
#[derive(Default)]
pub(super) struct Tally(std::collections::HashMap<(i64, Option<i64>, &'static str, bool), i64>);

impl Tally {
    pub(super) fn add(&mut self, received_at: i64, event_type: Option<i64>, verify: &'static str, status: u16) {
        *self
            .0
            .entry((received_at.div_euclid(1000), event_type, verify, status != 200))
            .or_default() += 1;
    }

    /// Adds the counts to every table and moves `traffic_through` to `newest`.
    pub(super) fn write(&mut self, tx: &Connection, newest: i64) -> Result<(), rusqlite::Error> {
        if self.0.is_empty() {
            return Ok(());
        }
        for (table, unit) in TRAFFIC_TABLES {
            let mut merged: std::collections::HashMap<(i64, Option<i64>, &'static str, bool), i64> =
                std::collections::HashMap::new();
            for ((second, event_type, verify, failed), n) in &self.0 {
                *merged
                    .entry(((second * 1000).div_euclid(unit), *event_type, verify, *failed))
                    .or_default() += n;
            }
            let mut stmt = tx.prepare_cached(&format!(
                "INSERT INTO {table} (slot, typed, event_type, verify, failed, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT DO UPDATE SET n = n + excluded.n"
            ))?;
            for ((slot, event_type, verify, failed), n) in merged {
                stmt.execute(params![
                    slot,
                    event_type.is_some(),
                    event_type.unwrap_or(0),
                    verify,
                    failed,
                    n
                ])?;
            }
        }
        tx.prepare_cached("UPDATE meta SET value = ?1 WHERE key = 'traffic_through'")?
            .execute([newest.to_string()])?;
        self.0.clear();
        Ok(())
    }
}

/// The count tables and the width of their slots in ms.
pub(super) const TRAFFIC_TABLES: [(&str, i64); 2] = [("traffic_seconds", 1_000), ("traffic_minutes", 60_000)];

/// A push session is the body's `sequence` only. Earlier versions also stored an audio audit's `seq`
/// or a recording's `session_id` there, which split one push into several sessions: read it again, once.
pub(super) const SEQUENCE_ONLY: &str = r#"
BEGIN;
UPDATE events SET sequence = CASE
    WHEN json_valid(CAST(body AS TEXT)) AND json_type(CAST(body AS TEXT), '$.sequence') = 'text'
        AND json_extract(CAST(body AS TEXT), '$.sequence') <> ''
    THEN json_extract(CAST(body AS TEXT), '$.sequence') END
WHERE sequence IS NOT NULL;
INSERT INTO meta (key, value) VALUES ('sequence_only', '1');
COMMIT;
"#;

pub(super) fn open(path: &Path, write: bool) -> Result<Connection, StoreError> {
    let flags = if write {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let err = |source| StoreError::Open {
        path: path.to_owned(),
        source,
    };
    let mut conn = Connection::open_with_flags(path, flags).map_err(err)?;
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
        defer_indexes(&conn, true).map_err(err)?;
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
        let counted: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'traffic_counts' AND value = '2')",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if !counted {
            conn.execute_batch(&traffic_counts_sql()).map_err(err)?;
        }
        count_uncounted(&mut conn).map_err(err)?;
    }
    Ok(conn)
}

/// What a reader of a database no version with deferred indexing has written to needs: the column and
/// the partial indexes (`defer_indexes` without dropping anything).
pub(super) fn upgrade_for_reading(path: &Path) -> Result<(), rusqlite::Error> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    defer_indexes(&conn, false)
}

/// The database holds stream parameters (push secrets among them), senders' addresses and valid
/// (t, sign) pairs: only its owner may read it. Folders made for it are 0700; the database is
/// created 0600 (SQLite gives its `-wal` and `-shm` files the database's mode) and an existing
/// one, with its `-wal` and `-shm`, is narrowed to 0600.
pub(super) fn private_files(path: &Path) -> std::io::Result<()> {
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
