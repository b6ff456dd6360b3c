//! The deferred full-text index of bodies (and with it the stream and delivery-group indexes): how far
//! it has got, indexing in chunks, and matching the few bodies after its mark the way the index would.

use super::*;

/// Bodies added to the full-text index per transaction.
pub(super) const FTS_CHUNK: i64 = 4000;
/// How long the writer must have had nothing to store before it indexes bodies...
pub(super) const FTS_IDLE: std::time::Duration = std::time::Duration::from_millis(50);
/// ... or how long since it last did, under a steady stream (searches scan what is not indexed yet, so
/// at most about this much of a stream's callbacks, up to FTS_MAX_LAG).
pub(super) const FTS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// How far the full-text index may fall behind a stream too heavy for a chunk a second before indexing
/// takes a turn at once (searches scan the bodies after the mark, so this bounds that scan).
pub const FTS_MAX_LAG: i64 = 8000;

/// Quote user text as one FTS5 phrase per word, so no character has a query meaning. A word without a
/// letter or digit has no token to match: None when no word is left.
pub(super) fn fts_query(words: &[&str]) -> Option<String> {
    let words: Vec<String> = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// Words as the full-text index sees them (its `unicode61` tokenizer): runs of letters and digits,
/// in lower case.
pub(super) fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `body` holds every phrase, each as consecutive words, as the index would find it.
pub(super) fn holds(body: &[u8], phrases: &[Vec<String>]) -> bool {
    let words = tokens(&String::from_utf8_lossy(body));
    phrases
        .iter()
        .all(|p| !p.is_empty() && words.windows(p.len()).any(|w| w == p.as_slice()))
}

/// How far the full-text index has got, and the highest event id handed out.
pub(super) struct FtsMark {
    pub(super) through: i64,
    pub(super) newest: i64,
}

impl FtsMark {
    pub(super) fn read(conn: &Connection) -> Result<FtsMark, rusqlite::Error> {
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

    pub(super) fn behind(&self) -> bool {
        self.newest > self.through
    }

    /// Index the next bodies after the mark and move it, in one transaction. That transaction need
    /// not reach the disk before the next one: after a crash the mark and the index agree, and the
    /// bodies after the mark are indexed again. False when it failed (logged).
    pub(super) fn index_chunk(&mut self, conn: &mut Connection) -> bool {
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
            // The same callbacks join the stream and delivery-group indexes (schema.rs, DEFERRED_INDEXES).
            // `OR IGNORE`: a multi-row UPDATE that may abort on a constraint (here only `NOT NULL`,
            // which 0 always meets) first copies every page it changes to a statement journal, a
            // twentieth of the writer's time in a profile; without an abort there is nothing to undo.
            tx.prepare_cached("UPDATE OR IGNORE events SET pending = 0 WHERE id > ?1 AND id <= ?2 AND pending = 1")?
                .execute(params![self.through, through])?;
            tx.execute(
                "UPDATE meta SET value = ?1 WHERE key IN ('fts_through', 'pending_through')",
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
