//! The persistent development cluster: the CLI's database when none is configured, and
//! `task db:up`'s.
//!
//! Unlike a test cluster, it must outlive the process that started it: it is started with
//! `pg_ctl start`, which detaches the server, and has no watchdog. Its data lives in
//! `<temp root>/clipdex-dev-<uid>-<hash of the project root>` (or `CLIPDEX_DEV_DIR`), so each
//! checkout gets its own cluster, on a unix socket only, holding a database named `clipdex`.

use std::path::{Path, PathBuf};
use std::process::Command;

use tokio_postgres::error::SqlState;

use crate::account::{ServerAccount, effective_uid};
use crate::cluster::{ClusterOptions, configure};
use crate::connector::connect;
use crate::dirs::{check_socket_path, make_private, stable_hash, temp_root};
use crate::error::LocalPgError;
use crate::initdb::last_lines;
use crate::watchdog::process_alive;
use crate::{bindir, initdb, url};

/// Environment variable overriding where the development cluster lives.
pub const DEV_DIR_ENV: &str = "CLIPDEX_DEV_DIR";

/// The database the development cluster provides.
pub const DEV_DATABASE: &str = "clipdex";

/// Each development cluster has its own socket directory, so the default port never clashes.
const DEV_PORT: u16 = 5432;

/// The development cluster of one project checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevCluster {
    dir: PathBuf,
}

impl DevCluster {
    /// The cluster of the project at `root`: in `CLIPDEX_DEV_DIR` when set, else in
    /// `<temp root>/clipdex-dev-<uid>-<8 hex digits of a hash of the canonical root>`.
    pub fn for_project(root: &Path) -> DevCluster {
        if let Some(dir) = std::env::var_os(DEV_DIR_ENV).filter(|dir| !dir.is_empty()) {
            return Self::in_dir(dir);
        }
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let hash = stable_hash(root.as_os_str().as_encoded_bytes()) as u32;
        Self::in_dir(temp_root().join(format!("clipdex-dev-{}-{hash:08x}", effective_uid())))
    }

    /// The cluster kept in `dir` (socket, `server.log`, `data/`).
    pub fn in_dir(dir: impl Into<PathBuf>) -> DevCluster {
        DevCluster { dir: dir.into() }
    }

    /// The cluster's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The URL of database `clipdex` (whether or not the server runs).
    pub fn url(&self) -> String {
        url::socket_url(&self.dir, DEV_PORT, DEV_DATABASE)
    }

    /// Whether the server runs: its `postmaster.pid` names a live process.
    pub fn is_running(&self) -> bool {
        std::fs::read_to_string(self.data_dir().join("postmaster.pid"))
            .ok()
            .and_then(|text| text.lines().next()?.trim().parse().ok())
            .is_some_and(process_alive)
    }

    /// Creates the cluster if absent, starts it if stopped, creates database `clipdex` if
    /// missing, and returns its URL. The server keeps running after this process exits.
    pub async fn ensure_running(&self) -> Result<String, LocalPgError> {
        let bin_dir = bindir::find()?;
        let account = ServerAccount::detect()?;
        if !self.data_dir().join("PG_VERSION").is_file() {
            self.create(&bin_dir, &account)?;
        }
        if !self.is_running() {
            let log = self.dir.join("server.log");
            let started = self.pg_ctl(
                &bin_dir,
                &account,
                &["start", "-w", "-t", "60", "-l"],
                Some(&log),
            );
            // Losing a race with another `localpg up` is fine: the server runs either way.
            if !self.is_running() {
                started?;
            }
        }
        self.create_database_if_missing().await?;
        Ok(self.url())
    }

    async fn create_database_if_missing(&self) -> Result<(), LocalPgError> {
        let admin = connect(&self.admin_url(), "connecting to the development cluster").await?;
        let exists = admin
            .query_opt(
                "SELECT 1 FROM pg_database WHERE datname = $1",
                &[&DEV_DATABASE],
            )
            .await
            .map_err(LocalPgError::pg("looking for database clipdex"))?;
        if exists.is_some() {
            return Ok(());
        }
        match admin
            .batch_execute(&format!("CREATE DATABASE {DEV_DATABASE}"))
            .await
        {
            // Another `localpg up` created it meanwhile.
            Err(error) if error.code() == Some(&SqlState::DUPLICATE_DATABASE) => Ok(()),
            created => created.map_err(LocalPgError::pg("creating database clipdex")),
        }
    }

