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
use crate::lexer::{self, TokenKind};
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

/// How many significant tokens of each statement the splitter's scan hands over: enough for
/// every pattern here that is decided by a statement's first words.
pub(crate) const HEAD_TOKENS: usize = 6;

/// The command that keeps `statement` out of a transaction block, if any.
pub fn transaction_blocker(statement: &Statement) -> Option<TransactionBlocker> {
    let mut head = [(TokenKind::Other, ""); HEAD_TOKENS];
    let mut len = 0;
    for (slot, token) in head
        .iter_mut()
        .zip(lexer::significant_tokens(&statement.sql))
    {
        *slot = token;
        len += 1;
    }
    blocker_of(&statement.sql, &head[..len])
}

/// [`transaction_blocker`] of the statement `sql`, whose first significant tokens (up to
/// [`HEAD_TOKENS`]) are `head`: loading checks every statement this way, without copying it.
pub(crate) fn blocker_of(sql: &str, head: &[(TokenKind, &str)]) -> Option<TransactionBlocker> {
    if !may_block(sql, head) {
        return None;
    }
    // Every pattern but three is decided by the first few words: only those need the rest.
    let first = head.first().map(|&(kind, text)| Keyword::of(kind, text));
    let decided_by_head = !matches!(
        first.as_ref().map(Keyword::as_str),
        Some("ALTER" | "REINDEX" | "CLUSTER")
    );
    let keywords: Vec<Keyword>;
    let mut head_keywords = [Keyword::LONG; HEAD_TOKENS];
    let tokens: &[Keyword] = if decided_by_head {
        for (slot, &(kind, text)) in head_keywords.iter_mut().zip(head) {
            *slot = Keyword::of(kind, text);
        }
        &head_keywords[..head.len()]
    } else {
        let all = lexer::significant_tokens(sql);
        keywords = all.map(|(kind, text)| Keyword::of(kind, text)).collect();
        &keywords
    };
    let mut head_words = [""; HEAD_TOKENS];
    let all_words: Vec<&str>;
    let words: &[&str] = if tokens.len() <= HEAD_TOKENS {
        for (slot, keyword) in head_words.iter_mut().zip(tokens) {
            *slot = keyword.as_str();
        }
        &head_words[..tokens.len()]
    } else {
        all_words = tokens.iter().map(Keyword::as_str).collect();
        &all_words
    };
    refused_command(words)
        .map(|command| TransactionBlocker {
            kind: BlockerKind::RefusedInTransaction,
            command,
        })
        .or_else(|| {
            transaction_control(words).map(|command| TransactionBlocker {
                kind: BlockerKind::TransactionControl,
                command,
            })
        })
}

/// Whether the statement can match any pattern of [`refused_command`] or
/// [`transaction_control`], judged from its first two words (and, for the commands that block
/// only when built concurrently, from whether the word is there at all): most statements
/// (`CREATE TABLE`, `CREATE INDEX`, `ALTER TABLE`, `INSERT`, …) are ruled out here.
fn may_block(sql: &str, head: &[(TokenKind, &str)]) -> bool {
    let word = |at: usize| {
        head.get(at)
            .filter(|(kind, _)| *kind == TokenKind::Word)
            .map(|(_, text)| *text)
    };
    let is_any = |word: Option<&str>, keywords: &[&str]| {
        word.is_some_and(|word| keywords.iter().any(|k| word.eq_ignore_ascii_case(k)))
    };
    let concurrently = || contains_ignoring_case(sql, "concurrently");
    let second = word(1);
    match word(0) {
        Some(first) if first.eq_ignore_ascii_case("create") => {
            is_any(second, &["database", "tablespace", "subscription"])
                || (is_any(second, &["index", "unique"]) && concurrently())
        }
        Some(first) if first.eq_ignore_ascii_case("drop") => {
            is_any(second, &["database", "tablespace", "subscription"])
                || (is_any(second, &["index"]) && concurrently())
        }
        Some(first) if first.eq_ignore_ascii_case("alter") => {
            is_any(second, &["database", "system"])
                || (is_any(second, &["table"]) && concurrently())
        }
        first => is_any(
            first,
            &[
                "reindex", "vacuum", "cluster", "discard", "begin", "start", "commit", "rollback",
                "prepare", "end", "abort",
            ],
        ),
    }
}

/// Whether `text` holds `needle` (ASCII), in any case.
fn contains_ignoring_case(text: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    text.as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// A token as the patterns match it, without allocating: a word uppercased, anything else as
/// written, so that a quoted `"VACUUM"` or a `'VACUUM'` string keeps its quotes and never
/// matches a keyword. A token longer than any keyword reads as the empty string.
#[derive(Clone, Copy)]
struct Keyword {
    bytes: [u8; Keyword::CAPACITY],
    len: usize,
}

impl Keyword {
    /// Longer than every keyword of the patterns (the longest is `CONCURRENTLY`).
    const CAPACITY: usize = 16;

    const LONG: Keyword = Keyword {
        bytes: [0; Keyword::CAPACITY],
        len: 0,
    };

    fn of(kind: TokenKind, text: &str) -> Keyword {
        if text.len() > Keyword::CAPACITY {
            return Keyword::LONG;
        }
        let mut keyword = Keyword {
            bytes: [0; Keyword::CAPACITY],
            len: text.len(),
        };
        keyword.bytes[..text.len()].copy_from_slice(text.as_bytes());
        if kind == TokenKind::Word {
            keyword.bytes[..text.len()].make_ascii_uppercase();
        }
        keyword
    }

    fn as_str(&self) -> &str {
        // Whole tokens are copied, and ASCII case changes keep UTF-8 valid.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
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
