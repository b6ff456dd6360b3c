//! The store on its own: the full-text index kept off the commit path, searches that stay complete
//! while it lags, and its recovery from the mark it keeps.

use std::time::Duration;

use callback_inspector::{Answer, Captured, Check, Facts, Filter, Retention, Store, StoreError};

fn request(i: usize, word: &str) -> (Captured, Facts) {
    let body = format!(
        r#"{{"event_type":1,"stream_id":"cam{}","errmsg":"{word} number{i}"}}"#,
        i % 3
    );
    (
        Captured {
            received_at: 1_700_000_000_000 + i as i64,
            method: "POST".into(),
            path: "/push".into(),
            query: String::new(),
            headers: vec![],
            remote: "127.0.0.1:1".into(),
            body_size: body.len() as u64,
            body: body.into_bytes(),
            too_large: false,
        },
        Facts {
            event_type: Some(1),
            stream_id: Some(format!("cam{}", i % 3)),
            ..Default::default()
        },
    )
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
}

async fn fill(store: &Store, from: usize, to: usize) {
    for i in from..to {
        let word = if i % 2 == 0 { "Needle" } else { "hay" };
        let (c, f) = request(i, word);
        store
            .insert(c, f, Check::Unsigned, format!("g{i}"), |_| Answer::ok())
            .await
            .expect("insert");
    }
}

fn ids(store: &Store, f: &Filter) -> Vec<i64> {
    let mut out = Vec::new();
    let mut f = Filter {
        limit: Some(7),
        ..f.clone()
    };
    loop {
        let page = store.query(&f).expect("query");
        out.extend(page.items.iter().map(|e| e.id));
        match page.next_before_id {
            Some(id) => f.before_id = Some(id),
            None => return out,
        }
    }
}

#[tokio::test]
async fn a_search_is_complete_while_the_index_lags_and_the_index_catches_up_from_its_mark() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("events.db");
    let store = Store::open(&path, Retention::default()).expect("open");
    fill(&store, 0, 60).await;
    // Closing indexes everything that is left.
    store.close();
    let reader = Store::open_reader(&path).expect("reader");
    assert_eq!(reader.indexed_through().expect("mark"), (60, 60));
    let needles = |s: &Store| {
        ids(
            s,
            &Filter {
                text: Some("needle".into()),
                ..Default::default()
            },
        )
    };
    let all_even: Vec<i64> = (1..=60).rev().filter(|id| (id - 1) % 2 == 0).collect();
    assert_eq!(needles(&reader), all_even, "case-insensitive, newest first, paged");
    drop(reader);

    // As after a crash with the index behind: the mark at 25, nothing indexed after it.
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute("DELETE FROM events_fts WHERE rowid > 25", [])
            .expect("unindex");
        conn.execute("UPDATE meta SET value = '25' WHERE key = 'fts_through'", [])
            .expect("mark");
    }
    let reader = Store::open_reader(&path).expect("reader");
    assert_eq!(reader.indexed_through().expect("mark"), (25, 60));
    // The bodies after the mark are scanned, the rest come from the index: the same answer, across the
    // boundary, with the other conditions and in counts.
    assert_eq!(needles(&reader), all_even);
    let cam0 = Filter {
        text: Some("Needle".into()),
        stream_id: Some("cam0".into()),
        ..Default::default()
    };
    let expected: Vec<i64> = (1..=60).rev().filter(|id| (id - 1) % 6 == 0).collect();
    assert_eq!(ids(&reader, &cam0), expected);
    assert_eq!(reader.count(&cam0).expect("count"), expected.len() as u64);
    // "_" would match any character in a LIKE pattern ("Needle"); it is taken literally.
    let literal = Filter {
        text: Some("need_e".into()),
        ..Default::default()
    };
    assert!(
        ids(&reader, &literal).is_empty(),
        "LIKE wildcards in the words are literal"
    );
    // Whole words on both sides of the mark: a part of a word finds nothing anywhere, a whole one
    // finds its body whether indexed (number10, id 11) or not (number40, id 41).
    let text = |t: &str| Filter {
        text: Some(t.into()),
        ..Default::default()
    };
    assert!(ids(&reader, &text("numb")).is_empty());
    assert_eq!(ids(&reader, &text("NUMBER10")), vec![11]);
    assert_eq!(ids(&reader, &text("number40")), vec![41]);
    assert_eq!(
        ids(&reader, &text("\"errmsg\":\"Needle number40")),
        vec![41],
        "punctuation separates words, as in the index"
    );
    assert_eq!(reader.count(&text("number40 needle")).expect("count"), 1);
    assert!(matches!(
        reader
            .insert(request(0, "x").0, Facts::default(), Check::Unsigned, "g".into(), |_| {
                Answer::ok()
            })
            .await,
        Err(StoreError::Closed)
    ));
    drop(reader);

    // The writer, once open and idle, indexes from the mark on.
    let keep_all = Retention {
        max_events: 0,
        max_age_days: 0,
        max_mb: 0,
    };
    let store = Store::open(&path, keep_all).expect("reopen");
    let mut waited = Duration::ZERO;
    while store.indexed_through().expect("mark") != (60, 60) {
        assert!(waited < Duration::from_secs(10), "the index catches up");
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += Duration::from_millis(20);
    }
    assert_eq!(needles(&store), all_even);
    // New callbacks are found at once, indexed or not.
    fill(&store, 60, 64).await;
    assert_eq!(needles(&store)[..2], [63, 61]);

    // Retention takes every event (all are from 2023); ids go on from the highest ever handed out,
    // and what comes next is found.
    store
        .set_retention(Retention {
            max_events: 0,
            max_age_days: 30,
            max_mb: 0,
        })
        .expect("retention");
    // Retention runs after the batch that carried the change; the next flush comes after it.
    store.flush().expect("flush");
    store.flush().expect("flush");
    assert_eq!(store.count(&Filter::default()).expect("count"), 0);
    fill(&store, 64, 66).await;
    assert_eq!(needles(&store), vec![65]);
    assert_eq!(
        ids(&store, &Filter::default()),
        vec![66, 65],
        "no id is handed out twice"
    );
    store.close();
    assert_eq!(
        Store::open_reader(&path)
            .expect("reader")
            .indexed_through()
            .expect("mark"),
        (66, 66)
    );
}

