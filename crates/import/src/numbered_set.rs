//! Numbered raw SQL files (`NNN_slug.sql`), the migration set of post 9.
//!
//! The shell loop that applies these files knows nothing about them beyond their names in glob
//! order. This module reads the same files and says what the loop never notices: two files with
//! the same number (two branches both added `005_*`), gaps, names that do not parse, and numbers
//! whose width makes the loop's name order differ from their numeric order. `import --from
//! numbered` reads a post-9 directory through it, and post 9's crack tests show with it what
//! the loop misses; `core` models the revisions that replace these files.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use clipdex_core::Checksum;
use clipdex_core::source::{SourceFile, read_sql_files};

/// One parsed `NNN_slug.sql` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberedFile {
    /// The leading number, `5` for `005_guest_socials.sql`.
    pub number: u32,
    /// The part after the number, `guest_socials`.
    pub slug: String,
    /// The file name, `005_guest_socials.sql`.
    pub file_name: String,
    /// The path the file was read from, as shown in messages.
    pub path: PathBuf,
    /// The file's identity; see [`Checksum`].
    pub checksum: Checksum,
}

/// Something about a set that the shell loop would silently accept.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetProblem {
    /// The name is not `NNN_slug.sql`; the loop would still run it, wherever it sorts.
    #[error("{}: name does not parse as NNN_slug.sql: {reason}", .path.display())]
    UnparsableName {
        /// The offending file.
        path: PathBuf,
        /// What is wrong with the name.
        reason: NameError,
    },
    /// Several files share a number: the loop runs all of them, in name order.
    #[error("{}: {} files share number {number}; the loop runs them all in name order", DisplayPaths(.paths), .paths.len())]
    DuplicateNumber {
        /// The shared number.
        number: u32,
        /// Every file with that number, in name order.
        paths: Vec<PathBuf>,
    },
    /// Numbers skip: a file may be missing, or a branch not merged yet.
    #[error("{}: no file numbered {}", .next.display(), DisplayRange(*.first_missing, *.last_missing))]
    Gap {
        /// The first number with no file.
        first_missing: u32,
        /// The last number with no file.
        last_missing: u32,
        /// The file after the gap.
        next: PathBuf,
    },
    /// Numbers of different widths: the loop's name order differs from numeric order.
    #[error("{}: runs before {} in the loop's name order although its number is higher; pad numbers to one width", .path.display(), .runs_before.display())]
    LoopOrder {
        /// The file the loop runs too early.
        path: PathBuf,
        /// The lower-numbered file it runs before.
        runs_before: PathBuf,
    },
}

impl fmt::Debug for SetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a file name is not `NNN_slug.sql`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// The name does not start with digits.
    #[error("it does not start with a number")]
    NoNumber,
    /// The number does not fit in 32 bits.
    #[error("its number is too large")]
    NumberTooLarge,
    /// There is no `_slug` after the number.
    #[error("there is no `_slug` after the number")]
    NoSlug,
    /// The slug has characters other than `a-z`, `0-9`, `_` and `-`.
    #[error("the slug may only contain a-z, 0-9, `_` and `-`")]
    BadSlug,
}

/// A set of numbered SQL files could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot read migrations: {source}", .dir.display())]
pub struct ReadError {
    /// The directory that was being read.
    pub dir: PathBuf,
    /// The underlying I/O error.
    #[source]
    pub source: io::Error,
}

/// The files of one directory, ordered by number, with every problem the loop would miss.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberedSet {
    files: Vec<NumberedFile>,
    problems: Vec<SetProblem>,
}

impl NumberedSet {
    /// Reads every `*.sql` file directly inside `dir`.
    pub fn read_dir(dir: &Path) -> Result<NumberedSet, ReadError> {
        let files = read_sql_files(dir).map_err(|source| ReadError {
            dir: dir.to_owned(),
            source,
        })?;
        Ok(NumberedSet::from_files(files))
    }

