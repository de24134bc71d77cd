//! `migrations/revisions.sum`: the committed checksum of every file the revisions use.
//!
//! Like Atlas's `atlas.sum`, it exists for git rather than for the database. It lists every
//! revision file and every included file with the checksum of its whole contents, under a
//! `total` line that sums the list. Two branches that each add a revision both change the
//! `total` line, so git reports a conflict before the merge lands — the cue to merge the two
//! heads — and an edit to a committed revision shows up as a checksum mismatch in review,
//! long before any database sees it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::checksum::Checksum;
use crate::location::Location;
use crate::set::{DisplayLines, RevisionSet};
use crate::sum_listing::{ListedFile, Listing, ListingError, listing, read_listing, total_of};

const HEADER: &str = "# clipdex-migrate revisions.sum: the checksum of every file the revisions use. Do not edit: run `clipdex-migrate sum`.";

/// The first line of the listing (after the comment), lines counted from 1.
pub(crate) const FIRST_ENTRY_LINE: u32 = 3;

/// One listed file: its path relative to the migrations directory, its checksum, its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumEntry {
    /// The `/`-separated path relative to the migrations directory.
    pub path: String,
    /// The checksum of the whole file, normalised as [`Checksum`] does.
    pub checksum: Checksum,
    /// The entry's line in the sum file.
    pub line: u32,
}

/// The contents of a sum file: entries sorted by path, and their total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumFile {
    entries: Vec<SumEntry>,
    total: Checksum,
}

/// One way the sum file and the migrations directory disagree.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SumProblem {
    /// There is no sum file.
    #[error("{}: no sum file; run `clipdex-migrate sum` to write it, and commit it with the revisions", .path.display())]
    Missing {
        /// Where it should be.
        path: PathBuf,
    },
    /// Git left conflict markers in it.
    #[error("{}:{line}: git conflict markers: two branches both added revisions; resolve it by running `clipdex-migrate sum`, then `clipdex-migrate heads` — if there are two heads, join them with `clipdex-migrate merge`", .path.display())]
    ConflictMarkers {
        /// The sum file.
        path: PathBuf,
        /// The first marker's line.
        line: u32,
    },
    /// A line that is neither a comment, the total, nor `<path> sha256:<hex>`.
    #[error("{}:{line}: {reason}; run `clipdex-migrate sum` to rewrite the file", .path.display())]
    Malformed {
        /// The sum file.
        path: PathBuf,
        /// The line.
        line: u32,
        /// What is wrong with it.
        reason: String,
    },
    /// The `total` line does not sum the entries: the file was edited by hand.
    #[error("{}:{line}: the total does not match the files listed below it; the sum file was edited by hand: run `clipdex-migrate sum` to rewrite it", .path.display())]
    TotalMismatch {
        /// The sum file.
        path: PathBuf,
        /// The `total` line.
        line: u32,
    },
    /// A listed file whose contents changed.
    #[error("{}: changed since it was summed ({}:{line} has {recorded}, the file has {actual}); committed revisions are append-only: revert the edit, or put the change in a new revision", .path.display(), .sum_path.display())]
    Changed {
        /// The changed file.
        path: PathBuf,
        /// The sum file.
        sum_path: PathBuf,
        /// The entry's line.
        line: u32,
        /// The listed checksum.
        recorded: Checksum,
        /// The file's checksum now.
        actual: Checksum,
    },
    /// A file the revisions use that the sum file does not list.
    #[error("{}: not in {}; run `clipdex-migrate sum` to add it, or create revisions with `clipdex-migrate revision`, which keeps the sum file current", .path.display(), .sum_path.display())]
    NotListed {
        /// The unlisted file.
        path: PathBuf,
        /// The sum file.
        sum_path: PathBuf,
    },
    /// A listed file that no revision uses any more.
    #[error("{}:{line}: lists `{file}`, which no revision uses (deleted, renamed, or no longer included); restore it, or run `clipdex-migrate sum` if that was intended", .path.display())]
    ListedMissing {
        /// The sum file.
        path: PathBuf,
        /// The entry's line.
        line: u32,
        /// The listed path.
        file: String,
    },
}

impl ListedFile for SumEntry {
    fn path(&self) -> &str {
        &self.path
    }

    fn checksum(&self) -> Checksum {
        self.checksum
    }
}

