//! The exit codes and locations of the errors post 11 adds: the shadow databases' and the
//! checks' (the checks' findings are not errors: they are the report, exit 1).
//!
//! Kept apart from `diagnostic.rs` so the post-11 commands stay one reviewable piece; that
//! module asks [`located`] about every cause it does not know itself.

use check::CheckError;
use shadow::ShadowError;

use crate::diagnostic::{Diagnostic, Problem, run_error, single};
use crate::exit::Exit;

/// The diagnostic of a shadow or check error, if `cause` is one.
pub fn located(cause: &(dyn std::error::Error + 'static)) -> Option<Diagnostic> {
    if let Some(error) = cause.downcast_ref::<ShadowError>() {
        return Some(shadow_error(error));
    }
    match cause.downcast_ref::<CheckError>()? {
        CheckError::Shadow(error) => Some(shadow_error(error)),
        error @ CheckError::Unreadable { path, .. } => {
            Some(single(Exit::Other, Problem::at(error, Some(path), None)))
        }
    }
}

/// A shadow database that could not be built or read: where, and which exit code.
pub fn shadow_error(error: &ShadowError) -> Diagnostic {
    let problem = |file: Option<&std::path::Path>, line: Option<u32>| {
        Problem::at(crate::diagnostic::one_line(&error.to_string()), file, line)
    };
    match error {
        ShadowError::Replay(run) => run_error(run),
        ShadowError::Statement { path, line, .. } => {
            single(Exit::StatementFailed, problem(Some(path), Some(*line)))
        }
        ShadowError::Split(_) => single(Exit::InvalidMigrations, problem(None, None)),
        ShadowError::NoServer(_) | ShadowError::Connect(_) | ShadowError::Create { .. } => {
            single(Exit::Unreachable, problem(None, None))
        }
        ShadowError::Unreadable { path, .. } => single(Exit::Other, problem(Some(path), None)),
        _ => single(Exit::Other, problem(None, None)),
    }
}
