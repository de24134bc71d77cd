//! Connection strings: the URL and `key=value` forms libpq accepts, completed from service
//! files, `PG*` variables and the password file the way libpq completes them, with a password
//! that never reaches any output.
//!
//! The text is taken apart by the private `conninfo` module and completed by `resolve`; the
//! TLS modes and files are used by `tls` when connecting. Display, Debug and every error show
//! the password as `***`, and never a client key's path; error texts from the parser are
//! scrubbed of the password as well.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use tokio_postgres::config::Host;

pub use crate::connection_error::UrlError;
pub use crate::environment::Environment;
use crate::percent::percent_encode;
use crate::resolve::resolve;
use crate::secrets::Secrets;
pub use crate::ssl_mode::SslMode;
use crate::tls_files::ClientCert;
pub use crate::tls_files::RootCerts;

/// A connection string, completed as libpq completes it (see [`DatabaseUrl::parse`]). Display
/// and Debug never show the password (shown as `***`) or a key's path; neither does any error
/// built from it.
#[derive(Clone)]
pub struct DatabaseUrl {
    pub(crate) config: tokio_postgres::Config,
    pub(crate) ssl_mode: SslMode,
    pub(crate) root_certs: Option<RootCerts>,
    pub(crate) default_root_cert: Option<PathBuf>,
    pub(crate) client_cert: Option<ClientCert>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) warnings: Vec<String>,
}

impl DatabaseUrl {
    /// Parses either form and completes it from the process's environment as libpq does: the
    /// service named by `service=` or `PGSERVICE` (from `PGSERVICEFILE`, `~/.pg_service.conf`
    /// or `PGSYSCONFDIR/pg_service.conf`), then the `PG*` variables, for each keyword the text
    /// leaves out; then `~/.pgpass` (or `passfile`, `PGPASSFILE`) when no password was given;
    /// then the defaults (the local socket, the user's name, a 10 s `connect_timeout`).
    pub fn parse(text: &str) -> Result<DatabaseUrl, UrlError> {
        DatabaseUrl::parse_in(text, &Environment::process())
    }

    /// The database the `PG*` variables and service files name, as `psql` without arguments
    /// would connect (see [`Environment::names_a_database`]).
    pub fn from_environment() -> Result<DatabaseUrl, UrlError> {
        DatabaseUrl::parse_in("", &Environment::process())
    }

    /// Exactly what `text` says, completed by nothing the user's environment holds: for the
    /// servers a program starts itself, which no variable may redirect.
    pub fn parse_without_environment(text: &str) -> Result<DatabaseUrl, UrlError> {
        DatabaseUrl::parse_in(text, &Environment::none())
    }

    /// [`parse`](Self::parse), completed from `env` instead of the process's environment.
    pub fn parse_in(text: &str, env: &Environment) -> Result<DatabaseUrl, UrlError> {
        let secrets = Secrets::guess(text, env.get("PGPASSWORD").map(str::to_owned));
        let resolved = resolve(text, env).map_err(|error| secrets.scrub_url(error))?;
        Ok(DatabaseUrl {
            config: resolved.config,
            ssl_mode: resolved.ssl_mode,
            root_certs: resolved.root_certs,
            default_root_cert: resolved.default_root_cert,
            client_cert: resolved.client_cert,
            connect_timeout: resolved.connect_timeout,
            warnings: resolved.warnings,
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

    /// The user to connect as.
    pub fn user(&self) -> Option<&str> {
        self.config.get_user()
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

    /// The `sslrootcert` file, when one is given (not the platform's store).
    pub fn root_cert(&self) -> Option<&std::path::Path> {
        match &self.root_certs {
            Some(RootCerts::File(path)) => Some(path),
            _ => None,
        }
    }

    /// What the server's certificate is verified against, when anything.
    pub fn root_certs(&self) -> Option<&RootCerts> {
        self.root_certs.as_ref()
    }

    /// Whether a client certificate is sent (`sslcert`, or `~/.postgresql/postgresql.crt`).
    pub fn has_client_cert(&self) -> bool {
        self.client_cert.is_some()
    }

    /// How long one connection attempt may take; `None` is no limit (`connect_timeout=0`).
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// What completing the string warned about, one line each (a password file that others
    /// may read is ignored, say); also logged as `tracing` warnings.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
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
            let port = ports.get(index).or(ports.first()).unwrap_or(&5432);
            write!(f, ":{port}")?;
        }
        if let Some(database) = self.database_name() {
            write!(f, "/{}", percent_encode(database))?;
        }
        write!(f, "?sslmode={}", self.ssl_mode.as_str())?;
        match &self.root_certs {
            Some(RootCerts::File(root)) => {
                let root = percent_encode(&root.to_string_lossy());
                write!(f, "&sslrootcert={root}")
            }
            Some(RootCerts::System) => f.write_str("&sslrootcert=system"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

#[cfg(test)]
#[path = "url_tests.rs"]
mod tests;
