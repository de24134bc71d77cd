//! dbmate: `<version>_<name>.sql`, each file holding `-- migrate:up` and an optional
//! `-- migrate:down`, each marker optionally followed by `transaction:false`.
//!
//! The version is the file name's leading digits, recorded as written in `schema_migrations`;
//! files run in name order.

use std::path::Path;

use crate::error::ImportError;
use crate::files::{entries, message_of, read_text, split_version, unique_versions, wrong_format};
use crate::format::Format;
use crate::source::{Note, NoteKind, SourceMigration, SourceSection, SourceTransaction};

const FORMAT: Format = Format::Dbmate;

pub(crate) fn read(dir: &Path) -> Result<Vec<SourceMigration>, ImportError> {
    let mut migrations = Vec::new();
    for entry in entries(dir)? {
        if entry.is_dir || !entry.name.ends_with(".sql") {
            continue;
        }
        let parsed = split_version(&entry.name)
            .filter(|(version, _)| version.bytes().all(|byte| byte.is_ascii_digit()));
        let Some((version, rest)) = parsed else {
            let reason = "the name is not `<version>_<name>.sql` with digits for the version";
            return Err(wrong_format(dir, &entry.path, FORMAT, reason));
        };
        let (_, text) = read_text(&entry.path)?;
        let name = message_of(rest.trim_end_matches(".sql"));
        migrations.push(migration(dir, &entry.path, version, name, &text)?);
    }
    unique_versions(&migrations, FORMAT)?;
    Ok(migrations)
}

/// A `-- migrate:up` or `-- migrate:down` line: which, its line, and its options.
struct Marker<'a> {
    up: bool,
    line: u32,
    options: &'a str,
}

fn marker(line: &str, number: u32) -> Option<Marker<'_>> {
    let rest = line.strip_prefix("--")?.trim_start();
    let rest = rest.strip_prefix("migrate:")?;
    let (up, options) = match (rest.strip_prefix("up"), rest.strip_prefix("down")) {
        (Some(options), _) => (true, options),
        (_, Some(options)) => (false, options),
        _ => return None,
    };
    Some(Marker {
        up,
        line: number,
        options: options.trim(),
    })
}

fn migration(
    dir: &Path,
    path: &Path,
    version: &str,
    name: String,
    text: &str,
) -> Result<SourceMigration, ImportError> {
    let mut markers = Vec::new();
    let mut offsets = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if let Some(found) = marker(line.trim_end(), number) {
            markers.push(found);
            offsets.push((offset, offset + line.len()));
        }
        offset += line.len();
    }
    let malformed = |line: u32, message: &str| ImportError::Malformed {
        path: path.to_owned(),
        line,
        message: message.to_owned(),
    };
    let (up, down) = match &markers[..] {
        [] => {
            let reason = "no `-- migrate:up` line";
            return Err(wrong_format(dir, path, FORMAT, reason));
        }
        [first, ..] if !first.up => {
            let message =
                "`-- migrate:down` before `-- migrate:up`: a down migration without its up";
            return Err(malformed(first.line, message));
        }
        [up] => (up, None),
        [up, down] if !down.up => (up, Some(down)),
        [_, second, ..] => {
            return Err(malformed(
                second.line,
                "a second `-- migrate:` marker of the same kind, or a third marker; dbmate has one up and one down",
            ));
        }
    };
    let before = &text[..offsets[0].0];
    let mut notes = Vec::new();
    if before
        .lines()
        .any(|line| !line.trim().is_empty() && !line.trim_start().starts_with("--"))
    {
        return Err(malformed(
            1,
            "SQL before `-- migrate:up`, which dbmate never runs",
        ));
    }
    let transaction = options(path, up, &mut notes);
    let up_end = offsets.get(1).map_or(text.len(), |(start, _)| *start);
    let section = |start: usize, end: usize, line: u32| SourceSection {
        file: path.to_owned(),
        first_line: line + 1,
        text: text[start..end].to_owned(),
    };
    let down = down.map(|down| {
        if options(path, down, &mut Vec::new()) != transaction {
            let message = "its `transaction:` option differs from `-- migrate:up`'s; the revision runs both as the up section says";
            notes.push(Note::new(path, Some(down.line), NoteKind::Warning, message));
        }
        section(offsets[1].1, text.len(), down.line)
    });
    Ok(SourceMigration {
        version: version.to_owned(),
        name,
        up: section(offsets[0].1, up_end, up.line),
        down,
        transaction,
        recorded_checksum: None,
        notes,
    })
}

/// `transaction:false` makes the migration run outside a transaction; other options are
/// reported and ignored.
fn options(path: &Path, marker: &Marker<'_>, notes: &mut Vec<Note>) -> SourceTransaction {
    let mut transaction = SourceTransaction::Default;
    for option in marker.options.split_whitespace() {
        match option {
            "transaction:false" => {
                transaction = SourceTransaction::None;
                let message = "`transaction:false` became `-- transaction: none`";
                notes.push(Note::new(
                    path,
                    Some(marker.line),
                    NoteKind::Translated,
                    message,
                ));
            }
            "transaction:true" => {}
            other => {
                let message = format!("option `{other}` means nothing to clipdex-migrate; ignored");
                notes.push(Note::new(
                    path,
                    Some(marker.line),
                    NoteKind::Warning,
                    message,
                ));
            }
        }
    }
    transaction
}
