//! Why an import stopped, each at the file (and line) to look at.
//!
//! An import checks everything before it writes anything, so every one of these leaves the
//! migrations directory exactly as it was.

use std::fmt;
use std::path::PathBuf;

use clipdex_core::{ErrorKind, Location};

use crate::format::Format;

/// One reason an import wrote nothing.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A file or directory could not be read.
    #[error("{}: cannot read: {reason}", .path.display())]
    Unreadable {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// A source file is not UTF-8.
    #[error("{}:{line}: not UTF-8: byte {byte:#04x} is not valid here; save the file as UTF-8 and import again", .path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The line of the first invalid byte.
        line: u32,
        /// The first invalid byte.
        byte: u8,
    },
    /// The directory (or one file in it) is not laid out as `--from` says.
    #[error("{}: not a {format} migration: {reason}{}", .path.display(), LooksLike(*.looks_like))]
    WrongFormat {
        /// The directory or file.
        path: PathBuf,
        /// The format asked for.
        format: Format,
        /// What is missing or unexpected.
        reason: String,
        /// The format it looks like instead, if any.
        looks_like: Option<Format>,
    },
    /// No migration at all.
    #[error("{}: no {format} migrations in it{}", .path.display(), LooksLike(*.looks_like))]
    NoMigrations {
        /// The directory.
        path: PathBuf,
        /// The format asked for.
        format: Format,
        /// The format it looks like instead, if any.
        looks_like: Option<Format>,
    },
    /// Two migrations with one version.
    #[error("{}: version {version} is also the version of {}; {format} versions must be unique", .path.display(), .other.display())]
    DuplicateVersion {
        /// The second migration's file.
        path: PathBuf,
        /// The first one's.
        other: PathBuf,
        /// The shared version.
        version: String,
        /// The format.
        format: Format,
    },
    /// A down migration whose up migration is not there.
    #[error("{}: a down migration without its up migration ({expected} is missing)", .path.display())]
    DownWithoutUp {
        /// The down file.
        path: PathBuf,
        /// The up file it needs.
        expected: String,
    },
    /// Numbers that skip where the format allows no gap, or other problems of numbered files.
    #[error("{problem}")]
    Numbered {
        /// The problem, as post 9's model words it (it names the file).
        problem: crate::numbered_set::SetProblem,
    },
    /// A source file the format's rules refuse, at a line.
    #[error("{}:{line}: {message}", .path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u32,
        /// What is wrong, and what to do.
        message: String,
    },
    /// Something of the source tool that has no revision counterpart.
    #[error("{}: {what} cannot be imported: {why}", .path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What it is.
        what: String,
        /// Why, and what to do instead.
        why: String,
    },
    /// A migration that was imported before has changed in the source since.
    #[error("{}: changed since it was imported as {} (revision {id}); imported revisions are never rewritten: put the change in a new revision", .source_file.display(), .revision.display())]
    ChangedSinceImport {
        /// The source file.
        source_file: PathBuf,
        /// The revision file written for it.
        revision: PathBuf,
        /// The revision's id.
        id: String,
    },
    /// A new source migration sorts before one already imported.
    #[error("{}: version {version} sorts before {imported}, which is already imported as revision {id}; appending it would run it after {imported}, not before as {format} orders them", .path.display())]
    BeforeImported {
        /// The new migration's file.
        path: PathBuf,
        /// Its version.
        version: String,
        /// The version imported before that sorts after it.
        imported: String,
        /// That migration's revision id.
        id: String,
        /// The format.
        format: Format,
    },
    /// The migrations directory has several heads: which one to append to is not clear.
    #[error("{}: {count} heads ({heads}); join them with `clipdex-migrate merge` before importing, so the imported revisions have one parent", .dir.display())]
    SeveralHeads {
        /// The migrations directory.
        dir: PathBuf,
        /// How many heads.
        count: usize,
        /// Their ids.
        heads: String,
    },
    /// A revision file of that name exists and is not the one the import would write.
    #[error("{}: exists, and is not the revision the import writes for {id}; move it away or import into another directory", .path.display())]
    FileExists {
        /// The file.
        path: PathBuf,
        /// The id the import meant to write.
        id: String,
    },
    /// The source's `.sql` files are in the migrations directory itself and would be read as
    /// revisions.
    #[error("{}: the source's `.sql` files would be read as revisions there; import into another directory (--migrations-dir)", .dir.display())]
    SourceIsMigrationsDir {
        /// The migrations directory.
        dir: PathBuf,
    },
    /// A written revision would not load: the message of core's error, which names the line.
    #[error("{}: the revision written for it would not load: {problem}", .source_file.display())]
    WouldNotLoad {
        /// The source file of the migration.
        source_file: PathBuf,
        /// Core's complaint about the revision text.
        problem: String,
    },
    /// Writing a revision failed (the ones written before it were removed again).
    #[error("{}: cannot write: {reason}", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
}

impl fmt::Debug for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl ImportError {
    /// What kind of failure this is: a source that cannot be read as asked is invalid input or
    /// invalid files; an import that would change what exists is refused.
    pub fn kind(&self) -> ErrorKind {
        use ImportError as E;
        match self {
            E::Unreadable { .. } => ErrorKind::InvalidInput,
            E::NotUtf8 { .. }
            | E::WrongFormat { .. }
            | E::NoMigrations { .. }
            | E::DuplicateVersion { .. }
            | E::DownWithoutUp { .. }
            | E::Numbered { .. }
            | E::Malformed { .. }
            | E::Unsupported { .. }
            | E::WouldNotLoad { .. } => ErrorKind::InvalidFiles,
            E::ChangedSinceImport { .. }
            | E::BeforeImported { .. }
            | E::SeveralHeads { .. }
            | E::FileExists { .. }
            | E::SourceIsMigrationsDir { .. } => ErrorKind::Refused,
            E::Write { .. } => ErrorKind::Other,
        }
    }

    /// The file (and line) to look at.
    pub fn location(&self) -> Option<Location<'_>> {
        use ImportError as E;
        match self {
            E::NotUtf8 { path, line, .. } | E::Malformed { path, line, .. } => {
                Some(Location::at(path, *line))
            }
            E::Unreadable { path, .. }
            | E::WrongFormat { path, .. }
            | E::NoMigrations { path, .. }
            | E::DuplicateVersion { path, .. }
            | E::DownWithoutUp { path, .. }
            | E::Unsupported { path, .. }
            | E::BeforeImported { path, .. }
            | E::FileExists { path, .. }
            | E::Write { path, .. } => Some(Location::file(path)),
            E::ChangedSinceImport { source_file, .. } | E::WouldNotLoad { source_file, .. } => {
                Some(Location::file(source_file))
            }
            E::SeveralHeads { dir, .. } | E::SourceIsMigrationsDir { dir } => {
                Some(Location::file(dir))
            }
            E::Numbered { .. } => None,
        }
    }
}

/// `; it looks like a FORMAT directory: use --from FORMAT`, or nothing.
struct LooksLike(Option<Format>);

impl fmt::Display for LooksLike {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(format) => write!(f, "; it looks like {format}'s: try --from {format}"),
            None => Ok(()),
        }
    }
}
