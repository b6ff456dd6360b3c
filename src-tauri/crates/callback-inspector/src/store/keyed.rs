//! Queries on one stream or one delivery group, read in two halves (`query::halves`): what the partial
//! index holds, and the pending callbacks after the full-text index's mark. Each template writes its
//! `{half}` first in its WHERE: when two lower bounds on the id cost the same, SQLite walks from the first
//! one written, and the pending half must start at the mark (a few thousand rows), not at the caller's
//! bound (which can be 0: the whole table). A test counts the steps of each.

use super::*;

/// Every attempt of a group (`?1`), oldest first.
pub(super) fn attempts_sql() -> String {
    format!("SELECT {SUMMARY_COLUMNS} FROM events {{from}} WHERE {{half}} AND group_key = ?1 ORDER BY events.id")
}

/// A stream's (`?1`) callbacks with an id between `?2` and `?3`, newest first.
pub(super) fn stream_events_sql() -> String {
    format!(
        "SELECT {LIGHT_COLUMNS} FROM events {{from}} WHERE {{half}} AND stream_id = ?1 AND events.id > ?2 \
         AND events.id < ?3 ORDER BY events.id DESC LIMIT ?4"
    )
}

/// The first id of a stream's (`?1`) push session `?2`.
pub(super) const SESSION_FIRST: &str =
    "SELECT events.id FROM events {from} WHERE {half} AND stream_id = ?1 AND sequence = ?2 ORDER BY events.id LIMIT ?3";
/// Its last.
pub(super) const SESSION_LAST: &str = "SELECT events.id FROM events {from} WHERE {half} AND stream_id = ?1 \
     AND sequence = ?2 ORDER BY events.id DESC LIMIT ?3";
/// The nearest id of another session (not `?3`) of the stream `?1` before `?2`.
pub(super) const OTHER_SESSION_BEFORE: &str = "SELECT events.id FROM events {from} WHERE {half} AND stream_id = ?1 \
     AND events.id < ?2 AND sequence IS NOT NULL AND sequence <> ?3 ORDER BY events.id DESC LIMIT ?4";
/// ... and after `?2`.
pub(super) const OTHER_SESSION_AFTER: &str = "SELECT events.id FROM events {from} WHERE {half} AND stream_id = ?1 \
     AND events.id > ?2 AND sequence IS NOT NULL AND sequence <> ?3 ORDER BY events.id LIMIT ?4";
/// The session of the stream `?1`'s latest callback before `?2` that names one.
pub(super) const SESSION_BEFORE: &str = "SELECT sequence FROM events {from} WHERE {half} AND stream_id = ?1 \
     AND events.id < ?2 AND sequence IS NOT NULL ORDER BY events.id DESC LIMIT ?3";
/// ... and its first after `?2`.
pub(super) const SESSION_AFTER: &str = "SELECT sequence FROM events {from} WHERE {half} AND stream_id = ?1 \
     AND events.id > ?2 AND sequence IS NOT NULL ORDER BY events.id LIMIT ?3";
/// The stream `?1`'s callbacks received in [`?2`, `?3`), oldest first, for matching deliveries. (The
/// unary `+` keeps the arrival-time index out: the pending half walked it from `?2` to `?3`.)
pub(super) const ARRIVALS: &str = "SELECT events.id, received_at, event_type, \
     CASE WHEN json_valid(CAST(body AS TEXT)) THEN json_extract(CAST(body AS TEXT), '$.t') END, \
     CASE WHEN json_valid(CAST(body AS TEXT)) THEN json_extract(CAST(body AS TEXT), '$.sign') END, \
     status, group_key \
     FROM events {from} WHERE {half} AND stream_id = ?1 AND +received_at >= ?2 AND +received_at < ?3 \
     ORDER BY events.id LIMIT ?4";

