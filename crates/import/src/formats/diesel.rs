//! diesel: one directory per migration, `<version>_<name>/` with `up.sql`, an optional
//! `down.sql` and an optional `metadata.toml` (`run_in_transaction = false`).
//!
//! diesel's version is the directory name before the first `_` with every `-` removed (so
//! `2017-08-31-230457` and `20170831230457` are one version), and migrations run in the
//! string order of those versions; `__diesel_schema_migrations` records them the same way.

use std::path::Path;

use crate::error::ImportError;
use crate::files::{entries, message_of, read_text, split_version, unique_versions, wrong_format};
use crate::format::Format;
use crate::source::{Note, NoteKind, SourceMigration, SourceSection, SourceTransaction};

const FORMAT: Format = Format::Diesel;

pub(crate) fn read(dir: &Path) -> Result<Vec<SourceMigration>, ImportError> {
    let mut migrations = Vec::new();
    for entry in entries(dir)? {
        if !entry.is_dir {
            if entry.name.ends_with(".sql") {
                let reason = "a `.sql` file at the top; diesel keeps each migration in a directory `<version>_<name>/` of its own";
                return Err(wrong_format(dir, &entry.path, FORMAT, reason));
            }
            continue;
        }
        let Some((version, rest)) = split_version(&entry.name) else {
            let reason = "a directory name is `<version>_<name>`";
            return Err(wrong_format(dir, &entry.path, FORMAT, reason));
        };
        migrations.push(migration(
            dir,
            &entry.path,
            &version.replace('-', ""),
            rest,
        )?);
    }
    migrations.sort_by(|a, b| a.version.cmp(&b.version));
    unique_versions(&migrations, FORMAT)?;
    Ok(migrations)
}

fn migration(
    dir: &Path,
    path: &Path,
    version: &str,
    name: &str,
) -> Result<SourceMigration, ImportError> {
    let (up, down) = (path.join("up.sql"), path.join("down.sql"));
    if !up.is_file() {
        if down.is_file() {
            let expected = up.display().to_string();
            return Err(ImportError::DownWithoutUp {
                path: down,
                expected,
            });
        }
        return Err(wrong_format(dir, path, FORMAT, "no up.sql in it"));
    }
    let mut notes = Vec::new();
    let transaction = metadata(&path.join("metadata.toml"), &mut notes)?;
    let section = |file: &Path| -> Result<SourceSection, ImportError> {
        Ok(SourceSection::whole(file, read_text(file)?.1))
    };
    let down = if down.is_file() {
        Some(section(&down)?)
    } else {
        None
    };
    Ok(SourceMigration {
        version: version.to_owned(),
        name: message_of(name),
        up: section(&up)?,
        down,
        transaction,
        recorded_checksum: None,
        notes,
    })
}

/// `run_in_transaction = false` makes the migration run outside a transaction; other keys are
/// reported and ignored.
fn metadata(path: &Path, notes: &mut Vec<Note>) -> Result<SourceTransaction, ImportError> {
    if !path.is_file() {
        return Ok(SourceTransaction::Default);
    }
    let (_, text) = read_text(path)?;
    let table: toml::Table = text.parse().map_err(|error: toml::de::Error| {
        let line = error
            .span()
            .map_or(1, |span| text[..span.start].matches('\n').count() + 1);
        ImportError::Malformed {
            path: path.to_owned(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            message: format!("not TOML: {}", error.message()),
        }
    })?;
    let mut transaction = SourceTransaction::Default;
    for (key, value) in &table {
        match (key.as_str(), value.as_bool()) {
            ("run_in_transaction", Some(false)) => {
                transaction = SourceTransaction::None;
                let message = "`run_in_transaction = false` became `-- transaction: none`";
                notes.push(Note::new(path, None, NoteKind::Translated, message));
            }
            ("run_in_transaction", Some(true)) => {}
            _ => {
                let message = format!("`{key}` means nothing to clipdex-migrate; ignored");
                notes.push(Note::new(path, None, NoteKind::Warning, message));
            }
        }
    }
    Ok(transaction)
}
