//! A connection string completed as libpq completes it, layer by layer, each keyword filled
//! only where no higher layer set it:
//!
//! 1. the connection string itself (URL or `key=value`);
//! 2. the service it names (`service=`, else `PGSERVICE`) in a service file;
//! 3. the `PG*` variables;
//! 4. the password file, for the password only, when no layer gave one;
//! 5. defaults: the local socket directory, the operating system's user name, port 5432, the
//!    files under `~/.postgresql/`, and a 10 s `connect_timeout` (libpq waits forever).
//!
//! A service file outranks the variables: that is libpq's order (its `conninfo_add_defaults`
//! reads the service before the environment), checked against `psql`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::connection_error::UrlError;
use crate::conninfo;
use crate::environment::{Environment, SERVICE_VAR};
use crate::keywords::{KEYWORDS, Origin, Settings};
use crate::pgpass::{self, Lookup, PassFile};
use crate::service_file;
use crate::ssl_mode::SslMode;
use crate::tls_files::{ClientCert, RootCerts};

/// libpq's `connect_timeout` when none is set is no limit; ours is this.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// libpq rounds a positive `connect_timeout` below this up to it.
const MIN_CONNECT_TIMEOUT: u64 = 2;

/// Everything a connection needs beyond tokio-postgres's `Config`.
pub(crate) struct Resolved {
    pub config: tokio_postgres::Config,
    pub ssl_mode: SslMode,
    pub root_certs: Option<RootCerts>,
    pub default_root_cert: Option<PathBuf>,
    pub client_cert: Option<ClientCert>,
    pub connect_timeout: Option<Duration>,
    pub warnings: Vec<String>,
}

/// `text` completed from `env` (see the module documentation for the order).
pub(crate) fn resolve(text: &str, env: &Environment) -> Result<Resolved, UrlError> {
    let written = conninfo::parse(text)?;
    let own = written.own.into_iter();
    let mut settings = Settings {
        config: written.config,
        own: own
            .map(|(key, value)| (key, (value, Origin::Text)))
            .collect(),
        named: written.named,
    };
    apply_service(&mut settings, env)?;
    for (keyword, variable) in KEYWORDS {
        let Some(variable) = variable else { continue };
        if let Some(value) = env.get(variable).filter(|_| !settings.is_set(keyword)) {
            settings.set(keyword, value, &Origin::Variable(variable))?;
        }
    }
    apply_defaults(&mut settings);
    let mut warnings = Vec::new();
    if settings.config.get_password().is_none()
        && let Some(password) = password_file(&settings, env, &mut warnings)
    {
        settings.config.password(password);
    }
    finish(settings, env, warnings)
}

/// The settings of the service named by `service=` or `PGSERVICE`, where none is set yet.
fn apply_service(settings: &mut Settings, env: &Environment) -> Result<(), UrlError> {
    let name = match settings.own.get("service") {
        Some((name, _)) => name.clone(),
        None => match env.get(SERVICE_VAR) {
            Some(name) => name.to_owned(),
            None => return Ok(()),
        },
    };
    let service = service_file::find(&name, env)?;
    let origin = Origin::Service {
        name: service.name,
        file: service.file,
    };
    for (keyword, value) in &service.settings {
        if !settings.is_set(keyword) {
            settings.set(keyword, value, &origin)?;
        }
    }
    Ok(())
}

/// The local socket directory when no host is set, and the operating system's user name when
/// no user is (libpq's defaults; the user also picks the password file's line).
fn apply_defaults(settings: &mut Settings) {
    let config = &mut settings.config;
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        config.host(default_host());
    }
    if config.get_user().is_none()
        && let Ok(user) = whoami::username()
    {
        config.user(user);
    }
}

/// Where libpq looks for the server without a host: the first of the usual socket directories
/// that holds a socket for the port (Debian's first), else `/tmp` as upstream's default.
#[cfg(unix)]
fn default_host() -> String {
    const SOCKET_DIRS: [&str; 3] = ["/run/postgresql", "/var/run/postgresql", "/tmp"];
    SOCKET_DIRS
        .into_iter()
        .find(|dir| Path::new(dir).join(".s.PGSQL.5432").exists())
        .unwrap_or("/tmp")
        .to_owned()
}

#[cfg(not(unix))]
fn default_host() -> String {
    "localhost".to_owned()
}

/// The password file's password for the first host it has one for.
fn password_file(
    settings: &Settings,
    env: &Environment,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let file = match settings.own.get("passfile") {
        Some((file, _)) => PathBuf::from(file),
        None => default_passfile(env)?,
    };
    match pgpass::password_for(&file, &lookups(&settings.config)) {
        PassFile::Password(password) => Some(password),
        PassFile::NoMatch => None,
        PassFile::Ignored(warning) => {
            tracing::warn!("{warning}");
            warnings.push(warning);
            None
        }
    }
}

#[cfg(not(windows))]
fn default_passfile(env: &Environment) -> Option<PathBuf> {
    Some(env.home()?.join(".pgpass"))
}