#[test]
fn a_file_that_is_not_an_event_database_is_refused_by_the_reader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.db");
    rusqlite::Connection::open(&path)
        .expect("raw")
        .execute_batch("CREATE TABLE t (x)")
        .expect("table");
    assert!(matches!(Store::open_reader(&path), Err(StoreError::Open { .. })));
    assert!(matches!(
        Store::open_reader(&dir.path().join("missing.db")),
        Err(StoreError::Open { .. })
    ));
}

/// A database written by an earlier version, which took an audio audit's `seq` or a recording's
/// `session_id` for the push session, is read again once: the session is the body's `sequence` only.
#[tokio::test]
async fn push_sessions_stored_by_an_earlier_version_are_read_again_from_sequence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("events.db");
    let store = Store::open(&path, Retention::default()).expect("open");
    for (body, stored) in [
        (r#"{"event_type":1,"stream_id":"cam","sequence":"push-1"}"#, "push-1"),
        (r#"{"event_type":315,"stream_id":"cam","seq":"audit-7"}"#, "audit-7"),
        (
            r#"{"event_type":332,"stream_id":"cam","session_id":"sess-1"}"#,
            "sess-1",
        ),
        (r#"{"event_type":0,"stream_id":"cam","sequence":9}"#, "9"),
    ] {
        let (mut c, mut f) = request(0, "x");
        c.body = body.as_bytes().to_vec();
        // Recent: the reopened store's writer applies the 30-day retention as it starts, and an
        // event from 2023 would be removed by it while (or before) the sessions are read.
        c.received_at = now_ms();
        f.sequence = Some(stored.into());
        f.stream_id = Some("cam".into());
        store
            .insert(c, f, Check::Unsigned, body.into(), |_| Answer::ok())
            .await
            .expect("insert");
    }
    drop(store);
    // What the earlier version left: no mark that the sessions were read again.
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute("DELETE FROM meta WHERE key = 'sequence_only'", [])
        .expect("unmark");
    drop(conn);

    let store = Store::open(&path, Retention::default()).expect("reopen");
    let sessions: Vec<Option<String>> = store
        .stream_events("cam", 0, i64::MAX, 5000)
        .expect("stream")
        .events
        .into_iter()
        .map(|e| e.facts.sequence)
        .collect();
    assert_eq!(sessions, vec![Some("push-1".into()), None, None, None]);
}

/// The database holds push secrets, addresses and valid signatures: only its owner may read it.
#[cfg(unix)]
#[tokio::test]
async fn the_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("new").join("inspector");
    let db = folder.join("events.db");
    let store = Store::open(&db, Retention::default()).expect("open");
    fill(&store, 0, 3).await;
    store.flush().expect("flush");
    assert_eq!(mode(&folder), 0o700, "a folder made for the database");
    assert_eq!(mode(&dir.path().join("new")), 0o700, "a parent made for the database");
    for suffix in ["", "-wal", "-shm"] {
        let file = folder.join(format!("events.db{suffix}"));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    store.close();

    // A database left readable by an earlier version is narrowed when opened again.
    for suffix in ["", "-wal", "-shm"] {
        let file = folder.join(format!("events.db{suffix}"));
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        }
    }
    let store = Store::open(&db, Retention::default()).expect("open again");
    fill(&store, 3, 4).await;
    store.flush().expect("flush");
    for suffix in ["", "-wal", "-shm"] {
        let file = folder.join(format!("events.db{suffix}"));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    store.close();
}

/// Retention by size: a few large bodies are enough to bring it on, and what stays fits the limit,
/// newest kept.
#[tokio::test]
async fn retention_by_size_keeps_the_newest_within_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(
        &dir.path().join("events.db"),
        Retention {
            max_events: 0,
            max_age_days: 0,
            max_mb: 0,
        },
    )
    .expect("open");
    let big = "x".repeat(32 * 1024);
    let insert = |i: usize| {
        let (mut c, f) = request(i, "big");
        c.body = format!(r#"{{"event_type":1,"n":{i},"pad":"{big}"}}"#).into_bytes();
        c.body_size = c.body.len() as u64;
        store.insert(c, f, Check::Unsigned, format!("g{i}"), |_| Answer::ok())
    };
    for i in 0..200 {
        insert(i).await.expect("insert");
    }
    store.flush().expect("flush");
    let all = store.count(&Filter::default()).expect("count");
    assert_eq!(all, 200);
    store
        .set_retention(Retention {
            max_events: 0,
            max_age_days: 0,
            max_mb: 1,
        })
        .expect("retention");
    insert(200).await.expect("insert");
    store.flush().expect("flush");
    let kept = ids(&store, &Filter::default());
    assert!(
        !kept.is_empty() && kept.len() < 32,
        "{} kept of 201 bodies of 32 KiB under 1 MiB",
        kept.len()
    );
    assert_eq!(kept[0], 201, "the newest stays");
    let windows: Vec<_> = kept.windows(2).filter(|w| w[0] != w[1] + 1).collect();
    assert!(windows.is_empty(), "the oldest went first: {kept:?}");
    assert_eq!(
        store.stored().expect("stored"),
        kept.len() as u64,
        "the running count follows what retention removed"
    );
    store.close();
    // Keeping all: the default's 30 days would remove these 2023 events as the writer starts,
    // racing the count read here.
    let reopened = Store::open(&dir.path().join("events.db"), keep_all()).expect("reopen");
    assert_eq!(
        reopened.stored().expect("stored"),
        kept.len() as u64,
        "counted again at open"
    );
}

/// A timeline reads the newest `limit` events of its stream and says whether older ones were left
/// out; asking for more gives the older ones too, never more than the cap.
#[tokio::test]
async fn a_stream_is_read_newest_first_in_bounded_slices() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("events.db"), Retention::default()).expect("store");
    fill(&store, 0, 30).await; // cam0, cam1, cam2 in turn: 10 each.
    let slice = store.stream_events("cam1", 0, i64::MAX, 4).expect("slice");
    assert!(slice.older, "6 older events were left out");
    let ids: Vec<i64> = slice.events.iter().map(|e| e.id).collect();
    let all = store.stream_events("cam1", 0, i64::MAX, 100).expect("all");
    assert!(!all.older);
    assert_eq!(all.events.len(), 10);
    let all_ids: Vec<i64> = all.events.iter().map(|e| e.id).collect();
    assert!(all_ids.windows(2).all(|w| w[0] < w[1]), "oldest first: {all_ids:?}");
    assert_eq!(ids, all_ids[6..].to_vec(), "the newest four, oldest first");
    let exact = store.stream_events("cam1", 0, i64::MAX, 10).expect("exact");
    assert!(!exact.older, "exactly as many as there are leaves none out");
    assert_eq!(
        store
            .stream_events("cam1", 0, i64::MAX, usize::MAX)
            .expect("capped")
            .events
            .len(),
        10
    );
    assert_eq!(
        store
            .stream_events("cam1", 0, i64::MAX, 0)
            .expect("at least one")
            .events
            .len(),
        1
    );
}

