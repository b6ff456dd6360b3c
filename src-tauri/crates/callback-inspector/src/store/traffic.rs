//! The traffic chart's numbers: callbacks per time bucket and event type, with how many did not verify
//! and how many were not answered 200, counted by the database so the app never reads rows for them.

use super::*;

/// The most buckets one chart asks for.
pub const MAX_BUCKETS: u32 = 400;

/// Bucket widths a chart uses, in seconds: the smallest that gives at most the buckets asked for.
const STEPS: &[i64] = &[
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800, 604_800,
    2_592_000, 31_536_000,
];

/// Callbacks over time: `buckets` buckets of `step` ms from `start`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Traffic {
    /// UNIX ms where the first bucket starts (a multiple of `step` in the asker's time zone).
    pub start: i64,
    /// Each bucket's width in ms.
    pub step: i64,
    pub buckets: u32,
    /// One per event type that occurs (None: not a Tencent callback), in type order.
    pub series: Vec<TrafficSeries>,
    /// Per bucket: how many did not verify (any result but `valid`).
    pub unverified: Vec<u64>,
    /// Per bucket: how many were answered something other than 200.
    pub failed: Vec<u64>,
    /// Every callback counted.
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TrafficSeries {
    pub event_type: Option<i64>,
    /// Per bucket.
    pub counts: Vec<u64>,
}

impl Traffic {
    fn add(&mut self, bucket: i64, event_type: Option<i64>, n: u64, unverified: u64, failed: u64) {
        let Ok(b) = usize::try_from(bucket) else { return };
        if b >= self.buckets as usize {
            return;
        }
        let i = match self.series.binary_search_by(|s| s.event_type.cmp(&event_type)) {
            Ok(i) => i,
            Err(i) => {
                let counts = vec![0; self.buckets as usize];
                self.series.insert(i, TrafficSeries { event_type, counts });
                i
            }
        };
        self.series[i].counts[b] += n;
        self.unverified[b] += unverified;
        self.failed[b] += failed;
        self.total += n;
    }
}

/// The bucket width for `span` ms in at most `max` buckets.
pub(super) fn step_for(span: i64, max: u32) -> i64 {
    let max = i64::from(max.clamp(1, MAX_BUCKETS));
    let want = (span + max - 1) / max;
    STEPS
        .iter()
        .map(|s| s * 1000)
        .find(|s| *s >= want)
        .unwrap_or_else(|| STEPS[STEPS.len() - 1] * 1000)
}

fn ceil_div(a: i64, b: i64) -> i64 {
    -(-a).div_euclid(b)
}

