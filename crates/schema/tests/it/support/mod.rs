//! Shared by the integration tests: fresh databases built from SQL, introspected, and diffs
//! applied the way a migration would run them.

#![allow(dead_code)]

use std::ops::Deref;

use schema::{Catalog, Diff, IntrospectOptions, introspect};
use scratch::ScratchDatabase;
use tokio_postgres::Client;

/// A fresh database and a connection to it; the database lives as long as this does.
pub struct TestDatabase {
    client: Client,
    _database: ScratchDatabase,
}

impl Deref for TestDatabase {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// A fresh database holding `sql`, with a connection to it.
pub async fn database_from(sql: &str) -> Result<TestDatabase, String> {
    let database = scratch::database().await.map_err(|e| e.to_string())?;
    let client = database.connect().await.map_err(|e| e.to_string())?;
    client
        .batch_execute(sql)
        .await
        .map_err(|e| format!("setting up the database: {}", describe(&e)))?;
    Ok(TestDatabase {
        client,
        _database: database,
    })
}

/// The schema of the database `client` is connected to.
pub async fn catalog_of(client: &Client) -> Result<Catalog, String> {
    introspect(client, &IntrospectOptions::default())
        .await
        .map_err(|e| e.to_string())
}

/// Runs the diff as a migration would: each batch in its own transaction.
pub async fn apply(client: &Client, diff: &Diff) -> Result<(), String> {
    for batch in diff.batches() {
        let script = format!("BEGIN;\n{}COMMIT;", batch.to_sql());
        if let Err(error) = client.batch_execute(&script).await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(describe(&error));
        }
    }
    Ok(())
}

/// A database error with PostgreSQL's own message, not just "db error".
pub fn describe(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => error.to_string(),
    }
}

/// `actual` is `expected`: the diff between them is empty, and so is the catalogs' difference.
pub fn assert_same(actual: &Catalog, expected: &Catalog) {
    let rest = schema::diff(actual, expected).expect("diffs");
    assert!(rest.is_empty(), "still differs:\n{}", rest.to_sql());
    assert!(
        actual == expected,
        "catalogs differ where the diff sees nothing"
    );
}