/// The live view decides each arrival with `Filter::keeps`; the list asks SQL. They must agree on
/// every filter, or a callback shows live and then vanishes on reload (or the reverse).
#[tokio::test]
async fn a_filter_keeps_an_arriving_callback_exactly_when_the_query_returns_it() {
    use callback_inspector::{Verify, VerifyFilter};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("events.db"), Retention::default()).expect("store");
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    for i in 0..48usize {
        let (mut c, _) = request(i, "word");
        c.received_at = 1_700_000_000_000 + (i as i64) * 1000;
        let facts = Facts {
            event_type: [Some(1), Some(0), Some(100), None][i % 4],
            stream_id: opt(["a", "b", ""][i % 3]),
            domain: opt(["d1.example.com", "d2.example.com"][i % 2]),
            app_name: opt(["live", "", "edu"][(i / 2) % 3]),
            ..Default::default()
        };
        let check = match i % 5 {
            0 => Check::Valid {
                key: "k".into(),
                expires_in: 60,
            },
            1 => Check::BadSign,
            2 => Check::Unsigned,
            3 => Check::Expired {
                key: "k".into(),
                ago: 5,
            },
            _ => Check::Malformed { error: "no".into() },
        };
        store
            .insert(c, facts, check, format!("g{i}"), |_| Answer::ok())
            .await
            .expect("insert");
    }
    let all = store
        .query(&Filter {
            limit: Some(1000),
            ..Default::default()
        })
        .expect("query")
        .items;
    assert_eq!(all.len(), 48);
    let some = |s: &str| Some(s.to_owned());
    let mut filters = Vec::new();
    for event_type in [None, Some(1), Some(100), Some(7)] {
        for stream_id in [None, some("a"), some(""), some("zz")] {
            for domain in [None, some("d2.example.com")] {
                for app_name in [None, some("live")] {
                    for verify in [
                        None,
                        Some(VerifyFilter::Invalid),
                        Some(VerifyFilter::Is(Verify::Unsigned)),
                    ] {
                        filters.push(Filter {
                            event_type,
                            stream_id: stream_id.clone(),
                            domain: domain.clone(),
                            app_name: app_name.clone(),
                            verify,
                            ..Default::default()
                        });
                    }
                }
            }
        }
    }
    filters.push(Filter {
        since: Some(1_700_000_010_000),
        until: Some(1_700_000_030_000),
        ..Default::default()
    });
    filters.push(Filter {
        ids: Some(vec![3, 9, 47, 1000]),
        before_id: Some(40),
        ..Default::default()
    });
    let mut nonempty = 0;
    for f in &filters {
        let mut by_sql = ids(&store, f);
        by_sql.sort_unstable();
        let mut by_rust: Vec<i64> = all.iter().filter(|e| f.keeps(e)).map(|e| e.id).collect();
        by_rust.sort_unstable();
        assert_eq!(by_rust, by_sql, "{f:?}");
        nonempty += usize::from(!by_sql.is_empty() && by_sql.len() < all.len());
    }
    assert!(
        nonempty > filters.len() / 4,
        "the filters must tell events apart: {nonempty}"
    );
    assert_eq!(store.stored().expect("stored"), 48);
    // A retention change is applied before it answers, so the count read next is already right.
    store
        .apply_retention(Retention {
            max_events: 10,
            max_age_days: 0,
            max_mb: 0,
        })
        .await
        .expect("retention");
    assert_eq!(store.stored().expect("stored"), 10);
    assert_eq!(store.count(&Filter::default()).expect("count"), 10);
}

