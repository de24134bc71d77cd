//! Blockers and their look-alikes: a keyword in a comment, string or identifier never counts.

use std::path::PathBuf;

use super::*;

fn blocker(sql: &str) -> Option<&'static str> {
    let statement = Statement {
        sql: sql.to_owned(),
        origin: PathBuf::from("x.sql"),
        line: 1,
        column: 1,
        index: 0,
    };
    transaction_blocker(&statement).map(|blocker| blocker.command)
}

#[test]
fn commands_refused_in_a_transaction_block_are_found() {
    let cases = [
        (
            "create index concurrently i on t (a)",
            "CREATE INDEX CONCURRENTLY",
        ),
        (
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)",
            "CREATE INDEX CONCURRENTLY",
        ),
        (
            "drop index concurrently if exists i",
            "DROP INDEX CONCURRENTLY",
        ),
        ("reindex index concurrently i", "REINDEX CONCURRENTLY"),
        (
            "reindex (concurrently, verbose) table t",
            "REINDEX CONCURRENTLY",
        ),
        ("reindex database clipdex", "REINDEX DATABASE"),
        ("vacuum (analyze) episodes", "VACUUM"),
        ("cluster verbose", "CLUSTER without a table"),
        ("create database scratch", "CREATE DATABASE"),
        ("drop database if exists scratch", "DROP DATABASE"),
        (
            "alter database d set tablespace fast",
            "ALTER DATABASE … SET TABLESPACE",
        ),
        ("alter system set work_mem = '64MB'", "ALTER SYSTEM"),
        (
            "create tablespace fast location '/ssd'",
            "CREATE TABLESPACE",
        ),
        ("drop tablespace fast", "DROP TABLESPACE"),
        (
            "alter table t detach partition t_2024 concurrently",
            "ALTER TABLE … DETACH PARTITION … CONCURRENTLY",
        ),
        (
            "create subscription s connection 'x' publication p",
            "CREATE SUBSCRIPTION",
        ),
        ("discard all", "DISCARD ALL"),
    ];
    for (sql, expected) in cases {
        assert_eq!(blocker(sql), Some(expected), "{sql}");
    }
}

#[test]
fn transaction_control_is_found() {
    let cases = [
        ("begin", "BEGIN"),
        ("BEGIN ISOLATION LEVEL SERIALIZABLE", "BEGIN"),
        ("start transaction", "START TRANSACTION"),
        ("commit", "COMMIT"),
        ("commit and chain", "COMMIT"),
        ("end work", "END"),
        ("rollback", "ROLLBACK"),
        ("rollback and chain", "ROLLBACK"),
        ("abort", "ABORT"),
        ("prepare transaction 'x'", "PREPARE TRANSACTION"),
        ("commit prepared 'x'", "COMMIT PREPARED"),
    ];
    for (sql, expected) in cases {
        assert_eq!(blocker(sql), Some(expected), "{sql}");
    }
}

#[test]
fn look_alikes_are_not_blockers() {
    let cases = [
        "create index i on t (a) -- create index concurrently would be better",
        "select 'create index concurrently i on t (a)'",
        "/* vacuum */ analyze episodes",
        "create index \"concurrently\" on t (a)",
        "reindex table t",
        "reindex (concurrently false) table t",
        "cluster episodes using episodes_pkey",
        "alter table t detach partition t_2024",
        "alter table t detach partition t_2024 finalize",
        "alter database d set work_mem = '1MB'",
        "savepoint s",
        "release savepoint s",
        "rollback to savepoint s",
        "rollback work to s",
        "prepare q as select 1",
        "create function f() returns int language sql begin atomic select 1; end",
        "do $$ begin commit; end $$",
        "select 1 as vacuum",
    ];
    for sql in cases {
        assert_eq!(blocker(sql), None, "{sql}");
    }
}

#[test]
fn leading_comments_are_skipped() {
    assert_eq!(
        blocker("-- build it without locking\n/* long */ CREATE INDEX CONCURRENTLY i ON t (a)"),
        Some("CREATE INDEX CONCURRENTLY")
    );
}

#[test]
fn the_kind_says_whether_to_split_or_remove() {
    let statement = |sql: &str| Statement {
        sql: sql.to_owned(),
        origin: PathBuf::from("x.sql"),
        line: 1,
        column: 1,
        index: 0,
    };
    let vacuum = transaction_blocker(&statement("vacuum")).unwrap();
    assert_eq!(vacuum.kind, BlockerKind::RefusedInTransaction);
    let commit = transaction_blocker(&statement("commit")).unwrap();
    assert_eq!(commit.kind, BlockerKind::TransactionControl);
    assert_eq!(commit.to_string(), "COMMIT");
}
