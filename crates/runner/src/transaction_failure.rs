//! Which request of a transactional step failed, and so what to report: a statement located
//! in its file, the history write, `COMMIT`, the chain link, or a connection that broke.

use clipdex_core::{Statement, Step};
use tokio_postgres::error::SqlState;

use crate::chain_link::Link;
use crate::error::{Aftermath, ApplyError, RunError};
use crate::failure::{commit_error, connection_lost, statement_error};
use crate::history_error::query_error;

/// Where the parts of a revision's transaction sit in its pipeline.
pub(crate) struct Layout {
    /// `BEGIN`, the settings and the chain link.
    pub opening: usize,
    pub first_statement: usize,
    /// The history write.
    pub record: usize,
    pub commit: usize,
}

/// A step whose transaction failed, with what locates the failure.
pub(crate) struct Failed<'f> {
    pub step: &'f Step<'f>,
    pub statements: &'f [Statement],
    pub link: &'f Link<'f>,
    pub layout: &'f Layout,
}

impl Failed<'_> {
    /// The error to report for the first failed request of the step's transaction.
    pub(crate) fn error(&self, index: usize, error: tokio_postgres::Error) -> RunError {
        let Failed {
            step,
            statements,
            layout,
            ..
        } = *self;
        let revision = step.revision;
        if error.is_closed() {
            // Every request was sent before any answer was read: the first missing answer
            // says nothing about how far the server got, COMMIT included.
            let at = index.checked_sub(layout.first_statement);
            let (file, line) = match at.and_then(|at| statements.get(at)) {
                Some(statement) => (statement.origin.as_path(), statement.line),
                None => (revision.path(), step.section.marker_line()),
            };
            return connection_lost(revision, file, line, &error, Aftermath::RolledBack);
        }
        match index {
            _ if index == layout.commit => {
                commit_error(revision, step.section.marker_line(), error)
            }
            _ if index >= layout.record => {
                let doing = format!("recording revision {} in the history table", revision.id());
                query_error(doing)(error).into()
            }
            _ if index >= layout.first_statement => {
                let statement = &statements[index - layout.first_statement];
                statement_error(revision, statement, error, Aftermath::RolledBack)
            }
            _ if index == layout.opening => self.opening_error(error),
            _ => ApplyError::Database(error).into(),
        }
    }

    /// The opening failed: its chain link, when the step before did not commit, or `BEGIN`
    /// or a setting.
    fn opening_error(&self, error: tokio_postgres::Error) -> RunError {
        match self.link.previous() {
            Some(previous) if error.code() == Some(&SqlState::DIVISION_BY_ZERO) => {
                let step = self.step;
                ApplyError::PreviousNotCommitted {
                    revision: step.revision.id().to_owned(),
                    file: step.revision.path().to_owned(),
                    line: step.section.marker_line(),
                    previous: previous.to_owned(),
                }
                .into()
            }
            _ => ApplyError::Database(error).into(),
        }
    }
}
