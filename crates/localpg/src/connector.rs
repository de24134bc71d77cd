//! How a temporary database's server is reached: the one thing its users do differently.
//!
//! Test databases live on local clusters and test servers, reached without TLS by URL text;
//! shadow databases may live on any server a user names, reached with the runner's TLS and
//! password handling. A [`TempDatabase`](crate::TempDatabase) creates and drops databases the
//! same way on both, through a [`Connector`] that knows the server; its URL type and its
//! error type stay the caller's own.

use std::future::Future;

use tokio_postgres::{Client, NoTls};

use crate::error::LocalPgError;

/// Reaches one server: its admin database, and any other database on it by name.
pub trait Connector: std::fmt::Debug + Send + Sync + 'static {
    /// How a database on the server is named for connecting (URL text, a parsed URL).
    type Url: ?Sized + Send + Sync;
    /// Why a connection failed.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The database to create and drop other databases through.
    fn admin(&self) -> &Self::Url;

    /// The same server, user and settings, naming database `name` instead.
    fn with_database(&self, name: &str) -> Box<Self::Url>;

    /// Connects to `url`; the connection task runs on the current tokio runtime.
    fn connect(&self, url: &Self::Url) -> impl Future<Output = Result<Client, Self::Error>> + Send;
}

/// A server reached without TLS, by a connection string that tokio-postgres, `psql` and the
/// other libpq tools all accept (URL or `key=value` form): local clusters, containers, and
/// the servers tests are pointed at.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainConnector {
    admin: String,
}

impl PlainConnector {
    /// The server whose admin database `admin_url` names.
    pub fn new(admin_url: impl Into<String>) -> PlainConnector {
        PlainConnector {
            admin: admin_url.into(),
        }
    }
}

impl std::fmt::Debug for PlainConnector {
    /// Nothing of the URL: it may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlainConnector").finish_non_exhaustive()
    }
}

impl Connector for PlainConnector {
    type Url = str;
    type Error = LocalPgError;

    fn admin(&self) -> &str {
        &self.admin
    }

    fn with_database(&self, name: &str) -> Box<str> {
        crate::url::with_database(&self.admin, name).into()
    }

    async fn connect(&self, url: &str) -> Result<Client, LocalPgError> {
        let action = match crate::url::database_name(url) {
            Some(name) => format!("connecting to database {name}"),
            None => "connecting to the server".to_owned(),
        };
        connect(url, &action).await
    }
}

/// Connects without TLS and spawns the connection task on the current runtime.
pub(crate) async fn connect(url: &str, action: &str) -> Result<Client, LocalPgError> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(LocalPgError::pg(action))?;
    tokio::spawn(async move {
        // Errors here mean the server went away; the client's next call reports that.
        let _ = connection.await;
    });
    Ok(client)
}
