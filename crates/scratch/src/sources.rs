//! The source chain: which PostgreSQL a test process uses, decided once per process.
//!
//! In order: the server named by `CLIPDEX_TEST_DATABASE_URL`; `localpg`'s throwaway server
//! (the local server binaries, else a container with the `docker` feature). A source that is
//! configured but broken is an error, not a reason to try the next one. Nothing available is
//! an error that says what to install — never a silent skip.

use std::sync::{Arc, OnceLock};

use localpg::{
    AfterUse, CopyStrategy, LocalPgError, NewDatabase, PlainConnector, TempDatabase, Throwaway,
};

use crate::error::ScratchError;

/// Environment variable holding the admin URL of an existing server to create databases on.
pub const TEST_DATABASE_URL_ENV: &str = "CLIPDEX_TEST_DATABASE_URL";

/// A fresh, empty database for one test: `localpg`'s temporary database, reached without TLS
/// by a URL that tokio-postgres, `psql` and the libpq tools all accept.
pub type ScratchDatabase = TempDatabase<PlainConnector>;

/// Where this process's test databases are created.
#[derive(Debug)]
enum SharedServer {
    /// An existing server; databases are dropped after each test.
    Existing(PlainConnector),
    /// This process's throwaway server.
    Local(&'static Throwaway),
}

/// Creates a fresh, empty database `t_<pid>_<n>` from the source chain (the server is set up
/// on first use).
pub async fn database() -> Result<ScratchDatabase, ScratchError> {
    static SHARED: OnceLock<Result<SharedServer, Arc<ScratchError>>> = OnceLock::new();
    match SHARED.get_or_init(|| open_shared_server().map_err(Arc::new)) {
        Ok(SharedServer::Existing(connector)) => on_existing_server(connector.clone()).await,
        Ok(SharedServer::Local(server)) => Ok(server.create_database().await?),
        Err(error) => Err(ScratchError::Shared(Arc::clone(error))),
    }
}

async fn on_existing_server(connector: PlainConnector) -> Result<ScratchDatabase, ScratchError> {
    let new = NewDatabase {
        prefix: "t",
        strategy: CopyStrategy::ServerDefault,
        after_use: AfterUse::Drop,
    };
    let created = TempDatabase::create(connector, &new).await;
    Ok(created.map_err(LocalPgError::from)?)
}

/// Walks the chain once; blocking, but only the first test of a process waits for it.
fn open_shared_server() -> Result<SharedServer, ScratchError> {
    match std::env::var(TEST_DATABASE_URL_ENV) {
        Ok(admin_url) if !admin_url.trim().is_empty() => {
            return Ok(SharedServer::Existing(PlainConnector::new(admin_url)));
        }
        _ => {}
    }
    match localpg::throwaway() {
        Ok(server) => Ok(SharedServer::Local(server)),
        Err(error) => match error.root() {
            LocalPgError::NoLocalServer { tried } => Err(ScratchError::NoPostgres {
                tried: format!("{TEST_DATABASE_URL_ENV} is unset; {tried}"),
            }),
            _ => Err(error.into()),
        },
    }
}
