//! `CREATE EXTENSION`, recognised in one place.
//!
//! A shadow database is given the extensions its target has before any file runs there, so
//! that revisions written for a database where a person installed `citus` or `postgis` replay
//! the same way. An extension that the project's own files create must not be given in
//! advance: a plain `CREATE EXTENSION pg_trgm` in a revision would then fail with "already
//! exists". This module answers which extensions a statement creates. Matching is on tokens:
//! a comment or a string that reads `create extension` is not one.

use crate::tokens::{SqlToken, SqlTokenKind, tokenize};

/// The extension `sql` creates, if it is `CREATE EXTENSION [IF NOT EXISTS] name …`: the name
/// as PostgreSQL reads it (a word folded to lower case, a quoted name unquoted).
pub fn created_extension(sql: &str) -> Option<String> {
    let mut tokens = tokenize(sql).filter(|token| token.kind != SqlTokenKind::Comment);
    let mut next = || tokens.next();
    let starts = [next(), next()];
    if !matches!(starts, [Some(create), Some(extension)] if create.is_word("create") && extension.is_word("extension"))
    {
        return None;
    }
    let mut name: Option<SqlToken<'_>> = next();
    if name.is_some_and(|token| token.is_word("if")) {
        let not_exists = [next(), next()];
        if !matches!(not_exists, [Some(not), Some(exists)] if not.is_word("not") && exists.is_word("exists"))
        {
            return None;
        }
        name = next();
    }
    name?.identifier()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_out_as_postgresql_reads_them() {
        let cases = [
            ("CREATE EXTENSION pg_trgm", Some("pg_trgm")),
            ("create extension if not exists Citus", Some("citus")),
            (
                "CREATE EXTENSION \"uuid-ossp\" WITH SCHEMA public",
                Some("uuid-ossp"),
            ),
            (
                "CREATE /* x */ EXTENSION -- y\n hstore CASCADE",
                Some("hstore"),
            ),
            ("-- CREATE EXTENSION pg_trgm", None),
            ("SELECT 'CREATE EXTENSION pg_trgm'", None),
            ("CREATE EXTENSION IF EXISTS pg_trgm", None),
            ("DROP EXTENSION pg_trgm", None),
            ("CREATE TABLE extension (id int)", None),
        ];
        for (sql, expected) in cases {
            assert_eq!(created_extension(sql).as_deref(), expected, "{sql}");
        }
    }
}
