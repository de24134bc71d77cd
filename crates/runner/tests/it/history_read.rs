//! Reading the history table: a read that fails names the table it was reading.

use crate::common;

use common::{graph, rev, upgrade};
use runner::{ErrorKind, HistoryError, RunError};

#[tokio::test]
async fn a_history_row_the_server_cannot_produce_names_the_table() {
    let db = scratch::database().await.unwrap();
    let one = vec![rev(
        "20260101T0000_a",
        "aaaa0001",
        "",
        "CREATE TABLE t (n int);",
    )];
    let mut migrator = common::migrator(&db).await;
    upgrade(&mut migrator, &graph(&one), "head").await;
    // The rows fail as they are sent, after the version was read and the query accepted.
    let failing_rows = "ALTER TABLE clipdex_migrate.history RENAME TO history_rows;
        CREATE VIEW clipdex_migrate.history AS
        SELECT revision, parents, up_checksum, operation, state, statements_done,
               statements_total, last_error, (1 / (statements_done - statements_done))::text AS message,
               applied_at, duration, applied_by
        FROM clipdex_migrate.history_rows";
    migrator.client().batch_execute(failing_rows).await.unwrap();
    let error = migrator.read_state().await.unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(error, RunError::History(HistoryError::Query { .. })),
        "{text}"
    );
    assert_eq!(error.kind(), ErrorKind::Other, "{text}");
    assert!(
        text.starts_with("reading the history table \"clipdex_migrate\".\"history\""),
        "{text}"
    );
    assert!(text.contains("division by zero"), "{text}");
}
