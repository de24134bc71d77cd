//! The exit codes and locations of `import`'s and `stamp --from`'s errors.
//!
//! Kept apart from `diagnostic.rs`, as the checks' are, so that adopting another tool's
//! history stays one reviewable piece; that module asks [`located`] about every cause it does
//! not know itself. Each match names every variant, so a new one cannot go unmapped.

use import::ImportError;
use takeover::TakeoverError;

use crate::diagnostic::{Diagnostic, Problem, one_line, single};
use crate::exit::Exit;

/// The diagnostic of an import or takeover error, if `cause` is one.
pub fn located(cause: &(dyn std::error::Error + 'static)) -> Option<Diagnostic> {
    if let Some(error) = cause.downcast_ref::<ImportError>() {
        let (file, line) = error.location();
        return Some(single(
            import_exit(error),
            Problem::at(one_line(&error.to_string()), file, line),
        ));
    }
    let error = cause.downcast_ref::<TakeoverError>()?;
    let file = match error {
        TakeoverError::Hole { path, .. } => Some(path.as_path()),
        _ => None,
    };
    Some(single(
        takeover_exit(error),
        Problem::at(one_line(&error.to_string()), file, None),
    ))
}

fn import_exit(error: &ImportError) -> Exit {
    use ImportError as E;
    match error {
        E::Unreadable { .. } => Exit::Usage,
        E::NotUtf8 { .. }
        | E::WrongFormat { .. }
        | E::NoMigrations { .. }
        | E::DuplicateVersion { .. }
        | E::DownWithoutUp { .. }
        | E::Numbered { .. }
        | E::Malformed { .. }
        | E::Unsupported { .. }
        | E::WouldNotLoad { .. } => Exit::InvalidMigrations,
        E::ChangedSinceImport { .. }
        | E::BeforeImported { .. }
        | E::SeveralHeads { .. }
        | E::FileExists { .. }
        | E::SourceIsMigrationsDir { .. } => Exit::Refused,
        E::Write { .. } => Exit::Other,
    }
}

fn takeover_exit(error: &TakeoverError) -> Exit {
    use TakeoverError as E;
    match error {
        E::NoHistoryTable { .. } | E::WrongTable { .. } | E::Resolve(_) => Exit::Usage,
        E::Dirty { .. }
        | E::Failed { .. }
        | E::NotImported { .. }
        | E::Hole { .. }
        | E::ChecksumMismatch(_)
        | E::Unmapped { .. } => Exit::Refused,
        E::Query { .. } if error.is_connection() => Exit::Unreachable,
        E::Query { .. } => Exit::Other,
    }
}