/// Keeps everything: the traffic tests' callbacks are from 2023, older than the default 30 days.
fn keep_all() -> Retention {
    Retention {
        max_events: 0,
        max_age_days: 0,
        max_mb: 0,
    }
}

/// Stores 300 callbacks spread over about 50 minutes, a little out of order, of four event types (one
/// none), some not verified and some not answered 200.
async fn fill_traffic(store: &Store) {
    let types = [Some(1), Some(0), Some(200), None];
    for i in 0..300usize {
        let word = if i % 5 == 0 { "Needle" } else { "hay" };
        let (mut c, mut f) = request(i, word);
        c.received_at = 1_700_000_000_000 + (i as i64) * 10_000 - (i as i64 % 4) * 3_000;
        f.event_type = types[i % 4];
        let check = if i % 7 == 0 {
            Check::BadSign
        } else {
            Check::Valid {
                key: "k".into(),
                expires_in: 60,
            }
        };
        let answer = if i % 11 == 0 {
            Answer {
                status: 500,
                ..Answer::ok()
            }
        } else {
            Answer::ok()
        };
        store
            .insert(c, f, check, format!("g{i}"), move |_| answer)
            .await
            .expect("insert");
    }
}

/// Every callback `f` lists.
fn list_all(store: &Store, f: &Filter) -> Vec<callback_inspector::EventSummary> {
    let mut out = Vec::new();
    let mut f = Filter {
        limit: Some(1000),
        ..f.clone()
    };
    loop {
        let page = store.query(&f).expect("query");
        out.extend(page.items);
        match page.next_before_id {
            Some(id) => f.before_id = Some(id),
            None => return out,
        }
    }
}

