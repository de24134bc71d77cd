//! Where a problem is fixed: a file, and its line when there is one.
//!
//! Every error of the model that concerns a file can say where it is (`location()`), decided
//! by a match inside this crate, so that a front end never needs to list the variants itself.

use std::path::Path;

/// A file, and the line in it when the problem has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location<'a> {
    /// The file, as messages show it.
    pub file: &'a Path,
    /// The 1-based line.
    pub line: Option<u32>,
}

impl Location<'_> {
    /// Line `line` of `file`.
    pub fn at(file: &Path, line: u32) -> Location<'_> {
        Location {
            file,
            line: Some(line),
        }
    }

    /// `file` as a whole.
    pub fn file(file: &Path) -> Location<'_> {
        Location { file, line: None }
    }
}
