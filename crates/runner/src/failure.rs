//! From a server error back to the statement, file, line and column that caused it.
//!
//! Statements are sent one per request, so the failing request's index names the statement
//! even for run-time errors that carry no position (division by zero, a constraint
//! violation); when PostgreSQL does give a position, it is a 1-based character offset into
//! that statement's text, which `core` maps to the file and renders with a caret. A
//! connection that breaks instead is no statement's fault: it is reported as such, with what
//! the revision may have left behind.

use std::path::Path;

use clipdex_core::{Revision, Statement};
use tokio_postgres::error::{DbError, ErrorPosition};

use crate::error::{Aftermath, ApplyError, RunError, StatementError};
use crate::pg_text::{describe_pg, one_line};

/// The error of `statement` of `revision`, located as precisely as the server allows.
pub(crate) fn statement_error(
    revision: &Revision,
    statement: &Statement,
    error: tokio_postgres::Error,
    aftermath: Aftermath,
) -> RunError {
    if error.is_closed() {
        return connection_lost(
            revision,
            &statement.origin,
            statement.line,
            &error,
            aftermath,
        );
    }
    let Some(db) = error.as_db_error() else {
        return ApplyError::Database(error).into();
    };
    let position = match db.position() {
        Some(ErrorPosition::Original(position)) => Some(*position),
        _ => None,
    };
    let at = position.and_then(|position| statement.source_position(position));
    let (line, column) = at.map_or((statement.line, statement.column), |at| {
        (at.line, at.column)
    });
    RunError::from(StatementError {
        revision: revision.id().to_owned(),
        file: statement.origin.clone(),
        line,
        column,
        sqlstate: db.code().code().to_owned(),
        message: message_of(db),
        detail: db.detail().map(str::to_owned),
        hint: db.hint().map(str::to_owned),
        snippet: position.and_then(|position| statement.render_position(position)),
        resumable: aftermath == Aftermath::Resumable,
        aftermath,
    })
}

/// The server's message; for an error inside a function body, where the failing query is.
fn message_of(db: &DbError) -> String {
    match (db.position(), db.where_()) {
        (Some(ErrorPosition::Internal { query, .. }), _) => {
            let message = one_line(db.message());
            format!("{message} (in {:?})", one_line(query))
        }
        (_, Some(context)) => format!("{} (context: {})", db.message(), one_line(context)),
        _ => one_line(db.message()),
    }
}

/// A failure at the `COMMIT` of a revision (a deferred constraint, say): located at the
/// section's marker line, since no single statement is to blame.
pub(crate) fn commit_error(
    revision: &Revision,
    marker_line: u32,
    error: tokio_postgres::Error,
) -> RunError {
    if error.is_closed() {
        let path = revision.path();
        return connection_lost(revision, path, marker_line, &error, Aftermath::RolledBack);
    }
    let Some(db) = error.as_db_error() else {
        return ApplyError::Database(error).into();
    };
    RunError::from(StatementError {
        revision: revision.id().to_owned(),
        file: revision.path().to_owned(),
        line: marker_line,
        column: 1,
        sqlstate: db.code().code().to_owned(),
        message: format!("at COMMIT: {}", one_line(db.message())),
        detail: db.detail().map(str::to_owned),
        hint: db.hint().map(str::to_owned),
        snippet: None,
        resumable: false,
        aftermath: Aftermath::RolledBack,
    })
}

/// The connection broke while `revision` ran, its last request sent from `file:line`. The
/// answers that would have said how far the server got are lost with it.
pub(crate) fn connection_lost(
    revision: &Revision,
    file: &Path,
    line: u32,
    error: &tokio_postgres::Error,
    aftermath: Aftermath,
) -> RunError {
    ApplyError::ConnectionLost {
        revision: revision.id().to_owned(),
        file: file.to_owned(),
        line,
        reason: describe_pg(error),
        aftermath,
    }
    .into()
}
