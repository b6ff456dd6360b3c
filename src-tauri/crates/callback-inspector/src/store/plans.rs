//! For the store's unit tests: a database with the current schema, and how SQLite plans a query on it.

use super::*;

/// A new database with the schema (opened and closed by a [`Store`]), and a plain connection to it.
pub(super) fn new_database() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("e.db");
    Store::open(&path, Retention::default()).expect("store").close();
    let conn = Connection::open(&path).expect("open");
    (dir, conn)
}

/// A database of 20 000 callbacks (ids and arrival times 1 to 20 000) of 10 streams and 10 groups
/// (`s0`..`s9`, `g0`..`g9`, by id modulo 10), the last 100 pending.
pub(super) fn twenty_thousand_callbacks() -> (tempfile::TempDir, Connection) {
    let (dir, conn) = new_database();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) \
         INSERT INTO events (id, received_at, method, path, query, headers, remote, body, body_size, too_large, \
         stream_id, sequence, verify, check_detail, group_key, attempt, status, delay_ms, answer, pending) \
         SELECT i, i, 'POST', '/', '', '[]', '', x'7b7d', 2, 0, 's' || (i % 10), 'q' || (i / 5000), 'unsigned', '{}', \
         'g' || (i % 10), i / 10 + 1, 200, 0, '', i > 19900 FROM n; \
         UPDATE meta SET value = '19900' WHERE key = 'fts_through';",
    )
    .expect("rows");
    (dir, conn)
}

/// The steps of SQLite's plan for `sql` with `params`, each as its text.
pub(super) fn query_plan(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Vec<String> {
    conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("a plan (an INDEXED BY that cannot be used fails here)")
        .query_map(params, |r| r.get::<_, String>(3))
        .expect("plan")
        .collect::<Result<_, _>>()
        .expect("rows")
}
