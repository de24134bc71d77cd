//! libpq's connection keywords: which variable sets each, whether a connection string already
//! set it, and setting it from a service file or a variable.
//!
//! A keyword is filled from a lower layer only when no higher one set it, one keyword at a
//! time, as libpq does: a URL naming a host still takes `PGUSER`. The settings being built are
//! a tokio-postgres `Config` (for everything it knows) and the values of the keywords this
//! crate handles itself ([`OWN_KEYWORDS`]), each with where it came from, for messages.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::connection_error::UrlError;

/// The keywords libpq has that tokio-postgres does not parse (or whose default differs).
pub(crate) const OWN_KEYWORDS: [&str; 7] = [
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "service",
    "passfile",
    "connect_timeout",
];

/// Every keyword a service file or a variable may set, with libpq's variable for it. `service`
/// is not among them: `PGSERVICE` names the service, and a service cannot name another.
pub(crate) const KEYWORDS: [(&str, Option<&str>); 23] = [
    ("host", Some("PGHOST")),
    ("hostaddr", Some("PGHOSTADDR")),
    ("port", Some("PGPORT")),
    ("dbname", Some("PGDATABASE")),
    ("user", Some("PGUSER")),
    ("password", Some("PGPASSWORD")),
    ("passfile", Some("PGPASSFILE")),
    ("options", Some("PGOPTIONS")),
    ("application_name", Some("PGAPPNAME")),
    ("sslmode", Some("PGSSLMODE")),
    ("sslrootcert", Some("PGSSLROOTCERT")),
    ("sslcert", Some("PGSSLCERT")),
    ("sslkey", Some("PGSSLKEY")),
    ("connect_timeout", Some("PGCONNECT_TIMEOUT")),
    ("target_session_attrs", Some("PGTARGETSESSIONATTRS")),
    ("channel_binding", Some("PGCHANNELBINDING")),
    ("load_balance_hosts", Some("PGLOADBALANCEHOSTS")),
    ("sslnegotiation", Some("PGSSLNEGOTIATION")),
    ("tcp_user_timeout", None),
    ("keepalives", None),
    ("keepalives_idle", None),
    ("keepalives_interval", None),
    ("keepalives_retries", None),
];

/// Where a setting came from, for messages (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The connection string.
    Text,
    /// A service of a service file.
    Service { name: String, file: PathBuf },
    /// An environment variable.
    Variable(&'static str),
    /// A default: libpq's file in the home directory, say.
    Default,
}

/// Where, as a phrase that follows a setting: `in the database URL`, `from PGSSLMODE`.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Text => f.write_str("in the database URL"),
            Origin::Service { name, file } => {
                write!(f, "from service `{name}` in {}", file.display())
            }
            Origin::Variable(name) => write!(f, "from {name}"),
            Origin::Default => f.write_str("by default"),
        }
    }
}

/// The settings while the layers are applied.
pub(crate) struct Settings {
    pub config: tokio_postgres::Config,
    /// Values of [`OWN_KEYWORDS`], and where each came from.
    pub own: BTreeMap<&'static str, (String, Origin)>,
    /// The keywords set so far that no getter of `config` can tell apart from a default.
    pub named: BTreeSet<String>,
}

impl Settings {
    /// Whether a higher layer already set `keyword`.
    pub fn is_set(&self, keyword: &str) -> bool {
        let config = &self.config;
        match keyword {
            "host" => !config.get_hosts().is_empty(),
            "hostaddr" => !config.get_hostaddrs().is_empty(),
            "port" => !config.get_ports().is_empty(),
            "user" => config.get_user().is_some(),
            "password" => config.get_password().is_some(),
            "dbname" => config.get_dbname().is_some(),
            "options" => config.get_options().is_some(),
            "application_name" => config.get_application_name().is_some(),
            _ => self.own.keys().any(|own| *own == keyword) || self.named.contains(keyword),
        }
    }

    /// Sets `keyword` to `value` from `origin`. Errors name the keyword and the origin, never
    /// the value (it may be a password).
    pub fn set(&mut self, keyword: &str, value: &str, origin: &Origin) -> Result<(), UrlError> {
        if let Some(own) = OWN_KEYWORDS.iter().find(|own| **own == keyword) {
            self.own.insert(own, (value.to_owned(), origin.clone()));
            return Ok(());
        }
        let invalid = || UrlError::Invalid {
            reason: format!("invalid value for {keyword} {origin}"),
        };
        let config = &mut self.config;
        match keyword {
            "host" => value.split(',').for_each(|host| {
                config.host(host);
            }),
            "hostaddr" => {
                for address in value.split(',') {
                    config.hostaddr(address.trim().parse().map_err(|_| invalid())?);
                }
            }
            "port" => {
                for port in value.split(',') {
                    let port = if port.is_empty() { "5432" } else { port };
                    config.port(port.trim().parse().map_err(|_| invalid())?);
                }
            }
            "user" => {
                config.user(value);
            }
            "password" => {
                config.password(value);
            }
            "dbname" => {
                config.dbname(value);
            }
            "options" => {
                config.options(value);
            }
            "application_name" => {
                config.application_name(value);
            }
            _ => {
                // tokio-postgres parses the rest (enumerations and numbers) itself.
                let single = format!("{keyword}={}", quote_value(value));
                let parsed = tokio_postgres::Config::from_str(&single).map_err(|_| invalid())?;
                copy_parsed(config, keyword, &parsed);
                self.named.insert(keyword.to_owned());
            }
        }
        Ok(())
    }
}

/// Copies the setting `keyword` of `parsed` into `config`.
fn copy_parsed(
    config: &mut tokio_postgres::Config,
    keyword: &str,
    parsed: &tokio_postgres::Config,
) {
    match keyword {
        "target_session_attrs" => {
            config.target_session_attrs(parsed.get_target_session_attrs());
        }
        "channel_binding" => {
            config.channel_binding(parsed.get_channel_binding());
        }
        "load_balance_hosts" => {
            config.load_balance_hosts(parsed.get_load_balance_hosts());
        }
        "sslnegotiation" => {
            config.ssl_negotiation(parsed.get_ssl_negotiation());
        }
        "keepalives" => {
            config.keepalives(parsed.get_keepalives());
        }
        "keepalives_idle" => {
            config.keepalives_idle(parsed.get_keepalives_idle());
        }
        "tcp_user_timeout" => {
            if let Some(timeout) = parsed.get_tcp_user_timeout() {
                config.tcp_user_timeout(*timeout);
            }
        }
        "keepalives_interval" => {
            if let Some(interval) = parsed.get_keepalives_interval() {
                config.keepalives_interval(interval);
            }
        }
        "keepalives_retries" => {
            if let Some(retries) = parsed.get_keepalives_retries() {
                config.keepalives_retries(retries);
            }
        }
        _ => {}
    }
}

/// `value` as a single-quoted libpq value.
pub(crate) fn quote_value(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}