/// Asserts that the chart of `f` in `buckets` buckets in the zone `offset` ms east of UTC counts exactly
/// the callbacks `f` lists, each in its bucket, by event type, with those not verified and not 200.
fn assert_traffic_is_the_list(store: &Store, what: &str, f: &Filter, buckets: u32, offset: i64) {
    let t = store.traffic(f, buckets, offset).expect("traffic");
    let listed = list_all(store, f);
    assert_eq!(t.total as usize, listed.len(), "{what}: every listed callback counted");
    assert!(
        t.buckets <= callback_inspector::MAX_BUCKETS + 1,
        "{what}: {} buckets",
        t.buckets
    );
    if t.total > 0 {
        assert_eq!(
            (t.start + offset).rem_euclid(t.step),
            0,
            "{what}: buckets start on the step in the zone"
        );
    }
    let mut want = std::collections::BTreeMap::<(Option<i64>, usize), u64>::new();
    let mut unverified = vec![0u64; t.buckets as usize];
    let mut failed = vec![0u64; t.buckets as usize];
    for e in &listed {
        let b = usize::try_from((e.received_at - t.start) / t.step).expect("after the start");
        assert!(b < t.buckets as usize, "{what}: callback {} inside the chart", e.id);
        *want.entry((e.event_type, b)).or_default() += 1;
        unverified[b] += u64::from(e.verify != callback_inspector::Verify::Valid);
        failed[b] += u64::from(e.status != 200);
    }
    let mut got = std::collections::BTreeMap::new();
    for s in &t.series {
        for (b, c) in s.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            got.insert((s.event_type, b), *c);
        }
    }
    assert_eq!(got, want, "{what}, {buckets} buckets: counts by type and bucket");
    assert_eq!(t.unverified, unverified, "{what}: not verified");
    assert_eq!(t.failed, failed, "{what}: not answered 200");
}

/// The traffic chart's counts are the list's: for every filter, each bucket holds exactly the listed
/// callbacks that arrived in it, by event type, with those not verified and not answered 200. Buckets of
/// whole minutes are read from the per-minute counts, narrower ones from the per-second counts, and a
/// range's part-slots at either end and narrowed filters from the callbacks: all are checked.
#[tokio::test]
async fn the_traffic_counts_are_the_listed_callbacks_bucketed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("events.db"), keep_all()).expect("open");
    fill_traffic(&store).await;
    assert_eq!(list_all(&store, &Filter::default()).len(), 300, "every callback kept");
    let filters = [
        Filter::default(),
        Filter {
            event_type: Some(0),
            ..Default::default()
        },
        Filter {
            stream_id: Some("cam1".into()),
            ..Default::default()
        },
        Filter {
            verify: Some(callback_inspector::VerifyFilter::Invalid),
            ..Default::default()
        },
        Filter {
            verify: Some(callback_inspector::VerifyFilter::Is(callback_inspector::Verify::Valid)),
            event_type: Some(200),
            ..Default::default()
        },
        Filter {
            text: Some("needle".into()),
            ..Default::default()
        },
        Filter {
            since: Some(1_700_000_600_000),
            until: Some(1_700_001_800_000),
            ..Default::default()
        },
        // Neither end on a minute, so the part-minutes at both ends are counted from the callbacks.
        Filter {
            since: Some(1_700_000_012_345),
            until: Some(1_700_002_345_678),
            event_type: Some(1),
            verify: Some(callback_inspector::VerifyFilter::Invalid),
            ..Default::default()
        },
        Filter {
            since: Some(1_700_000_040_000),
            until: Some(1_700_002_880_000),
            ..Default::default()
        },
    ];
    for (n, f) in filters.iter().enumerate() {
        for (buckets, offset) in [(40, 0), (400, 8 * 3_600_000), (7, -5 * 3_600_000), (3, 330 * 60_000)] {
            assert_traffic_is_the_list(&store, &format!("filter {n}"), f, buckets, offset);
        }
    }
    // Nothing stored in a range: no buckets with anything in them.
    let empty = store
        .traffic(
            &Filter {
                since: Some(1),
                until: Some(2),
                ..Default::default()
            },
            50,
            0,
        )
        .expect("traffic");
    assert_eq!(empty.total, 0);
}

/// Callbacks that retention deletes leave the chart as they leave the list.
#[tokio::test]
async fn the_traffic_forgets_what_retention_deletes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("events.db"), keep_all()).expect("open");
    fill_traffic(&store).await;
    store
        .apply_retention(Retention {
            max_events: 120,
            max_age_days: 0,
            max_mb: 0,
        })
        .await
        .expect("retention");
    let kept = list_all(&store, &Filter::default()).len();
    assert_eq!(kept, 120, "retention kept the newest 120 of the 300");
    // Over the whole stored range and over a range of whole minutes that includes the deleted ones.
    let whole_minutes = Filter {
        since: Some(1_699_999_980_000),
        until: Some(1_700_003_040_000),
        ..Default::default()
    };
    for f in [Filter::default(), whole_minutes] {
        for (buckets, offset) in [(40, 0), (7, 3_600_000)] {
            assert_traffic_is_the_list(&store, "after retention", &f, buckets, offset);
        }
    }
}

