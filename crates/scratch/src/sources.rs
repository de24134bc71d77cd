//! The source chain: which PostgreSQL a test process uses, decided once per process.
//!
//! In order: the server named by `CLIPDEX_TEST_DATABASE_URL`; a throwaway cluster from the
//! local server binaries; a container (feature `docker`). A source that is configured but
//! broken is an error, not a reason to try the next one (a wrong `CLIPDEX_PG_BINDIR` must not
//! silently test against another version). Nothing available is an error that says what to
//! install — never a silent skip.

use std::sync::{Arc, OnceLock};

use crate::cluster::{Cluster, ClusterOptions};
use crate::database::{CopyStrategy, ScratchDatabase, create_database_on};
use crate::{ScratchError, bindir, url};

/// Environment variable holding the admin URL of an existing server to create databases on.
pub const TEST_DATABASE_URL_ENV: &str = "CLIPDEX_TEST_DATABASE_URL";

/// Where this process's test databases are created.
#[derive(Debug)]
enum SharedServer {
    /// An existing server (its admin URL); databases are dropped after each test.
    Existing(String),
    /// This process's own throwaway cluster.
    Local(Cluster),
    /// A container; databases are dropped after each test, the container when the process ends.
    #[cfg(feature = "docker")]
    Docker(crate::docker::Container),
}

/// Creates a fresh, empty database from the source chain (the server is set up on first use).
pub async fn database() -> Result<ScratchDatabase, ScratchError> {
    static SHARED: OnceLock<Result<SharedServer, Arc<ScratchError>>> = OnceLock::new();
    let server = SHARED.get_or_init(|| open_shared_server().map_err(Arc::new));
    match server {
        Ok(SharedServer::Existing(admin_url)) => on_existing_server(admin_url).await,
        Ok(SharedServer::Local(cluster)) => cluster.create_database().await,
        #[cfg(feature = "docker")]
        Ok(SharedServer::Docker(container)) => on_existing_server(container.admin_url()).await,
        Err(error) => Err(ScratchError::Shared(Arc::clone(error))),
    }
}

/// Creates a fresh, empty database on the existing server whose admin URL is `admin_url`
/// (URL or `key=value` form), dropped again when the [`ScratchDatabase`] is dropped: e.g. a
/// shadow database next to the one `DATABASE_URL` names.
pub async fn database_on(admin_url: &str) -> Result<ScratchDatabase, ScratchError> {
    on_existing_server(admin_url).await
}

async fn on_existing_server(admin_url: &str) -> Result<ScratchDatabase, ScratchError> {
    let url_of = |name: &str| url::with_database(admin_url, name);
    create_database_on(admin_url, url_of, CopyStrategy::ServerDefault, true).await
}

/// Walks the chain once; blocking, but only the first test of a process waits for it.
fn open_shared_server() -> Result<SharedServer, ScratchError> {
    let mut tried = Vec::new();
    match std::env::var(TEST_DATABASE_URL_ENV) {
        Ok(admin_url) if !admin_url.trim().is_empty() => {
            return Ok(SharedServer::Existing(admin_url));
        }
        _ => tried.push(format!("{TEST_DATABASE_URL_ENV} is unset")),
    }
    match bindir::find() {
        Ok(_) => return Cluster::start(&ClusterOptions::default()).map(SharedServer::Local),
        Err(ScratchError::NoBinaries { searched }) => tried.push(searched),
        Err(error) => return Err(error),
    }
    if let Some(container) = docker_source(&mut tried) {
        return Ok(container);
    }
    Err(ScratchError::NoPostgres {
        tried: tried.join("; ").replace('\n', " "),
    })
}

#[cfg(feature = "docker")]
fn docker_source(tried: &mut Vec<String>) -> Option<SharedServer> {
    match crate::docker::Container::start() {
        Ok(container) => Some(SharedServer::Docker(container)),
        Err(error) => {
            tried.push(format!("docker: {error}"));
            None
        }
    }
}

#[cfg(not(feature = "docker"))]
fn docker_source(tried: &mut Vec<String>) -> Option<SharedServer> {
    tried.push("built without the docker feature".into());
    None
}
