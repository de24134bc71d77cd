//! Connection strings: the URL and `key=value` forms libpq accepts, with a password that never
//! reaches any output.
//!
//! tokio-postgres parses both forms, but knows only `sslmode=disable|prefer|require` and
//! rejects options it does not know, so `sslmode=verify-ca|verify-full` and `sslrootcert` are
//! taken out here first and handled by the `tls` module. Display, Debug and every error show the
//! password as `***`; error texts from the parser are scrubbed of it as well.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use tokio_postgres::config::Host;

pub use crate::connection_error::UrlError;
use crate::percent::{percent_decode, percent_encode};
use crate::pg_text::with_causes;
use crate::secrets::Secrets;

/// How TLS is used, with libpq's meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never.
    Disable,
    /// Try TLS without verifying the server; fall back to plain if the server has no TLS.
    Prefer,
    /// Encrypt without verifying the server (verifies the chain when a root is given).
    Require,
    /// Encrypt and verify the chain to the root certificate, not the host name.
    VerifyCa,
    /// Encrypt, verify the chain and that the certificate names the host.
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<SslMode, UrlError> {
        match value {
            "disable" => Ok(SslMode::Disable),
            "allow" | "prefer" => Ok(SslMode::Prefer),
            "require" => Ok(SslMode::Require),
            "verify-ca" => Ok(SslMode::VerifyCa),
            "verify-full" => Ok(SslMode::VerifyFull),
            other => Err(UrlError::SslMode {
                value: other.to_owned(),
            }),
        }
    }

    /// The libpq word.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// A parsed connection string (URL `postgresql://…` or libpq `key=value` form). Display and
/// Debug never show the password (shown as `***`); neither does any error built from it.
#[derive(Clone)]
pub struct DatabaseUrl {
    pub(crate) config: tokio_postgres::Config,
    pub(crate) ssl_mode: SslMode,
    pub(crate) root_cert: Option<PathBuf>,
}

impl DatabaseUrl {
    /// Parses either form; `PGPASSWORD` supplies a password the text does not have
    /// (tokio-postgres itself reads no environment variable).
    pub fn parse(text: &str) -> Result<DatabaseUrl, UrlError> {
        DatabaseUrl::parse_with(text, std::env::var("PGPASSWORD").ok())
    }

    /// [`parse`](Self::parse) with `PGPASSWORD`'s value given.
    fn parse_with(text: &str, pg_password: Option<String>) -> Result<DatabaseUrl, UrlError> {
        let secrets = Secrets::guess(text, pg_password.clone());
        let extracted = extract_tls_options(text).map_err(|error| secrets.scrub_url(error))?;
        let mut config = tokio_postgres::Config::from_str(&extracted.rest).map_err(|error| {
            secrets.scrub_url(UrlError::Invalid {
                reason: with_causes(&error),
            })
        })?;
        let ssl_mode = match extracted.ssl_mode {
            Some(value) => SslMode::parse(&value).map_err(|error| secrets.scrub_url(error))?,
            None => SslMode::Prefer,
        };
        config.ssl_mode(match ssl_mode {
            SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            _ => tokio_postgres::config::SslMode::Require,
        });
        if config.get_password().is_none()
            && let Some(password) = pg_password
        {
            config.password(password);
        }
        Ok(DatabaseUrl {
            config,
            ssl_mode,
            root_cert: extracted.root_cert.map(PathBuf::from),
        })
    }

    /// The URL with the password shown as `***` (the same as Display).
    pub fn redacted(&self) -> String {
        self.to_string()
    }

    /// The database to connect to, when the string names one.
    pub fn database_name(&self) -> Option<&str> {
        self.config.get_dbname()
    }

    /// The same server, user, password and TLS settings, naming database `name` instead: how
    /// a shadow database next to the target is reached.
    pub fn with_database(&self, name: &str) -> DatabaseUrl {
        let mut url = self.clone();
        url.config.dbname(name);
        url
    }

    /// The TLS mode.
    pub fn ssl_mode(&self) -> SslMode {
        self.ssl_mode
    }

    /// The `sslrootcert` file, when given.
    pub fn root_cert(&self) -> Option<&std::path::Path> {
        self.root_cert.as_deref()
    }