/// A database from before the per-second and per-minute counts gets them counted once when opened;
/// callbacks stored afterwards by a version without them are counted when this one opens it again; and
/// the counts follow what is stored from then on.
#[tokio::test]
async fn a_database_from_before_the_traffic_counts_is_counted_when_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("events.db");
    {
        let store = Store::open(&path, keep_all()).expect("open");
        fill_traffic(&store).await;
        store.flush().expect("flush");
        store.close();
    }
    let raw = || rusqlite::Connection::open(&path).expect("raw");
    raw()
        .execute_batch(
            "DROP TABLE traffic_minutes; DROP TABLE traffic_seconds; \
             DELETE FROM meta WHERE key IN ('traffic_counts', 'traffic_through');",
        )
        .expect("make it an older database");
    {
        let store = Store::open(&path, keep_all()).expect("reopen");
        assert_eq!(list_all(&store, &Filter::default()).len(), 300);
        assert_traffic_is_the_list(&store, "counted when opened", &Filter::default(), 40, 0);
        store.close();
    }
    // An older version stores two more callbacks (copies of the first, a minute later) without counting.
    raw()
        .execute_batch(
            "INSERT INTO events (id, received_at, method, path, query, headers, remote, body, body_size, too_large, \
                 event_type, stream_id, domain, app_name, sequence, event_time, verify, check_detail, key_label, \
                 group_key, attempt, status, delay_ms, answer, rule) \
             SELECT (SELECT MAX(id) FROM events) + n, received_at + 60000, method, path, query, headers, remote, body, \
                 body_size, too_large, event_type, stream_id, domain, app_name, sequence, event_time, verify, \
                 check_detail, key_label, group_key || n, attempt, status, delay_ms, answer, rule \
             FROM events, (SELECT 1 AS n UNION SELECT 2) WHERE id = 1;",
        )
        .expect("stored by an older version");
    let store = Store::open(&path, keep_all()).expect("reopen");
    assert_eq!(list_all(&store, &Filter::default()).len(), 302);
    assert_traffic_is_the_list(&store, "counted when opened again", &Filter::default(), 40, 0);
    let (mut c, f) = request(1000, "late");
    c.received_at = 1_700_000_030_000;
    store
        .insert(c, f, Check::Unsigned, "late".into(), |_| Answer::ok())
        .await
        .expect("insert");
    store.flush().expect("flush");
    assert_traffic_is_the_list(&store, "and then kept", &Filter::default(), 40, 0);
    assert_traffic_is_the_list(&store, "and then kept, in seconds", &Filter::default(), 400, 0);
}

/// A database in a new folder holding [`fill_one_stream`]'s `n` callbacks, closed (everything indexed).
async fn stored_stream(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("events.db");
    let store = Store::open(&path, keep_all()).expect("open");
    fill_one_stream(&store, n).await;
    store.close();
    (dir, path)
}

/// How many callbacks are pending (outside the stream and group indexes).
fn pending(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT COUNT(*) FROM events WHERE pending = 1", [], |r| r.get(0))
        .expect("pending")
}

/// What makes a database look written before deferred indexing: no `pending` column, no partial indexes.
const BEFORE_DEFERRED_INDEXING: &str =
    "DROP INDEX events_by_stream; DROP INDEX events_by_group; ALTER TABLE events DROP COLUMN pending;";

/// Stores `n` callbacks of the stream `cam` (push session "s1" for the first half, "s2" after), all
/// one delivery group `g` repeated, received over the last `n` ms.
async fn fill_one_stream(store: &Store, n: usize) {
    let now = now_ms();
    for i in 0..n {
        let (mut c, mut f) = request(i, "hay");
        c.received_at = now - (n - i) as i64;
        f.stream_id = Some("cam".into());
        f.sequence = Some(if i < n / 2 { "s1" } else { "s2" }.into());
        store
            .insert(c, f, Check::Unsigned, "g".into(), |_| Answer::ok())
            .await
            .expect("insert");
    }
}