/// Rows of one stream's or delivery group's callbacks, read half by half (through the partial `index`,
/// and the pending ones after the full-text index's mark), the pending half first when `newest_first`,
/// at most `limit` in all. `sql` names the halves' places `{from}` (after `FROM events`) and `{half}`
/// (the first condition); with a `limit` it ends in `LIMIT ?n`, n one past `args`. Run it in a
/// transaction: two statements outside one see two snapshots, and callbacks the writer indexes between
/// them would be in neither half, or in both.
pub(super) fn each_half<T>(
    conn: &Connection,
    index: &str,
    newest_first: bool,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
    limit: Option<usize>,
    row: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, rusqlite::Error> {
    debug_assert!(sql.contains("WHERE {half} AND "), "{sql}");
    debug_assert!(!conn.is_autocommit(), "each_half outside a transaction");
    let [indexed, pending] = halves(index);
    let order = if newest_first {
        [pending, indexed]
    } else {
        [indexed, pending]
    };
    let mut out = Vec::new();
    for (from, half) in order {
        let left = match limit {
            Some(l) if out.len() >= l => break,
            Some(l) => Some(l - out.len()),
            None => None,
        };
        let mut stmt = conn.prepare_cached(&sql.replace("{from}", &from).replace("{half}", &half))?;
        let left = left.map(|l| l as i64);
        let mut bound: Vec<&dyn rusqlite::ToSql> = args.to_vec();
        if let Some(left) = &left {
            bound.push(left);
        }
        let mut rows = stmt.query(bound.as_slice())?;
        while let Some(r) = rows.next()? {
            out.push(row(r)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    /// Each half of each query walks about as many rows as it needs: the pending half starts at the
    /// mark whatever the caller's own bound on the id, the indexed half walks the stream's or group's
    /// index. Walking the table would be over 20 000 rows, hundreds of thousands of steps.
    #[test]
    fn each_half_of_each_query_reads_only_its_own_rows() {
        let (_dir, conn) = super::super::plans::twenty_thousand_callbacks();
        let (attempts, stream_events) = (attempts_sql(), stream_events_sql());
        let one = 1i64;
        let queries: Vec<(&str, &str, &str, Vec<&dyn rusqlite::ToSql>)> = vec![
            // The attempts read every row of the group: 2 000 of them.
            ("attempts", &attempts, "events_by_group", vec![&"g3"]),
            (
                "stream_events",
                &stream_events,
                "events_by_stream",
                vec![&"s3", &0i64, &i64::MAX, &100i64],
            ),
            (
                "session first",
                SESSION_FIRST,
                "events_by_stream",
                vec![&"s3", &"q3", &one],
            ),
            (
                "session last",
                SESSION_LAST,
                "events_by_stream",
                vec![&"s3", &"q0", &one],
            ),
            (
                "other before",
                OTHER_SESSION_BEFORE,
                "events_by_stream",
                vec![&"s3", &19_999i64, &"q3", &one],
            ),
            (
                "other after",
                OTHER_SESSION_AFTER,
                "events_by_stream",
                vec![&"s3", &1i64, &"q0", &one],
            ),
            (
                "before",
                SESSION_BEFORE,
                "events_by_stream",
                vec![&"s3", &19_999i64, &one],
            ),
            ("after", SESSION_AFTER, "events_by_stream", vec![&"s3", &0i64, &one]),
            (
                "arrivals",
                ARRIVALS,
                "events_by_stream",
                vec![&"s3", &0i64, &i64::MAX, &100i64],
            ),
        ];
        for (name, sql, index, args) in queries {
            for (from, half) in halves(index) {
                let mut stmt = conn
                    .prepare(&sql.replace("{from}", &from).replace("{half}", &half))
                    .expect(name);
                let mut rows = stmt.query(args.as_slice()).expect(name);
                let mut n = 0;
                while rows.next().expect(name).is_some() {
                    n += 1;
                }
                drop(rows);
                let steps = stmt.get_status(StatementStatus::VmStep);
                // At most what it returns plus the rows of its own stream or group it passes over.
                let bound = if name == "attempts" { 60_000 } else { 20_000 };
                assert!(steps < bound, "{name}, {half}: {steps} steps for {n} rows");
            }
        }
        // The list, its count and its chart of one stream from a time on: the time's own bound on
        // the id comes after the half's.
        let f = Filter {
            stream_id: Some("s3".into()),
            since: Some(0),
            ..Default::default()
        };
        for part in query_parts(&f, SUMMARY_COLUMNS, true).expect("parts") {
            let mut stmt = conn.prepare(&part.sql).expect("list");
            let mut args = part.args.clone();
            args.push(SqlValue::Integer(100));
            let n = stmt
                .query_map(rusqlite::params_from_iter(args), |_| Ok(()))
                .expect("list")
                .count();
            let steps = stmt.get_status(StatementStatus::VmStep);
            assert!(
                steps < 20_000,
                "list from a time: {steps} steps for {n} rows: {}",
                part.sql
            );
        }
    }
}
