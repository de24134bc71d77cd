//! An error turned into what the user sees: an exit code, one line per problem with its file
//! and line, and notes (the caret snippet of a failed statement, hints).
//!
//! Commands return `anyhow::Error`, but the libraries' typed errors travel inside it intact;
//! here they are found again by downcasting, so the exit code comes from what went wrong
//! (`RunError::kind`, core's error types) and never from parsing a message.

use std::path::{Path, PathBuf};

use clipdex_core::{GraphProblem, PlanError, ResolveError, RevisionError, SplitError, SumProblem};
use runner::{ErrorKind, RunError, StatementError, UrlError};

use crate::config::ConfigError;
use crate::exit::{Exit, Refusal, UsageError};
use crate::migrations::{InvalidMigrations, MigrationProblem};

/// What to tell the user about a failed run.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The exit code.
    pub exit: Exit,
    /// One line each (`error: …`); never empty.
    pub problems: Vec<Problem>,
    /// Lines printed after the problems as they are: a caret snippet, `hint: …`.
    pub notes: Vec<String>,
}

/// One problem, with where to fix it when there is such a place.
#[derive(Debug, Clone)]
pub struct Problem {
    /// One line.
    pub message: String,
    /// The file to fix.
    pub file: Option<PathBuf>,
    /// Its line.
    pub line: Option<u32>,
}

impl Problem {
    pub(crate) fn at(message: impl ToString, file: Option<&Path>, line: Option<u32>) -> Problem {
        Problem {
            message: message.to_string(),
            file: file.map(Path::to_path_buf),
            line,
        }
    }
}

/// Classifies `error` by the first typed error found in its chain.
pub fn diagnose(error: &anyhow::Error) -> Diagnostic {
    for cause in error.chain() {
        if let Some(found) = typed(cause, error) {
            return found;
        }
    }
    single(
        Exit::Other,
        Problem::at(one_line(&format!("{error:#}")), None, None),
    )
}

