//! The throwaway PostgreSQL every tool runs against, and the URL each tool wants for it.
//!
//! One `localpg` cluster (unix socket in `/dev/shm`, durability off) serves the whole run;
//! every measured run gets a fresh database on it, created and dropped with `psql`. The
//! socket's URL is spelled differently by each tool's driver, so each form lives here.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use localpg::{Cluster, ClusterOptions};

use crate::measure::Invocation;

/// The settings that make the cluster fast and not durable, as the server reports them.
const DURABILITY_SETTINGS: &str = "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) \
     FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')";

/// The running cluster and the `psql` that talks to it.
#[derive(Debug)]
pub struct Server {
    cluster: Cluster,
    psql: PathBuf,
    version: String,
    next: u32,
}

impl Server {
    /// Starts a throwaway cluster.
    pub fn start() -> Result<Server, String> {
        let bin = localpg::pg_bin_dir().map_err(|error| error.to_string())?;
        let cluster = Cluster::start(&ClusterOptions::default()).map_err(|e| e.to_string())?;
        let mut server = Server {
            cluster,
            psql: bin.join("psql"),
            version: String::new(),
            next: 0,
        };
        let version = server.query("postgres", "SHOW server_version")?;
        let settings = server.query("postgres", DURABILITY_SETTINGS)?;
        let socket = server.cluster.socket_dir().display().to_string();
        server.version = format!("{version}, throwaway cluster, socket in {socket}, {settings}");
        Ok(server)
    }

    /// The server's version and how it runs, as read from it: e.g. `15.18 (Debian
    /// 15.18-0+deb12u1), throwaway cluster, socket in /dev/shm/…, fsync=off, …`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The `psql` binary of the server's installation.
    pub fn psql(&self) -> &PathBuf {
        &self.psql
    }

    /// Creates a fresh, empty database and returns its name.
    pub fn create_database(&mut self) -> Result<String, String> {
        self.next += 1;
        let name = format!("b{}_{}", std::process::id(), self.next);
        let sql = format!("CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY");
        self.query("postgres", &sql)?;
        Ok(name)
    }

    /// Copies database `template` (no session may be connected to it) and returns the copy's
    /// name.
    pub fn copy_database(&mut self, template: &str) -> Result<String, String> {
        self.next += 1;
        let name = format!("b{}_{}", std::process::id(), self.next);
        let sql = format!("CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY");
        self.query("postgres", &sql)?;
        Ok(name)
    }

    /// Drops a database made by [`create_database`](Self::create_database).
    pub fn drop_database(&self, name: &str) -> Result<(), String> {
        self.query("postgres", &format!("DROP DATABASE {name} WITH (FORCE)"))
            .map(drop)
    }

    /// Runs one SQL command and returns its unaligned, tuples-only output, trimmed.
    pub fn query(&self, database: &str, sql: &str) -> Result<String, String> {
        self.query_with(database, sql, &[])
    }

    /// [`query`](Self::query) with psql variables, used in `sql` as `:'name'` (quoted); the
    /// SQL goes through stdin, since psql does not interpolate variables in `-c`.
    pub fn query_with(
        &self,
        database: &str,
        sql: &str,
        vars: &[(&str, &str)],
    ) -> Result<String, String> {
        let mut command = Command::new(&self.psql);
        command.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]);
        for (name, value) in vars {
            command.arg("-v").arg(format!("{name}={value}"));
        }
        command.arg("-d").arg(self.url(database));
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let failed = |error: std::io::Error| format!("psql: {error}");
        let mut child = command.spawn().map_err(failed)?;
        let mut stdin = child.stdin.take().ok_or("psql: no stdin")?;
        stdin.write_all(sql.as_bytes()).map_err(failed)?;
        drop(stdin);
        let output = child.wait_with_output().map_err(failed)?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!("psql {sql:?}: {}", stderr.trim()));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// `psql -c 'select 1'` against `database`: process start plus one connection.
    pub fn select_one(&self, database: &str) -> Invocation {
        Invocation::new(&self.psql)
            .args(["-X", "-q", "-d"])
            .arg(self.url(database))
            .args(["-c", "select 1"])
    }

    /// libpq and tokio-postgres: the socket directory, percent-encoded, as the host.
    pub fn url(&self, database: &str) -> String {
        self.cluster.url(database)
    }

    /// sqlx: the same `%2F`-encoded host form (sqlx decodes it and sees a socket directory).
    pub fn sqlx_url(&self, database: &str) -> String {
        self.url(database)
            .replacen("postgresql://", "postgres://", 1)
    }

    /// dbmate: the socket directory in `?socket=`, TLS off.
    pub fn dbmate_url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@:{}/{database}?socket={}&sslmode=disable",
            self.cluster.port(),
            self.cluster.socket_dir().display()
        )
    }

    /// SQLAlchemy with `driver` (`psycopg` or `psycopg2`): the directory in `?host=`.
    pub fn sqlalchemy_url(&self, driver: &str, database: &str) -> String {
        format!(
            "postgresql+{driver}://postgres@/{database}?host={}&port={}",
            self.cluster.socket_dir().display(),
            self.cluster.port()
        )
    }
}
