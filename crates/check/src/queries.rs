//! `queries`: the SQL the application runs, PREPAREd against the head schema.
//!
//! `queries/*.sql` holds the statements the application sends (the episode list, the guest
//! page, search, quote lookup). PREPARE parses, resolves every name and infers every
//! parameter's type without running anything, so a column the code expects but no revision
//! creates is caught here, by file and line, instead of by a user opening a page.

use std::path::Path;

use clipdex_core::checksum::normalise;
use clipdex_core::{Statement, split_statements};
use shadow::{ShadowDatabase, describe_pg};
use tokio_postgres::error::ErrorPosition;

use crate::error::CheckError;
use crate::report::{CheckKind, Finding};

/// Prepares every statement of every `*.sql` file directly in `dir` on `database`.
pub(crate) async fn check_queries(
    database: &ShadowDatabase,
    dir: &Path,
) -> Result<Vec<Finding>, CheckError> {
    let unreadable = |path: &Path, error: std::io::Error| CheckError::Unreadable {
        path: path.to_owned(),
        reason: error.to_string(),
    };
    let files =
        clipdex_core::source::read_sql_files(dir).map_err(|error| unreadable(dir, error))?;
    let mut findings = Vec::new();
    for file in files {
        let text = String::from_utf8_lossy(&normalise(&file.bytes)).into_owned();
        match split_statements(&text, &file.path) {
            Ok(statements) => {
                for statement in &statements {
                    findings.extend(prepare(database, statement).await);
                }
            }
            Err(error) => {
                let message = error.to_string();
                let finding = Finding::new(CheckKind::Queries, message);
                findings.push(finding.at(&file.path, None));
            }
        }
    }
    Ok(findings)
}

/// A finding when the statement does not prepare.
async fn prepare(database: &ShadowDatabase, statement: &Statement) -> Option<Finding> {
    let error = database.client().prepare(&statement.sql).await.err()?;
    let position = error.as_db_error().and_then(|db| match db.position() {
        Some(ErrorPosition::Original(position)) => statement.source_position(*position),
        _ => None,
    });
    let line = position.map_or(statement.line, |at| at.line);
    let first_line = statement.sql.lines().next().unwrap_or("").trim();
    let message = format!(
        "`{first_line}` does not prepare against the head schema: {}",
        describe_pg(&error)
    );
    Some(Finding::new(CheckKind::Queries, message).at(&statement.origin, Some(line)))
}