/// Adds the counts of `table` (slots of `unit` ms) in slots `[from, to)` that pass `f`'s event type and
/// verification.
fn count_slots(
    tx: &rusqlite::Transaction,
    f: &Filter,
    table: &str,
    unit: i64,
    from: i64,
    to: i64,
    out: &mut Traffic,
) -> Result<(), StoreError> {
    let mut args = vec![
        SqlValue::Integer(out.start),
        SqlValue::Integer(out.step),
        SqlValue::Integer(from),
        SqlValue::Integer(to),
    ];
    let mut conds = vec!["slot >= ?3".to_owned(), "slot < ?4".to_owned(), "n > 0".to_owned()];
    if let Some(t) = f.event_type {
        args.push(SqlValue::Integer(t));
        conds.push(format!("typed = 1 AND event_type = ?{}", args.len()));
    }
    match f.verify {
        None => {}
        Some(VerifyFilter::Invalid) => conds.push("verify <> 'valid'".to_owned()),
        Some(VerifyFilter::Is(v)) => {
            args.push(SqlValue::Text(v.slug().to_owned()));
            conds.push(format!("verify = ?{}", args.len()));
        }
    }
    let sql = format!(
        "SELECT (slot * {unit} - ?1) / ?2, CASE WHEN typed THEN event_type END, SUM(n), \
         SUM(CASE WHEN verify <> 'valid' THEN n ELSE 0 END), SUM(CASE WHEN failed THEN n ELSE 0 END) \
         FROM {table} WHERE {} GROUP BY 1, 2",
        conds.join(" AND ")
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    while let Some(r) = rows.next()? {
        let n = |i| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
        out.add(r.get(0)?, r.get(1)?, n(2)?, n(3)?, n(4)?);
    }
    Ok(())
}

/// The statements that count the callbacks passing `f` (no text search) per bucket of `step` ms from
/// `start` and per event type, each with its arguments: one, or a stream's two halves.
fn counting_statements(f: &Filter, start: i64, step: i64) -> Result<Vec<(String, Vec<SqlValue>)>, StoreError> {
    // Read from the chart's index alone unless a stream, domain or picked ids narrow it more (a
    // stream: its two halves, `sources`).
    let narrowed = [&f.stream_id, &f.domain, &f.app_name]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| !s.is_empty()))
        || f.ids.is_some();
    let otherwise = if narrowed { "" } else { "INDEXED BY events_chart" };
    let mut out = Vec::new();
    for Source { from, where_, mut args } in sources(f, otherwise)? {
        args.push(SqlValue::Integer(start));
        args.push(SqlValue::Integer(step));
        let sql = format!(
            "SELECT (received_at - ?{a}) / ?{b}, event_type, COUNT(*), SUM(verify <> 'valid'), SUM(status <> 200) \
             FROM events {from} {where_} GROUP BY 1, 2",
            a = args.len() - 1,
            b = args.len(),
        );
        out.push((sql, args));
    }
    Ok(out)
}

/// Adds the callbacks that pass `f` (with both ends of its time range set), counted one by one.
fn count_events(tx: &rusqlite::Transaction, f: &Filter, out: &mut Traffic) -> Result<(), StoreError> {
    let (start, step) = (out.start, out.step);
    if !f.searches_text() {
        for (sql, args) in counting_statements(f, start, step)? {
            let mut stmt = tx.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
            while let Some(r) = rows.next()? {
                let n = |i| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                out.add(r.get(0)?, r.get(1)?, n(2)?, n(3)?, n(4)?);
            }
        }
    } else {
        // A text search: its matches are found the way the list finds them, and counted here.
        for part in query_parts(f, "received_at, event_type, verify, status", false)? {
            let mut stmt = tx.prepare(&part.sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(part.args.iter()))?;
            while let Some(r) = rows.next()? {
                if let Some(phrases) = &part.phrases {
                    let body: Vec<u8> = r.get(4)?;
                    if !holds(&body, phrases) {
                        continue;
                    }
                }
                let at: i64 = r.get(0)?;
                let verify: String = r.get(2)?;
                let status: i64 = r.get(3)?;
                out.add(
                    (at - start).div_euclid(step),
                    r.get(1)?,
                    1,
                    u64::from(verify != "valid"),
                    u64::from(status != 200),
                );
            }
        }
    }
    Ok(())
}

