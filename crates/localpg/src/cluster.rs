//! A throwaway PostgreSQL cluster, owned by one caller or shared by one process.
//!
//! Fault tests need a server they can stop, restart and crash; TLS tests need one with their
//! own `pg_hba.conf`, settings and key files; the per-process [`throwaway`](crate::throwaway)
//! server is the same thing with default options. Each cluster lives in its own
//! directory (`<temp root>/cdx-<pid>-<n>`: socket, `server.log`, `data/`), listens on a unix
//! socket there (and on 127.0.0.1 when asked), runs without durability, and is owned by a
//! [watchdog](crate::watchdog) that deletes it when the cluster is dropped or the process ends.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::account::ServerAccount;
use crate::connector::PlainConnector;
use crate::dirs::{check_socket_path, create_unique_dir, write_owned};
use crate::error::LocalPgError;
use crate::processes::ServerProcesses;
use crate::temp_database::{AfterUse, CopyStrategy, NewDatabase, TempDatabase};
use crate::watchdog::{Watchdog, wait_until_ready};
use crate::{bindir, initdb, tcp_port, url};

/// Settings of every throwaway cluster, before [`ClusterOptions::settings`] (later lines win).
/// Durability is off: the data is thrown away anyway, and fsyncs dominate the run time.
const BASE_SETTINGS: [(&str, &str); 4] = [
    ("fsync", "off"),
    ("synchronous_commit", "off"),
    ("full_page_writes", "off"),
    // Concurrent tests, each with a connection or three.
    ("max_connections", "200"),
];

/// How long the processes of a stopped or killed server may take to go.
const GONE_TIMEOUT: Duration = Duration::from_secs(30);

/// The port of socket-only clusters: each has its own socket directory, so it never clashes.
const SOCKET_ONLY_PORT: u16 = 5432;

/// What an owned cluster needs beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// Also listen on 127.0.0.1, on a free port (see [`Cluster::tcp_url`]).
    pub listen_tcp: bool,
    /// `postgresql.conf` settings, applied after this crate's own, as `(name, value)`.
    pub settings: Vec<(String, String)>,
    /// The whole `pg_hba.conf`; `None` keeps initdb's (trust for local and loopback connections).
    pub hba: Option<String>,
    /// Files written into the data directory before the server starts, as (path relative to
    /// the data directory, contents), with mode 0600: e.g. `server.crt` and `server.key`.
    pub files: Vec<(String, Vec<u8>)>,
}

impl ClusterOptions {
    /// Listen on 127.0.0.1 as well.
    pub fn tcp(mut self) -> Self {
        self.listen_tcp = true;
        self
    }

    /// Adds a `postgresql.conf` setting.
    pub fn setting(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.push((name.into(), value.into()));
        self
    }

    /// Replaces `pg_hba.conf`.
    pub fn hba(mut self, content: impl Into<String>) -> Self {
        self.hba = Some(content.into());
        self
    }

    /// Adds a file to write into the data directory (mode 0600).
    pub fn file(mut self, relative_path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        self.files.push((relative_path.into(), contents.into()));
        self
    }
}

/// A running (or deliberately stopped) throwaway cluster; dropping it stops the server and
/// deletes its directory.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    data: PathBuf,
    port: u16,
    tcp: bool,
    postmaster: Option<u32>,
    copy_strategy: CopyStrategy,
    watchdog: Watchdog,
}

