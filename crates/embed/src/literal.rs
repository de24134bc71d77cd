//! The macro's one argument: a string literal, read from the tokens without `syn`.
//!
//! A single literal does not justify a parser crate: the tokens are walked by hand (looking
//! through the invisible groups a `macro_rules!` wrapper adds), and the literal's text is
//! unescaped here for the escapes a path can need.

use proc_macro::{Delimiter, TokenStream, TokenTree};

/// The directory when the macro is called without an argument, as `sqlx::migrate!()` does.
pub const DEFAULT_DIR: &str = "migrations";

/// The value of the only token, a string literal; `migrations` when there is no token.
pub fn single_string(input: TokenStream) -> Result<String, String> {
    let mut tokens: Vec<TokenTree> = input.into_iter().collect();
    // `$dir:literal` passed on by a macro_rules! arrives wrapped in an undelimited group.
    while let [TokenTree::Group(group)] = tokens.as_slice() {
        if group.delimiter() != Delimiter::None {
            break;
        }
        tokens = group.stream().into_iter().collect();
    }
    match tokens.as_slice() {
        [] => Ok(DEFAULT_DIR.to_owned()),
        [TokenTree::Literal(literal)] => unescape(&literal.to_string()),
        _ => Err(usage()),
    }
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