    /// The password, for scrubbing it out of error texts.
    pub(crate) fn password(&self) -> Option<String> {
        let bytes = self.config.get_password()?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    /// The secrets to scrub out of this URL's error texts: its password, and `PGPASSWORD`.
    pub(crate) fn secrets(&self) -> Secrets {
        let pg_password = std::env::var("PGPASSWORD").ok();
        Secrets::new(self.password().into_iter().collect(), pg_password)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("postgresql://")?;
        if let Some(user) = self.config.get_user() {
            f.write_str(&percent_encode(user))?;
            if self.config.get_password().is_some() {
                f.write_str(":***")?;
            }
            f.write_str("@")?;
        }
        let ports = self.config.get_ports();
        for (index, host) in self.config.get_hosts().iter().enumerate() {
            let separator = if index == 0 { "" } else { "," };
            let host = match host {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)] // tokio-postgres has socket hosts only there
                Host::Unix(path) => percent_encode(&path.to_string_lossy()),
            };
            f.write_str(separator)?;
            f.write_str(&host)?;
            if let Some(port) = ports.get(index).or(ports.first()) {
                write!(f, ":{port}")?;
            }
        }
        if let Some(database) = self.database_name() {
            write!(f, "/{}", percent_encode(database))?;
        }
        write!(f, "?sslmode={}", self.ssl_mode.as_str())?;
        if let Some(root) = &self.root_cert {
            write!(
                f,
                "&sslrootcert={}",
                percent_encode(&root.to_string_lossy())
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// The connection string without the TLS options tokio-postgres does not know, and their values.
struct Extracted {
    rest: String,
    ssl_mode: Option<String>,
    root_cert: Option<String>,
}

fn extract_tls_options(text: &str) -> Result<Extracted, UrlError> {
    let text = text.trim();
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        Ok(extract_from_url(text))
    } else {
        extract_from_key_values(text)
    }
}

fn extract_from_url(text: &str) -> Extracted {
    let mut extracted = Extracted {
        rest: text.to_owned(),
        ssl_mode: None,
        root_cert: None,
    };
    let Some((base, query)) = text.split_once('?') else {
        return extracted;
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => extracted.ssl_mode = Some(percent_decode(value)),
            "sslrootcert" => extracted.root_cert = Some(percent_decode(value)),
            _ => kept.push(pair),
        }
    }
    extracted.rest = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    extracted
}

fn extract_from_key_values(text: &str) -> Result<Extracted, UrlError> {
    let mut extracted = Extracted {
        rest: String::new(),
        ssl_mode: None,
        root_cert: None,
    };
    let mut kept = Vec::new();
    for pair in key_value_pairs(text)? {
        match pair.key.as_str() {
            "sslmode" => extracted.ssl_mode = Some(pair.value),
            "sslrootcert" => extracted.root_cert = Some(pair.value),
            _ => kept.push(pair.raw),
        }
    }
    extracted.rest = kept.join(" ");
    Ok(extracted)
}

/// One `key=value` of the libpq form: the key, the unquoted value, and the text as written.
struct KeyValue {
    key: String,
    value: String,
    raw: String,
}

fn key_value_pairs(text: &str) -> Result<Vec<KeyValue>, UrlError> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    let mut pairs = Vec::new();
    let skip_spaces = |at: &mut usize| {
        while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
            *at += 1;
        }
    };
    loop {
        skip_spaces(&mut at);
        if at >= chars.len() {
            return Ok(pairs);
        }
        let start = at;
        while chars
            .get(at)
            .is_some_and(|c| *c != '=' && !c.is_whitespace())
        {
            at += 1;
        }
        let key: String = chars[start..at].iter().collect();
        skip_spaces(&mut at);
        if chars.get(at) != Some(&'=') {
            let reason = format!("expected `=` after `{key}`");
            return Err(UrlError::Invalid { reason });
        }
        at += 1;
        skip_spaces(&mut at);
        let value = read_value(&chars, &mut at)?;
        let raw = chars[start..at].iter().collect();
        pairs.push(KeyValue { key, value, raw });
    }
}

/// A bare or single-quoted value (`\` escapes the next character in both, as in libpq).
fn read_value(chars: &[char], at: &mut usize) -> Result<String, UrlError> {
    let quoted = chars.get(*at) == Some(&'\'');
    if quoted {
        *at += 1;
    }
    let mut value = String::new();
    while let Some(&c) = chars.get(*at) {
        match c {
            '\'' if quoted => {
                *at += 1;
                return Ok(value);
            }
            c if c.is_whitespace() && !quoted => return Ok(value),
            '\\' => {
                *at += 1;
                value.extend(chars.get(*at));
            }
            c => value.push(c),
        }
        *at += 1;
    }
    if quoted {
        let reason = "unterminated quoted value".to_owned();
        return Err(UrlError::Invalid { reason });
    }
    Ok(value)
}

#[cfg(test)]
#[path = "url_tests.rs"]
mod tests;
