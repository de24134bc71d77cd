//! Which diagnostic each error gets: its exit code from the error's own `kind()`, its file and
//! line from its own `location()`, and the notes only some errors carry.
//!
//! The libraries decide kind and location with exhaustive matches of their own — their error
//! enums are `#[non_exhaustive]`, so no match here could be — and [`exit_for`] maps every kind,
//! so an error variant without a kind, or a kind without an exit code, does not compile. The
//! variants that need more (a failed statement's caret snippet, a refused stamp's SQL, an error
//! that wraps another) are picked out below; every other one takes [`general`].

use check::CheckError;
use clipdex_core::{ErrorKind, InvalidMigrations, Location, PlanError};
use runner::{RunError, StatementError};
use shadow::ShadowError;
use stamp::StampError;

use crate::config::ConfigError;
use crate::diagnostic::{Diagnostic, Problem, one_line};
use crate::exit::Exit;

/// An error the CLI knows how to tell the user about.
pub trait Diagnose {
    /// The exit code, the problem lines and the notes.
    fn diagnose(&self) -> Diagnostic;
}

/// The exit code of each kind of error.
pub fn exit_for(kind: ErrorKind) -> Exit {
    match kind {
        ErrorKind::InvalidInput => Exit::Usage,
        ErrorKind::InvalidFiles => Exit::InvalidMigrations,
        ErrorKind::Refused => Exit::Refused,
        ErrorKind::StatementFailed => Exit::StatementFailed,
        ErrorKind::Unreachable => Exit::Unreachable,
        ErrorKind::Other => Exit::Other,
    }
}

/// One problem on one line, at its location, with the exit code of its kind.
pub fn general(
    kind: ErrorKind,
    error: &dyn std::error::Error,
    location: Option<Location<'_>>,
) -> Diagnostic {
    let problem = Problem::at(one_line(&error.to_string()), location);
    Diagnostic::single(exit_for(kind), problem)
}

impl Diagnose for InvalidMigrations {
    /// Every problem of the directory, each on its line.
    fn diagnose(&self) -> Diagnostic {
        let problems = self.problems.iter();
        Diagnostic {
            exit: exit_for(self.kind()),
            problems: problems
                .map(|p| Problem::at(p, Some(p.location())))
                .collect(),
            notes: Vec::new(),
        }
    }
}

impl Diagnose for PlanError {
    fn diagnose(&self) -> Diagnostic {
        general(self.kind(), self, self.location())
    }
}

impl Diagnose for RunError {
    fn diagnose(&self) -> Diagnostic {
        match self.statement() {
            Some(failed) => statement_failed(failed, exit_for(self.kind())),
            None => general(self.kind(), self, self.location()),
        }
    }
}

impl Diagnose for StampError {
    fn diagnose(&self) -> Diagnostic {
        match self {
            StampError::Run(error) => error.diagnose(),
            StampError::Verify(error) => error.diagnose(),
            // The SQL that would make the live schema the target's, as notes under the refusal.
            StampError::SchemaDiffers(differs) => Diagnostic {
                notes: differs.sql.lines().map(str::to_owned).collect(),
                ..general(self.kind(), self, self.location())
            },
            _ => general(self.kind(), self, self.location()),
        }
    }
}

impl Diagnose for ShadowError {
    fn diagnose(&self) -> Diagnostic {
        match self {
            ShadowError::Replay(error) => error.diagnose(),
            _ => general(self.kind(), self, self.location()),
        }
    }
}

impl Diagnose for CheckError {
    fn diagnose(&self) -> Diagnostic {
        match self {
            CheckError::Shadow(error) => error.diagnose(),
            _ => general(self.kind(), self, self.location()),
        }
    }
}

impl Diagnose for ConfigError {
    /// A config file that cannot be used is a usage error, at its line.
    fn diagnose(&self) -> Diagnostic {
        let location = match self {
            ConfigError::Unreadable { path, .. } => Location::file(path),
            ConfigError::Invalid { path, line, .. } => Location::at(path, *line),
        };
        Diagnostic::single(Exit::Usage, Problem::at(self, Some(location)))
    }
}

/// The one-line error (the runner's, with detail and hint), then the caret snippet, its
/// location line marked the way compilers mark it.
fn statement_failed(error: &StatementError, exit: Exit) -> Diagnostic {
    let lines = error.snippet.iter().flat_map(|snippet| snippet.lines());
    let notes = lines.enumerate().map(|(index, line)| match index {
        0 if !line.starts_with(' ') => format!("  --> {line}"),
        _ => line.to_owned(),
    });
    let location = Location::at(&error.file, error.line);
    Diagnostic {
        exit,
        problems: vec![Problem::at(one_line(&error.to_string()), Some(location))],
        notes: notes.collect(),
    }
}