/// The stream and delivery-group indexes are filled behind the commit path (with the full-text
/// index): a callback is `pending` until then. Every query on one stream or group reads both the
/// index and the pending callbacks, newest first across the boundary, and numbering attempts carries
/// on across it, also after a restart that found callbacks pending.
#[tokio::test]
async fn stream_and_group_queries_read_the_index_and_the_pending_callbacks_alike() {
    let (_dir, path) = stored_stream(40).await;
    // As after a crash with the indexes behind: callbacks 26.. pending, the mark at 25.
    {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        assert_eq!(pending(&conn), 0, "closing the store indexes everything");
        conn.execute_batch(
            "UPDATE events SET pending = 1 WHERE id > 25; DELETE FROM events_fts WHERE rowid > 25; \
             UPDATE meta SET value = '25' WHERE key = 'fts_through';",
        )
        .expect("unindex");
        // The pending callbacks are in neither index.
        for index in ["events_by_stream", "events_by_group"] {
            let n: i64 = conn
                .query_row(
                    &format!("SELECT COUNT(*) FROM events INDEXED BY {index} WHERE pending = 0"),
                    [],
                    |r| r.get(0),
                )
                .expect("count");
            assert_eq!(n, 25, "{index}");
        }
    }
    let check = |store: &Store, n: i64| {
        let all: Vec<i64> = (1..=n).rev().collect();
        let stream = Filter {
            stream_id: Some("cam".into()),
            ..Default::default()
        };
        // Pages of 7 cross the boundary between pending and indexed.
        assert_eq!(ids(store, &stream), all, "the stream's list");
        assert_eq!(store.count(&stream).expect("count"), n as u64);
        let attempts = store.attempts("g").expect("attempts");
        assert_eq!(
            attempts.iter().map(|a| a.id).collect::<Vec<_>>(),
            (1..=n).collect::<Vec<_>>(),
            "the group's attempts, oldest first"
        );
        assert_eq!(
            attempts.iter().map(|a| i64::from(a.attempt)).collect::<Vec<_>>(),
            (1..=n).collect::<Vec<_>>(),
            "numbered one after another"
        );
        let timeline = store.stream_events("cam", 0, i64::MAX, 30).expect("timeline");
        assert!(timeline.older);
        assert_eq!(
            timeline.events.iter().map(|e| e.id).collect::<Vec<_>>(),
            (n - 29..=n).collect::<Vec<_>>()
        );
        let middle = store.stream_events("cam", 20, 30, 100).expect("timeline");
        assert_eq!(
            middle.events.iter().map(|e| e.id).collect::<Vec<_>>(),
            (21..30).collect::<Vec<_>>()
        );
        // Session s1 is ids 1..=20, s2 from 21: each one's span ends at the other's edge.
        assert_eq!(store.session_span("cam", "s1").expect("span"), Some((0, 21)));
        assert_eq!(store.session_span("cam", "s2").expect("span"), Some((20, i64::MAX)));
        assert_eq!(store.session_near("cam", 30).expect("near").as_deref(), Some("s2"));
        assert_eq!(store.streams(10).expect("streams"), ["cam"]);
        let (arrivals, more) = store.arrivals("cam", 0, i64::MAX, 1000).expect("arrivals");
        assert!(!more);
        assert_eq!(
            arrivals.iter().map(|a| a.id).collect::<Vec<_>>(),
            (1..=n).collect::<Vec<_>>()
        );
    };
    let reader = Store::open_reader(&path).expect("reader");
    check(&reader, 40);
    drop(reader);
    // The writer finds the group's latest attempt among the pending callbacks, whether or not it has
    // indexed them yet.
    // (It indexes them within 50 ms of being idle: the two inserts usually come first, and the unit test
    // `pending_groups_are_read_back_from_the_database` holds the reading.)
    let store = Store::open(&path, keep_all()).expect("reopen");
    fill_one_stream(&store, 2).await;
    store.flush().expect("flush");
    let latest = store.attempts("g").expect("attempts");
    assert_eq!(latest.last().map(|a| (a.id, a.attempt)), Some((42, 42)));
    store.close();
    let reader = Store::open_reader(&path).expect("reader");
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    assert_eq!(pending(&conn), 0);
    drop(conn);
    // Two more, session s1 then s2 again: 41 is s1, so s1 reaches up to s2's 42.
    assert_eq!(reader.session_span("cam", "s1").expect("span"), Some((0, 42)));
}

