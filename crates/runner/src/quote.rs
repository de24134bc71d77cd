//! Identifiers and literals quoted for SQL text, so that any name is a name and never SQL.

/// `name` as a quoted SQL identifier: `"` doubled inside, always quoted.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `text` as a SQL string literal (`standard_conforming_strings` on, the default since 9.1).
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
