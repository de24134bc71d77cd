//! A real Citus cluster for the tests that need one: a coordinator and two workers.
//!
//! Each node is a `localpg` [`Cluster`] with `shared_preload_libraries = citus`, on a unix
//! socket of its own, removed by its watchdog however the test process ends. The cluster is
//! started once per test process ([`cluster`]); each test gets a database of its own
//! ([`CitusCluster::create_database`]): Citus keeps its node list per database, so the
//! database is created on every node under one name, the extension is created in each, and
//! the coordinator's copy registers itself (`citus_set_coordinator_host`) and the workers
//! (`citus_add_node`).
//!
//! Citus must be installed for the server binaries `localpg` finds; where it is not, every
//! test of the group fails with one line saying how to build it — it never skips.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use localpg::{Cluster, ClusterOptions, Connector, LocalPgError, PlainConnector};
use tokio_postgres::Client;

use crate::error::ScratchError;

/// Workers in the test cluster: enough for a statement to run over several connections.
pub const WORKERS: usize = 2;

/// The coordinator and its workers, running for the whole test process.
#[derive(Debug)]
pub struct CitusCluster {
    coordinator: Cluster,
    workers: Vec<Cluster>,
}

/// A fresh database of the same name on every node, the coordinator registered as such and
/// the workers added: a distributed database as a user's would be.
#[derive(Debug)]
pub struct CitusDatabase {
    name: String,
    coordinator_url: String,
    worker_urls: Vec<String>,
}

/// This process's Citus cluster, started on the first call (which blocks while it starts).
pub fn cluster() -> Result<&'static CitusCluster, ScratchError> {
    static CLUSTER: OnceLock<Result<CitusCluster, Arc<ScratchError>>> = OnceLock::new();
    match CLUSTER.get_or_init(|| CitusCluster::start().map_err(Arc::new)) {
        Ok(cluster) => Ok(cluster),
        Err(error) => Err(ScratchError::Shared(Arc::clone(error))),
    }
}

/// A fresh distributed database on this process's cluster.
pub async fn database() -> Result<CitusDatabase, ScratchError> {
    cluster()?.create_database().await
}

impl CitusCluster {
    /// Starts a coordinator and [`WORKERS`] workers, each a cluster of its own, in parallel.
    fn start() -> Result<CitusCluster, ScratchError> {
        check_installed()?;
        let options = node_options();
        let nodes: Vec<Result<Cluster, LocalPgError>> = std::thread::scope(|scope| {
            let started: Vec<_> = (0..=WORKERS)
                .map(|_| scope.spawn(|| Cluster::start(&options)))
                .collect();
            started
                .into_iter()
                .map(|node| node.join().expect("starting a Citus node panicked"))
                .collect()
        });
        let mut nodes = nodes.into_iter().collect::<Result<Vec<_>, _>>()?;
        let coordinator = nodes.remove(0);
        Ok(CitusCluster {
            coordinator,
            workers: nodes,
        })
    }

    /// The coordinator.
    pub fn coordinator(&self) -> &Cluster {
        &self.coordinator
    }

    /// The workers.
    pub fn workers(&self) -> &[Cluster] {
        &self.workers
    }

    /// Creates `citus_<pid>_<n>` on every node, with the extension, and registers the nodes in
    /// the coordinator's copy.
    pub async fn create_database(&self) -> Result<CitusDatabase, ScratchError> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("citus_{}_{n}", std::process::id());
        let nodes = std::iter::once(&self.coordinator).chain(&self.workers);
        let prepared = nodes.map(|node| prepare_node(node, &name));
        futures_util::future::try_join_all(prepared).await?;
        let coordinator = connect(&self.coordinator.url(&name)).await?;
        // Adding a node syncs the roles to it, which are the whole cluster's: two databases
        // registering at once collide there ("tuple concurrently updated").
        static REGISTERING: futures_util::lock::Mutex<()> = futures_util::lock::Mutex::new(());
        let _one_at_a_time = REGISTERING.lock().await;
        let mut register = vec![host_port_call(
            "citus_set_coordinator_host",
            &self.coordinator,
        )];
        register.extend(
            self.workers
                .iter()
                .map(|worker| host_port_call("citus_add_node", worker)),
        );
        run(&coordinator, &register.join("; "), "registering the nodes").await?;
        Ok(CitusDatabase {
            coordinator_url: self.coordinator.url(&name),
            worker_urls: self.workers.iter().map(|w| w.url(&name)).collect(),
            name,
        })
    }
}

impl CitusDatabase {
    /// The database's name, the same on every node.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The coordinator's copy: where clipdex-migrate connects.
    pub fn url(&self) -> &str {
        &self.coordinator_url
    }

    /// Each worker's copy, to check shards where they are.
    pub fn worker_urls(&self) -> &[String] {
        &self.worker_urls
    }

    /// Connects to the coordinator's copy.
    pub async fn connect(&self) -> Result<Client, ScratchError> {
        connect(&self.coordinator_url).await
    }

    /// Connects to worker `index`'s copy.
    pub async fn connect_worker(&self, index: usize) -> Result<Client, ScratchError> {
        connect(&self.worker_urls[index]).await
    }
}

/// What every node runs with: Citus loaded, and prepared transactions for its two-phase
/// commits across nodes.
fn node_options() -> ClusterOptions {
    ClusterOptions::default()
        .setting("shared_preload_libraries", "citus")
        .setting("max_prepared_transactions", "100")
}

/// `SELECT function('<socket dir>', <port>)`: how the nodes name each other (the socket
/// directory is the host, as libpq reads it).
fn host_port_call(function: &str, node: &Cluster) -> String {
    let host = node.socket_dir().to_string_lossy().replace('\'', "''");
    format!("SELECT {function}('{host}', {})", node.port())
}

/// Creates database `name` on `node` and the extension in it.
async fn prepare_node(node: &Cluster, name: &str) -> Result<(), ScratchError> {
    let admin = connect(&node.url("postgres")).await?;
    let create = format!("CREATE DATABASE \"{name}\" TEMPLATE template0");
    run(&admin, &create, "creating a Citus test database").await?;
    let database = connect(&node.url(name)).await?;
    run(
        &database,
        "CREATE EXTENSION citus",
        "creating the citus extension",
    )
    .await
}

async fn connect(url: &str) -> Result<Client, ScratchError> {
    let connector = PlainConnector::new(url);
    Ok(connector.connect(connector.admin()).await?)
}

async fn run(client: &Client, sql: &str, action: &str) -> Result<(), ScratchError> {
    client.batch_execute(sql).await.map_err(|source| {
        let action = action.to_owned();
        ScratchError::from(LocalPgError::Postgres { action, source })
    })
}

/// Fails with what to run when the server binaries have no `citus` library.
fn check_installed() -> Result<(), ScratchError> {
    let bin_dir = localpg::pg_bin_dir()?;
    let lib_dir = library_dir(&bin_dir);
    if lib_dir.join("citus.so").is_file() {
        return Ok(());
    }
    Err(ScratchError::NoCitus {
        bin_dir,
        lib_dir: lib_dir.to_path_buf(),
    })
}

/// The server's library directory: `pg_config --pkglibdir` beside the binaries, else the
/// Debian layout's `../lib`.
fn library_dir(bin_dir: &Path) -> PathBuf {
    let asked = Command::new(bin_dir.join("pg_config"))
        .arg("--pkglibdir")
        .output();
    match asked {
        Ok(output) if output.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
        }
        _ => bin_dir.join("../lib"),
    }
}
