//! Every way a command can fail, as one enum: [`CliError::diagnose`] matches every variant,
//! so an error that reaches the user without a diagnostic and exit code does not compile.
//!
//! The libraries' errors come in through `From` (so `?` works) and keep their types to the
//! end; the CLI's own are a command line asking for the impossible ([`UsageError`]), a refusal
//! of its own ([`Refusal`]), and failures that need a word of context: a URL from a named
//! place, the development cluster that did not start, a file that could not be written.

use check::CheckError;
use clipdex_core::{InvalidMigrations, PlanError};
use fleet::FleetError;
use import::ImportError;
use localpg::LocalPgError;
use runner::{RunError, UrlError};
use shadow::ShadowError;
use stamp::StampError;
use takeover::TakeoverError;

use crate::config::ConfigError;
use crate::diagnose::{Diagnose, exit_for, general};
use crate::diagnostic::{Diagnostic, Problem, one_line, with_sources};
use crate::exit::Exit;

/// A command line that asks for something impossible (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The CLI itself refuses, as a safety check would (exit 4): `revision` with two heads, say.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line asks for something impossible.
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// The CLI refuses, as a safety check would.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The config file cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The migrations directory is invalid.
    #[error(transparent)]
    Migrations(#[from] InvalidMigrations),
    /// No plan could be made.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A run failed. Boxed, as is `Stamp`: they are the largest errors, and every `Result` of
    /// the CLI would carry their size.
    #[error(transparent)]
    Run(Box<RunError>),
    /// Stamping failed.
    #[error(transparent)]
    Stamp(Box<StampError>),
    /// A shadow database could not be built or read.
    #[error(transparent)]
    Shadow(#[from] ShadowError),
    /// The checks could not run.
    #[error(transparent)]
    Check(#[from] CheckError),
    /// Another tool's migrations could not be imported.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// Another tool's history could not be taken over.
    #[error(transparent)]
    Takeover(#[from] TakeoverError),
    /// A fleet's targets could not be found or read.
    #[error(transparent)]
    Fleet(#[from] FleetError),
    /// Two schemas differ in a way no SQL can be written for: the target names a role the
    /// server does not have, or changes need each other in a circle.
    #[error(transparent)]
    Diff(#[from] schema::DiffError),
    /// A connection string, from the place `origin` names, that cannot be used.
    #[error("{origin}: {error}")]
    Url {
        /// Where it came from: `the database URL from --database-url`, never the URL.
        origin: String,
        /// Why it cannot be used.
        error: UrlError,
    },
    /// Nothing names a database, and the development cluster did not start.
    #[error(
        "no database configured, and the local development cluster did not start: {}",
        with_sources(.0)
    )]
    DevCluster(LocalPgError),
    /// A `dev` command failed.
    #[error("the development cluster ({command}): {}", with_sources(.error))]
    Dev {
        /// The command.
        command: localpg::DevCommand,
        /// Why.
        error: LocalPgError,
    },
    /// A file or stream could not be read or written.
    #[error("{doing}: {}", with_sources(.error))]
    Io {
        /// What was being done: `writing migrations/revisions.sum`.
        doing: String,
        /// The operating system's error.
        error: std::io::Error,
    },
}

impl From<RunError> for CliError {
    fn from(error: RunError) -> CliError {
        CliError::Run(Box::new(error))
    }
}

impl From<StampError> for CliError {
    fn from(error: StampError) -> CliError {
        CliError::Stamp(Box::new(error))
    }
}

impl CliError {
    /// For `map_err`: a URL error from `origin`.
    pub fn url(origin: impl Into<String>) -> impl FnOnce(UrlError) -> CliError {
        let origin = origin.into();
        move |error| CliError::Url { origin, error }
    }

    /// For `map_err`: an I/O error while `doing`.
    pub fn io(doing: impl Into<String>) -> impl FnOnce(std::io::Error) -> CliError {
        let doing = doing.into();
        move |error| CliError::Io { doing, error }
    }

    /// One line, with the exit code `exit`, for the errors that name no file.
    fn plain(&self, exit: Exit) -> Diagnostic {
        Diagnostic::single(exit, Problem::at(one_line(&self.to_string()), None))
    }
}

impl Diagnose for CliError {
    fn diagnose(&self) -> Diagnostic {
        match self {
            CliError::Usage(_) => self.plain(Exit::Usage),
            CliError::Refused(_) | CliError::Diff(_) => self.plain(Exit::Refused),
            CliError::Url { error, .. } => self.plain(exit_for(error.kind())),
            CliError::DevCluster(_) | CliError::Dev { .. } => self.plain(Exit::Unreachable),
            CliError::Io { .. } => self.plain(Exit::Other),
            CliError::Config(error) => error.diagnose(),
            CliError::Migrations(error) => error.diagnose(),
            CliError::Plan(error) => error.diagnose(),
            CliError::Run(error) => error.diagnose(),
            CliError::Stamp(error) => error.diagnose(),
            CliError::Shadow(error) => error.diagnose(),
            CliError::Check(error) => error.diagnose(),
            CliError::Import(error) => general(error.kind(), error, error.location()),
            CliError::Takeover(error) => general(error.kind(), error, error.location()),
            CliError::Fleet(error) => general(error.kind(), error, error.location()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_the_server_lacks_is_one_line_naming_it_and_a_refusal() {
        let error = CliError::from(schema::DiffError::MissingRole {
            role: "reporting".into(),
            object: "table public.plays".into(),
        });
        let diagnostic = error.diagnose();
        assert_eq!(diagnostic.exit, Exit::Refused);
        let [problem] = &diagnostic.problems[..] else {
            panic!("one problem: {:?}", diagnostic.problems);
        };
        assert!(!problem.message.contains('\n'), "{}", problem.message);
        assert!(
            problem
                .message
                .starts_with("role \"reporting\" does not exist on the server of the database being changed (table public.plays needs it)"),
            "{}",
            problem.message
        );
    }
}