/// The diagnostic of `cause` if it is a known type; `whole` (the error with its context) gives
/// the message of errors that carry no location.
fn typed(cause: &(dyn std::error::Error + 'static), whole: &anyhow::Error) -> Option<Diagnostic> {
    if let Some(found) = located(cause) {
        return Some(found);
    }
    let exit = plain_exit(cause)?;
    let message = one_line(&format!("{whole:#}"));
    Some(single(exit, Problem::at(message, None, None)))
}

/// Errors that know their file and line, or need their own exit code mapping.
fn located(cause: &(dyn std::error::Error + 'static)) -> Option<Diagnostic> {
    if let Some(invalid) = cause.downcast_ref::<InvalidMigrations>() {
        let problems = invalid.problems.iter().map(migration_problem).collect();
        let exit = Exit::InvalidMigrations;
        return Some(Diagnostic {
            exit,
            problems,
            notes: Vec::new(),
        });
    }
    if let Some(error) = cause.downcast_ref::<RunError>() {
        return Some(run_error(error));
    }
    if let Some(error) = cause.downcast_ref::<stamp::StampError>() {
        return Some(stamp_error(error));
    }
    if let Some(error) = cause.downcast_ref::<PlanError>() {
        return Some(single(plan_exit(error), plan_problem(error)));
    }
    if let Some(found) = crate::diagnostic_checks::located(cause) {
        return Some(found);
    }
    let error = cause.downcast_ref::<ConfigError>()?;
    Some(single(Exit::Usage, config_problem(error)))
}

/// The exit code of the other errors the CLI knows.
fn plain_exit(cause: &(dyn std::error::Error + 'static)) -> Option<Exit> {
    if cause.is::<UsageError>() || cause.is::<UrlError>() || cause.is::<ResolveError>() {
        Some(Exit::Usage)
    } else if cause.is::<Refusal>() {
        Some(Exit::Refused)
    } else if cause.is::<scratch::ScratchError>() {
        Some(Exit::Unreachable)
    } else {
        None
    }
}

pub(crate) fn single(exit: Exit, problem: Problem) -> Diagnostic {
    Diagnostic {
        exit,
        problems: vec![problem],
        notes: Vec::new(),
    }
}

pub(crate) fn run_error(error: &RunError) -> Diagnostic {
    match error {
        RunError::Statement(statement) => statement_failed(statement, run_exit(error)),
        RunError::Plan(plan) => single(plan_exit(plan), plan_problem(plan)),
        RunError::InvalidIndex { file, line, .. } | RunError::ConnectionLost { file, line, .. } => {
            single(run_exit(error), Problem::at(error, Some(file), Some(*line)))
        }
        RunError::PartialRevision { file, .. }
        | RunError::PartialEdited { file, .. }
        | RunError::NotApplied { file, .. } => {
            let file = Some(file.as_path()).filter(|file| !file.as_os_str().is_empty());
            single(run_exit(error), Problem::at(error, file, None))
        }
        _ => single(
            run_exit(error),
            Problem::at(one_line(&error.to_string()), None, None),
        ),
    }
}

/// The exit code of a run error. Two kinds are overridden: waiting too long for the lock is
/// "cannot reach the database" (6), and several heads is a refusal (4), as the table says.
fn run_exit(error: &RunError) -> Exit {
    match error {
        RunError::LockTimeout { .. } => Exit::Unreachable,
        RunError::Plan(plan) => plan_exit(plan),
        _ => kind_exit(error.kind()),
    }
}

fn kind_exit(kind: ErrorKind) -> Exit {
    match kind {
        ErrorKind::InvalidInput => Exit::Usage,
        ErrorKind::Refused => Exit::Refused,
        ErrorKind::StatementFailed => Exit::StatementFailed,
        ErrorKind::Unreachable => Exit::Unreachable,
        ErrorKind::Other => Exit::Other,
    }
}

fn stamp_error(error: &stamp::StampError) -> Diagnostic {
    match error {
        stamp::StampError::Run(run) => run_error(run),
        stamp::StampError::Verify(shadow) => crate::diagnostic_checks::shadow_error(shadow),
        stamp::StampError::Diff(_) => Diagnostic {
            exit: Exit::Refused,
            problems: vec![Problem::at(error, None, None)],
            notes: Vec::new(),
        },
        // The SQL that would make the live schema the target's, as notes under the refusal.
        stamp::StampError::SchemaDiffers(differs) => Diagnostic {
            exit: Exit::Refused,
            problems: vec![Problem::at(error, None, None)],
            notes: differs.sql.lines().map(str::to_owned).collect(),
        },
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
    let notes = notes.collect();
    let problem = Problem::at(error, Some(error.file.as_path()), Some(error.line));
    Diagnostic {
        exit,
        problems: vec![problem],
        notes,
    }
}

fn plan_exit(error: &PlanError) -> Exit {
    match error {
        PlanError::Resolve(_)
        | PlanError::NoRevisions
        | PlanError::AmbiguousStepsBack { .. }
        | PlanError::NotEnoughApplied { .. }
        | PlanError::TargetNotApplied { .. } => Exit::Usage,
        _ => Exit::Refused,
    }
}

fn plan_problem(error: &PlanError) -> Problem {
    let (file, line) = match error {
        PlanError::EditedRevision { path, line, .. }
        | PlanError::OutOfOrder { path, line, .. }
        | PlanError::TargetNotApplied { path, line, .. }
        | PlanError::Irreversible { path, line, .. } => (Some(path.as_path()), Some(*line)),
        _ => (None, None),
    };
    Problem::at(error, file, line)
}

fn config_problem(error: &ConfigError) -> Problem {
    match error {
        ConfigError::Unreadable { path, .. } => Problem::at(error, Some(path), None),
        ConfigError::Invalid { path, line, .. } => Problem::at(error, Some(path), Some(*line)),
    }
}

fn migration_problem(problem: &MigrationProblem) -> Problem {
    let (file, line) = match problem {
        MigrationProblem::Revision(error) => revision_location(error),
        MigrationProblem::Graph(error) => graph_location(error),
        MigrationProblem::Sum(error) => sum_location(error),
    };
    Problem::at(problem, Some(file), line)
}

fn revision_location(error: &RevisionError) -> (&Path, Option<u32>) {
    use RevisionError as E;
    match error {
        E::Unreadable { path, .. } | E::Empty { path } => (path, None),
        E::NotUtf8 { path, line, .. }
        | E::MissingKey { path, line, .. }
        | E::UnknownKey { path, line, .. }
        | E::DuplicateKey { path, line, .. }
        | E::InvalidId { path, line, .. }
        | E::DuplicateParent { path, line, .. }
        | E::InvalidTransaction { path, line, .. }
        | E::SqlBeforeUp { path, line }
        | E::MissingUp { path, line }
        | E::DownBeforeUp { path, line }
        | E::RepeatedMarker { path, line, .. }
        | E::UnknownMarker { path, line, .. }
        | E::MisplacedInclude { path, line, .. }
        | E::BadIncludePath { path, line, .. }
        | E::IncludeUnreadable { path, line, .. }
        | E::TransactionBlocked { path, line, .. } => (path, Some(*line)),
        E::Split(split) => split_location(split),
    }
}

fn split_location(error: &SplitError) -> (&Path, Option<u32>) {
    match error {
        SplitError::UnterminatedString { path, line, .. }
        | SplitError::UnterminatedIdentifier { path, line, .. }
        | SplitError::UnterminatedDollarQuote { path, line, .. }
        | SplitError::UnterminatedComment { path, line, .. }
        | SplitError::MetaCommand { path, line, .. } => (path, Some(*line)),
    }
}

fn graph_location(error: &GraphProblem) -> (&Path, Option<u32>) {
    match error {
        GraphProblem::DuplicateId { path, line, .. }
        | GraphProblem::MissingParent { path, line, .. }
        | GraphProblem::SelfParent { path, line, .. }
        | GraphProblem::Cycle { path, line, .. } => (path, Some(*line)),
    }
}

fn sum_location(error: &SumProblem) -> (&Path, Option<u32>) {
    match error {
        SumProblem::Missing { path } | SumProblem::Changed { path, .. } => (path, None),
        SumProblem::NotListed { path, .. } => (path, None),
        SumProblem::ConflictMarkers { path, line }
        | SumProblem::Malformed { path, line, .. }
        | SumProblem::TotalMismatch { path, line }
        | SumProblem::ListedMissing { path, line, .. } => (path, Some(*line)),
    }
}

/// Joins lines with ` / `: every problem is one line.
pub fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(" / ")
}
