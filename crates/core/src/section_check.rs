//! Checking a revision's sections: that their own text cuts into statements cleanly, that
//! their includes load, and that a `per-revision` revision holds no statement a transaction
//! cannot hold. A load that keeps the text checks every section as it parses the file; one
//! that does not leaves a section's own text to [`scan_before_run`], for the revisions a run
//! is about to run.

use std::path::Path;

use crate::blocker::{blocker_of, transaction_blocker};
use crate::body::{Piece, SectionLayout};
use crate::header::TransactionMode;
use crate::include::{IncludeFailure, IncludeReader};
use crate::revision_error::RevisionError;
use crate::section::{Section, SectionPiece};
use crate::split::scan;
use crate::statement::Statement;
use crate::text::Cursor;

/// What checking a section needs to know about its revision.
pub(crate) struct SectionContext<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub mode: TransactionMode,
    pub id: &'a str,
}

/// A section whose pieces were checked, before the file's text is shared.
pub(crate) struct CheckedSection {
    pub marker_line: u32,
    pub pieces: Vec<SectionPiece>,
    /// `None` when the section's own text was left for the scan before a run.
    pub statement_count: Option<usize>,
}

/// When a section's own text (its lines of the revision file) is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OwnText {
    ScannedAtLoad,
    ScannedBeforeRun,
}

/// Checks every piece of a section: its own text cuts into statements cleanly (unless
/// `own_text` leaves that for later), includes load, and (in a `per-revision` revision) no
/// statement is one a transaction cannot hold.
pub(crate) fn check_section(
    context: &SectionContext<'_>,
    layout: SectionLayout,
    own_text: OwnText,
    includes: &mut dyn IncludeReader,
    errors: &mut Vec<RevisionError>,
    blocked: &mut Vec<RevisionError>,
) -> CheckedSection {
    let mut pieces = Vec::with_capacity(layout.pieces.len());
    let mut statement_count = Some(0);
    for piece in layout.pieces {
        match piece {
            Piece::Text {
                first_line,
                start,
                end,
            } => {
                let sql = &context.text[start..end];
                match own_text {
                    OwnText::ScannedAtLoad => match check_text(context, sql, first_line, blocked) {
                        Ok(count) => statement_count = statement_count.map(|total| total + count),
                        Err(error) => errors.push(error),
                    },
                    OwnText::ScannedBeforeRun => statement_count = None,
                }
                pieces.push(SectionPiece::Own {
                    first_line,
                    start,
                    end,
                });
            }
            Piece::Include { line, relative } => match includes.read(&relative) {
                Ok(included) => {
                    statement_count =
                        statement_count.map(|total| total + included.statements.len());
                    blocked.extend(included_blockers(context, &included.statements));
                    pieces.push(SectionPiece::Included(included));
                }
                Err(failure) => {
                    errors.extend(include_errors(context.path, line, relative, failure))
                }
            },
        }
    }
    CheckedSection {
        marker_line: layout.marker_line,
        pieces,
        statement_count,
    }
}

/// Cuts `sql` (lines of the revision file from `first_line`) without keeping the statements;
/// returns how many there are, and pushes each one a transaction cannot hold to `blocked`.
pub(crate) fn check_text(
    context: &SectionContext<'_>,
    sql: &str,
    first_line: u32,
    blocked: &mut Vec<RevisionError>,
) -> Result<usize, RevisionError> {
    let mut count = 0;
    let checks_blockers = context.mode == TransactionMode::PerRevision;
    scan(sql, context.path, first_line, |found| {
        count += 1;
        if !checks_blockers {
            return;
        }
        if let Some(blocker) = blocker_of(&sql[found.start..found.end], found.head()) {
            let (line, _) = Cursor::new(sql, first_line).advance_to(found.start);
            blocked.push(RevisionError::TransactionBlocked {
                path: context.path.to_owned(),
                line,
                blocker,
                id: context.id.to_owned(),
            });
        }
    })?;
    Ok(count)
}

/// Every statement of an included file that a `per-revision` transaction cannot hold, as
/// errors at the included file's lines; none for a `transaction: none` revision.
pub(crate) fn included_blockers(
    context: &SectionContext<'_>,
    statements: &[Statement],
) -> Vec<RevisionError> {
    if context.mode == TransactionMode::NoTransaction {
        return Vec::new();
    }
    statements
        .iter()
        .filter_map(|statement| {
            let blocker = transaction_blocker(statement)?;
            Some(RevisionError::TransactionBlocked {
                path: statement.origin.clone(),
                line: statement.line,
                blocker,
                id: context.id.to_owned(),
            })
        })
        .collect()
}

pub(crate) fn include_errors(
    path: &Path,
    line: u32,
    include: String,
    failure: IncludeFailure,
) -> Vec<RevisionError> {
    match failure {
        IncludeFailure::Unreadable(reason) => {
            vec![RevisionError::IncludeUnreadable {
                path: path.to_owned(),
                line,
                include,
                reason,
            }]
        }
        IncludeFailure::Invalid(errors) => errors,
    }
}

/// Scans the own pieces of `up` (an up section loaded without that scan) in `context.text`,
/// the file's text read again: refuses the first that does not cut cleanly or that holds a
/// statement its transaction cannot, and records the section's statement count otherwise.
pub(crate) fn scan_before_run(
    context: &SectionContext<'_>,
    up: &Section,
) -> Result<(), RevisionError> {
    if up.is_scanned() {
        return Ok(());
    }
    let mut blocked = Vec::new();
    let mut count = 0;
    for piece in up.pieces() {
        count += match piece {
            SectionPiece::Own {
                first_line,
                start,
                end,
            } => check_text(
                context,
                &context.text[*start..*end],
                *first_line,
                &mut blocked,
            )?,
            SectionPiece::Included(included) => included.statements.len(),
        };
    }
    // The included files' blockers were refused at load; these are the file's own.
    if let Some(first) = blocked.into_iter().next() {
        return Err(first);
    }
    up.set_statement_count(count);
    Ok(())
}
