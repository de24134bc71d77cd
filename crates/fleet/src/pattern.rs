//! Target patterns: `tenant_*`, `tenant_%`, `eu-??`.
//!
//! One small language for schemas, databases and `--target`: `*` and `%` match any run of
//! characters (so both the shell's and SQL's habit read the same), `?` matches one, and every
//! other character, `_` included, matches itself. SQL's `LIKE`, where `_` matches any
//! character, would make `tenant_%` match `tenantX` too; a name with an underscore is the
//! common case here, so `_` is literal.

use std::fmt;
use std::str::FromStr;

/// A pattern over target names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
}

/// A pattern that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a target pattern cannot be empty")]
#[non_exhaustive]
pub struct EmptyPattern;

impl FromStr for Pattern {
    type Err = EmptyPattern;

    fn from_str(text: &str) -> Result<Pattern, EmptyPattern> {
        if text.is_empty() {
            return Err(EmptyPattern);
        }
        Ok(Pattern {
            text: text.to_owned(),
        })
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Pattern {
    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `name` matches the whole pattern.
    pub fn matches(&self, name: &str) -> bool {
        let pattern: Vec<char> = self.text.chars().collect();
        let name: Vec<char> = name.chars().collect();
        glob(&pattern, &name)
    }
}

/// Iterative wildcard matching: on a mismatch, go back to the last `*` and let it take one
/// more character. Linear in practice, never exponential.
fn glob(pattern: &[char], name: &[char]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*' | '%') => {
                star = Some((p, n));
                p += 1;
            }
            Some('?') => (p, n) = (p + 1, n + 1),
            Some(&c) if c == name[n] => (p, n) = (p + 1, n + 1),
            _ => match star {
                Some((star_p, star_n)) => {
                    star = Some((star_p, star_n + 1));
                    (p, n) = (star_p + 1, star_n + 1);
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*' || c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, name: &str) -> bool {
        pattern.parse::<Pattern>().unwrap().matches(name)
    }

    #[test]
    fn star_and_percent_match_any_run_and_underscore_is_literal() {
        assert!(matches("tenant_*", "tenant_0042"));
        assert!(matches("tenant_%", "tenant_0042"));
        assert!(matches("tenant_*", "tenant_"));
        assert!(!matches("tenant_%", "tenantX0042"));
        assert!(!matches("tenant_*", "other_tenant_1"));
        assert!(matches("*_eu", "acme_eu"));
        assert!(matches("a*b*c", "a-x-b-y-c"));
        assert!(!matches("a*b*c", "a-x-b-y-d"));
    }

    #[test]
    fn question_mark_matches_one_character_and_the_rest_is_exact() {
        assert!(matches("eu-??", "eu-01"));
        assert!(!matches("eu-??", "eu-1"));
        assert!(matches("tenant_0042", "tenant_0042"));
        assert!(!matches("tenant_0042", "tenant_00421"));
        assert!(matches("*", ""));
        assert!(matches("ünï*", "ünïcode"));
    }

    #[test]
    fn an_empty_pattern_is_refused() {
        assert_eq!("".parse::<Pattern>(), Err(EmptyPattern));
    }
}