#[cfg(windows)]
fn default_passfile(env: &Environment) -> Option<PathBuf> {
    let appdata = std::env::var_os("APPDATA")?;
    let _ = env;
    Some(
        PathBuf::from(appdata)
            .join("postgresql")
            .join("pgpass.conf"),
    )
}

/// What each host is looked up by: a socket in the default directory reads as `localhost`.
fn lookups(config: &tokio_postgres::Config) -> Vec<Lookup> {
    let user = config.get_user().unwrap_or_default().to_owned();
    let database = config.get_dbname().unwrap_or(&user).to_owned();
    let ports = config.get_ports();
    let hosts = config.get_hosts().iter().map(|host| match host {
        tokio_postgres::config::Host::Tcp(name) => name.clone(),
        #[cfg(unix)]
        tokio_postgres::config::Host::Unix(dir) if dir == Path::new(&default_host()) => {
            "localhost".to_owned()
        }
        #[cfg(unix)]
        tokio_postgres::config::Host::Unix(dir) => dir.to_string_lossy().into_owned(),
    });
    let addresses = config.get_hostaddrs().iter().map(ToString::to_string);
    let names: Vec<String> = hosts.chain(addresses).collect();
    names
        .into_iter()
        .enumerate()
        .map(|(index, host)| Lookup {
            host,
            port: ports
                .get(index)
                .or(ports.first())
                .unwrap_or(&5432)
                .to_string(),
            database: database.clone(),
            user: user.clone(),
        })
        .collect()
}

/// The TLS settings and the timeout, from the own keywords and their defaults.
fn finish(
    settings: Settings,
    env: &Environment,
    warnings: Vec<String>,
) -> Result<Resolved, UrlError> {
    let own = |keyword: &str| settings.own.get(keyword);
    let postgresql_dir = env.home().map(|home| home.join(".postgresql"));
    let default_root_cert = postgresql_dir.as_ref().map(|dir| dir.join("root.crt"));
    let root_certs = match own("sslrootcert") {
        Some((value, _)) if value == "system" => Some(RootCerts::System),
        Some((path, _)) => Some(RootCerts::File(PathBuf::from(path))),
        None => default_root_cert
            .clone()
            .filter(|path| path.is_file())
            .map(RootCerts::File),
    };
    let ssl_mode = ssl_mode(own("sslmode"), root_certs.as_ref())?;
    let client_cert = client_cert(&settings, postgresql_dir.as_deref());
    let connect_timeout = connect_timeout(own("connect_timeout"))?;
    Ok(Resolved {
        config: settings.config,
        ssl_mode,
        root_certs,
        default_root_cert,
        client_cert,
        connect_timeout,
        warnings,
    })
}

/// The mode given, else `prefer`; with `sslrootcert=system`, `verify-full` and nothing weaker
/// (libpq 16's rule: the public roots vouch for a name, so only the name check makes them
/// mean anything).
fn ssl_mode(
    given: Option<&(String, Origin)>,
    roots: Option<&RootCerts>,
) -> Result<SslMode, UrlError> {
    let system = roots == Some(&RootCerts::System);
    let Some((value, origin)) = given else {
        return Ok(if system {
            SslMode::VerifyFull
        } else {
            SslMode::Prefer
        });
    };
    let mode = SslMode::parse(value).ok_or_else(|| UrlError::SslMode {
        value: value.clone(),
        origin: origin.to_string(),
    })?;
    if system && mode != SslMode::VerifyFull {
        return Err(UrlError::WeakSslMode {
            mode: mode.as_str(),
        });
    }
    Ok(mode)
}

/// `sslcert` and `sslkey`, else `~/.postgresql/postgresql.crt` and `.key` when the
/// certificate file exists (libpq sends no certificate otherwise).
fn client_cert(settings: &Settings, postgresql_dir: Option<&Path>) -> Option<ClientCert> {
    let given = |keyword: &str, file: &str| match settings.own.get(keyword) {
        Some((path, origin)) => Some((PathBuf::from(path), origin.clone())),
        None => Some((postgresql_dir?.join(file), Origin::Default)),
    };
    let (cert, cert_origin) = given("sslcert", "postgresql.crt")?;
    let (key, key_origin) = given("sslkey", "postgresql.key")?;
    if cert_origin == Origin::Default && !cert.is_file() {
        return None;
    }
    Some(ClientCert {
        cert,
        cert_origin,
        key,
        key_origin,
    })
}

/// Seconds; zero or less is no limit, and a positive value below 2 is 2, as in libpq.
fn connect_timeout(given: Option<&(String, Origin)>) -> Result<Option<Duration>, UrlError> {
    let Some((value, origin)) = given else {
        return Ok(Some(DEFAULT_CONNECT_TIMEOUT));
    };
    let seconds: i64 = value.trim().parse().map_err(|_| UrlError::Invalid {
        reason: format!(
            "invalid value for connect_timeout {origin}: not a whole number of seconds"
        ),
    })?;
    Ok(u64::try_from(seconds)
        .ok()
        .filter(|seconds| *seconds > 0)
        .map(|seconds| Duration::from_secs(seconds.max(MIN_CONNECT_TIMEOUT))))
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
