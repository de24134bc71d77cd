//! sqlx: `<version>_<description>.sql` (simple), or `.up.sql` and `.down.sql` (reversible),
//! with `-- no-transaction` as a file's first line to run it outside a transaction.
//!
//! The version is a 64-bit integer and orders the migrations; `_sqlx_migrations` records it
//! with the SHA-384 of the up file's text, which an import keeps so that a takeover can tell
//! whether a live database ran exactly these files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha384};

use crate::error::ImportError;
use crate::files::{Entry, entries, message_of, read_text, split_version, wrong_format};
use crate::format::Format;
use crate::source::{Note, NoteKind, SourceMigration, SourceSection, SourceTransaction};

const FORMAT: Format = Format::Sqlx;
const NO_TRANSACTION: &str = "-- no-transaction";

/// The files of one version.
#[derive(Default)]
struct Files {
    simple: Option<PathBuf>,
    up: Option<PathBuf>,
    down: Option<PathBuf>,
    description: String,
}

pub(crate) fn read(dir: &Path) -> Result<Vec<SourceMigration>, ImportError> {
    let mut versions: BTreeMap<i64, Files> = BTreeMap::new();
    for entry in entries(dir)? {
        if entry.is_dir {
            if entry.path.join("up.sql").is_file() {
                let reason = "a migration directory; sqlx migrations are files";
                return Err(wrong_format(dir, &entry.path, FORMAT, reason));
            }
            continue;
        }
        if entry.name.ends_with(".sql") {
            add(dir, &entry, &mut versions)?;
        }
    }
    versions
        .into_iter()
        .map(|(version, files)| migration(dir, version, files))
        .collect()
}

fn add(dir: &Path, entry: &Entry, versions: &mut BTreeMap<i64, Files>) -> Result<(), ImportError> {
    let parsed = split_version(&entry.name)
        .and_then(|(version, rest)| Some((version.parse::<i64>().ok()?, rest)));
    let Some((version, rest)) = parsed else {
        let reason = "the name is not `<version>_<description>.sql` with a number for the version";
        return Err(wrong_format(dir, &entry.path, FORMAT, reason));
    };
    let files = versions.entry(version).or_default();
    let (slot, description) = if let Some(stem) = rest.strip_suffix(".up.sql") {
        (&mut files.up, stem)
    } else if let Some(stem) = rest.strip_suffix(".down.sql") {
        (&mut files.down, stem)
    } else {
        (&mut files.simple, rest.trim_end_matches(".sql"))
    };
    let taken = slot.replace(entry.path.clone());
    let other = taken.or_else(|| match (&files.simple, &files.up) {
        (Some(simple), Some(up)) => Some(if *simple == entry.path { up } else { simple }.clone()),
        _ => None,
    });
    if let Some(other) = other {
        return Err(ImportError::DuplicateVersion {
            path: entry.path.clone(),
            other,
            version: version.to_string(),
            format: FORMAT,
        });
    }
    if files.description.is_empty() || files.up.as_ref() == Some(&entry.path) {
        files.description = message_of(description);
    }
    Ok(())
}

fn migration(dir: &Path, version: i64, files: Files) -> Result<SourceMigration, ImportError> {
    let Some(up_path) = files.simple.or(files.up) else {
        let down = files.down.unwrap_or_default();
        let expected = down
            .file_name()
            .map(|name| name.to_string_lossy().replace(".down.sql", ".up.sql"))
            .unwrap_or_default();
        return Err(ImportError::DownWithoutUp {
            path: down,
            expected,
        });
    };
    let mut notes = Vec::new();
    let (bytes, up_text) = read_text(&up_path)?;
    refuse_other_markers(dir, &up_path, &up_text)?;
    let transaction = transaction_of(&up_path, &up_text, &mut notes);
    let down = match &files.down {
        Some(path) => {
            let (_, text) = read_text(path)?;
            if transaction_of(path, &text, &mut Vec::new()) != transaction {
                let message = "its `-- no-transaction` differs from the up file's; the revision runs both as the up file says";
                notes.push(Note::new(path, Some(1), NoteKind::Warning, message));
            }
            Some(SourceSection::whole(path, text))
        }
        None => None,
    };
    Ok(SourceMigration {
        version: version.to_string(),
        name: files.description,
        up: SourceSection::whole(&up_path, up_text),
        down,
        transaction,
        recorded_checksum: Some(checksum(&bytes)),
        notes,
    })
}

/// sqlx's checksum of a migration: SHA-384 of the file's text, as hex.
pub(crate) fn checksum(bytes: &[u8]) -> String {
    Sha384::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn transaction_of(path: &Path, text: &str, notes: &mut Vec<Note>) -> SourceTransaction {
    if text.starts_with(NO_TRANSACTION) {
        let message =
            "`-- no-transaction` became `-- transaction: none` (the line stays, a comment)";
        notes.push(Note::new(path, Some(1), NoteKind::Translated, message));
        SourceTransaction::None
    } else {
        SourceTransaction::Default
    }
}

/// A dbmate or goose file read as sqlx would run its markers as comments, and both its
/// sections with them.
fn refuse_other_markers(dir: &Path, path: &Path, text: &str) -> Result<(), ImportError> {
    let marker = text
        .lines()
        .map(str::trim_start)
        .position(|line| line.starts_with("-- migrate:") || line.starts_with("-- +goose"));
    match marker {
        Some(index) => {
            let reason = format!(
                "line {} is another tool's section marker, which sqlx would run as a comment, both sections with it",
                index + 1
            );
            Err(wrong_format(dir, path, FORMAT, reason))
        }
        None => Ok(()),
    }
}