/// A database written before deferred indexing (no `pending` column; the stream and group indexes
/// over every row) is upgraded when opened, by a reader too, and reads the same.
#[tokio::test]
async fn a_database_from_before_deferred_indexing_is_upgraded_by_a_reader_or_a_writer() {
    for writer in [false, true] {
        let (_dir, path) = stored_stream(10).await;
        {
            let conn = rusqlite::Connection::open(&path).expect("sqlite");
            conn.execute_batch(&format!(
                "{BEFORE_DEFERRED_INDEXING} CREATE INDEX events_stream ON events (stream_id, id); \
                 CREATE INDEX events_group ON events (group_key, id);"
            ))
            .expect("as before");
        }
        let store = if writer {
            Store::open(&path, keep_all()).expect("open")
        } else {
            Store::open_reader(&path).expect("reader")
        };
        let stream = Filter {
            stream_id: Some("cam".into()),
            ..Default::default()
        };
        assert_eq!(ids(&store, &stream), (1..=10).rev().collect::<Vec<i64>>());
        assert_eq!(store.attempts("g").expect("attempts").len(), 10);
        if writer {
            fill_one_stream(&store, 1).await;
            assert_eq!(
                store.attempts("g").expect("attempts").last().map(|a| a.attempt),
                Some(11)
            );
        }
        store.close();
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        let names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN ('events_stream', 'events_group', 'events_by_stream', 'events_by_group') ORDER BY name")
            .expect("indexes")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("names");
        // A reader leaves the old indexes to a receiver of the earlier version that may still be
        // storing; a writer of this version drops them.
        if writer {
            assert_eq!(names, ["events_by_group", "events_by_stream"]);
        } else {
            assert_eq!(
                names,
                ["events_by_group", "events_by_stream", "events_group", "events_stream"]
            );
        }
    }
}

/// A database that cannot be upgraded now (another program holds its write lock for longer than the
/// store waits) says so and what to do; nothing of it is lost.
#[tokio::test]
async fn a_reader_that_cannot_upgrade_an_old_database_says_what_to_do() {
    let (_dir, path) = stored_stream(3).await;
    let holder = rusqlite::Connection::open(&path).expect("sqlite");
    holder.execute_batch(BEFORE_DEFERRED_INDEXING).expect("as before");
    holder.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let err = Store::open_reader(&path).expect_err("cannot upgrade");
    assert!(matches!(err, StoreError::Upgrade { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("earlier version") && message.contains("with write access"),
        "{message}"
    );
    holder.execute_batch("ROLLBACK").expect("unlock");
    drop(holder);
    let reader = Store::open_reader(&path).expect("upgraded once the lock is gone");
    assert_eq!(reader.attempts("g").expect("attempts").len(), 3);
}

/// An earlier version that indexed callbacks this one had left pending (after a crash) moved the mark
/// without clearing `pending`: they were behind the mark and outside the indexes, in neither half. This
/// version finds them by its own mark and indexes them when it opens the file.
#[tokio::test]
async fn callbacks_an_earlier_version_indexed_past_this_ones_mark_are_found() {
    let (_dir, path) = stored_stream(20).await;
    rusqlite::Connection::open(&path)
        .expect("sqlite")
        .execute_batch(
            "UPDATE events SET pending = 1 WHERE id > 12; UPDATE meta SET value = '12' WHERE key = 'pending_through';",
        )
        .expect("as an earlier version leaves it");
    let reader = Store::open(&path, keep_all()).expect("open");
    let stream = Filter {
        stream_id: Some("cam".into()),
        ..Default::default()
    };
    assert_eq!(ids(&reader, &stream), (1..=20).rev().collect::<Vec<i64>>());
    assert_eq!(reader.attempts("g").expect("attempts").len(), 20);
    fill_one_stream(&reader, 1).await;
    assert_eq!(
        reader.attempts("g").expect("attempts").last().map(|a| a.attempt),
        Some(21)
    );
    reader.close();
}

/// Retention that removes every callback of a delivery group, pending or indexed, starts the group
/// again at attempt 1 (as it always did), and one it leaves carries on.
#[tokio::test]
async fn a_group_retention_removed_starts_again_at_attempt_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("events.db"), keep_all()).expect("open");
    let now = now_ms();
    let insert = |group: &'static str, i: usize| {
        let store = store.clone();
        async move {
            let (mut c, f) = request(i, "hay");
            c.received_at = now + i as i64;
            store
                .insert(c, f, Check::Unsigned, group.into(), |_| Answer::ok())
                .await
                .expect("insert")
                .event
                .attempt
        }
    };
    for i in 0..3 {
        assert_eq!(insert("gone", i).await, i as u32 + 1);
    }
    assert_eq!(insert("kept", 3).await, 1);
    assert_eq!(insert("kept", 4).await, 2);
    store
        .apply_retention(Retention {
            max_events: 2,
            max_age_days: 0,
            max_mb: 0,
        })
        .await
        .expect("retention");
    assert_eq!(store.attempts("gone").expect("attempts").len(), 0);
    assert_eq!(insert("gone", 5).await, 1);
    assert_eq!(insert("kept", 6).await, 3);
    store.close();
}
