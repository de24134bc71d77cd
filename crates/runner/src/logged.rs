//! A run's progress in the log: each revision as it starts and ends, and each statement as it
//! is sent, as `tracing` events, whatever observer the caller gave.
//!
//! The runner never prints; whoever installs a subscriber (the CLI with `-v`, an application
//! with its own) sees these. Revisions and the lock are `info`, statements `debug`. Events
//! carry their values as fields (`revision`, `file`, `duration_ms`), so a structured
//! subscriber can read them without parsing a message.

use std::time::Duration;

use clipdex_core::{Direction, Revision, Statement};

use crate::observer::{LockHolder, Observer};

/// The caller's observer, with every revision and statement also logged.
pub(crate) struct Logged<'o>(pub &'o mut dyn Observer);

impl Observer for Logged<'_> {
    fn waiting_for_lock(&mut self, holder: &LockHolder) {
        self.0.waiting_for_lock(holder);
    }

    fn revision_started(&mut self, revision: &Revision, direction: Direction, statements: usize) {
        tracing::info!(
            revision = %revision.id(),
            file = %revision.path().display(),
            ?direction,
            statements,
            "revision started"
        );
        self.0.revision_started(revision, direction, statements);
    }

    fn statement_started(&mut self, statement: &Statement) {
        tracing::debug!(
            at = %format_args!("{}:{}", statement.origin.display(), statement.line),
            statement = statement.index + 1,
            "statement sent"
        );
        self.0.statement_started(statement);
    }

    fn revision_finished(&mut self, revision: &Revision, elapsed: Duration) {
        tracing::info!(
            revision = %revision.id(),
            duration_ms = millis(elapsed),
            "revision finished"
        );
        self.0.revision_finished(revision, elapsed);
    }
}

/// A statement that ran on its own (a `transaction: none` revision's) finished.
pub(crate) fn statement_finished(statement: &Statement, elapsed: Duration) {
    tracing::debug!(
        at = %format_args!("{}:{}", statement.origin.display(), statement.line),
        statement = statement.index + 1,
        duration_ms = millis(elapsed),
        "statement finished"
    );
}

/// Whole milliseconds, as the log shows durations.
pub(crate) fn millis(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
}
