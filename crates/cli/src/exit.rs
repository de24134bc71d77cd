//! The exit codes, the one contract scripts and CI rely on without reading any text.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | `check`/`drift` found a problem (post 11) |
//! | 2 | usage or configuration error |
//! | 3 | the migration files are invalid (parse, graph, sum file) |
//! | 4 | refused by a safety check (edited/unknown/out-of-order revision, several heads, irreversible, non-empty database, partial revision) |
//! | 5 | a statement failed in the database (rolled back, or left resumable) |
//! | 6 | cannot reach the database (connect, authentication, TLS, lock wait timed out), or lost it mid-run |
//! | 7 | any other error (I/O, internal) |
//!
//! Which error gets which code is decided in [`crate::diagnostic`], from the libraries' typed
//! errors; this module only names the codes, and the errors the CLI raises itself.

/// Why the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success,
    /// 1: `check`/`drift` found a problem (post 11).
    CheckFailed,
    /// 2: usage or configuration error.
    Usage,
    /// 3: the migration files are invalid (parse, graph, sum file).
    InvalidMigrations,
    /// 4: refused by a safety check.
    Refused,
    /// 5: a statement failed in the database.
    StatementFailed,
    /// 6: cannot reach the database, or lost it mid-run.
    Unreachable,
    /// 7: any other error.
    Other,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::CheckFailed => 1,
            Exit::Usage => 2,
            Exit::InvalidMigrations => 3,
            Exit::Refused => 4,
            Exit::StatementFailed => 5,
            Exit::Unreachable => 6,
            Exit::Other => 7,
        }
    }

    /// The `kind` of a `--json` error document.
    pub fn kind(self) -> &'static str {
        match self {
            Exit::Success => "success",
            Exit::CheckFailed => "check_failed",
            Exit::Usage => "usage",
            Exit::InvalidMigrations => "invalid_migrations",
            Exit::Refused => "refused",
            Exit::StatementFailed => "statement_failed",
            Exit::Unreachable => "unreachable",
            Exit::Other => "other",
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> std::process::ExitCode {
        std::process::ExitCode::from(exit.code())
    }
}

/// A command line that asks for something impossible (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The CLI itself refuses, as a safety check would (exit 4): `revision` with two heads, say.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);
