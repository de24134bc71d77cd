//! The macro's arguments, read from the tokens without `syn`: the path of the `runner` crate
//! (passed on as `$crate` by `runner`'s wrapper, so that a renamed dependency works) and one
//! string literal, the directory.
//!
//! Two arguments do not justify a parser crate: the tokens are walked by hand (looking
//! through the invisible groups a `macro_rules!` wrapper adds), and the literal's text is
//! unescaped here for the escapes a path can need.

use proc_macro::{Delimiter, TokenStream, TokenTree};

/// The directory when the macro is called without an argument, as `sqlx::migrate!()` does.
pub const DEFAULT_DIR: &str = "migrations";

/// What the macro was given: the path of the crate its expansion names (`$crate` when called
/// through `runner::embed_migrations!`, whatever name the application gave that dependency),
/// and the directory.
pub struct Arguments {
    /// The tokens naming the `runner` crate.
    pub crate_path: Vec<TokenTree>,
    /// The directory, `migrations` when none is given.
    pub dir: String,
}

/// `CRATE, "dir"` or `CRATE` as `runner::embed_migrations!` passes them on; a bare `"dir"` (or
/// nothing), as the macro was first called, names the crate `::runner`.
pub fn arguments(input: TokenStream) -> Result<Arguments, String> {
    let tokens = flatten(input);
    let comma = tokens
        .iter()
        .position(|token| matches!(token, TokenTree::Punct(punct) if punct.as_char() == ','));
    let (crate_path, rest) = match comma {
        Some(at) => (tokens[..at].to_vec(), tokens[at + 1..].to_vec()),
        None if matches!(tokens.first(), Some(TokenTree::Ident(_))) => (tokens, Vec::new()),
        None => (runner_by_name(), tokens),
    };
    let dir = match rest.as_slice() {
        [] => DEFAULT_DIR.to_owned(),
        [TokenTree::Literal(literal)] => unescape(&literal.to_string())?,
        _ => return Err(usage()),
    };
    Ok(Arguments { crate_path, dir })
}

/// The tokens, with the invisible groups a `macro_rules!` wrapper adds around a fragment
/// (`$dir:literal`) opened.
fn flatten(input: TokenStream) -> Vec<TokenTree> {
    input
        .into_iter()
        .flat_map(|token| match token {
            TokenTree::Group(group) if group.delimiter() == Delimiter::None => {
                flatten(group.stream())
            }
            token => vec![token],
        })
        .collect()
}

/// `::runner`, for a call that names no crate.
fn runner_by_name() -> Vec<TokenTree> {
    "::runner"
        .parse::<TokenStream>()
        .expect("a path")
        .into_iter()
        .collect()
}

fn usage() -> String {
    "embed_migrations! takes one string literal: the migrations directory, relative to the crate's Cargo.toml (for example embed_migrations!(\"migrations\"))".to_owned()
}

/// The value of a string literal as written in source: `"…"` with escapes, or raw `r#"…"#`.
pub fn unescape(text: &str) -> Result<String, String> {
    if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let fence = "#".repeat(hashes);
        return raw
            .strip_prefix(&format!("{fence}\""))
            .and_then(|rest| rest.strip_suffix(&format!("\"{fence}")))
            .map(str::to_owned)
            .ok_or_else(usage);
    }
    let inner = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .ok_or_else(usage)?;
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => value.push('\\'),
            Some('"') => value.push('"'),
            Some('\'') => value.push('\''),
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            other => {
                let escape = other.map_or(String::new(), String::from);
                return Err(format!(
                    "embed_migrations!: the escape `\\{escape}` is not supported in the directory name; write the path without it"
                ));
            }
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_escaped_and_raw_literals_unescape() {
        assert_eq!(unescape("\"migrations\""), Ok("migrations".to_owned()));
        assert_eq!(unescape(r#""../db \"x\"""#), Ok("../db \"x\"".to_owned()));
        assert_eq!(unescape(r##"r#"a"b"#"##), Ok("a\"b".to_owned()));
        assert_eq!(unescape("r\"plain\""), Ok("plain".to_owned()));
    }

    #[test]
    fn anything_but_a_string_literal_is_refused_with_the_usage() {
        for text in ["42", "'c'", "b\"bytes\"", "r#\"open\""] {
            let error = unescape(text).unwrap_err();
            assert!(
                error.contains("takes one string literal"),
                "{text}: {error}"
            );
        }
        assert!(unescape("\"a\\x41\"").unwrap_err().contains("`\\x`"));
    }
}
