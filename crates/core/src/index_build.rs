//! `CREATE [UNIQUE] INDEX CONCURRENTLY`, recognised in one place.
//!
//! Three parts of the tool care about concurrent index builds: the blocker check (no
//! transaction can hold one), `check`'s lint (an index on an existing table should be built
//! that way), and the runner (a failed or interrupted build leaves an INVALID index behind,
//! which it checks for and drops before building again). They must agree on what such a
//! statement is, so all three ask this module. Matching is on tokens: a comment or a string
//! that reads `create index concurrently` is not one.

use crate::lexer::{TokenKind, keyword, significant_tokens};

/// A `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] [name] ON …` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcurrentIndexBuild {
    /// The index as written, quotes and schema kept (`s."My Index"`), so that `to_regclass`
    /// resolves it the way the statement did; `None` for an unnamed index.
    pub index: Option<String>,
}

/// The concurrent index build `sql` is, if it is one.
pub fn concurrent_index_build(sql: &str) -> Option<ConcurrentIndexBuild> {
    let mut tokens = significant_tokens(sql);
    let head: Vec<(TokenKind, &str)> = tokens.by_ref().take(4).collect();
    let words: Vec<String> = head
        .iter()
        .map(|&(kind, text)| keyword(kind, text))
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let name_at = concurrently_prefix(&words)?;
    let mut rest: Vec<(TokenKind, &str)> = head[name_at..].iter().copied().chain(tokens).collect();
    let if_not_exists = rest.iter().take(3).map(|&(kind, text)| keyword(kind, text));
    if if_not_exists.eq(["IF", "NOT", "EXISTS"]) {
        rest.drain(..3);
    }
    let name: String = rest
        .iter()
        .take_while(|&&(kind, text)| !matches!(keyword(kind, text).as_str(), "ON" | "("))
        .map(|&(_, text)| text)
        .collect();
    Some(ConcurrentIndexBuild {
        index: (!name.is_empty()).then_some(name),
    })
}

/// Where the index name starts when `words` (significant tokens, words uppercased) begin a
/// concurrent index build.
pub(crate) fn concurrently_prefix(words: &[&str]) -> Option<usize> {
    match words {
        ["CREATE", "INDEX", "CONCURRENTLY", ..] => Some(3),
        ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", ..] => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(sql: &str) -> Option<String> {
        concurrent_index_build(sql)?.index
    }

    #[test]
    fn names_are_found_as_written() {
        assert_eq!(
            name("CREATE INDEX CONCURRENTLY i ON t (a)").as_deref(),
            Some("i")
        );
        assert_eq!(
            name("create unique index concurrently if not exists \"My\"\"Ix\" on t (a)").as_deref(),
            Some("\"My\"\"Ix\"")
        );
        assert_eq!(
            name("CREATE INDEX /* x */ CONCURRENTLY -- y\n s.i ON t (a)").as_deref(),
            Some("s.i")
        );
        assert_eq!(
            name("CREATE INDEX CONCURRENTLY \"on\" ON t (a)").as_deref(),
            Some("\"on\"")
        );
    }

    #[test]
    fn unnamed_builds_have_no_name_and_other_statements_are_none() {
        assert_eq!(
            concurrent_index_build("CREATE INDEX CONCURRENTLY ON t (a)"),
            Some(ConcurrentIndexBuild { index: None })
        );
        assert_eq!(concurrent_index_build("CREATE INDEX i ON t (a)"), None);
        assert_eq!(concurrent_index_build("VACUUM t"), None);
        assert_eq!(
            concurrent_index_build("-- CREATE INDEX CONCURRENTLY i ON t (a)"),
            None
        );
        assert_eq!(
            concurrent_index_build("CREATE INDEX \"CONCURRENTLY\" ON t (a)"),
            None
        );
    }
}
