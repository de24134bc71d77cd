//! Why a text cannot be cut into statements, at the line and column where the problem opened.
//!
//! A leaf of its own: the splitter raises these, and a revision's errors wrap them, without
//! either module reaching into the other.

use std::fmt;
use std::path::PathBuf;

use crate::location::Location;

/// Text that cannot be split into statements; the line and column are where the problem opened.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SplitError {
    /// A `'…'` or `E'…'` string literal never closes.
    #[error("{}:{line}:{column}: unterminated string literal: the quote opened here never closes", .path.display())]
    UnterminatedString {
        /// The file.
        path: PathBuf,
        /// Where the quote opened.
        line: u32,
        /// Where the quote opened.
        column: u32,
    },
    /// A `"…"` identifier never closes.
    #[error("{}:{line}:{column}: unterminated quoted identifier: the `\"` opened here never closes", .path.display())]
    UnterminatedIdentifier {
        /// The file.
        path: PathBuf,
        /// Where the quote opened.
        line: u32,
        /// Where the quote opened.
        column: u32,
    },
    /// A `$tag$` dollar quote has no matching closing delimiter.
    #[error("{}:{line}:{column}: unterminated dollar quote: no closing `{delimiter}` for the one opened here", .path.display())]
    UnterminatedDollarQuote {
        /// The file.
        path: PathBuf,
        /// Where the quote opened.
        line: u32,
        /// Where the quote opened.
        column: u32,
        /// The opening delimiter, `$$` or `$tag$`.
        delimiter: String,
    },
    /// A `/*` comment (comments nest) is never closed.
    #[error("{}:{line}:{column}: unterminated block comment: the `/*` opened here never closes (block comments nest)", .path.display())]
    UnterminatedComment {
        /// The file.
        path: PathBuf,
        /// Where the comment opened.
        line: u32,
        /// Where the comment opened.
        column: u32,
    },
    /// A backslash outside quotes: psql would run a meta-command, the server cannot.
    #[error("{}:{line}:{column}: psql meta-commands are not SQL; `{command}` only works in psql, and migrations are sent to the server (to run another file, use `-- +include PATH`)", .path.display())]
    MetaCommand {
        /// The file.
        path: PathBuf,
        /// Where the backslash is.
        line: u32,
        /// Where the backslash is.
        column: u32,
        /// The meta-command as written, `\i` or `\set`.
        command: String,
    },
}

impl SplitError {
    /// The file and line to fix.
    pub fn location(&self) -> Location<'_> {
        match self {
            SplitError::UnterminatedString { path, line, .. }
            | SplitError::UnterminatedIdentifier { path, line, .. }
            | SplitError::UnterminatedDollarQuote { path, line, .. }
            | SplitError::UnterminatedComment { path, line, .. }
            | SplitError::MetaCommand { path, line, .. } => Location::at(path, *line),
        }
    }
}

impl fmt::Debug for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