    /// Builds a set from files already in memory (tests, embedded sets).
    pub fn from_files(sources: impl IntoIterator<Item = SourceFile>) -> NumberedSet {
        let mut sources: Vec<SourceFile> = sources.into_iter().collect();
        sources.sort_by(|a, b| a.path.cmp(&b.path));
        let mut set = NumberedSet::default();
        for source in &sources {
            match parse_name(&source.file_name()) {
                Ok((number, slug)) => set.files.push(NumberedFile {
                    number,
                    slug: slug.to_owned(),
                    file_name: source.file_name(),
                    path: source.path.clone(),
                    checksum: Checksum::of(&source.bytes),
                }),
                Err(reason) => set.problems.push(SetProblem::UnparsableName {
                    path: source.path.clone(),
                    reason,
                }),
            }
        }
        set.problems.extend(loop_order_problems(&set.files));
        set.files
            .sort_by(|a, b| (a.number, &a.path).cmp(&(b.number, &b.path)));
        set.problems.extend(duplicate_problems(&set.files));
        set.problems.extend(gap_problems(&set.files));
        set
    }

    /// The parsed files, ordered by number, then by name.
    pub fn files(&self) -> &[NumberedFile] {
        &self.files
    }

    /// Everything the loop would not notice, in a stable order.
    pub fn problems(&self) -> &[SetProblem] {
        &self.problems
    }
}

/// Splits `005_guest_socials.sql` into `(5, "guest_socials")`.
pub fn parse_name(file_name: &str) -> Result<(u32, &str), NameError> {
    let stem = file_name.strip_suffix(".sql").unwrap_or(file_name);
    let digits_end = stem
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(stem.len());
    if digits_end == 0 {
        return Err(NameError::NoNumber);
    }
    let number = stem[..digits_end]
        .parse()
        .map_err(|_| NameError::NumberTooLarge)?;
    let slug = match stem[digits_end..].strip_prefix('_') {
        Some(slug) if !slug.is_empty() => slug,
        _ => return Err(NameError::NoSlug),
    };
    let slug_char_ok =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
    if !slug.chars().all(slug_char_ok) {
        return Err(NameError::BadSlug);
    }
    Ok((number, slug))
}

/// `files` must be in name order (the loop's order).
fn loop_order_problems(files: &[NumberedFile]) -> Vec<SetProblem> {
    let mut problems = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let overtaken = files[index + 1..]
            .iter()
            .find(|later| later.number < file.number);
        if let Some(later) = overtaken {
            problems.push(SetProblem::LoopOrder {
                path: file.path.clone(),
                runs_before: later.path.clone(),
            });
        }
    }
    problems
}

/// `files` must be in numeric order.
fn duplicate_problems(files: &[NumberedFile]) -> Vec<SetProblem> {
    files
        .chunk_by(|a, b| a.number == b.number)
        .filter(|group| group.len() > 1)
        .map(|group| SetProblem::DuplicateNumber {
            number: group[0].number,
            paths: group.iter().map(|file| file.path.clone()).collect(),
        })
        .collect()
}

/// `files` must be in numeric order; numbering is expected to start at 1.
fn gap_problems(files: &[NumberedFile]) -> Vec<SetProblem> {
    let mut problems = Vec::new();
    let mut expected = 1;
    for file in files {
        if file.number > expected {
            problems.push(SetProblem::Gap {
                first_missing: expected,
                last_missing: file.number - 1,
                next: file.path.clone(),
            });
        }
        expected = expected.max(file.number.saturating_add(1));
    }
    problems
}

struct DisplayPaths<'a>(&'a [PathBuf]);

impl fmt::Display for DisplayPaths<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, path) in self.0.iter().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            write!(f, "{separator}{}", path.display())?;
        }
        Ok(())
    }
}

struct DisplayRange(u32, u32);

impl fmt::Display for DisplayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DisplayRange(first, last) if first == last => write!(f, "{first}"),
            DisplayRange(first, last) => write!(f, "{first} to {last}"),
        }
    }
}

#[cfg(test)]
#[path = "numbered_set_tests.rs"]
mod tests;
