//! One source migration as the text of a revision file.
//!
//! The sections hold the source's SQL byte for byte; only the header and a comment naming
//! where it came from are added. The transaction mode is the source's when it says one, and
//! `none` where the up section holds a statement no transaction can hold (and, for the tools
//! that never open a transaction of their own, where the down section does).

use std::path::Path;

use clipdex_core::{TransactionMode, split_statements, transaction_blocker};

use crate::error::ImportError;
use crate::format::Format;
use crate::id::{file_name, revision_id};
use crate::source::{Note, NoteKind, SourceMigration, SourceSection, SourceTransaction};

/// The start of the comment line that keeps sqlx's checksum of the up file.
const SQLX_CHECKSUM: &str = "-- sqlx checksum: ";
/// The start of the comment line that names the source.
const IMPORTED_FROM: &str = "-- Imported from ";

/// A revision file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The revision's id.
    pub id: String,
    /// The file's name in the migrations directory.
    pub file_name: String,
    /// The file's text.
    pub text: String,
    /// What rendering decided that the source did not say.
    pub notes: Vec<Note>,
}

/// The revision file for `migration` of `source_dir`, on top of `parent`.
pub fn render(
    format: Format,
    source_dir: &Path,
    migration: &SourceMigration,
    parent: Option<&str>,
) -> Result<Rendered, ImportError> {
    let id = revision_id(format, &migration.version);
    for section in std::iter::once(&migration.up).chain(&migration.down) {
        refuse_marker_lines(section)?;
    }
    let mut notes = Vec::new();
    let transaction = transaction(format, migration, &mut notes);
    let name = if migration.name.is_empty() {
        format!("{format} {}", migration.version)
    } else {
        migration.name.clone()
    };
    let mut text = format!(
        "-- revision: {id}\n-- parents: {}\n-- message: {name}\n-- transaction: {transaction}\n\n",
        parent.unwrap_or("")
    );
    text.push_str(&provenance_comment(format, source_dir, migration));
    text.push_str("\n-- +up\n");
    push_section(&mut text, &migration.up.text);
    if let Some(down) = &migration.down {
        text.push_str("-- +down\n");
        push_section(&mut text, &down.text);
    }
    Ok(Rendered {
        file_name: file_name(&id, &name),
        id,
        text,
        notes,
    })
}

/// What an imported revision's comment says about its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The tool it was imported from.
    pub format: Format,
    /// The source version.
    pub version: String,
    /// sqlx's checksum of the up file, hex, when the source was sqlx.
    pub checksum: Option<String>,
}

/// Reads the `-- Imported from FORMAT VERSION: …` comment (and sqlx's checksum) that `render`
/// writes before `-- +up`; `None` for a revision that was not imported.
pub fn provenance(revision_text: &str) -> Option<Provenance> {
    let before_up = || {
        revision_text
            .lines()
            .take_while(|line| line.trim_end() != "-- +up")
    };
    let (format, version) = before_up().find_map(|line| {
        let rest = line.strip_prefix(IMPORTED_FROM)?;
        let (format, rest) = rest.split_once(' ')?;
        let (version, _) = rest.split_once(": ")?;
        Some((format.parse().ok()?, version.to_owned()))
    })?;
    let checksum = before_up()
        .find_map(|line| line.strip_prefix(SQLX_CHECKSUM))
        .map(|checksum| checksum.trim().to_owned());
    Some(Provenance {
        format,
        version,
        checksum,
    })
}

fn push_section(text: &mut String, section: &str) {
    text.push_str(section);
    if !section.is_empty() && !section.ends_with('\n') {
        text.push('\n');
    }
}

/// `-- Imported from sqlx 3: 3_users.up.sql, 3_users.down.sql.` (and sqlx's checksum).
fn provenance_comment(format: Format, source_dir: &Path, migration: &SourceMigration) -> String {
    let shown = |section: &SourceSection| {
        let relative = section
            .file
            .strip_prefix(source_dir)
            .unwrap_or(&section.file);
        relative.to_string_lossy().replace('\\', "/")
    };
    let mut files = vec![shown(&migration.up)];
    if let Some(down) = &migration.down
        && down.file != migration.up.file
    {
        files.push(shown(down));
    }
    let mut text = format!(
        "{IMPORTED_FROM}{format} {}: {}.\n",
        migration.version,
        files.join(", ")
    );
    if let Some(checksum) = &migration.recorded_checksum {
        text.push_str(&format!("{SQLX_CHECKSUM}{checksum}\n"));
    }
    text
}

/// A line core would read as a section marker would cut the section there.
fn refuse_marker_lines(section: &SourceSection) -> Result<(), ImportError> {
    let found = section
        .text
        .lines()
        .position(|line| line.starts_with("-- +"));
    match found {
        Some(index) => Err(ImportError::Malformed {
            path: section.file.clone(),
            line: section.first_line + u32::try_from(index).unwrap_or(u32::MAX - 1),
            message: "a line starting `-- +` reads as a clipdex-migrate section marker in a revision; change the comment in the source and import again".to_owned(),
        }),
        None => Ok(()),
    }
}

/// The revision's mode; a note says when it is not what the source states.
fn transaction(
    format: Format,
    migration: &SourceMigration,
    notes: &mut Vec<Note>,
) -> TransactionMode {
    if migration.transaction == SourceTransaction::None {
        return TransactionMode::NoTransaction;
    }
    // golang-migrate sends each file as one query and the numbered files ran through psql's
    // autocommit: neither opened a transaction that a lone such statement would have hit.
    let implicit = matches!(format, Format::GolangMigrate | Format::Numbered);
    let down = migration.down.iter().filter(|_| implicit);
    for section in std::iter::once(&migration.up).chain(down) {
        if let Some((line, command)) = first_blocker(section) {
            let (kind, how) = if implicit {
                (
                    NoteKind::Translated,
                    format!("{format} ran it outside a transaction block"),
                )
            } else {
                (
                    NoteKind::Warning,
                    format!("{format} runs this migration in a transaction, where it fails"),
                )
            };
            let message = format!(
                "{command} cannot run in a transaction ({how}): the revision gets `-- transaction: none`"
            );
            notes.push(Note::new(&section.file, Some(line), kind, message));
            return TransactionMode::NoTransaction;
        }
    }
    TransactionMode::PerRevision
}

/// The line and command of the first statement of `section` that no transaction can hold.
fn first_blocker(section: &SourceSection) -> Option<(u32, &'static str)> {
    let statements = split_statements(&section.text, &section.file).ok()?;
    statements.iter().find_map(|statement| {
        let blocker = transaction_blocker(statement)?;
        Some((section.first_line + statement.line - 1, blocker.command))
    })
}