impl Store {
    /// The traffic of `filter` (paging ignored) in at most `max_buckets` buckets over its time range, or
    /// when it has none, over the stored callbacks' arrival times. `utc_offset_ms`: the asker's zone
    /// (east of UTC), so buckets of an hour or a day start on the hour or at midnight there.
    pub fn traffic(&self, filter: &Filter, max_buckets: u32, utc_offset_ms: i64) -> Result<Traffic, StoreError> {
        let f = Filter {
            before_id: None,
            limit: None,
            ..filter.clone()
        };
        f.check()?;
        self.with_reader(|conn| {
            let tx = conn.unchecked_transaction()?;
            let (first, last): (Option<i64>, Option<i64>) = if f.since.is_some() && f.until.is_some() {
                (None, None)
            } else {
                // Two subqueries: each is one step down the index, where `MIN(..), MAX(..)` together scan it.
                tx.query_row(
                    "SELECT (SELECT MIN(received_at) FROM events), (SELECT MAX(received_at) FROM events)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?
            };
            let (Some(since), Some(until)) = (f.since.or(first), f.until.or(last.map(|l| l + 1))) else {
                return Ok(Traffic::default());
            };
            if until <= since {
                return Ok(Traffic::default());
            }
            let step = step_for(until - since, max_buckets);
            let start = (since + utc_offset_ms).div_euclid(step) * step - utc_offset_ms;
            let buckets = u32::try_from((until - start + step - 1) / step).unwrap_or(MAX_BUCKETS);
            let mut out = Traffic {
                start,
                step,
                buckets,
                series: Vec::new(),
                unverified: vec![0; buckets as usize],
                failed: vec![0; buckets as usize],
                total: 0,
            };
            let narrowed = [&f.stream_id, &f.domain, &f.app_name]
                .iter()
                .any(|v| v.as_deref().is_some_and(|s| !s.is_empty()))
                || f.ids.is_some()
                || f.searches_text();
            // Whole slots are read from the per-minute counts when every bucket is whole minutes, else
            // from the per-second counts, when nothing narrows the callbacks below what those counts
            // tell apart; the part-slots at either end of the range are counted from the callbacks.
            let (table, unit) = if step % 60_000 == 0 {
                super::schema::TRAFFIC_TABLES[1]
            } else {
                super::schema::TRAFFIC_TABLES[0]
            };
            let (first_slot, end_slot) = (ceil_div(since, unit), until.div_euclid(unit));
            if !narrowed && step % unit == 0 && start % unit == 0 && first_slot < end_slot {
                count_slots(&tx, &f, table, unit, first_slot, end_slot, &mut out)?;
                let head = Filter {
                    since: Some(since),
                    until: Some(first_slot * unit),
                    ..f.clone()
                };
                let tail = Filter {
                    since: Some(end_slot * unit),
                    until: Some(until),
                    ..f.clone()
                };
                for part in [head, tail] {
                    if part.since < part.until {
                        count_events(&tx, &part, &mut out)?;
                    }
                }
            } else {
                let part = Filter {
                    since: Some(since),
                    until: Some(until),
                    ..f.clone()
                };
                count_events(&tx, &part, &mut out)?;
            }
            tx.finish()?;
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    /// One stream's chart reads that stream's rows, each half from where it starts (keyed.rs): its
    /// 2 000 callbacks of 20 000, all counted, the pending half in a few steps however old the
    /// chart's start (the time's bound on the id must not come first).
    #[test]
    fn one_streams_chart_reads_only_its_own_rows() {
        let (_dir, conn) = super::super::plans::twenty_thousand_callbacks();
        let f = Filter {
            stream_id: Some("s3".into()),
            since: Some(0),
            until: Some(20_001),
            ..Default::default()
        };
        let mut counted = 0;
        let statements = counting_statements(&f, 0, 1000).expect("statements");
        assert_eq!(statements.len(), 2, "the indexed half and the pending half");
        for (sql, args) in statements {
            let mut stmt = conn.prepare(&sql).expect("prepare");
            let n: i64 = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, i64>(2))
                .expect("query")
                .map(|n| n.expect("count"))
                .sum();
            counted += n;
            let steps = stmt.get_status(StatementStatus::VmStep);
            // The pending half (10 of the last 100) from the mark; walking the table is about 100 000
            // steps. The indexed half is forced onto the stream's index; each row it counts is a
            // look-up in the table (about 34 steps).
            let bound = if sql.contains("pending = 1") {
                2_000
            } else {
                40 * n.max(1)
            };
            assert!(i64::from(steps) < bound, "{steps} steps for {n} callbacks: {sql}");
        }
        assert_eq!(counted, 2000);
    }

    #[test]
    fn a_bucket_width_is_the_smallest_that_fits() {
        assert_eq!(step_for(60_000, 60), 1000);
        assert_eq!(step_for(60_001, 60), 2000);
        assert_eq!(step_for(3_600_000, 120), 30_000);
        assert_eq!(step_for(86_400_000, 100), 900_000);
        assert_eq!(step_for(1, 0), 1000, "at least one bucket");
        assert_eq!(
            step_for(i64::MAX / 4, 400),
            31_536_000_000,
            "the widest step for anything longer"
        );
    }
}
