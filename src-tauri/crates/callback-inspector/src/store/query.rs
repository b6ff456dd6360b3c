//! Reading: a [`Filter`] as SQL (and as a decision on one arriving callback), the row readers, and the
//! column lists the store's queries share.

use super::*;

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

impl Filter {
    /// Refuses a filter no query may run: more than [`MAX_IDS`] picked events.
    pub fn check(&self) -> Result<(), StoreError> {
        match &self.ids {
            Some(ids) if ids.len() > MAX_IDS => Err(StoreError::BadFilter(format!(
                "{} events are picked; pick at most {MAX_IDS}, or use a filter instead",
                ids.len()
            ))),
            _ => Ok(()),
        }
    }

    /// Whether the filter searches bodies for words: only the store can decide that (its index).
    pub fn searches_text(&self) -> bool {
        self.text.as_deref().is_some_and(|t| !t.trim().is_empty())
    }

    /// Whether `e` passes every condition but the text search ([`Filter::searches_text`]): the decision
    /// the SQL makes ([`conditions`]), for a callback as it arrives. `limit` does not apply to one event.
    pub fn keeps(&self, e: &EventSummary) -> bool {
        let same = |want: &Option<String>, have: &Option<String>| match want.as_deref().filter(|w| !w.is_empty()) {
            None => true,
            Some(w) => have.as_deref() == Some(w),
        };
        self.event_type.is_none_or(|t| e.event_type == Some(t))
            && same(&self.stream_id, &e.stream_id)
            && same(&self.domain, &e.domain)
            && same(&self.app_name, &e.app_name)
            && self.verify.is_none_or(|v| v.keeps(e.verify))
            && self.since.is_none_or(|t| e.received_at >= t)
            && self.until.is_none_or(|t| e.received_at < t)
            && self.before_id.is_none_or(|b| e.id < b)
            && self.ids.as_ref().is_none_or(|ids| ids.contains(&e.id))
    }
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

/// The most events a filter may pick by id.
pub const MAX_IDS: usize = 100_000;

/// How far out of arrival order a commit may be, in ids, when a time range becomes an id range.
pub(super) const TIME_SLACK_IDS: i64 = 10_000;

pub(super) const SUMMARY_COLUMNS: &str = "events.id, received_at, method, path, remote, body_size, event_type, stream_id, domain, app_name, sequence, verify, key_label, attempt, status, group_key";
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
pub(super) const LIGHT_COLUMNS: &str = "events.id, received_at, method, path, query, '[]', remote, CASE WHEN event_type = 332 AND length(events.body) <= 65536 THEN events.body ELSE x'' END, body_size, too_large, event_type, stream_id, domain, app_name, sequence, event_time, check_detail, group_key, attempt, status, delay_ms, answer, rule";

pub(super) const FULL_COLUMNS: &str = "events.id, received_at, method, path, query, headers, remote, events.body, body_size, too_large, event_type, stream_id, domain, app_name, sequence, event_time, check_detail, group_key, attempt, status, delay_ms, answer, rule";

pub(super) fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventSummary> {
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

pub(super) fn json_col<T: serde::de::DeserializeOwned>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_str(&s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

pub(super) fn full_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
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

/// One SELECT of a query, with its parameters; a limited one takes the row limit as one more.
pub(super) struct Part {
    pub(super) sql: String,
    pub(super) args: Vec<SqlValue>,
    /// Rows still to be matched against these phrases (the words of a text search, as tokens): the
    /// SELECT has no LIMIT and its last column is the body.
    pub(super) phrases: Option<Vec<Vec<String>>>,
}

/// The conditions of `f` other than text, with their parameters appended to `args`.
pub(super) fn conditions(f: &Filter, args: &mut Vec<SqlValue>) -> Result<Vec<String>, StoreError> {
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
        // Not through `events_unverified`: "<>" narrows nothing in it, so a page would read every
        // failed callback and sort them; newest first along the ids stops after a page of matches.
        // (A unary + keeps a term from choosing an index.)
        Some(VerifyFilter::Invalid) => conds.push(format!("+{UNVERIFIED}")),
        Some(VerifyFilter::Is(v)) => {
            conds.push(format!("verify = {}", arg(SqlValue::Text(v.slug().to_owned()))));
            // Written out so that SQLite sees that the partial index `events_unverified` holds every
            // row this asks for; there, one result's rows are in id order.
            if v != Verify::Valid {
                conds.push(UNVERIFIED.to_owned());
            }
        }
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
    f.check()?;
    if let Some(ids) = &f.ids {
        // One parameter whatever the count: the ids as a JSON array.
        let list = serde_json::to_string(ids).expect("ids serialise");
        conds.push(format!(
            "events.id IN (SELECT value FROM json_each({}))",
            arg(SqlValue::Text(list))
        ));
    }
    Ok(conds)
}

/// The condition of the partial index `events_unverified` (schema.rs), written the same way in a
/// query so that SQLite can tell the index applies.
pub(super) const UNVERIFIED: &str = "verify <> 'valid'";

/// The mark below which the full-text index is complete.
pub(super) const FTS_MARK: &str = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_through')";

/// The two halves of the callbacks of one stream or delivery group (schema.rs, DEFERRED_INDEXES): what
/// the partial `index` holds, found through it, and the pending few after the full-text index's mark,
/// read along the ids. Each as (what follows `FROM events`, a condition). Every pending id is greater
/// than every indexed one, so the halves never overlap and the pending half is the newer.
pub(super) fn halves(index: &str) -> [(String, String); 2] {
    [
        (format!("INDEXED BY {index}"), "events.pending = 0".to_owned()),
        (String::new(), format!("events.id > {FTS_MARK} AND events.pending = 1")),
    ]
}

/// One place the callbacks of a filter (without a text search) are read from: what follows `FROM
/// events`, its `WHERE` clause (or nothing), and the clause's arguments.
pub(super) struct Source {
    pub(super) from: String,
    pub(super) where_: String,
    pub(super) args: Vec<SqlValue>,
}

/// Where the callbacks passing `f` (without a text search) are read from: a stream's two halves, its
/// pending callbacks (the newest) first, then those in its index; else `otherwise` (an `INDEXED BY`,
/// or nothing for the planner to choose). A half's condition comes first in its clause: SQLite takes
/// the first of two equal lower bounds on the id, and the pending half's must be the mark's
/// (keyed.rs), never the caller's.
pub(super) fn sources(f: &Filter, otherwise: &str) -> Result<Vec<Source>, StoreError> {
    let parts: Vec<(String, Option<String>)> = if f.stream_id.as_deref().is_some_and(|s| !s.is_empty()) {
        let [indexed, pending] = halves("events_by_stream");
        [pending, indexed]
            .into_iter()
            .map(|(from, half)| (from, Some(half)))
            .collect()
    } else {
        vec![(otherwise.to_owned(), None)]
    };
    parts
        .into_iter()
        .map(|(from, half)| {
            let mut args = Vec::new();
            let mut conds = conditions(f, &mut args)?;
            if let Some(half) = half {
                conds.insert(0, half);
            }
            let where_ = if conds.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", conds.join(" AND "))
            };
            Ok(Source { from, where_, args })
        })
        .collect()
}

/// The SELECTs of `columns` for `f`, each newest first; run in order, their rows are the answer newest
/// first (a text search: the bodies after the index's mark, then the index). `limited`: each ends in
/// `LIMIT ?` for one more parameter.
pub(super) fn query_parts(f: &Filter, columns: &str, limited: bool) -> Result<Vec<Part>, StoreError> {
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
        // Walk the index of the most selective equality filter in id order; SQLite would otherwise
        // often walk the primary key and test every row (a stream: its two halves, `sources`).
        let otherwise = if f.domain.as_deref().is_some_and(|s| !s.is_empty()) {
            "INDEXED BY events_domain"
        } else if f.event_type.is_some() {
            "INDEXED BY events_type"
        } else {
            // A verification result is left to the planner (no INDEXED BY): a database opened only
            // for reading, written by a version before `events_unverified`, does not have it.
            ""
        };
        return Ok(sources(f, otherwise)?
            .into_iter()
            .map(|s| Part {
                sql: format!(
                    "SELECT {columns} FROM events {} {} ORDER BY events.id DESC{}",
                    s.from,
                    s.where_,
                    limit(&s.args)
                ),
                args: s.args,
                phrases: None,
            })
            .collect());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan of the list's query for `f`: each step's text.
    fn plan(conn: &Connection, f: &Filter) -> Vec<String> {
        let parts = query_parts(f, SUMMARY_COLUMNS, true).expect("query");
        let part = &parts[0];
        let mut args = part.args.clone();
        args.push(SqlValue::Integer(100));
        super::super::plans::query_plan(conn, &part.sql, rusqlite::params_from_iter(args))
    }

    /// Only callbacks that failed verification are in the verification index (it costs the commit
    /// nothing for the others); every verification filter still runs, through it or along the ids, and
    /// a domain's AppName is found through the domain's index.
    #[test]
    fn filters_walk_the_indexes_that_are_kept() {
        let (_dir, conn) = super::super::plans::new_database();
        let verify = |v| Filter {
            verify: Some(v),
            ..Default::default()
        };
        let uses = |f: &Filter, index: &str| plan(&conn, f).iter().any(|step| step.contains(index));
        // "Not verified": newest first along the ids, no sort of every failed callback.
        let invalid = plan(&conn, &verify(VerifyFilter::Invalid));
        assert!(
            invalid
                .iter()
                .all(|s| !s.contains("events_unverified") && !s.contains("TEMP B-TREE")),
            "{invalid:?}"
        );
        for v in Verify::ALL {
            let steps = plan(&conn, &verify(VerifyFilter::Is(v)));
            assert_eq!(
                steps
                    .iter()
                    .any(|s| s.contains("USING INDEX events_unverified (verify=?)")),
                v != Verify::Valid,
                "{v:?}: {steps:?}"
            );
            assert!(steps.iter().all(|s| !s.contains("TEMP B-TREE")), "{v:?}: {steps:?}");
        }
        let app = Filter {
            domain: Some("push.example.com".into()),
            app_name: Some("live".into()),
            ..Default::default()
        };
        assert!(uses(&app, "USING INDEX events_domain"));
        // A stream: its pending callbacks along the ids after the mark, then its index, each newest
        // first without a sort.
        let stream = Filter {
            stream_id: Some("cam".into()),
            event_type: Some(1),
            ..Default::default()
        };
        let parts = query_parts(&stream, SUMMARY_COLUMNS, true).expect("query");
        let plans: Vec<Vec<String>> = parts
            .iter()
            .map(|part| {
                let mut args = part.args.clone();
                args.push(SqlValue::Integer(100));
                super::super::plans::query_plan(&conn, &part.sql, rusqlite::params_from_iter(args))
            })
            .collect();
        assert_eq!(plans.len(), 2);
        assert!(plans[0].iter().any(|s| s.contains("id>?)")), "{:?}", plans[0]);
        assert!(
            plans[1]
                .iter()
                .any(|s| s.contains("USING INDEX events_by_stream (stream_id=?)")),
            "{:?}",
            plans[1]
        );
        assert!(plans.iter().flatten().all(|s| !s.contains("TEMP B-TREE")), "{plans:?}");
        let names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'events_%' ORDER BY name")
            .expect("indexes")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("names");
        assert_eq!(
            names,
            [
                "events_by_group",
                "events_by_stream",
                "events_chart",
                "events_domain",
                "events_type",
                "events_unverified"
            ]
        );
    }
}
