//! The secrets a connection string may hold, scrubbed out of every error text built from it.
//!
//! Parser and driver errors can quote what the user typed; before such a text becomes part of
//! an error, every password it might contain (in any spelling: as typed, percent-decoded,
//! `PGPASSWORD`) is replaced by `***`.

use crate::connection_error::UrlError;
use crate::percent::percent_decode;

/// The secrets a connection string may hold, for scrubbing them out of error texts.
pub(crate) struct Secrets {
    secrets: Vec<String>,
}

impl Secrets {
    /// Whatever looks like a password in unparsed text: `user:PASSWORD@` of a URL,
    /// `password=…` of the key=value form, and `PGPASSWORD`.
    pub(crate) fn guess(text: &str, pg_password: Option<String>) -> Secrets {
        let mut secrets = Vec::new();
        if let Some((_, rest)) = text.split_once("://") {
            let authority = rest.split(['/', '?']).next().unwrap_or("");
            if let Some((user_info, _)) = authority.rsplit_once('@')
                && let Some((_, password)) = user_info.split_once(':')
            {
                secrets.push(password.to_owned());
            }
        }
        for (at, _) in text.match_indices("password") {
            let after = text[at + "password".len()..].trim_start();
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches('\'');
                let end = value.find([' ', '\'', '&']).unwrap_or(value.len());
                secrets.push(value[..end].to_owned());
            }
        }
        Secrets::new(secrets, pg_password)
    }

    pub(crate) fn new(mut secrets: Vec<String>, pg_password: Option<String>) -> Secrets {
        secrets.extend(pg_password);
        let decoded: Vec<String> = secrets.iter().map(|s| percent_decode(s)).collect();
        secrets.extend(decoded);
        secrets.retain(|secret| !secret.is_empty());
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        Secrets { secrets }
    }

    /// `text` with every secret replaced by `***`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            text = text.replace(secret.as_str(), "***");
        }
        text
    }

    pub(crate) fn scrub_url(&self, error: UrlError) -> UrlError {
        match error {
            UrlError::Invalid { reason } => UrlError::Invalid {
                reason: self.scrub(&reason),
            },
            UrlError::SslMode { value, origin } => UrlError::SslMode {
                value: self.scrub(&value),
                origin,
            },
            other => other,
        }
    }
}