impl SumProblem {
    /// The file to fix: the sum file at its line, or a file it lists or misses.
    pub fn location(&self) -> Location<'_> {
        match self {
            SumProblem::Missing { path }
            | SumProblem::Changed { path, .. }
            | SumProblem::NotListed { path, .. } => Location::file(path),
            SumProblem::ConflictMarkers { path, line }
            | SumProblem::Malformed { path, line, .. }
            | SumProblem::TotalMismatch { path, line }
            | SumProblem::ListedMissing { path, line, .. } => Location::at(path, *line),
        }
    }
}

impl fmt::Debug for SumProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Every disagreement between the sum file and the directory, one per line when displayed.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", DisplayLines(.problems))]
pub struct SumError {
    /// The problems; never empty.
    pub problems: Vec<SumProblem>,
}

impl fmt::Debug for SumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<SumProblem> for SumError {
    fn from(problem: SumProblem) -> SumError {
        SumError {
            problems: vec![problem],
        }
    }
}

impl SumFile {
    /// The sum file for the files `set` uses.
    pub fn compute(set: &RevisionSet) -> SumFile {
        let entries = set
            .used_files()
            .zip(FIRST_ENTRY_LINE..)
            .map(|((path, checksum), line)| SumEntry {
                path: path.to_owned(),
                checksum,
                line,
            });
        let entries: Vec<SumEntry> = entries.collect();
        let total = total_of(&entries);
        SumFile { entries, total }
    }

    /// Reads a sum file's text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<SumFile, SumError> {
        let listing = read_sum_file(path, text)?;
        let entries = listing.entries.iter().map(|listed| SumEntry {
            path: listed.path.to_owned(),
            checksum: listed.checksum,
            line: listed.line,
        });
        Ok(SumFile {
            entries: entries.collect(),
            total: listing.total,
        })
    }

    /// The file's text: a comment, the total, then one `<path> <checksum>` line per file.
    pub fn render(&self) -> String {
        format!("{HEADER}\ntotal {}\n{}", self.total, listing(&self.entries))
    }

    /// The listed files, sorted by path.
    pub fn entries(&self) -> &[SumEntry] {
        &self.entries
    }

    /// The checksum over the listed lines.
    pub fn total(&self) -> Checksum {
        self.total
    }

    /// Checks the set's `revisions.sum` against the files the set uses, reporting every
    /// difference.
    ///
    /// Both lists are sorted by path, so they are walked side by side, the sum file's lines
    /// read where they lie in its text: a directory of thousands of revisions is checked
    /// without a copy of either list. Loading calls it ([`LoadedMigrations`]), then lets the
    /// sum file's text go.
    ///
    /// [`LoadedMigrations`]: crate::LoadedMigrations
    pub(crate) fn verify(set: &RevisionSet) -> Result<(), SumError> {
        let sum_path = set.sum_file_path();
        let Some(text) = set.sum_file() else {
            return Err(SumProblem::Missing { path: sum_path }.into());
        };
        let recorded = read_sum_file(&sum_path, text)?;
        let mut listed = recorded.entries.iter().peekable();
        let mut unused = Vec::new();
        let mut problems = Vec::new();
        for (file, actual) in set.used_files() {
            while let Some(entry) = listed.next_if(|entry| entry.path < file) {
                unused.push(entry);
            }
            // A path listed twice is checked against its last line.
            let mut found = None;
            while let Some(entry) = listed.next_if(|entry| entry.path == file) {
                found = Some(entry);
            }
            let path = || set.dir().join(file);
            match found {
                None => problems.push(SumProblem::NotListed {
                    path: path(),
                    sum_path: sum_path.clone(),
                }),
                Some(entry) if entry.checksum != actual => problems.push(SumProblem::Changed {
                    path: path(),
                    sum_path: sum_path.clone(),
                    line: entry.line,
                    recorded: entry.checksum,
                    actual,
                }),
                Some(_) => {}
            }
        }
        let unused = unused.into_iter().chain(listed);
        problems.extend(unused.map(|entry| SumProblem::ListedMissing {
            path: sum_path.clone(),
            line: entry.line,
            file: entry.path.to_owned(),
        }));
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SumError { problems })
        }
    }
}

/// [`read_listing`], its problems at the sum file's `path`.
fn read_sum_file<'text>(path: &Path, text: &'text str) -> Result<Listing<'text>, SumProblem> {
    let path = path.to_owned();
    read_listing(text).map_err(|error| match error {
        ListingError::ConflictMarkers { line } => SumProblem::ConflictMarkers { path, line },
        ListingError::Malformed { line, reason } => SumProblem::Malformed { path, line, reason },
        ListingError::TotalMismatch { line } => SumProblem::TotalMismatch { path, line },
    })
}

#[cfg(test)]
#[path = "sum_tests.rs"]
mod tests;
