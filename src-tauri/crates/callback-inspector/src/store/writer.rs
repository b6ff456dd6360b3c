//! The one writer thread: group commit of every insert that is waiting, attempt numbering, forwards'
//! answers, and the turns it gives the full-text index and retention.

use std::time::Instant;

use super::*;

/// What the writer returns for one insert.
#[derive(Debug, Clone, PartialEq)]
pub struct Inserted {
    pub event: StoredEvent,
}

pub(super) type Decide = Box<dyn FnOnce(u32) -> Answer + Send>;

pub(super) struct NewEvent {
    pub(super) request: Captured,
    pub(super) facts: Facts,
    pub(super) check: Check,
    pub(super) group: String,
    pub(super) decide: Decide,
    pub(super) reply: oneshot::Sender<Result<Inserted, StoreError>>,
}

/// Sends a batch's outcome to whoever waits for one of its writes, once the commit is known.
pub(super) type Reply = Box<dyn FnOnce(Option<&rusqlite::Error>)>;

pub(super) enum Cmd {
    Insert(Box<NewEvent>),
    Forward {
        record: ForwardRecord,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    /// New retention, applied after this batch; the sender hears when it has run.
    Retention(Retention, Option<oneshot::Sender<()>>),
    Flush(mpsc::Sender<()>),
}

pub(super) fn writer_loop(
    mut conn: Connection,
    rx: mpsc::Receiver<Cmd>,
    mut retention: Retention,
    stored: Arc<AtomicU64>,
    mut groups: PendingGroups,
) {
    let removed = |n: u64| {
        let _ = stored.fetch_update(Ordering::AcqRel, Ordering::Acquire, |s| Some(s.saturating_sub(n)));
    };
    let mut since_retention = 0usize;
    // Bytes stored since retention last ran: large bodies bring it forward.
    let mut bytes_since_retention = 0usize;
    let n = apply_retention(&conn, retention);
    removed(n);
    forget_removed(&conn, &mut groups, n);
    let mut fts = match FtsMark::read(&conn) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!("the event database's index mark could not be read: {e}");
            FtsMark { through: 0, newest: 0 }
        }
    };
    // After a failed indexing, wait for work instead of retrying at once.
    let mut index_failed = false;
    let mut last_indexed = Instant::now();
    loop {
        // Bodies left to index: index a chunk when idle (no callback for FTS_IDLE), or at least every
        // FTS_EVERY, then look for work again. Between two commits of a steady stream the queue is
        // empty for a few microseconds, and indexing the batch just stored there cost a second
        // transaction (and a new index segment) per commit, which kept the next batch waiting; once a
        // second, the chunk holds a second's callbacks. A stream too heavy for that meets
        // FTS_MAX_LAG below.
        let first = if fts.behind() && !index_failed {
            let due = FTS_EVERY.saturating_sub(last_indexed.elapsed());
            match rx.recv_timeout(FTS_IDLE.min(due)) {
                Ok(c) => c,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    index_failed = !fts.index_chunk(&mut conn);
                    groups.forget_through(fts.through);
                    last_indexed = Instant::now();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
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
        // Who waits for a retention change to have run (after this batch).
        let mut applied: Vec<oneshot::Sender<()>> = Vec::new();
        let mut newest = fts.newest;
        let mut pending = batch.into_iter();
        let mut inserted = 0u64;
        let mut tally = super::schema::Tally::default();
        let mut batch_groups = PendingGroups::default();
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
                        let r = insert_one(
                            &tx,
                            newest + 1,
                            request,
                            facts,
                            check,
                            group,
                            decide,
                            &groups,
                            &mut batch_groups,
                        );
                        since_retention += 1;
                        match r {
                            Ok(ev) => {
                                inserted += 1;
                                tally.add(
                                    ev.request.received_at,
                                    ev.facts.event_type,
                                    ev.check.slug(),
                                    ev.answer.status,
                                );
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
                    Cmd::Retention(r, done) => {
                        retention = r;
                        since_retention = usize::MAX / 2;
                        applied.extend(done);
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
            tally.write(&tx, newest)?;
            tx.commit()
        })();
        index_failed = false;
        match &result {
            Ok(()) => {
                fts.newest = newest;
                stored.fetch_add(inserted, Ordering::AcqRel);
                groups.0.extend(batch_groups.0.drain());
            }
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
                Cmd::Retention(r, done) => {
                    retention = r;
                    since_retention = usize::MAX / 2;
                    applied.extend(done);
                }
                Cmd::Flush(done) => {
                    let _ = done.send(());
                }
            }
        }
        if since_retention >= 1000 || bytes_since_retention >= RETENTION_EVERY_BYTES {
            since_retention = 0;
            bytes_since_retention = 0;
            let n = apply_retention(&conn, retention);
            removed(n);
            forget_removed(&conn, &mut groups, n);
        }
        for done in applied {
            let _ = done.send(());
        }
        // Under a steady stream of callbacks the index still takes a turn when it falls too far behind.
        if fts.newest - fts.through > FTS_MAX_LAG {
            index_failed = !fts.index_chunk(&mut conn);
            groups.forget_through(fts.through);
            last_indexed = Instant::now();
        }
    }
    // Closing: index what is left, so a closed database is complete.
    while fts.behind() {
        if !fts.index_chunk(&mut conn) {
            break;
        }
    }
}

/// After retention removed `n` callbacks (the oldest): a group whose pending callbacks it took starts
/// again at attempt 1, as one whose indexed callbacks it took does.
fn forget_removed(conn: &Connection, groups: &mut PendingGroups, n: u64) {
    if n == 0 {
        return;
    }
    match conn.query_row("SELECT MIN(id) FROM events", [], |r| r.get::<_, Option<i64>>(0)) {
        Ok(oldest) => groups.forget_through(oldest.map_or(i64::MAX, |o| o - 1)),
        Err(e) => {
            tracing::error!("the event database's oldest id could not be read: {e}");
            // What a restart would know.
            *groups = PendingGroups::read(conn).unwrap_or_default();
        }
    }
}

pub(super) fn clone_err(e: &rusqlite::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(e.to_string().into())
}

/// The attempt number of a delivery group's latest indexed callback (the writer knows the pending ones).
const LATEST_ATTEMPT: &str =
    "SELECT attempt FROM events INDEXED BY events_by_group WHERE group_key = ?1 AND pending = 0 ORDER BY id DESC LIMIT 1";

/// The latest (id, attempt) of each delivery group among the callbacks not in the group index yet,
/// which are the newest: numbering an attempt looks here first. The writer adds each batch once it is
/// committed and forgets what the index has taken in or retention removed.
#[derive(Default)]
pub(super) struct PendingGroups(std::collections::HashMap<String, (i64, u32)>);

impl PendingGroups {
    /// What is pending in the database (after a restart, what the index had not reached).
    pub(super) fn read(conn: &Connection) -> Result<PendingGroups, rusqlite::Error> {
        let mut out = PendingGroups::default();
        let mut stmt = conn.prepare(&format!(
            "SELECT group_key, id, attempt FROM events WHERE id > {FTS_MARK} AND pending = 1 ORDER BY id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let attempt = u32::try_from(r.get::<_, i64>(2)?).unwrap_or(u32::MAX - 1);
            out.0.insert(r.get(0)?, (r.get(1)?, attempt));
        }
        Ok(out)
    }

    /// Forget the groups whose latest pending callback has an id of at most `through`.
    pub(super) fn forget_through(&mut self, through: i64) {
        self.0.retain(|_, (id, _)| *id > through);
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn insert_one(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    request: Captured,
    facts: Facts,
    check: Check,
    group: String,
    decide: Decide,
    pending: &PendingGroups,
    batch: &mut PendingGroups,
) -> Result<StoredEvent, rusqlite::Error> {
    // The attempt after the group's latest: this batch's, else a pending one's, else read from the
    // (group_key, id) index in one step. Counting the group's rows cost as much as the group was long,
    // and a sender repeating one delivery slowed every insert down.
    let previous = match batch.0.get(&group).or_else(|| pending.0.get(&group)) {
        Some((_, attempt)) => Some(*attempt),
        None => tx
            .prepare_cached(LATEST_ATTEMPT)?
            .query_row([&group], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|a| u32::try_from(a).unwrap_or(u32::MAX - 1)),
    };
    let attempt = previous.unwrap_or(0).min(u32::MAX - 1) + 1;
    let answer = decide(attempt);
    let headers = serde_json::to_string(&request.headers).unwrap_or_else(|_| "[]".into());
    let detail = serde_json::to_string(&check).unwrap_or_else(|_| "{}".into());
    tx.prepare_cached(
        "INSERT INTO events (received_at, method, path, query, headers, remote, body, body_size, too_large, event_type, stream_id, domain, app_name, sequence, event_time, verify, check_detail, key_label, group_key, attempt, status, delay_ms, answer, rule, id, pending)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, 1)",
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
    batch.0.insert(group.clone(), (id, attempt));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbering an attempt reads one row through the (group_key, id) index: no scan of the group, no
    /// sort, whatever the group's length. (The pending callbacks are in `PendingGroups`.)
    #[test]
    fn the_latest_attempt_is_one_index_step() {
        let (_dir, conn) = super::super::plans::new_database();
        let plan = super::super::plans::query_plan(&conn, LATEST_ATTEMPT, ["g"]);
        assert_eq!(
            plan,
            vec!["SEARCH events USING INDEX events_by_group (group_key=?)".to_owned()]
        );
    }

    /// After a restart the writer knows each group's latest pending attempt: what it numbers next.
    #[test]
    fn pending_groups_are_read_back_from_the_database() {
        let (_dir, conn) = super::super::plans::new_database();
        conn.execute_batch(
            "INSERT INTO events (id, received_at, method, path, query, headers, remote, body, body_size, too_large, \
             verify, check_detail, group_key, attempt, status, delay_ms, answer, pending) VALUES \
             (1, 0, 'POST', '/', '', '[]', '', x'', 0, 0, 'unsigned', '{}', 'a', 1, 200, 0, '', 0), \
             (2, 0, 'POST', '/', '', '[]', '', x'', 0, 0, 'unsigned', '{}', 'a', 2, 200, 0, '', 1), \
             (3, 0, 'POST', '/', '', '[]', '', x'', 0, 0, 'unsigned', '{}', 'b', 1, 200, 0, '', 1), \
             (4, 0, 'POST', '/', '', '[]', '', x'', 0, 0, 'unsigned', '{}', 'a', 3, 200, 0, '', 1); \
             UPDATE meta SET value = '1' WHERE key = 'fts_through';",
        )
        .expect("rows");
        let mut groups = PendingGroups::read(&conn).expect("read");
        assert_eq!(groups.0.get("a"), Some(&(4, 3)));
        assert_eq!(groups.0.get("b"), Some(&(3, 1)));
        assert_eq!(groups.0.len(), 2);
        groups.forget_through(3);
        assert_eq!(groups.0.keys().collect::<Vec<_>>(), ["a"]);
    }
}
