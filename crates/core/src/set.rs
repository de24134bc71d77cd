//! The revisions of one migrations directory, loaded together with every file they include.
//!
//! Each `*.sql` directly in the directory is a revision; subdirectories such as `legacy/` hold
//! included files only. Loading collects every file's problems instead of stopping at the first,
//! so a single run reports everything a branch broke, and records the checksum of every file
//! the revisions use, which is what the sum file pins.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::checksum::Checksum;
use crate::file_text::SqlText;
use crate::include::{IncludeFailure, IncludeReader, load_included};
use crate::revision::{IncludedFile, Revision, parse_revision};
use crate::revision_error::RevisionError;
use crate::source::{SourceFile, read_each, sql_file_paths};
use crate::used_files::UsedFiles;

/// The name of the sum file inside the migrations directory.
pub const SUM_FILE_NAME: &str = "revisions.sum";

/// Every revision of a directory, sorted by file name then id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionSet {
    dir: PathBuf,
    revisions: Vec<Revision>,
    /// The included files; the revision files are named by the revisions themselves.
    included_files: BTreeMap<String, Checksum>,
    sum_file: SumText,
}

/// What a set holds of `revisions.sum`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SumText {
    /// The directory has none.
    Absent,
    /// Its text, as read.
    Held(String),
    /// It was there, and a [`LoadedMigrations`](crate::LoadedMigrations) compared it with the
    /// files and let its text go: thousands of lines are not kept for the rest of a run.
    Compared,
}

/// Every problem found while loading a set, one per line when displayed.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", DisplayLines(.problems))]
pub struct LoadError {
    /// The problems, in file order; never empty.
    pub problems: Vec<RevisionError>,
}

impl fmt::Debug for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl RevisionSet {
    /// Reads the revisions in `dir`, their includes (relative to `dir`) and `revisions.sum`,
    /// keeping the revisions' text.
    pub fn read_dir(dir: &Path) -> Result<RevisionSet, LoadError> {
        RevisionSet::read_dir_with(dir, SqlText::Kept)
    }

    /// [`RevisionSet::read_dir`], keeping the revisions' text or not as `sql_text` says.
    pub fn read_dir_with(dir: &Path, sql_text: SqlText) -> Result<RevisionSet, LoadError> {
        let unreadable = |path: &Path, error: std::io::Error| LoadError {
            problems: vec![RevisionError::Unreadable {
                path: path.to_owned(),
                reason: error.to_string(),
            }],
        };
        let paths = sql_file_paths(dir).map_err(|error| unreadable(dir, error))?;
        let sum_path = dir.join(SUM_FILE_NAME);
        let sum_file = match fs::read(&sum_path) {
            // Valid UTF-8 (as written) becomes the text without a copy.
            Ok(bytes) => Some(String::from_utf8(bytes).unwrap_or_else(|invalid| {
                String::from_utf8_lossy(invalid.as_bytes()).into_owned()
            })),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(unreadable(&sum_path, error)),
        };
        let read_include = |relative: &str| {
            let path = dir.join(relative);
            match fs::read(&path) {
                Ok(bytes) => Ok(SourceFile::new(path, bytes)),
                Err(error) => Err(error.to_string()),
            }
        };
        let new_loader = |files| Loader::new(read_include, files, sql_text);
        let (mut loader, later) = read_each(paths, new_loader, Loader::add)
            .map_err(|failed| unreadable(&failed.path, failed.error))?;
        if let Some(later) = later {
            loader.append(later);
        }
        loader.finish(dir, sum_file)
    }

    /// A set from files in memory, with paths relative to the migrations directory: a top-level
    /// `*.sql` is a revision, `revisions.sum` the sum file, anything else may be included.
    pub fn from_files(
        files: impl IntoIterator<Item = SourceFile>,
    ) -> Result<RevisionSet, LoadError> {
        let mut revisions = Vec::new();
        let mut others = HashMap::new();
        let mut sum_file = None;
        for file in files {
            let relative = relative_name(&file.path);
            if relative == SUM_FILE_NAME {
                sum_file = Some(String::from_utf8_lossy(&file.bytes).into_owned());
            } else if !relative.contains('/') && relative.ends_with(".sql") {
                revisions.push(file);
            } else {
                others.insert(relative, file);
            }
        }
        revisions.sort_by(|a, b| a.path.cmp(&b.path));
        let read_include = |relative: &str| {
            others
                .get(relative)
                .cloned()
                .ok_or_else(|| "no such file in the migrations directory".to_owned())
        };
        // Files in memory cannot be read again: their text is kept.
        let mut loader = Loader::new(read_include, revisions.len(), SqlText::Kept);
        for file in revisions {
            loader.add(file.path, file.bytes);
        }
        loader.finish(Path::new(""), sum_file)
    }

