//! golang-migrate: `<version>_<title>.up.sql` and `<version>_<title>.down.sql`, the version an
//! unsigned integer that orders them. Its PostgreSQL driver sends each file as one
//! multi-statement query, so a file runs in PostgreSQL's implicit transaction, or outside any
//! when it is a single statement such as `CREATE INDEX CONCURRENTLY`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::ImportError;
use crate::files::{entries, message_of, read_text, split_version, wrong_format};
use crate::format::Format;
use crate::source::{SourceMigration, SourceSection, SourceTransaction};

const FORMAT: Format = Format::GolangMigrate;

pub(crate) fn read(dir: &Path) -> Result<Vec<SourceMigration>, ImportError> {
    let mut versions: BTreeMap<u64, (Option<PathBuf>, Option<PathBuf>, String)> = BTreeMap::new();
    for entry in entries(dir)? {
        if entry.is_dir || !entry.name.ends_with(".sql") {
            continue;
        }
        let parsed = split_version(&entry.name).and_then(|(version, rest)| {
            let version = version.parse::<u64>().ok()?;
            match (rest.strip_suffix(".up.sql"), rest.strip_suffix(".down.sql")) {
                (Some(title), _) => Some((version, true, title)),
                (_, Some(title)) => Some((version, false, title)),
                _ => None,
            }
        });
        let Some((version, up, title)) = parsed else {
            let reason = "the name is not `<version>_<title>.up.sql` or `.down.sql` with a number for the version";
            return Err(wrong_format(dir, &entry.path, FORMAT, reason));
        };
        let files = versions.entry(version).or_default();
        let slot = if up { &mut files.0 } else { &mut files.1 };
        if let Some(other) = slot.replace(entry.path.clone()) {
            return Err(ImportError::DuplicateVersion {
                path: entry.path,
                other,
                version: version.to_string(),
                format: FORMAT,
            });
        }
        if up || files.2.is_empty() {
            files.2 = message_of(title);
        }
    }
    versions
        .into_iter()
        .map(|(version, (up, down, name))| {
            let Some(up) = up else {
                let down = down.unwrap_or_default();
                let expected = down.display().to_string().replace(".down.sql", ".up.sql");
                return Err(ImportError::DownWithoutUp {
                    path: down,
                    expected,
                });
            };
            let down = match down {
                Some(path) => Some(SourceSection::whole(&path, read_text(&path)?.1)),
                None => None,
            };
            Ok(SourceMigration {
                version: version.to_string(),
                name,
                up: SourceSection::whole(&up, read_text(&up)?.1),
                down,
                transaction: SourceTransaction::Default,
                recorded_checksum: None,
                notes: Vec::new(),
            })
        })
        .collect()
}
