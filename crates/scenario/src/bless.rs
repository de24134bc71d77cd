//! When a golden-file test may write its expectation instead of comparing with it: the rule
//! the book's scenarios and the bad-input corpus share.
//!
//! Unset (or empty), `CLIPDEX_BLESS` writes nothing. `CLIPDEX_BLESS=1` writes the expectations
//! that do not exist yet — a new case — and still compares the rest. Rewriting an existing
//! expectation takes `CLIPDEX_BLESS=overwrite`, so that a forgotten variable never turns a
//! failing comparison into a quiet rewrite. Any other value is an error: `CLIPDEX_BLESS=0`
//! means nothing, and a test must not guess.

use std::ffi::OsStr;

/// The environment variable.
pub const BLESS_ENV: &str = "CLIPDEX_BLESS";

/// What `CLIPDEX_BLESS` allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bless {
    /// Compare only.
    Compare,
    /// Write expectations that do not exist; compare the others.
    New,
    /// Write every expectation that differs.
    Overwrite,
}

/// `CLIPDEX_BLESS` holds a value that means nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{BLESS_ENV}={value:?} means nothing: use 1 (write missing expectations) or overwrite (rewrite existing ones), or unset it"
)]
pub struct BlessError {
    pub value: String,
}

impl Bless {
    /// The rule `CLIPDEX_BLESS` sets in this process.
    pub fn from_env() -> Result<Bless, BlessError> {
        Bless::from_value(std::env::var_os(BLESS_ENV).as_deref())
    }

    /// The rule a value of `CLIPDEX_BLESS` sets.
    pub fn from_value(value: Option<&OsStr>) -> Result<Bless, BlessError> {
        let Some(value) = value else {
            return Ok(Bless::Compare);
        };
        match value.to_str() {
            Some("") => Ok(Bless::Compare),
            Some("1") => Ok(Bless::New),
            Some("overwrite") => Ok(Bless::Overwrite),
            _ => Err(BlessError {
                value: value.to_string_lossy().into_owned(),
            }),
        }
    }

    /// Whether an expectation that differs from the actual output (or is missing, when
    /// `exists` is false) may be written.
    pub fn may_write(self, exists: bool) -> bool {
        match self {
            Bless::Compare => false,
            Bless::New => !exists,
            Bless::Overwrite => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bless;
    use std::ffi::OsStr;

    fn bless(value: &str) -> Result<Bless, super::BlessError> {
        Bless::from_value(Some(OsStr::new(value)))
    }

    #[test]
    fn only_1_and_overwrite_write_and_only_overwrite_rewrites() {
        assert_eq!(Bless::from_value(None), Ok(Bless::Compare));
        assert_eq!(bless(""), Ok(Bless::Compare));
        assert_eq!(bless("1"), Ok(Bless::New));
        assert_eq!(bless("overwrite"), Ok(Bless::Overwrite));
        assert!(!Bless::Compare.may_write(false));
        assert!(Bless::New.may_write(false));
        assert!(!Bless::New.may_write(true));
        assert!(Bless::Overwrite.may_write(true));
    }

    #[test]
    fn any_other_value_is_an_error() {
        for value in ["0", "true", "yes", "OVERWRITE", " 1"] {
            let error = bless(value).unwrap_err();
            assert_eq!(error.value, value);
            assert!(error.to_string().contains("use 1"), "{error}");
        }
    }
}
