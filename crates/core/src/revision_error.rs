//! Everything that can be wrong with one revision file, each at the file and line to fix.
//!
//! These are the file-level problems a [`RevisionSet`](crate::RevisionSet) collects — all of
//! them, not just the first — so that one run of `check` lists every broken file. Each message
//! is one line that starts with `path:line:` (or `path:` when no line applies), the form
//! editors and CI annotations turn into links.

use std::fmt;
use std::path::PathBuf;

use crate::blocker::{BlockerKind, TransactionBlocker};
use crate::location::Location;
use crate::split_error::SplitError;

/// One problem in one revision file (or a file it includes).
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevisionError {
    /// The file (or the migrations directory) could not be read at all.
    #[error("{}: cannot read: {reason}", .path.display())]
    Unreadable {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// The file changed on disk after it was loaded, before its SQL was read again to run
    /// (see [`SqlText`](crate::SqlText)): what would run is not what was checked.
    #[error("{}: changed since it was loaded; nothing of it ran: run the command again", .path.display())]
    ChangedSinceLoaded {
        /// The file.
        path: PathBuf,
    },
    /// The file has nothing but whitespace in it.
    #[error("{}: empty file: expected a `-- revision:` header", .path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The bytes are not UTF-8.
    #[error("{}:{line}: not UTF-8: byte {byte:#04x} is not valid here; save the file as UTF-8", .path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The line of the first invalid byte.
        line: u32,
        /// The first invalid byte.
        byte: u8,
    },
    /// A required header key is absent.
    #[error("{}:{line}: missing `-- {key}:` line; the header is the run of `-- key: value` lines at the top of the file", .path.display())]
    MissingKey {
        /// The file.
        path: PathBuf,
        /// The line after the header, where the key was expected.
        line: u32,
        /// `revision` or `parents`.
        key: &'static str,
    },
    /// A header key that means nothing.
    #[error("{}:{line}: unknown header key `{key}`; the keys are revision, parents, message, transaction and citus", .path.display())]
    UnknownKey {
        /// The file.
        path: PathBuf,
        /// The key's line.
        line: u32,
        /// The key as written.
        key: String,
    },
    /// A header key given twice.
    #[error("{}:{line}: `-- {key}:` is given twice (first on line {first_line})", .path.display())]
    DuplicateKey {
        /// The file.
        path: PathBuf,
        /// The second occurrence.
        line: u32,
        /// The key.
        key: String,
        /// The first occurrence.
        first_line: u32,
    },
    /// A revision id (the revision's own or a parent's) that is not allowed.
    #[error("{}:{line}: `-- {key}:` {problem}", .path.display())]
    InvalidId {
        /// The file.
        path: PathBuf,
        /// The key's line.
        line: u32,
        /// `revision` or `parents`.
        key: &'static str,
        /// What is wrong with it.
        problem: IdProblem,
    },
    /// A parent listed twice.
    #[error("{}:{line}: parent `{id}` is listed twice in `-- parents:`", .path.display())]
    DuplicateParent {
        /// The file.
        path: PathBuf,
        /// The `-- parents:` line.
        line: u32,
        /// The repeated id.
        id: String,
    },
    /// A `-- transaction:` value other than `per-revision` or `none`.
    #[error("{}:{line}: `-- transaction: {value}` is not a mode; use `per-revision` (the default) or `none`", .path.display())]
    InvalidTransaction {
        /// The file.
        path: PathBuf,
        /// The key's line.
        line: u32,
        /// The value as written.
        value: String,
    },
    /// A `-- citus:` value other than `sequential`.
    #[error("{}:{line}: `-- citus: {value}` is not a Citus mode; the one mode is `sequential` (multi-shard statements on one connection per worker, for a revision that modifies a distributed table and then creates a type, function or schema)", .path.display())]
    InvalidCitusMode {
        /// The file.
        path: PathBuf,
        /// The key's line.
        line: u32,
        /// The value as written.
        value: String,
    },
    /// SQL between the header and `-- +up`.
    #[error("{}:{line}: SQL before `-- +up`; only blank lines and `--` comments may come between the header and the `-- +up` line", .path.display())]
    SqlBeforeUp {
        /// The file.
        path: PathBuf,
        /// The first SQL line.
        line: u32,
    },
    /// No `-- +up` line at all.
    #[error("{}:{line}: no `-- +up` line; a revision's SQL goes after `-- +up` (and its undo after `-- +down`)", .path.display())]
    MissingUp {
        /// The file.
        path: PathBuf,
        /// The line after the header, where the section was expected.
        line: u32,
    },
    /// `-- +down` before `-- +up`.
    #[error("{}:{line}: `-- +down` before `-- +up`; the up section comes first", .path.display())]
    DownBeforeUp {
        /// The file.
        path: PathBuf,
        /// The `-- +down` line.
        line: u32,
    },
    /// A second `-- +up`, a second `-- +down`, or `-- +up` after `-- +down`.
    #[error("{}:{line}: a second `-- +{marker}` (the first is on line {first_line}); a revision has one `-- +up` section, then at most one `-- +down`", .path.display())]
    RepeatedMarker {
        /// The file.
        path: PathBuf,
        /// The repeated marker's line.
        line: u32,
        /// `up` or `down`.
        marker: &'static str,
        /// The first marker's line.
        first_line: u32,
    },
    /// A `-- +` line that is no marker.
    #[error("{}:{line}: unknown marker `{text}`; the markers are `-- +up`, `-- +down` and `-- +include PATH`", .path.display())]
    UnknownMarker {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u32,
        /// The line as written.
        text: String,
    },
    /// `-- +include` outside a section, or inside an included file.
    #[error("{}:{line}: `-- +include` {context}", .path.display())]
    MisplacedInclude {
        /// The file.
        path: PathBuf,
        /// The include line.
        line: u32,
        /// Where it is and why it cannot be there.
        context: &'static str,
    },
    /// An include path that is empty, absolute or leaves the migrations directory.
    #[error("{}:{line}: cannot include `{include}`: {reason}", .path.display())]
    BadIncludePath {
        /// The file.
        path: PathBuf,
        /// The include line.
        line: u32,
        /// The path as written.
        include: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// An included file that cannot be read.
    #[error("{}:{line}: cannot include `{include}`: {reason}", .path.display())]
    IncludeUnreadable {
        /// The file.
        path: PathBuf,
        /// The include line.
        line: u32,
        /// The path as written.
        include: String,
        /// Why it could not be read.
        reason: String,
    },
    /// A section's SQL cannot be split into statements.
    #[error(transparent)]
    Split(#[from] SplitError),
    /// A `per-revision` revision holds a statement that cannot run in its transaction.
    #[error("{}:{line}: {}", .path.display(), BlockedAdvice(.blocker, .id))]
    TransactionBlocked {
        /// The statement's file: the revision, or the file it includes.
        path: PathBuf,
        /// The statement's line.
        line: u32,
        /// What the statement is.
        blocker: TransactionBlocker,
        /// The revision that runs it.
        id: String,
    },
}

impl RevisionError {
    /// The file to fix, and the line when there is one.
    pub fn location(&self) -> Location<'_> {
        use RevisionError as E;
        match self {
            E::Unreadable { path, .. } | E::Empty { path } | E::ChangedSinceLoaded { path } => {
                Location::file(path)
            }
            E::NotUtf8 { path, line, .. }
            | E::MissingKey { path, line, .. }
            | E::UnknownKey { path, line, .. }
            | E::DuplicateKey { path, line, .. }
            | E::InvalidId { path, line, .. }
            | E::DuplicateParent { path, line, .. }
            | E::InvalidTransaction { path, line, .. }
            | E::InvalidCitusMode { path, line, .. }
            | E::SqlBeforeUp { path, line }
            | E::MissingUp { path, line }
            | E::DownBeforeUp { path, line }
            | E::RepeatedMarker { path, line, .. }
            | E::UnknownMarker { path, line, .. }
            | E::MisplacedInclude { path, line, .. }
            | E::BadIncludePath { path, line, .. }
            | E::IncludeUnreadable { path, line, .. }
            | E::TransactionBlocked { path, line, .. } => Location::at(path, *line),
            E::Split(split) => split.location(),
        }
    }
}

impl fmt::Debug for RevisionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a revision id is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdProblem {
    /// No id where one is required.
    #[error("has no id")]
    Empty,
    /// More than 64 characters.
    #[error("id `{0}` is longer than 64 characters")]
    TooLong(String),
    /// A character outside `[0-9a-z_]`.
    #[error("id `{id}` contains `{character}`; ids use only 0-9, a-z and `_`")]
    BadCharacter {
        /// The id.
        id: String,
        /// The first bad character.
        character: char,
    },
    /// `head`, `heads`, `base` or `current`, which name targets instead.
    #[error("id `{0}` is reserved: it names a target on the command line")]
    Reserved(String),
}

/// The fix for a blocked statement, which depends on why it is blocked.
struct BlockedAdvice<'a>(&'a TransactionBlocker, &'a String);

impl fmt::Display for BlockedAdvice<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let BlockedAdvice(blocker, id) = self;
        match blocker.kind {
            BlockerKind::RefusedInTransaction => write!(
                f,
                "{blocker} cannot run inside a transaction block, and revision {id} runs in one; put it in a revision of its own with `-- transaction: none`"
            ),
            BlockerKind::TransactionControl => write!(
                f,
                "{blocker} would end the transaction revision {id} runs in; remove it (each revision commits with its history row), or move the work to a revision with `-- transaction: none`"
            ),
        }
    }
}
