//! Statements that cannot run inside the transaction a `per-revision` revision runs in.
//!
//! PostgreSQL refuses some commands inside a transaction block (`CREATE INDEX CONCURRENTLY`,
//! `VACUUM`, …), and transaction control (`COMMIT`, `ROLLBACK`, …) would end the revision's
//! transaction early, separating the revision from its history row. Finding either at load time
//! turns a half-applied revision in production into an error at a file and line. Matching is on
//! tokens, case-insensitively and with comments skipped, so `-- create index concurrently` in a
//! comment or a string never counts, and `BEGIN ATOMIC` inside a function is not `BEGIN`.

use std::fmt;

use crate::index_build::concurrently_prefix;
use crate::lexer::{self, keyword};
use crate::statement::Statement;

/// Why a statement cannot be part of a revision's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockerKind {
    /// PostgreSQL refuses the command inside a transaction block.
    RefusedInTransaction,
    /// The command starts, ends or commits a transaction itself.
    TransactionControl,
}

/// A statement that cannot run inside a `transaction: per-revision` revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionBlocker {
    /// Which kind of problem it is.
    pub kind: BlockerKind,
    /// The command, as PostgreSQL names it in its error: `CREATE INDEX CONCURRENTLY`.
    pub command: &'static str,
}

impl fmt::Display for TransactionBlocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.command)
    }
}

/// The command that keeps `statement` out of a transaction block, if any.
pub fn transaction_blocker(statement: &Statement) -> Option<TransactionBlocker> {
    // Every pattern but three is decided by the first few words: lex only those, since this
    // runs on every statement of every revision at load.
    let head = significant_tokens(&statement.sql, HEAD_WORDS);
    let decided_by_head = !matches!(
        head.first().map(String::as_str),
        Some("ALTER" | "REINDEX" | "CLUSTER")
    );
    let tokens = if decided_by_head {
        head
    } else {
        significant_tokens(&statement.sql, usize::MAX)
    };
    let words: Vec<&str> = tokens.iter().map(String::as_str).collect();
    refused_command(&words)
        .map(|command| TransactionBlocker {
            kind: BlockerKind::RefusedInTransaction,
            command,
        })
        .or_else(|| {
            transaction_control(&words).map(|command| TransactionBlocker {
                kind: BlockerKind::TransactionControl,
                command,
            })
        })
}

/// Enough words for every pattern that does not need the whole statement.
const HEAD_WORDS: usize = 6;

/// The text of the first `limit` tokens that are not comments, words uppercased.
fn significant_tokens(sql: &str, limit: usize) -> Vec<String> {
    lexer::significant_tokens(sql)
        .take(limit)
        .map(|(kind, text)| keyword(kind, text))
        .collect()
}

/// Commands PostgreSQL runs only outside a transaction block (`PreventInTransactionBlock`).
fn refused_command(words: &[&str]) -> Option<&'static str> {
    match words {
        _ if concurrently_prefix(words).is_some() => Some("CREATE INDEX CONCURRENTLY"),
        ["DROP", "INDEX", "CONCURRENTLY", ..] => Some("DROP INDEX CONCURRENTLY"),
        ["REINDEX", rest @ ..] => reindex(rest),
        ["VACUUM", ..] => Some("VACUUM"),
        ["CLUSTER", rest @ ..] if names_no_table(rest) => Some("CLUSTER without a table"),
        ["CREATE", "DATABASE", ..] => Some("CREATE DATABASE"),
        ["DROP", "DATABASE", ..] => Some("DROP DATABASE"),
        ["ALTER", "DATABASE", _, "SET", "TABLESPACE", ..] => {
            Some("ALTER DATABASE … SET TABLESPACE")
        }
        ["ALTER", "SYSTEM", ..] => Some("ALTER SYSTEM"),
        ["CREATE", "TABLESPACE", ..] => Some("CREATE TABLESPACE"),
        ["DROP", "TABLESPACE", ..] => Some("DROP TABLESPACE"),
        ["CREATE", "SUBSCRIPTION", ..] => Some("CREATE SUBSCRIPTION"),
        // Refused only while the subscription has a slot, which is the default.
        ["DROP", "SUBSCRIPTION", ..] => Some("DROP SUBSCRIPTION"),
        ["DISCARD", "ALL", ..] => Some("DISCARD ALL"),
        ["ALTER", "TABLE", rest @ ..] => detach_partition(rest),
        _ => None,
    }
}

