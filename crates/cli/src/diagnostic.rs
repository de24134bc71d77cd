//! What the user is told about a failed run: an exit code, one line per problem with its file
//! and line, and notes (the caret snippet of a failed statement, the SQL of a refused stamp).
//!
//! Only the shape lives here; which error becomes which diagnostic is [`crate::diagnose`]'s.

use std::path::PathBuf;

use clipdex_core::Location;

use crate::exit::Exit;

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

impl Diagnostic {
    /// One problem, no notes.
    pub fn single(exit: Exit, problem: Problem) -> Diagnostic {
        Diagnostic {
            exit,
            problems: vec![problem],
            notes: Vec::new(),
        }
    }
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
    /// `message`, at `location` when there is one.
    pub fn at(message: impl ToString, location: Option<Location<'_>>) -> Problem {
        Problem {
            message: message.to_string(),
            file: location.map(|at| at.file.to_path_buf()),
            line: location.and_then(|at| at.line),
        }
    }
}

/// Joins lines with ` / `: every problem is one line.
pub fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(" / ")
}

/// An error's text followed by each of its sources', `: `-separated: the whole story of an
/// error whose cause (an OS error, say) is not in its own text.
pub fn with_sources(error: &dyn std::error::Error) -> String {
    let chain = std::iter::successors(Some(error), |error| error.source());
    chain
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}
