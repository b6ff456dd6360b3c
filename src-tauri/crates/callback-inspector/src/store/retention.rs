//! Retention: how many callbacks to keep and for how long, applied by the writer after its batches.

use super::*;

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

pub(super) fn default_max_mb() -> u64 {
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

/// Retention also runs after this many bytes of bodies, however few callbacks carried them.
pub(super) const RETENTION_EVERY_BYTES: usize = 64 * 1024 * 1024;

/// The newest id to delete so the database's used pages fall to 90% of `max_mb` (0: none). Freed
/// pages are reused by later callbacks, so the file stops growing there.
pub(super) fn size_cutoff(conn: &Connection, max_mb: u64) -> Result<i64, rusqlite::Error> {
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

/// The newest id of what arrived before a time. Through the arrival-time index: SQLite's own choice
/// for `MAX(id)` was to walk the ids down from the newest, checking each row's time, which reads every
/// stored row when nothing is old enough (the usual case: retention runs every 1 000 callbacks).
const OLDEST_TO_GO: &str = "SELECT MAX(id) FROM events INDEXED BY events_chart WHERE received_at < ?1";

/// Deletes what `r` no longer keeps; returns how many callbacks went.
pub(super) fn apply_retention(conn: &Connection, r: Retention) -> u64 {
    let run = || -> Result<u64, rusqlite::Error> {
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
            let id: Option<i64> = conn.query_row(OLDEST_TO_GO, [oldest_kept], |row| row.get(0))?;
            cutoff_id = cutoff_id.max(id.unwrap_or(0));
        }
        if cutoff_id > 0 {
            // The traffic counts lose what goes, in the same transaction.
            let tx = conn.unchecked_transaction()?;
            tx.execute("DELETE FROM events_fts WHERE rowid <= ?1", [cutoff_id])?;
            tx.execute("DELETE FROM forwards WHERE event_id <= ?1", [cutoff_id])?;
            super::schema::change_counts(&tx, "id <= ?1", cutoff_id, -1)?;
            let gone = tx.execute("DELETE FROM events WHERE id <= ?1", [cutoff_id])? as u64;
            tx.commit()?;
            return Ok(gone);
        }
        Ok(0)
    };
    run().unwrap_or_else(|e| {
        tracing::error!("retention could not run: {e}");
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding what is too old reads only the old entries of the arrival-time index.
    #[test]
    fn the_age_cutoff_reads_only_old_entries() {
        let (_dir, conn) = super::super::plans::new_database();
        let plan = super::super::plans::query_plan(&conn, OLDEST_TO_GO, [1]);
        assert_eq!(
            plan,
            vec!["SEARCH events USING COVERING INDEX events_chart (received_at<?)".to_owned()]
        );
    }
}