    /// The directory the set was read from (empty for an in-memory set).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The revisions, sorted by file name, then id.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// Every file the revisions use — revision files and included files — by path relative
    /// to the directory (`/`-separated), with the checksum of its whole contents, in path
    /// order.
    pub fn used_files(&self) -> UsedFiles<'_> {
        UsedFiles::new(&self.revisions, &self.included_files)
    }

    /// The text of `revisions.sum`, if the directory has one and the set still holds it: a
    /// [`LoadedMigrations`](crate::LoadedMigrations) lets it go once it has compared it with
    /// the files (see [`RevisionSet::has_sum_file`]).
    pub fn sum_file(&self) -> Option<&str> {
        match &self.sum_file {
            SumText::Held(text) => Some(text),
            SumText::Absent | SumText::Compared => None,
        }
    }

    /// Whether the directory has a `revisions.sum`.
    pub fn has_sum_file(&self) -> bool {
        self.sum_file != SumText::Absent
    }

    /// Lets the text of `revisions.sum` go, once compared with the files.
    pub(crate) fn let_go_of_sum_text(&mut self) {
        if let SumText::Held(_) = self.sum_file {
            self.sum_file = SumText::Compared;
        }
    }

    /// Where `revisions.sum` is (or would be), as shown in messages.
    pub fn sum_file_path(&self) -> PathBuf {
        self.dir.join(SUM_FILE_NAME)
    }
}

/// Parses revision files one by one, collecting the revisions, the problems and the files
/// they use.
struct Loader<R> {
    includes: Includes<R>,
    revisions: Vec<Revision>,
    problems: Vec<RevisionError>,
    sql_text: SqlText,
}

impl<R: FnMut(&str) -> Result<SourceFile, String>> Loader<R> {
    /// A loader for `files` revision files: its lists are sized for them, not grown by
    /// doubling to nearly twice their length.
    fn new(read_include: R, files: usize, sql_text: SqlText) -> Loader<R> {
        Loader {
            includes: Includes::new(read_include),
            revisions: Vec::with_capacity(files),
            problems: Vec::new(),
            sql_text,
        }
    }

    /// Parses one revision file.
    fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        match parse_revision(path, bytes, &mut self.includes, self.sql_text) {
            Ok(revision) => self.revisions.push(revision),
            Err(errors) => self.problems.extend(errors),
        }
    }

    /// Takes over what `later` loaded from the files after this loader's. An include both
    /// used was read by each: [`Loader::finish`] keeps its checksum, and its problems, once.
    fn append(&mut self, later: Loader<R>) {
        self.revisions.extend(later.revisions);
        self.problems.extend(later.problems);
        self.includes.used.extend(later.includes.used);
    }

    fn finish(self, dir: &Path, sum_file: Option<String>) -> Result<RevisionSet, LoadError> {
        let Loader {
            includes,
            mut revisions,
            mut problems,
            ..
        } = self;
        if !problems.is_empty() {
            let mut seen = Vec::new();
            problems.retain(|problem| {
                if seen.contains(problem) {
                    false
                } else {
                    seen.push(problem.clone());
                    true
                }
            });
            return Err(LoadError { problems });
        }
        // Files arrive in name order; sorting again is for the rare tie on a name.
        if !revisions.is_sorted_by(|a, b| file_order(a) <= file_order(b)) {
            revisions.sort_by(|a, b| file_order(a).cmp(&file_order(b)));
        }
        Ok(RevisionSet {
            dir: dir.to_owned(),
            revisions,
            included_files: includes.used.into_iter().collect(),
            sum_file: sum_file.map_or(SumText::Absent, SumText::Held),
        })
    }
}

/// The order of a set's revisions: by file name, then id.
pub(crate) fn file_order(revision: &Revision) -> (&str, &str) {
    (revision.file_name(), revision.id())
}

/// The path of `path` inside the migrations directory for a revision file (its name) or an
/// in-memory file (its whole path), `/`-separated.
fn relative_name(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.trim_start_matches("./").to_owned()
}

/// Included files, read once each and remembered with their checksums in `used`.
struct Includes<R> {
    read_file: R,
    cache: HashMap<String, Result<Arc<IncludedFile>, IncludeFailure>>,
    used: Vec<(String, Checksum)>,
}

impl<R> Includes<R> {
    fn new(read_file: R) -> Includes<R> {
        Includes {
            read_file,
            cache: HashMap::new(),
            used: Vec::new(),
        }
    }
}

impl<R: FnMut(&str) -> Result<SourceFile, String>> IncludeReader for Includes<R> {
    fn read(&mut self, relative: &str) -> Result<Arc<IncludedFile>, IncludeFailure> {
        if let Some(cached) = self.cache.get(relative) {
            return cached.clone();
        }
        let loaded = match (self.read_file)(relative) {
            Err(reason) => Err(IncludeFailure::Unreadable(reason)),
            Ok(file) => {
                self.used
                    .push((relative.to_owned(), Checksum::of(&file.bytes)));
                load_included(&file.path, &file.bytes)
                    .map(Arc::new)
                    .map_err(IncludeFailure::Invalid)
            }
        };
        self.cache.insert(relative.to_owned(), loaded.clone());
        loaded
    }
}

/// Items displayed one per line.
pub(crate) struct DisplayLines<'a, T>(pub &'a [T]);

impl<T: fmt::Display> fmt::Display for DisplayLines<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, item) in self.0.iter().enumerate() {
            let separator = if index == 0 { "" } else { "\n" };
            write!(f, "{separator}{item}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "set_tests.rs"]
mod tests;
