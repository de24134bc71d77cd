//! A new revision file: its random id, its name, and its text.
//!
//! Ids are 12 random hex digits from the operating system's generator (`getrandom`, on every
//! platform; like Alembic's), so two branches never pick the same one; the file name starts
//! with the UTC minute it was made, so file order — the graph's tie-break — follows creation
//! order. The file is created with `create_new`, so an existing file is never overwritten.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use clipdex_core::calendar::civil_from_days;
use clipdex_core::header::check_id;
use clipdex_core::{RevisionGraph, TransactionMode};

use crate::error::CliError;

/// What to write.
#[derive(Debug, Clone)]
pub struct NewRevision {
    /// The `-- message:`, on one line.
    pub message: String,
    /// The `-- parents:`.
    pub parents: Vec<String>,
    /// The `-- transaction:`.
    pub transaction: TransactionMode,
    /// A merge has nothing to run; a plain revision gets placeholders to replace.
    pub kind: Kind,
}

/// Which kind of revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A revision to fill in.
    Plain,
    /// A merge of its parents.
    Merge,
    /// Sections written by `--autogenerate`: the text after `-- +up` and after `-- +down`.
    Generated {
        /// The up section's text.
        up: String,
        /// The down section's text.
        down: String,
    },
}

/// The file written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The new id.
    pub id: String,
    /// The new file, inside the migrations directory.
    pub path: PathBuf,
}

/// Writes `new` into `dir` with a fresh id; `graph` holds the ids already taken.
pub fn write(dir: &Path, graph: &RevisionGraph, new: &NewRevision) -> Result<Written, CliError> {
    let id = fresh_id(graph)?;
    let text = render(&id, new);
    let stem = format!("{}_{}", utc_minute(SystemTime::now()), slug(&new.message));
    for attempt in 1.. {
        let name = match attempt {
            1 => format!("{stem}.sql"),
            n => format!("{stem}_{n}.sql"),
        };
        let path = dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let writing = format!("writing {}", path.display());
                file.write_all(text.as_bytes())
                    .map_err(CliError::io(writing))?;
                return Ok(Written { id, path });
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => {
                return Err(CliError::io(format!("creating {}", path.display()))(error));
            }
        }
    }
    unreachable!("the attempts never end")
}

/// 12 hex digits no revision uses yet.
fn fresh_id(graph: &RevisionGraph) -> Result<String, CliError> {
    loop {
        let id = random_hex(6)
            .map_err(std::io::Error::from)
            .map_err(CliError::io("reading random bytes for a revision id"))?;
        if check_id(&id).is_ok() && graph.get(&id).is_none() && graph.resolve(&id).is_err() {
            return Ok(id);
        }
    }
}

fn random_hex(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buffer = vec![0_u8; bytes];
    getrandom::fill(&mut buffer)?;
    Ok(buffer.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// The file's text: header, then the sections.
pub fn render(id: &str, new: &NewRevision) -> String {
    let body = match &new.kind {
        Kind::Plain => "-- +up\n-- The SQL that makes the change goes here.\n\n-- +down\n-- The SQL that undoes the up section goes here. Delete this section (marker included) if\n-- the change cannot be undone: downgrading through this revision is then refused.\n".to_owned(),
        Kind::Merge => format!(
            "-- +up\n-- Joins {}; nothing to run.\n\n-- +down\n-- Splits them again; nothing to run.\n",
            new.parents.join(" and ")
        ),
        Kind::Generated { up, down } => format!("-- +up\n{up}\n-- +down\n{down}"),
    };
    format!(
        "-- revision: {id}\n-- parents: {}\n-- message: {}\n-- transaction: {}\n\n{body}",
        new.parents.join(" "),
        new.message,
        new.transaction
    )
}

/// How long the message part of a file name may get.
const MAX_SLUG: usize = 48;

/// The message as a file-name part: lowercase ASCII words joined by `_`, whole words only.
pub fn slug(message: &str) -> String {
    let lowered = message.to_ascii_lowercase();
    let words: Vec<&str> = lowered
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let mut slug = String::new();
    for word in words {
        let separator = usize::from(!slug.is_empty());
        if slug.len() + separator + word.len() > MAX_SLUG {
            break;
        }
        if separator == 1 {
            slug.push('_');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        "revision".to_owned()
    } else {
        slug
    }
}

/// `YYYYMMDDTHHMM` in UTC.
pub fn utc_minute(now: SystemTime) -> String {
    let seconds = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let minute_of_day = seconds % 86_400 / 60;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clipdex_core::{RevisionSet, SourceFile};
    use std::time::Duration;

    #[test]
    fn the_minute_is_utc_and_calendar_correct() {
        let at = |seconds| utc_minute(UNIX_EPOCH + Duration::from_secs(seconds));
        assert_eq!(at(0), "19700101T0000");
        assert_eq!(at(951_782_400 + 59), "20000229T0000", "a leap day");
        assert_eq!(at(1_795_682_100), "20261126T0835");
    }

    #[test]
    fn slugs_are_short_lowercase_words() {
        assert_eq!(
            slug("Add view_count to episodes!"),
            "add_view_count_to_episodes"
        );
        assert_eq!(slug("  ½ ünïcode  "), "n_code");
        assert_eq!(slug("!!!"), "revision");
        assert_eq!(
            slug(&"word ".repeat(40)).len(),
            44,
            "nine words and their separators"
        );
        assert_eq!(slug(&"x".repeat(60)), "revision", "no word fits");
    }

    #[test]
    fn rendered_files_parse_back_with_their_header() {
        let new = NewRevision {
            message: "add view count".into(),
            parents: vec!["af9a37e3eebf".into()],
            transaction: TransactionMode::NoTransaction,
            kind: Kind::Plain,
        };
        let parent = "-- revision: af9a37e3eebf\n-- parents:\n\n-- +up\nselect 1;\n";
        let files = [
            SourceFile::new("a.sql", parent),
            SourceFile::new("b.sql", render("0123456789ab", &new)),
        ];
        let set = RevisionSet::from_files(files).unwrap();
        let revision = &set.revisions()[1];
        assert_eq!(revision.parents().collect::<Vec<_>>(), ["af9a37e3eebf"]);
        assert_eq!(revision.message(), Some("add view count"));
        assert_eq!(revision.transaction(), TransactionMode::NoTransaction);
        assert!(revision.up().is_empty() && revision.down().is_some_and(|down| down.is_empty()));
    }

    #[test]
    fn ids_are_twelve_hex_digits() {
        let set = RevisionSet::from_files([]).unwrap();
        let id = fresh_id(&RevisionGraph::build(&set).unwrap()).unwrap();
        assert_eq!(id.len(), 12);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }
}
