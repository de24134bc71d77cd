//! A source directory read into plain data: its migrations in the source tool's order, each
//! with the SQL of its sections exactly as the files hold it, and what the reader noticed.
//!
//! Every format's reader produces these and nothing else, so writing revisions, choosing ids
//! and taking over a live database's history never look at a file layout again.

use std::fmt;
use std::path::PathBuf;

use crate::format::Format;

/// A source directory's migrations, ordered as the source tool runs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The tool.
    pub format: Format,
    /// The directory read.
    pub dir: PathBuf,
    /// The migrations, in the order the tool applies them.
    pub migrations: Vec<SourceMigration>,
}

/// One migration of the source tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMigration {
    /// The version exactly as the tool records it in its history table (diesel's without
    /// dashes, Flyway's with dots, sqlx's and goose's as a number).
    pub version: String,
    /// The migration's name, for the revision's message.
    pub name: String,
    /// What applies it.
    pub up: SourceSection,
    /// What undoes it, when the format has one and the migration does.
    pub down: Option<SourceSection>,
    /// Whether the source tool runs it outside a transaction, as it says itself.
    pub transaction: SourceTransaction,
    /// The checksum the source tool records for it, where the tool keeps one (sqlx).
    pub recorded_checksum: Option<String>,
    /// What the reader dropped, translated or warns about, each at its file and line.
    pub notes: Vec<Note>,
}

/// A section's SQL: the text of a file, or the lines of one between the tool's markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSection {
    /// The file it comes from.
    pub file: PathBuf,
    /// The file's line the text starts on.
    pub first_line: u32,
    /// The text, byte for byte (a leading byte-order mark excepted).
    pub text: String,
}

/// How the source tool runs a migration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SourceTransaction {
    /// In a transaction, the tool's default.
    #[default]
    Default,
    /// Outside any transaction, because the migration says so (`run_in_transaction = false`,
    /// `-- no-transaction`, `transaction:false`, `-- +goose NO TRANSACTION`, …).
    None,
}

/// Something an import reports about a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The file.
    pub file: PathBuf,
    /// The line, when the note is about one.
    pub line: Option<u32>,
    /// What kind of note.
    pub kind: NoteKind,
    /// One line.
    pub message: String,
}

/// What was done with what the note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A line only the source tool understands was left out of the revision.
    Dropped,
    /// A source directive became part of the revision's header.
    Translated,
    /// Kept as it is, but it may not do under clipdex-migrate what it did under the source tool.
    Warning,
}

impl Note {
    pub(crate) fn new(
        file: impl Into<PathBuf>,
        line: Option<u32>,
        kind: NoteKind,
        message: impl Into<String>,
    ) -> Note {
        Note {
            file: file.into(),
            line,
            kind,
            message: message.into(),
        }
    }
}

impl NoteKind {
    /// `dropped`, `translated` or `warning`.
    pub fn name(self) -> &'static str {
        match self {
            NoteKind::Dropped => "dropped",
            NoteKind::Translated => "translated",
            NoteKind::Warning => "warning",
        }
    }
}

/// `file:line: message`; the kind is the reader's to show (as a `warning:` prefix, say).
impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl SourceSection {
    pub(crate) fn whole(file: impl Into<PathBuf>, text: String) -> SourceSection {
        SourceSection {
            file: file.into(),
            first_line: 1,
            text,
        }
    }
}