    /// Stops the server (fast shutdown) if it runs; the data stays.
    pub fn stop(&self) -> Result<(), LocalPgError> {
        if !self.is_running() {
            return Ok(());
        }
        let (bin_dir, account) = (bindir::find()?, ServerAccount::detect()?);
        self.pg_ctl(&bin_dir, &account, &["stop", "-w", "-m", "fast"], None)
    }

    /// Drops and recreates database `clipdex` (starting the server if needed); returns its URL.
    pub async fn reset(&self) -> Result<String, LocalPgError> {
        self.ensure_running().await?;
        let admin = connect(&self.admin_url(), "connecting to the development cluster").await?;
        // Two statements, two round trips: neither may run inside a (multi-statement) transaction.
        for statement in [
            format!("DROP DATABASE {DEV_DATABASE} WITH (FORCE)"),
            format!("CREATE DATABASE {DEV_DATABASE}"),
        ] {
            admin
                .batch_execute(&statement)
                .await
                .map_err(LocalPgError::pg("recreating database clipdex"))?;
        }
        Ok(self.url())
    }

    /// Stops the server and deletes the cluster. Only what the cluster put into its directory
    /// is deleted, and the directory itself only when that leaves it empty.
    pub fn destroy(&self) -> Result<(), LocalPgError> {
        self.stop()?;
        let remove = |path: PathBuf, result: std::io::Result<()>| match result {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(LocalPgError::io(
                format!("removing {}", path.display()),
            )(error)),
            _ => Ok(()),
        };
        remove(self.data_dir(), std::fs::remove_dir_all(self.data_dir()))?;
        let log = self.dir.join("server.log");
        remove(log.clone(), std::fs::remove_file(&log))?;
        let _ = std::fs::remove_dir(&self.dir); // fails, harmlessly, when something else is in it
        Ok(())
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn admin_url(&self) -> String {
        url::socket_url(&self.dir, DEV_PORT, "postgres")
    }

    /// Copies the cached initdb into `data/`, by way of a private name, so that two concurrent
    /// `localpg up` never see a half-made cluster.
    fn create(&self, bin_dir: &Path, account: &ServerAccount) -> Result<(), LocalPgError> {
        std::fs::create_dir_all(&self.dir)
            .map_err(LocalPgError::io(format!("creating {}", self.dir.display())))?;
        make_private(&self.dir, account)?;
        check_socket_path(&self.dir, DEV_PORT)?;
        let building = self.dir.join(format!("data.{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&building);
        let options = ClusterOptions::default();
        let built = initdb::populate(&building, bin_dir, account)
            .and_then(|()| configure(&building, &self.dir, DEV_PORT, &options, account));
        let published = built.and_then(|()| {
            std::fs::rename(&building, self.data_dir())
                .or_else(|error| {
                    if self.data_dir().join("PG_VERSION").is_file() {
                        Ok(())
                    } else {
                        Err(error)
                    }
                })
                .map_err(LocalPgError::io(format!(
                    "creating {}",
                    self.data_dir().display()
                )))
        });
        let _ = std::fs::remove_dir_all(&building);
        published
    }

    /// Runs `pg_ctl <args> [log] -D data` as the server account.
    fn pg_ctl(
        &self,
        bin_dir: &Path,
        account: &ServerAccount,
        args: &[&str],
        log: Option<&Path>,
    ) -> Result<(), LocalPgError> {
        let mut pg_ctl = Command::new(bin_dir.join("pg_ctl"));
        pg_ctl
            .args(args)
            .args(log)
            .arg("-s")
            .arg("-D")
            .arg(self.data_dir());
        account.apply(&mut pg_ctl);
        let output = pg_ctl
            .output()
            .map_err(LocalPgError::io("running pg_ctl"))?;
        if output.status.success() {
            return Ok(());
        }
        let printed = [output.stdout, output.stderr].concat();
        Err(LocalPgError::Tool {
            command: format!("pg_ctl {} -D {}", args[0], self.data_dir().display()),
            status: output.status.to_string(),
            output: format!(
                "{} (log: {})",
                last_lines(&printed),
                self.dir.join("server.log").display()
            ),
        })
    }
}
