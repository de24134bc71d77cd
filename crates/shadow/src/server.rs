//! [`ShadowServer`]: where shadow databases are created, decided once, in a fixed order.
//!
//! 1. An admin URL chosen for the purpose (`--shadow-url`, `CLIPDEX_SHADOW_URL`, the config's
//!    `shadow_url`): used as given; a failure there is an error, never a reason to go elsewhere.
//! 2. The server of the target database (`DATABASE_URL`): the shadow database then runs the
//!    same PostgreSQL version with the same extensions available. A role that may not create
//!    databases (SQLSTATE 42501) is common there, so that refusal moves on to the next source
//!    with a one-line notice.
//! 3. This process's throwaway server from `localpg`: a cluster from the local server binaries
//!    (or, built with the `docker` feature, a container where there are none). No variable
//!    meant for tests reaches this choice.
//!
//! Every shadow database then gets the extensions of the target database (and those the
//! configuration requires) before anything runs in it: see [`ShadowExtensions`].

use std::sync::{Arc, Mutex, PoisonError};

use runner::{DatabaseUrl, RunnerConfig};

use crate::database::{CreateFailure, ShadowDatabase};
use crate::error::ShadowError;
use crate::extensions::{self, ShadowExtensions};
use crate::version::major_version;

/// Where shadow databases may come from; see the module documentation for the order.
#[derive(Debug, Clone, Default)]
pub struct ShadowConfig {
    /// An admin URL meant for shadow databases; when set, the only source.
    pub shadow_url: Option<DatabaseUrl>,
    /// The target database (`DATABASE_URL`), whose server is tried before a throwaway one.
    pub database_url: Option<DatabaseUrl>,
    /// The history location (its schema is left out of every catalog) and the timeouts that
    /// replays run with.
    pub runner: RunnerConfig,
    /// The target database's major version, when known: a shadow server of another major
    /// version is refused with [`ShadowError::VersionMismatch`] before its first database.
    pub target_major: Option<u32>,
    /// Use a shadow server of another major version all the same.
    pub allow_version_mismatch: bool,
    /// The extensions shadow databases get before any file runs there, besides the target's.
    pub extensions: ShadowExtensions,
}

/// Which source a shadow server came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShadowOrigin {
    /// The URL chosen for shadow databases.
    ShadowUrl,
    /// The server of the target database.
    DatabaseServer,
    /// This process's throwaway server from `localpg`.
    Throwaway,
}

/// A resolved server: an admin URL to create databases through.
#[derive(Debug)]
struct Server {
    admin: DatabaseUrl,
    origin: ShadowOrigin,
}

#[derive(Debug, Default)]
struct State {
    server: Option<Arc<Server>>,
    database_server_refused: bool,
    notices: Vec<String>,
    /// What each shadow database gets in advance, decided with the first one.
    extensions: Option<Arc<Vec<String>>>,
}

/// Creates shadow databases; the server is chosen on first use and kept.
#[derive(Debug)]
pub struct ShadowServer {
    config: ShadowConfig,
    state: Mutex<State>,
}

impl ShadowServer {
    /// A server chosen from `config` when the first shadow database is needed.
    pub fn new(config: ShadowConfig) -> ShadowServer {
        ShadowServer {
            config,
            state: Mutex::new(State::default()),
        }
    }

    /// The runner configuration replays use.
    pub fn runner_config(&self) -> &RunnerConfig {
        &self.config.runner
    }

    /// A fresh shadow database with the extensions its target has (see [`ShadowExtensions`]),
    /// and nothing else.
    pub async fn create(&self) -> Result<ShadowDatabase, ShadowError> {
        let database = self.create_bare().await?;
        let extensions = self.extensions().await?;
        if !extensions.is_empty() {
            let server = database.url().redacted();
            let created = extensions::create_in(database.client(), &extensions, &server).await;
            if let Err(error) = created {
                let _ = database.discard().await;
                return Err(error);
            }
        }
        Ok(database)
    }

