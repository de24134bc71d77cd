//! Reading a source directory: its entries in name order, each file's text checked for UTF-8,
//! and the few rules every format shares (versions before the first `_`, unique versions,
//! statements that only the old tool's bookkeeping needs).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use clipdex_core::{SqlTokenKind, tokenize};

use crate::error::ImportError;
use crate::format::Format;
use crate::source::{Note, NoteKind, SourceMigration, SourceSection};

/// One entry of a directory.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
}

/// The entries of `dir`, sorted by name; hidden ones (`.keep`, `.gitkeep`) left out.
pub(crate) fn entries(dir: &Path) -> Result<Vec<Entry>, ImportError> {
    let unreadable = |error: std::io::Error| ImportError::Unreadable {
        path: dir.to_owned(),
        reason: error.to_string(),
    };
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follows symlinks, as the tools do.
        let is_dir = path.is_dir();
        entries.push(Entry { name, path, is_dir });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// A file's bytes and its text (a leading byte-order mark dropped); not UTF-8 is an error at
/// the line of the first bad byte.
pub(crate) fn read_text(path: &Path) -> Result<(Vec<u8>, String), ImportError> {
    let bytes = fs::read(path).map_err(|error| ImportError::Unreadable {
        path: path.to_owned(),
        reason: error.to_string(),
    })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let newlines = valid.iter().filter(|&&byte| byte == b'\n').count();
            return Err(ImportError::NotUtf8 {
                path: path.to_owned(),
                line: u32::try_from(newlines + 1).unwrap_or(u32::MAX),
                byte: bytes[valid.len()],
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_owned();
    Ok((bytes, text))
}

/// `20240101_add_users.sql` → (`20240101`, `add_users.sql`): the version is what comes before
/// the first `_`, as every timestamp-named format has it.
pub(crate) fn split_version(name: &str) -> Option<(&str, &str)> {
    name.split_once('_')
        .filter(|(version, rest)| !version.is_empty() && !rest.is_empty())
}

/// A file-name part as a message: `_` as spaces.
pub(crate) fn message_of(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    words.join(" ")
}

/// Refuses two migrations with the same version; `migrations` is in any order.
pub(crate) fn unique_versions(
    migrations: &[SourceMigration],
    format: Format,
) -> Result<(), ImportError> {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for migration in migrations {
        let path = migration.up.file.as_path();
        if let Some(other) = seen.insert(&migration.version, path) {
            return Err(ImportError::DuplicateVersion {
                path: path.to_owned(),
                other: other.to_owned(),
                version: migration.version.clone(),
                format,
            });
        }
    }
    Ok(())
}

/// The history tables of every tool: a statement naming one only made sense to that tool.
const HISTORY_TABLES: [&str; 6] = [
    "__diesel_schema_migrations",
    "_sqlx_migrations",
    "schema_migrations",
    "goose_db_version",
    "flyway_schema_history",
    "alembic_version",
];

/// A warning for each line of `section` that names a migration tool's history table.
pub(crate) fn history_table_notes(section: &SourceSection) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut last_line = 0;
    for token in tokenize(&section.text) {
        let named = match token.kind {
            SqlTokenKind::Word | SqlTokenKind::QuotedIdentifier => token.identifier(),
            _ => None,
        };
        let Some(table) = named.filter(|name| HISTORY_TABLES.contains(&name.as_str())) else {
            continue;
        };
        let line = section.first_line + token.line - 1;
        if line == last_line {
            continue;
        }
        last_line = line;
        let message = format!(
            "names `{table}`, a migration tool's history table: kept as written, but clipdex-migrate keeps its own history"
        );
        notes.push(Note::new(
            &section.file,
            Some(line),
            NoteKind::Warning,
            message,
        ));
    }
    notes
}

/// The format a directory looks like, for the hint of a `--from` that does not match.
pub(crate) fn guess(dir: &Path) -> Option<Format> {
    let entries = entries(dir).ok()?;
    if entries
        .iter()
        .any(|entry| entry.is_dir && entry.path.join("up.sql").is_file())
    {
        return Some(Format::Diesel);
    }
    let sql: Vec<&Entry> = entries
        .iter()
        .filter(|entry| !entry.is_dir && entry.name.ends_with(".sql"))
        .collect();
    let flyway = |name: &str| {
        name.starts_with('V') && name.contains("__") && name[1..].starts_with(char::is_numeric)
    };
    if sql.iter().any(|entry| flyway(&entry.name)) {
        return Some(Format::Flyway);
    }
    for entry in &sql {
        let Ok((_, text)) = read_text(&entry.path) else {
            continue;
        };
        if text
            .lines()
            .any(|line| line.trim_start().starts_with("-- +goose"))
        {
            return Some(Format::Goose);
        }
        if text
            .lines()
            .any(|line| line.trim_start().starts_with("-- migrate:up"))
        {
            return Some(Format::Dbmate);
        }
    }
    if sql.iter().any(|entry| entry.name.ends_with(".up.sql")) {
        return Some(Format::Sqlx);
    }
    (!sql.is_empty()).then_some(Format::Sqlx)
}

/// The guess, unless it is the format that was asked for.
pub(crate) fn looks_like(dir: &Path, asked: Format) -> Option<Format> {
    guess(dir).filter(|&format| format != asked)
}

/// A "not this format" error about `path`, with the guess for `dir`.
pub(crate) fn wrong_format(
    dir: &Path,
    path: &Path,
    format: Format,
    reason: impl Into<String>,
) -> ImportError {
    ImportError::WrongFormat {
        path: path.to_owned(),
        format,
        reason: reason.into(),
        looks_like: looks_like(dir, format),
    }
}
