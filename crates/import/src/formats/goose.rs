//! goose, SQL migrations: `<version>_<name>.sql` with `-- +goose Up` and `-- +goose Down`,
//! `-- +goose StatementBegin`/`StatementEnd` around statements goose's own splitter cannot
//! cut, `-- +goose NO TRANSACTION`, and `-- +goose ENVSUB ON`/`OFF`. Go migrations (`.go`)
//! have no SQL to import.
//!
//! Annotation lines become empty lines in the revision, so every other line keeps its number
//! relative to its section; each one is reported. clipdex-migrate's splitter handles dollar
//! quotes itself, so `StatementBegin`/`End` have nothing left to do.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::ImportError;
use crate::files::{entries, message_of, read_text, split_version, wrong_format};
use crate::format::Format;
use crate::source::{Note, NoteKind, SourceMigration, SourceSection, SourceTransaction};

const FORMAT: Format = Format::Goose;

pub(crate) fn read(dir: &Path) -> Result<Vec<SourceMigration>, ImportError> {
    let mut versions: BTreeMap<i64, SourceMigration> = BTreeMap::new();
    for entry in entries(dir)? {
        let go = entry.name.ends_with(".go");
        if entry.is_dir || !(go || entry.name.ends_with(".sql")) {
            continue;
        }
        let parsed = split_version(&entry.name)
            .and_then(|(version, rest)| Some((version.parse::<i64>().ok()?, rest)));
        let Some((version, rest)) = parsed else {
            if go {
                continue;
            }
            let reason = "the name is not `<version>_<name>.sql` with a number for the version";
            return Err(wrong_format(dir, &entry.path, FORMAT, reason));
        };
        if go {
            return Err(ImportError::Unsupported {
                path: entry.path,
                what: "a Go migration".to_owned(),
                why: "it is Go code, not SQL; write what it does as a revision of your own, and import the SQL migrations around it separately".to_owned(),
            });
        }
        let (_, text) = read_text(&entry.path)?;
        let name = message_of(rest.trim_end_matches(".sql"));
        let migration = migration(dir, &entry.path, version, name, &text)?;
        if let Some(other) = versions.insert(version, migration) {
            return Err(ImportError::DuplicateVersion {
                path: entry.path,
                other: other.up.file,
                version: version.to_string(),
                format: FORMAT,
            });
        }
    }
    Ok(versions.into_values().collect())
}

/// Which section a line belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Before,
    Up,
    Down,
}

/// The text of the up and down sections as they are built, with their first lines.
struct Sections {
    up: Option<(u32, String)>,
    down: Option<(u32, String)>,
}

fn migration(
    dir: &Path,
    path: &Path,
    version: i64,
    name: String,
    text: &str,
) -> Result<SourceMigration, ImportError> {
    let is_up = |line: &str| annotation(line).is_some_and(|c| c.eq_ignore_ascii_case("up"));
    if !text.lines().any(is_up) {
        return Err(wrong_format(dir, path, FORMAT, "no `-- +goose Up` line"));
    }
    let mut notes = Vec::new();
    let mut transaction = SourceTransaction::Default;
    let mut part = Part::Before;
    let mut sections = Sections {
        up: None,
        down: None,
    };
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let Some(command) = annotation(line) else {
            push(&mut sections, part, line, path, number)?;
            continue;
        };
        let malformed = |message: String| ImportError::Malformed {
            path: path.to_owned(),
            line: number,
            message,
        };
        match command.to_ascii_uppercase().as_str() {
            "UP" if part == Part::Before => {
                part = Part::Up;
                sections.up = Some((number + 1, String::new()));
                continue;
            }
            "DOWN" if part == Part::Up => {
                part = Part::Down;
                sections.down = Some((number + 1, String::new()));
                continue;
            }
            "UP" | "DOWN" => {
                return Err(malformed(format!(
                    "`-- +goose {command}` out of place: a goose migration has `-- +goose Up`, then at most one `-- +goose Down`"
                )));
            }
            "NO TRANSACTION" => {
                transaction = SourceTransaction::None;
                let message = "`-- +goose NO TRANSACTION` became `-- transaction: none`";
                notes.push(Note::new(path, Some(number), NoteKind::Translated, message));
            }
            "STATEMENTBEGIN" | "STATEMENTEND" => {
                let message = format!(
                    "`-- +goose {command}`: clipdex-migrate finds statement ends itself, dollar quotes included"
                );
                notes.push(Note::new(path, Some(number), NoteKind::Dropped, message));
            }
            "ENVSUB ON" | "ENVSUB OFF" => {
                let message = format!(
                    "`-- +goose {command}`: goose replaced ${{VAR}} with environment variables after it; clipdex-migrate runs the text as written"
                );
                notes.push(Note::new(path, Some(number), NoteKind::Warning, message));
            }
            _ => {
                return Err(malformed(format!(
                    "`-- +goose {command}` is not a goose annotation clipdex-migrate knows"
                )));
            }
        }
        // The annotation line stays as an empty line, so its section's lines keep their numbers.
        push(&mut sections, part, "\n", path, number)?;
    }
    let (up_line, up) = sections.up.unwrap_or_default();
    let section = |(first_line, text): (u32, String)| SourceSection {
        file: path.to_owned(),
        first_line,
        text,
    };
    Ok(SourceMigration {
        version: version.to_string(),
        name,
        up: section((up_line, up)),
        down: sections.down.map(section),
        transaction,
        recorded_checksum: None,
        notes,
    })
}

/// The command of a `-- +goose …` line.
fn annotation(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("--")?.trim_start();
    Some(rest.strip_prefix("+goose")?.trim())
}

fn push(
    sections: &mut Sections,
    part: Part,
    line: &str,
    path: &Path,
    number: u32,
) -> Result<(), ImportError> {
    let target = match part {
        Part::Up => &mut sections.up,
        Part::Down => &mut sections.down,
        Part::Before => {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with("--") {
                return Ok(());
            }
            return Err(ImportError::Malformed {
                path: path.to_owned(),
                line: number,
                message: "SQL before `-- +goose Up`, which goose never runs".to_owned(),
            });
        }
    };
    if let Some((_, text)) = target {
        text.push_str(line);
    }
    Ok(())
}