    /// The extensions each shadow database gets, decided once: the target's, read on first
    /// use, and the required ones, less those the project's files create.
    async fn extensions(&self) -> Result<Arc<Vec<String>>, ShadowError> {
        if let Some(extensions) = &self.lock().extensions {
            return Ok(Arc::clone(extensions));
        }
        let target = match &self.config.database_url {
            Some(url) => match extensions::of_target(url).await {
                Ok(names) => names,
                // The shadow is elsewhere: go on without the target's extensions, and say so.
                Err(error) if self.origin() != Some(ShadowOrigin::DatabaseServer) => {
                    self.lock().notices.push(format!(
                        "shadow databases get only the configured shadow_extensions: {error}"
                    ));
                    Vec::new()
                }
                Err(error) => return Err(error),
            },
            None => Vec::new(),
        };
        let wanted = Arc::new(extensions::to_create(&self.config.extensions, target));
        if !wanted.is_empty() {
            tracing::info!(extensions = ?wanted, "shadow databases get the target's extensions");
        }
        Ok(Arc::clone(self.lock().extensions.get_or_insert(wanted)))
    }

    /// A fresh, empty shadow database.
    async fn create_bare(&self) -> Result<ShadowDatabase, ShadowError> {
        loop {
            let server = self.server().await?;
            match ShadowDatabase::create(&server.admin, &self.config.runner).await {
                Ok(database) => return Ok(database),
                Err(CreateFailure::Refused(reason))
                    if server.origin == ShadowOrigin::DatabaseServer =>
                {
                    self.refuse_database_server(&server, &reason);
                }
                Err(CreateFailure::Refused(reason)) => {
                    let server = server.admin.redacted();
                    return Err(ShadowError::Create { server, reason });
                }
                Err(CreateFailure::Failed(error)) => return Err(error),
            }
        }
    }

    /// Notices gathered since the last call (a fallback to another source), one line each.
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().notices)
    }

    /// Where shadow databases are created, once one was: the redacted admin URL and its source.
    pub fn describe(&self) -> Option<String> {
        let server = self.lock().server.clone()?;
        let source = match server.origin {
            ShadowOrigin::ShadowUrl => "the shadow URL",
            ShadowOrigin::DatabaseServer => "the target database's server",
            ShadowOrigin::Throwaway => "a throwaway server",
        };
        Some(format!("{} ({source})", server.admin))
    }

    /// The source in use, once a shadow database was created.
    pub fn origin(&self) -> Option<ShadowOrigin> {
        self.lock().server.as_ref().map(|server| server.origin)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The server in use, choosing it on first call.
    async fn server(&self) -> Result<Arc<Server>, ShadowError> {
        let refused = {
            let state = self.lock();
            if let Some(server) = &state.server {
                return Ok(Arc::clone(server));
            }
            state.database_server_refused
        };
        let server = self.choose(refused).await?;
        self.check_version(&server).await?;
        let server = Arc::new(server);
        let mut state = self.lock();
        // Another task may have chosen meanwhile; the first choice stays.
        Ok(Arc::clone(state.server.get_or_insert(server)))
    }

    async fn choose(&self, database_server_refused: bool) -> Result<Server, ShadowError> {
        if let Some(admin) = &self.config.shadow_url {
            return Ok(Server {
                admin: admin.clone(),
                origin: ShadowOrigin::ShadowUrl,
            });
        }
        if let Some(admin) = self
            .config
            .database_url
            .as_ref()
            .filter(|_| !database_server_refused)
        {
            return Ok(Server {
                admin: admin.clone(),
                origin: ShadowOrigin::DatabaseServer,
            });
        }
        // Blocks while the server starts, once per process, as a first connection would.
        let throwaway = localpg::throwaway()?;
        let connector = throwaway.connector();
        // The tool's own server: no user variable (PGUSER, PGSERVICE, …) may redirect it.
        let admin = DatabaseUrl::parse_without_environment(localpg::Connector::admin(&connector))?;
        Ok(Server {
            admin,
            origin: ShadowOrigin::Throwaway,
        })
    }

    /// Refuses a server of another major version than the target's (the target's own server
    /// is the target's version).
    async fn check_version(&self, server: &Server) -> Result<(), ShadowError> {
        let Some(target) = self.config.target_major else {
            return Ok(());
        };
        if self.config.allow_version_mismatch || server.origin == ShadowOrigin::DatabaseServer {
            return Ok(());
        }
        let client = crate::database::connect_to(&server.admin).await?;
        let shadow = major_version(&client).await?;
        if shadow == target {
            return Ok(());
        }
        Err(ShadowError::VersionMismatch {
            server: server.admin.redacted(),
            shadow,
            target,
        })
    }

    fn refuse_database_server(&self, server: &Server, reason: &str) {
        let mut state = self.lock();
        state.database_server_refused = true;
        state.server = None;
        state.notices.push(format!(
            "cannot create shadow databases on {} ({reason}): using a throwaway server instead; set --shadow-url to choose one",
            server.admin
        ));
    }
}