impl Cluster {
    /// Creates a cluster (a copy of the cached `initdb`), configures it and starts it.
    pub fn start(options: &ClusterOptions) -> Result<Cluster, LocalPgError> {
        let bin_dir = bindir::find()?;
        let account = ServerAccount::detect()?;
        let dir = create_unique_dir("cdx", &account)?;
        let data = dir.join("data");
        let postgres: Vec<OsString> = vec![
            bin_dir.join("postgres").into(),
            "-D".into(),
            data.clone().into(),
        ];
        // From here on, dropping the watchdog deletes `dir`, on errors too.
        let watchdog = Watchdog::spawn(&dir, &postgres, &account).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&dir);
        })?;
        let port = if options.listen_tcp {
            tcp_port::free()?
        } else {
            SOCKET_ONLY_PORT
        };
        check_socket_path(&dir, port)?;
        initdb::populate(&data, &bin_dir, &account)?;
        configure(&data, &dir, port, options, &account)?;
        let mut cluster = Cluster {
            copy_strategy: copy_strategy(&data),
            dir,
            data,
            port,
            tcp: options.listen_tcp,
            postmaster: None,
            watchdog,
        };
        cluster.start_again()?;
        Ok(cluster)
    }

    /// Stops the server with a fast shutdown (clients are disconnected) and waits until all
    /// its processes are gone; the data stays.
    pub fn stop(&mut self) -> Result<(), LocalPgError> {
        self.end_server("stop")
    }

    /// Starts the server again after [`stop`](Self::stop) or [`kill`](Self::kill) and waits
    /// until it accepts connections (after a kill, that includes crash recovery).
    pub fn start_again(&mut self) -> Result<(), LocalPgError> {
        if self.postmaster.is_some() {
            return Ok(());
        }
        let pid = self
            .watchdog
            .send("start")?
            .ok_or_else(|| LocalPgError::WatchdogGone {
                dir: self.dir.clone(),
                detail: "it started no server".into(),
            })?;
        self.postmaster = Some(pid);
        wait_until_ready(&self.data, pid, &self.log_file())
    }

    /// Crashes the server: SIGKILL to the postmaster and all its processes, no shutdown at all.
    /// Clients see the server gone; [`start_again`](Self::start_again) runs crash recovery.
    /// Returns once every process of the old server is gone and none is attached to its
    /// shared memory, so that the server can start again at once.
    pub fn kill(&mut self) -> Result<(), LocalPgError> {
        self.end_server("kill")
    }

    /// Sends the watchdog `stop` or `kill` and waits until the old server's processes are gone.
    fn end_server(&mut self, command: &str) -> Result<(), LocalPgError> {
        let old = self
            .postmaster
            .map(|pid| ServerProcesses::of(&self.data, pid));
        self.postmaster = self.watchdog.send(command)?;
        let Some(old) = old else {
            return Ok(());
        };
        old.wait_until_gone(GONE_TIMEOUT)
            .map_err(|detail| LocalPgError::ServerLingers {
                data_dir: self.data.clone(),
                waited: GONE_TIMEOUT,
                detail,
            })
    }

    /// The URL of database `database` over the unix socket, as user `postgres`.
    pub fn url(&self, database: &str) -> String {
        url::socket_url(&self.dir, self.port, database)
    }

    /// The URL of database `database` over TCP (127.0.0.1), when the cluster listens there.
    pub fn tcp_url(&self, database: &str) -> Option<String> {
        self.tcp
            .then(|| url::tcp_url("127.0.0.1", self.port, database))
    }

    /// Creates a fresh, empty database `t_<pid>_<n>`, over a connection made in the caller's
    /// runtime; it goes away with the cluster.
    pub async fn create_database(&self) -> Result<TempDatabase, LocalPgError> {
        let new = NewDatabase {
            prefix: "t",
            strategy: self.copy_strategy,
            after_use: AfterUse::KeepWithServer,
        };
        Ok(TempDatabase::create(self.connector(), &new).await?)
    }

    /// Reaches the cluster's `postgres` database over the unix socket.
    pub fn connector(&self) -> PlainConnector {
        PlainConnector::new(self.url("postgres"))
    }

    /// The fastest way `CREATE DATABASE` copies a template on this cluster.
    pub fn copy_strategy(&self) -> CopyStrategy {
        self.copy_strategy
    }

    /// The directory holding the unix socket (the cluster's own directory).
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The data directory (`PGDATA`).
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// The port, which also names the socket file (`.s.PGSQL.<port>`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's log file.
    pub fn log_file(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    /// The postmaster's process id while the server runs.
    pub fn postmaster_pid(&self) -> Option<u32> {
        self.postmaster
    }
}

/// Writes the settings, `pg_hba.conf` and extra files of `options` into the data directory.
pub(crate) fn configure(
    data: &Path,
    socket_dir: &Path,
    port: u16,
    options: &ClusterOptions,
    account: &ServerAccount,
) -> Result<(), LocalPgError> {
    let conf_path = data.join("postgresql.conf");
    let mut conf = std::fs::read_to_string(&conf_path)
        .map_err(LocalPgError::io(format!("reading {}", conf_path.display())))?;
    let listen = if options.listen_tcp { "127.0.0.1" } else { "" };
    let socket_dir = socket_dir.to_string_lossy();
    let port = port.to_string();
    let own = [
        ("listen_addresses", listen),
        ("port", &port),
        ("unix_socket_directories", &socket_dir),
    ];
    conf.push_str("\n# Added by the localpg crate.\n");
    let theirs = options
        .settings
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()));
    for (name, value) in own.into_iter().chain(BASE_SETTINGS).chain(theirs) {
        let _ = writeln!(conf, "{name} = '{}'", value.replace('\'', "''"));
    }
    write_owned(&conf_path, conf.as_bytes(), 0o600, account)?;
    if let Some(hba) = &options.hba {
        write_owned(&data.join("pg_hba.conf"), hba.as_bytes(), 0o600, account)?;
    }
    for (relative, contents) in &options.files {
        write_owned(&data.join(relative), contents, 0o600, account)?;
    }
    Ok(())
}

/// FILE_COPY where the server knows the keyword (15 and later; older ones only copy files).
fn copy_strategy(data: &Path) -> CopyStrategy {
    let version = std::fs::read_to_string(data.join("PG_VERSION")).unwrap_or_default();
    match version.trim().parse::<u32>() {
        Ok(major) if major >= 15 => CopyStrategy::FileCopy,
        _ => CopyStrategy::ServerDefault,
    }
}
