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

/// The steps of SQLite's plan for `sql` with `params`, each as its text.
pub(super) fn query_plan(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Vec<String> {
    conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("a plan (an INDEXED BY that cannot be used fails here)")
        .query_map(params, |r| r.get::<_, String>(3))
        .expect("plan")
        .collect::<Result<_, _>>()
        .expect("rows")
}
