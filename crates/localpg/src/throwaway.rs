//! This process's throwaway server: started on first use, removed when the process ends.
//!
//! Shadow databases in the command line and the databases of a test process both want one
//! server per process, made once and never configured: a [`Cluster`] from the local server
//! binaries, or, built with the `docker` feature, a container where there are none. A
//! `static` is never dropped, so each has a watcher that removes it however the process ends
//! (the cluster's [watchdog](crate::watchdog), the container's reaper).

use std::sync::{Arc, OnceLock};

use crate::bindir;
use crate::cluster::{Cluster, ClusterOptions};
use crate::connector::PlainConnector;
use crate::error::LocalPgError;
use crate::temp_database::{AfterUse, CopyStrategy, NewDatabase, TempDatabase};

/// A server that lives exactly as long as this process.
#[derive(Debug)]
#[non_exhaustive]
pub enum Throwaway {
    /// A cluster from the local server binaries.
    Cluster(Cluster),
    /// A container (feature `docker`), used where no server binaries were found.
    #[cfg(feature = "docker")]
    Container(crate::docker::Container),
}

/// This process's throwaway server, started on the first call (which blocks while it starts).
/// A failure is kept: every later call returns it again, as [`LocalPgError::Shared`].
pub fn throwaway() -> Result<&'static Throwaway, LocalPgError> {
    static SERVER: OnceLock<Result<Throwaway, Arc<LocalPgError>>> = OnceLock::new();
    match SERVER.get_or_init(|| start().map_err(Arc::new)) {
        Ok(server) => Ok(server),
        Err(error) => Err(LocalPgError::Shared(Arc::clone(error))),
    }
}

impl Throwaway {
    /// Reaches its `postgres` database, as superuser `postgres`.
    pub fn connector(&self) -> PlainConnector {
        match self {
            Self::Cluster(cluster) => cluster.connector(),
            #[cfg(feature = "docker")]
            Self::Container(container) => PlainConnector::new(container.admin_url()),
        }
    }

    /// Creates a fresh, empty database `t_<pid>_<n>` on it.
    pub async fn create_database(&self) -> Result<TempDatabase, LocalPgError> {
        let new = NewDatabase {
            prefix: "t",
            strategy: self.copy_strategy(),
            after_use: self.after_use(),
        };
        Ok(TempDatabase::create(self.connector(), &new).await?)
    }

    fn copy_strategy(&self) -> CopyStrategy {
        match self {
            Self::Cluster(cluster) => cluster.copy_strategy(),
            #[cfg(feature = "docker")]
            Self::Container(_) => CopyStrategy::ServerDefault,
        }
    }

    /// A cluster lives on tmpfs and goes whole; a container's databases would fill the
    /// engine's disk over a long test run, so they are dropped one by one.
    fn after_use(&self) -> AfterUse {
        match self {
            Self::Cluster(_) => AfterUse::KeepWithServer,
            #[cfg(feature = "docker")]
            Self::Container(_) => AfterUse::Drop,
        }
    }
}

/// The server binaries when they are found (a configured but wrong `CLIPDEX_PG_BINDIR` counts
/// as not found, so that it can force the container), else a container.
fn start() -> Result<Throwaway, LocalPgError> {
    let mut tried = Vec::new();
    match bindir::find() {
        Ok(_) => return Cluster::start(&ClusterOptions::default()).map(Throwaway::Cluster),
        Err(LocalPgError::NoBinaries { searched }) => tried.push(searched),
        Err(error) => return Err(error),
    }
    if let Some(container) = container(&mut tried) {
        return Ok(container);
    }
    Err(LocalPgError::NoLocalServer {
        tried: tried.join("; ").replace('\n', " "),
    })
}

#[cfg(feature = "docker")]
fn container(tried: &mut Vec<String>) -> Option<Throwaway> {
    match crate::docker::Container::start() {
        Ok(container) => Some(Throwaway::Container(container)),
        Err(error) => {
            tried.push(format!("docker: {error}"));
            None
        }
    }
}

#[cfg(not(feature = "docker"))]
fn container(tried: &mut Vec<String>) -> Option<Throwaway> {
    tried.push("built without the docker feature".into());
    None
}
