//! Lock-safe changes to tables that hold data: the transactional part of a migration up to
//! `split_online`, then the online part statement by statement outside a transaction, and the
//! way back, each reaching the other side's catalog.

use crate::support;

use schema::{DiffOptions, Locking, diff, diff_with, split_online};
use support::{catalog_of, database_from, describe};

const A: &str = "
CREATE TABLE shows (id bigint PRIMARY KEY, slug text);
CREATE TABLE clips (id bigint PRIMARY KEY, show_id bigint, title text);
INSERT INTO shows VALUES (1, 'one');
INSERT INTO clips VALUES (1, 1, 'first');
";

const B: &str = "
CREATE TABLE shows (id bigint PRIMARY KEY, slug text);
CREATE TABLE clips (id bigint PRIMARY KEY, show_id bigint REFERENCES shows (id), title text NOT NULL);
CREATE INDEX clips_show_id ON clips (show_id);
CREATE TABLE tags (clip_id bigint REFERENCES clips (id), tag text NOT NULL);
CREATE INDEX tags_clip_id ON tags (clip_id);
";

const ONLINE: DiffOptions = DiffOptions {
    locking: Locking::Online,
};

/// Runs each statement on its own, outside any transaction block.
async fn run_one_by_one(
    client: &tokio_postgres::Client,
    diff: &schema::Diff,
) -> Result<(), String> {
    for change in &diff.changes {
        client
            .batch_execute(&change.sql)
            .await
            .map_err(|e| format!("{}\n--- statement ---\n{}", describe(&e), change.sql))?;
    }
    Ok(())
}

#[tokio::test]
async fn the_online_part_runs_outside_a_transaction_and_reaches_the_target() {
    let a = database_from(A).await.expect("A applies");
    let b = database_from(B).await.expect("B applies");
    let (from, to) = (catalog_of(&a).await.unwrap(), catalog_of(&b).await.unwrap());
    let middle = split_online(&from, &to);
    assert!(middle != from && middle != to, "both parts have work");

    let transactional = diff(&from, &middle).expect("diffs");
    let sql = transactional.to_sql();
    assert!(sql.contains("CREATE TABLE public.tags"), "{sql}");
    assert!(
        sql.contains("CREATE INDEX tags_clip_id"),
        "a new table's index is not deferred:\n{sql}"
    );
    assert!(
        !sql.contains("clips_show_id") && !sql.contains("SET NOT NULL"),
        "{sql}"
    );
    support::apply(&a, &transactional)
        .await
        .expect("the transactional part applies");

    let online = diff_with(&middle, &to, &ONLINE).expect("diffs");
    let statements: Vec<&str> = online.changes.iter().map(|c| c.sql.as_str()).collect();
    let has = |text: &str| statements.iter().any(|s| s.contains(text));
    assert!(
        has("CREATE INDEX CONCURRENTLY clips_show_id"),
        "{statements:#?}"
    );
    assert!(
        has("FOREIGN KEY (show_id) REFERENCES public.shows(id) NOT VALID"),
        "{statements:#?}"
    );
    assert!(
        has("VALIDATE CONSTRAINT clips_show_id_fkey"),
        "{statements:#?}"
    );
    assert!(
        has("CHECK (title IS NOT NULL) NOT VALID")
            && has("VALIDATE CONSTRAINT clips_title_not_null_check")
    );
    run_one_by_one(&a, &online)
        .await
        .expect("the online part applies statement by statement");
    assert_eq!(catalog_of(&a).await.unwrap(), to, "A reaches B");

    // Back: the online part's reverse, then the transactional part's.
    let undo_online = diff_with(&to, &middle, &ONLINE).expect("diffs");
    run_one_by_one(&a, &undo_online)
        .await
        .expect("undoing the online part applies");
    assert_eq!(catalog_of(&a).await.unwrap(), middle);
    support::apply(&a, &diff(&middle, &from).expect("diffs"))
        .await
        .expect("undoing the rest applies");
    assert_eq!(catalog_of(&a).await.unwrap(), from, "B comes back to A");
}
