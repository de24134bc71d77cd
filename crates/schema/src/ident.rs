//! Identifier and literal quoting, and the schema-qualified names that identify objects.
//!
//! The diff writes SQL that a person reads and reviews, so identifiers are quoted only when
//! PostgreSQL needs it — exactly the rule of its own `quote_ident()`, which is also what
//! `format_type()` and `pg_get_*def()` follow. Using the same rule keeps the names we assemble
//! and the definitions PostgreSQL deparses spelled alike.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::{PoisonError, RwLock};

/// The keywords each server this process introspected quotes (see [`learn_keywords`]).
static LEARNED_KEYWORDS: RwLock<BTreeSet<String>> = RwLock::new(BTreeSet::new());

/// Adds a server's own list of keywords that need quoting (`pg_get_keywords()` where
/// `catcode <> 'U'`, which introspection reads): versions after 15 reserve new words
/// (`system_user` in 16, `json_table` and friends in 17), and a name the server would misread
/// must be quoted. The lists of every server met are kept together: quoting a word that only
/// another version reserves changes nothing, while not quoting one breaks the SQL.
pub fn learn_keywords(words: impl IntoIterator<Item = String>) {
    let mut learned = LEARNED_KEYWORDS
        .write()
        .unwrap_or_else(PoisonError::into_inner);
    learned.extend(
        words
            .into_iter()
            .filter(|word| QUOTED_KEYWORDS.binary_search(&word.as_str()).is_err()),
    );
}

/// Keywords that PostgreSQL 15's `quote_ident()` quotes: every keyword that is not unreserved
/// (`SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'`), sorted for binary search;
/// other versions' additions are learned from the servers themselves.
const QUOTED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// Quotes `name` the way PostgreSQL's `quote_ident()` does: left bare when it is a lower-case
/// identifier that is not a reserved-ish keyword, otherwise double-quoted with `"` doubled.
pub fn quote_ident(name: &str) -> String {
    if is_bare_identifier(name) {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn is_bare_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    starts_well
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !is_quoted_keyword(name)
}

fn is_quoted_keyword(name: &str) -> bool {
    QUOTED_KEYWORDS.binary_search(&name).is_ok()
        || LEARNED_KEYWORDS
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(name)
}

/// Quotes `text` as a standard-conforming SQL string literal (`'it''s'`).
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A schema-qualified object name, the identity of tables, views, types, sequences and indexes.
///
/// Ordering is by schema, then name, which gives every collection keyed by it a stable order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    /// The schema, unquoted.
    pub schema: String,
    /// The object's name within the schema, unquoted.
    pub name: String,
}

impl QualifiedName {
    /// A name from its unquoted parts.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// A sibling in the same schema: how `ALTER … RENAME` targets and index names relate.
    pub fn with_name(&self, name: impl Into<String>) -> Self {
        Self::new(self.schema.clone(), name)
    }
}

/// Renders `schema.name`, each part quoted only when needed.
impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}",
            quote_ident(&self.schema),
            quote_ident(&self.name)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(QUOTED_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quotes_like_postgresql() {
        assert_eq!(quote_ident("episodes"), "episodes");
        assert_eq!(quote_ident("_x1"), "_x1");
        assert_eq!(quote_ident("Episodes"), "\"Episodes\"");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("order"), "\"order\"");
        // Unreserved keywords stay bare, as quote_ident('name') does.
        assert_eq!(quote_ident("name"), "name");
        assert_eq!(quote_ident("text"), "text");
        assert_eq!(quote_ident("1st"), "\"1st\"");
        assert_eq!(quote_ident("a b"), "\"a b\"");
        assert_eq!(quote_ident("say\"hi"), "\"say\"\"hi\"");
        assert_eq!(quote_ident(""), "\"\"");
        assert_eq!(quote_ident("café"), "\"café\"");
    }

    #[test]
    fn a_keyword_a_server_reports_is_quoted_from_then_on() {
        assert_eq!(quote_ident("zz_reserved_later"), "zz_reserved_later");
        learn_keywords(["zz_reserved_later".to_owned()]);
        assert_eq!(quote_ident("zz_reserved_later"), "\"zz_reserved_later\"");
    }

    #[test]
    fn qualified_names_render_quoted_parts() {
        let name = QualifiedName::new("Media", "user");
        assert_eq!(name.to_string(), "\"Media\".\"user\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
