//! Progress callbacks, so the CLI can draw progress and log without the runner printing.

use std::time::Duration;

use clipdex_core::{Direction, Revision, Statement};

/// Who holds the migration lock, read from `pg_locks` and `pg_stat_activity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// The backend's process id.
    pub pid: i32,
    /// Its `application_name` (clipdex-migrate sets `clipdex-migrate/<version> pid <pid>`).
    pub application_name: String,
    /// The role it connected as.
    pub user: String,
    /// Its client address; `None` for a unix socket (or when not visible to this role).
    pub client: Option<String>,
    /// When its session started, RFC 3339 UTC.
    pub since: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = if self.application_name.is_empty() {
            "a session without application_name"
        } else {
            &self.application_name
        };
        write!(f, "{name} (backend pid {}, user {}", self.pid, self.user)?;
        if let Some(client) = &self.client {
            write!(f, ", from {client}")?;
        }
        write!(f, ", connected since {})", self.since)
    }
}

/// Progress callbacks (CLI progress bars, logs); every method has an empty default.
///
/// `Send`, so that a run (which holds the observer across its awaits) can be spawned as a
/// tokio task.
pub trait Observer: Send {
    /// Another session holds the lock; called once per wait, with who holds it.
    fn waiting_for_lock(&mut self, _holder: &LockHolder) {}
    /// A revision starts; `statements` is how many of its statements will run now.
    fn revision_started(
        &mut self,
        _revision: &Revision,
        _direction: Direction,
        _statements: usize,
    ) {
    }
    /// A statement's turn has come. A transactional revision's statements are told all at
    /// once, after the revision before it has finished: they are sent earlier (with that
    /// revision still running), but the server runs them only then.
    fn statement_started(&mut self, _statement: &Statement) {}
    /// A revision finished and is recorded.
    fn revision_finished(&mut self, _revision: &Revision, _elapsed: Duration) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl Observer for NoObserver {}
