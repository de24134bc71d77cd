//! Flyway: `V<version>__<description>.sql`, with `U<version>__….sql` as its undo (down) and a
//! `<file>.conf` beside a script for `executeInTransaction=false`. The version's parts are
//! separated by `.` or `_` and compared as numbers (`1.10` after `1.9`; `1.0` is `1`).
//! Repeatable migrations (`R__….sql`) run again whenever they change: a revision graph has
//! nothing like them, so they are refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::ImportError;
use crate::files::{Entry, entries, message_of, read_text, wrong_format};
use crate::format::Format;
use crate::source::{Note, NoteKind, SourceMigration, SourceSection, SourceTransaction};

const FORMAT: Format = Format::Flyway;

/// A version's numeric parts, trailing zeros dropped, as Flyway compares them.
pub(crate) fn version_key(version: &str) -> Option<Vec<u128>> {
    let mut parts = version
        .split(['.', '_'])
        .map(|part| part.parse::<u128>().ok())
        .collect::<Option<Vec<u128>>>()?;
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    Some(parts)
}

/// The version as Flyway shows and records it: its parts joined by `.`.
pub(crate) fn display(key: &[u128]) -> String {
    let parts: Vec<String> = key.iter().map(u128::to_string).collect();
    parts.join(".")
}

/// The V and U files of one version.
#[derive(Default)]
struct Files {
    up: Option<(PathBuf, String)>,
    undo: Option<PathBuf>,
}

pub(crate) fn read(dir: &Path) -> Result<Vec<SourceMigration>, ImportError> {
    let mut versions: BTreeMap<Vec<u128>, Files> = BTreeMap::new();
    for entry in entries(dir)? {
        if entry.is_dir || !entry.name.ends_with(".sql") {
            continue;
        }
        add(dir, entry, &mut versions)?;
    }
    versions
        .into_iter()
        .map(|(key, files)| migration(&key, files))
        .collect()
}

fn add(
    dir: &Path,
    entry: Entry,
    versions: &mut BTreeMap<Vec<u128>, Files>,
) -> Result<(), ImportError> {
    if entry.name.starts_with("R__") {
        return Err(ImportError::Unsupported {
            path: entry.path,
            what: "a repeatable migration".to_owned(),
            why: "Flyway runs it again whenever it changes, and a revision runs once; move it out of the directory, import the rest, and add its SQL as a revision of your own".to_owned(),
        });
    }
    let parsed = entry.name.split_once("__").and_then(|(head, rest)| {
        let (kind, version) = head.split_at_checked(1)?;
        let description = rest.strip_suffix(".sql")?;
        Some((kind, version, version_key(version)?, description))
    });
    let Some((kind @ ("V" | "U"), version, key, description)) = parsed else {
        let reason = "the name is not `V<version>__<description>.sql` (or `U…` for an undo)";
        return Err(wrong_format(dir, &entry.path, FORMAT, reason));
    };
    let files = versions.entry(key).or_default();
    let taken = if kind == "V" {
        let previous = files
            .up
            .replace((entry.path.clone(), message_of(description)));
        previous.map(|(path, _)| path)
    } else {
        files.undo.replace(entry.path.clone())
    };
    match taken {
        Some(other) => Err(ImportError::DuplicateVersion {
            path: entry.path,
            other,
            version: version.replace('_', "."),
            format: FORMAT,
        }),
        None => Ok(()),
    }
}

fn migration(key: &[u128], files: Files) -> Result<SourceMigration, ImportError> {
    let Some((up, name)) = files.up else {
        let undo = files.undo.unwrap_or_default();
        let expected = undo
            .file_name()
            .map(|name| format!("V{}", &name.to_string_lossy()[1..]))
            .unwrap_or_default();
        return Err(ImportError::DownWithoutUp {
            path: undo,
            expected,
        });
    };
    let mut notes = Vec::new();
    let transaction = script_config(&up, &mut notes)?;
    let up = section(&up, &mut notes)?;
    let down = match &files.undo {
        Some(path) => Some(section(path, &mut notes)?),
        None => None,
    };
    Ok(SourceMigration {
        version: display(key),
        name,
        up,
        down,
        transaction,
        recorded_checksum: None,
        notes,
    })
}

/// A script's text, with a warning on each line where Flyway would have replaced a
/// `${placeholder}`.
fn section(path: &Path, notes: &mut Vec<Note>) -> Result<SourceSection, ImportError> {
    let (_, text) = read_text(path)?;
    for (index, line) in text.lines().enumerate() {
        if let Some(start) = line.find("${")
            && let Some(length) = line[start..].find('}')
        {
            let placeholder = &line[start..=start + length];
            let message = format!(
                "Flyway replaced the placeholder `{placeholder}` here; clipdex-migrate runs the text as written"
            );
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            notes.push(Note::new(path, Some(number), NoteKind::Warning, message));
        }
    }
    Ok(SourceSection::whole(path, text))
}

/// `V1__x.sql.conf`: `executeInTransaction=false` runs the script outside a transaction.
fn script_config(script: &Path, notes: &mut Vec<Note>) -> Result<SourceTransaction, ImportError> {
    let mut path = script.as_os_str().to_owned();
    path.push(".conf");
    let path = PathBuf::from(path);
    if !path.is_file() {
        return Ok(SourceTransaction::Default);
    }
    let (_, text) = read_text(&path)?;
    let mut transaction = SourceTransaction::Default;
    for (index, line) in text.lines().enumerate() {
        let number = Some(u32::try_from(index + 1).unwrap_or(u32::MAX));
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
            Some(("executeInTransaction", "false")) => {
                transaction = SourceTransaction::None;
                let message = "`executeInTransaction=false` became `-- transaction: none`";
                notes.push(Note::new(&path, number, NoteKind::Translated, message));
            }
            Some(("executeInTransaction", "true")) => {}
            _ => {
                let message = format!("`{line}` means nothing to clipdex-migrate; ignored");
                notes.push(Note::new(&path, number, NoteKind::Warning, message));
            }
        }
    }
    Ok(transaction)
}