/// `REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name`.
fn reindex(rest: &[&str]) -> Option<&'static str> {
    let (options, rest) = split_options(rest);
    let concurrent_option = options
        .windows(2)
        .any(|pair| pair[0] == "CONCURRENTLY" && !matches!(pair[1], "FALSE" | "OFF" | "0"));
    match rest {
        _ if concurrent_option => Some("REINDEX CONCURRENTLY"),
        [_, "CONCURRENTLY", ..] => Some("REINDEX CONCURRENTLY"),
        ["SCHEMA", ..] => Some("REINDEX SCHEMA"),
        ["DATABASE", ..] => Some("REINDEX DATABASE"),
        ["SYSTEM", ..] => Some("REINDEX SYSTEM"),
        _ => None,
    }
}

/// `CLUSTER [VERBOSE]` or `CLUSTER (options)` with nothing after: every table at once.
fn names_no_table(rest: &[&str]) -> bool {
    let (_, rest) = split_options(rest);
    matches!(rest, [] | ["VERBOSE"])
}

/// `ALTER TABLE … DETACH PARTITION name CONCURRENTLY` (`FINALIZE` may run in a transaction).
fn detach_partition(rest: &[&str]) -> Option<&'static str> {
    let detach = rest
        .windows(2)
        .position(|pair| pair == ["DETACH", "PARTITION"])?;
    let concurrently = rest[detach + 2..].last() == Some(&"CONCURRENTLY");
    concurrently.then_some("ALTER TABLE … DETACH PARTITION … CONCURRENTLY")
}

/// Splits a leading `( … )` option list off `rest`; the options keep their closing `)`.
fn split_options<'w, 'a>(rest: &'w [&'a str]) -> (&'w [&'a str], &'w [&'a str]) {
    if rest.first() != Some(&"(") {
        return (&[], rest);
    }
    let close = rest
        .iter()
        .position(|word| *word == ")")
        .unwrap_or(rest.len());
    let options = &rest[1..(close + 1).min(rest.len())];
    (options, rest.get(close + 1..).unwrap_or(&[]))
}

/// Statements that begin, end or commit a transaction themselves. Savepoints (`SAVEPOINT`,
/// `RELEASE`, `ROLLBACK TO`) work inside the revision's transaction and are not listed.
fn transaction_control(words: &[&str]) -> Option<&'static str> {
    let after_noise = |rest: &[&str]| -> bool {
        let rest = match rest {
            ["WORK" | "TRANSACTION", rest @ ..] => rest,
            rest => rest,
        };
        rest.first() != Some(&"TO")
    };
    match words {
        ["BEGIN", ..] => Some("BEGIN"),
        ["START", "TRANSACTION", ..] => Some("START TRANSACTION"),
        ["COMMIT", "PREPARED", ..] => Some("COMMIT PREPARED"),
        ["ROLLBACK", "PREPARED", ..] => Some("ROLLBACK PREPARED"),
        ["PREPARE", "TRANSACTION", ..] => Some("PREPARE TRANSACTION"),
        ["COMMIT", ..] => Some("COMMIT"),
        ["END", ..] => Some("END"),
        ["ROLLBACK", rest @ ..] if after_noise(rest) => Some("ROLLBACK"),
        ["ABORT", rest @ ..] if after_noise(rest) => Some("ABORT"),
        _ => None,
    }
}

#[cfg(test)]
#[path = "blocker_tests.rs"]
mod tests;
