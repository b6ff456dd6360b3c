//! What the delivery log is matched with: a stream's callbacks over a time range with the `t` and
//! `sign` their bodies carried, and the streams the inspector has seen.

use super::*;

/// One stored callback as the delivery log is matched with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Arrival {
    pub id: i64,
    /// UNIX ms.
    pub received_at: i64,
    pub event_type: Option<i64>,
    /// The body's `t` and `sign`, when it has them.
    pub t: Option<i64>,
    pub sign: Option<String>,
    /// What the inspector answered.
    pub status: u16,
    /// A replay sent from LiveHook, not a delivery of Tencent's.
    pub replay: bool,
}

/// The most arrivals one match reads.
pub const ARRIVALS_CAP: usize = 20_000;

impl Store {
    /// The callbacks of `stream_id` received in `[since_ms, until_ms)`, oldest first, at most `limit`
    /// (capped at [`ARRIVALS_CAP`]), and whether more were left out.
    pub fn arrivals(
        &self,
        stream_id: &str,
        since_ms: i64,
        until_ms: i64,
        limit: usize,
    ) -> Result<(Vec<Arrival>, bool), StoreError> {
        let limit = limit.clamp(1, ARRIVALS_CAP);
        self.with_reader(|conn| {
            let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Arrival> {
                // `t` is a number in Tencent's bodies; a string of digits is read too.
                let t = match r.get_ref(3)? {
                    rusqlite::types::ValueRef::Integer(i) => Some(i),
                    rusqlite::types::ValueRef::Real(f) if f.fract() == 0.0 => Some(f as i64),
                    rusqlite::types::ValueRef::Text(s) => {
                        std::str::from_utf8(s).ok().and_then(|s| s.trim().parse().ok())
                    }
                    _ => None,
                };
                let sign = match r.get_ref(4)? {
                    rusqlite::types::ValueRef::Text(s) => std::str::from_utf8(s).ok().map(str::to_owned),
                    _ => None,
                };
                let group: String = r.get(6)?;
                Ok(Arrival {
                    id: r.get(0)?,
                    received_at: r.get(1)?,
                    event_type: r.get(2)?,
                    t,
                    sign,
                    status: u16::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
                    replay: crate::event::replay_of(&group).is_some(),
                })
            };
            let tx = conn.unchecked_transaction()?;
            let mut out = each_half(
                &tx,
                "events_by_stream",
                false,
                ARRIVALS,
                params![stream_id, since_ms, until_ms],
                Some(limit + 1),
                read,
            )?;
            tx.finish()?;
            let more = out.len() > limit;
            out.truncate(limit);
            Ok((out, more))
        })
    }

    /// The first callback for `domain` (and, when given, `app_name`) received at `since_ms` or later:
    /// its id, arrival time and the status it was answered. Whether a new binding is live yet.
    pub fn first_for_domain(
        &self,
        domain: &str,
        app_name: Option<&str>,
        since_ms: i64,
    ) -> Result<Option<(i64, i64, u16)>, StoreError> {
        self.with_reader(|conn| {
            // The first id at or after the time (ids grow with arrival), then that domain's first from
            // there through its own index, so a busy domain's older callbacks are never walked.
            let from: Option<i64> = conn
                .query_row(
                    "SELECT id FROM events WHERE received_at >= ?1 ORDER BY received_at LIMIT 1",
                    [since_ms],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(from) = from else { return Ok(None) };
            let from = from - TIME_SLACK_IDS;
            let row = match app_name.filter(|a| !a.is_empty()) {
                Some(app) => conn
                    .query_row(
                        "SELECT id, received_at, status FROM events WHERE domain = ?1 AND app_name = ?2 AND id >= ?3 \
                         AND received_at >= ?4 ORDER BY id LIMIT 1",
                        params![domain, app, from, since_ms],
                        |r| Ok((r.get(0)?, r.get(1)?, u16::try_from(r.get::<_, i64>(2)?).unwrap_or(0))),
                    )
                    .optional()?,
                None => conn
                    .query_row(
                        "SELECT id, received_at, status FROM events WHERE domain = ?1 AND id >= ?2 AND received_at >= ?3 \
                         ORDER BY id LIMIT 1",
                        params![domain, from, since_ms],
                        |r| Ok((r.get(0)?, r.get(1)?, u16::try_from(r.get::<_, i64>(2)?).unwrap_or(0))),
                    )
                    .optional()?,
            };
            Ok(row)
        })
    }

    /// The streams with stored callbacks, the most recently heard first, at most `limit`.
    pub fn streams(&self, limit: usize) -> Result<Vec<String>, StoreError> {
        self.with_reader(|conn| {
            // Each half's streams with their newest id (schema.rs, DEFERRED_INDEXES), then together.
            let [(indexed_from, indexed), (pending_from, pending)] = halves("events_by_stream");
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT stream_id FROM (\
                     SELECT stream_id, MAX(events.id) AS newest FROM events {indexed_from} \
                     WHERE stream_id IS NOT NULL AND stream_id <> '' AND {indexed} GROUP BY stream_id \
                     UNION ALL \
                     SELECT stream_id, MAX(events.id) FROM events {pending_from} \
                     WHERE stream_id IS NOT NULL AND stream_id <> '' AND {pending} GROUP BY stream_id) \
                 GROUP BY stream_id ORDER BY MAX(newest) DESC LIMIT ?1"
            ))?;
            let rows = stmt
                .query_map([limit.clamp(1, 10_000) as i64], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(rows)
        })
    }
}
