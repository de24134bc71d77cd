//! From the versions the old tool says are applied to the one revision to stamp.
//!
//! Imported revisions carry their source version in the comment `import` writes
//! (`-- Imported from sqlx 3: …`), so the mapping needs neither the source directory nor a
//! guess. The applied versions must be the first revisions of the imported chain, without a
//! hole, since stamping a revision records its ancestors too; the last of them is the target.

use std::cmp::Ordering;
use std::fmt;
use std::path::{Path, PathBuf};

use clipdex_core::{Revision, RevisionGraph};
use import::{Format, provenance, revision_id};

use crate::error::TakeoverError;
use crate::history::SourceHistory;
use crate::source::{AlembicMapping, HistorySource};

/// What to stamp.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Takeover {
    /// The revision to stamp (with its ancestors); `None` when the source applied nothing.
    pub target: Option<String>,
    /// The source versions that map to revisions, in chain order.
    pub versions: Vec<String>,
    /// Applied versions whose recorded checksum differs from the imported file's.
    pub mismatches: Vec<ChecksumMismatch>,
}

/// An applied version that ran another text than the imported one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumMismatch {
    /// The version.
    pub version: String,
    /// The imported revision's file.
    pub path: PathBuf,
    /// The checksum the database recorded, hex.
    pub recorded: String,
    /// The imported file's, hex.
    pub imported: String,
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version {} ({}): the database recorded {}…, the imported file has {}…",
            self.version,
            self.path.display(),
            &self.recorded[..self.recorded.len().min(12)],
            &self.imported[..self.imported.len().min(12)]
        )
    }
}

/// An imported revision of the format being taken over.
struct Imported<'g> {
    revision: &'g Revision,
    version: String,
    checksum: Option<String>,
}

/// Maps `history` onto `graph`; `read` gives a revision file's text.
pub fn resolve(
    source: HistorySource,
    history: &SourceHistory,
    graph: &RevisionGraph,
    mappings: &[AlembicMapping],
    read: &dyn Fn(&Path) -> Option<String>,
) -> Result<Takeover, TakeoverError> {
    let format = match source {
        HistorySource::Alembic => return alembic(history, graph, mappings),
        HistorySource::Tool(format) => format,
    };
    let imported: Vec<Imported<'_>> = graph
        .topological_order()
        .into_iter()
        .filter_map(|revision| {
            let found = provenance(&read(revision.path())?)?;
            (found.format == format).then_some(Imported {
                revision,
                version: found.version,
                checksum: found.checksum,
            })
        })
        .collect();
    let mut applied = vec![false; imported.len()];
    let not_imported = |version: &str| TakeoverError::NotImported {
        tool: format.to_string(),
        version: version.to_owned(),
        id: revision_id(format, version),
    };
    let mut mismatches = Vec::new();
    for version in &history.applied {
        let index =
            position(&imported, &version.version).ok_or_else(|| not_imported(&version.version))?;
        applied[index] = true;
        if let Some(mismatch) = mismatch(&imported[index], version.checksum.as_deref()) {
            mismatches.push(mismatch);
        }
    }
    if let Some(up_to) = &history.up_to {
        if format == Format::GolangMigrate && position(&imported, up_to).is_none() {
            return Err(not_imported(up_to));
        }
        for (index, entry) in imported.iter().enumerate() {
            if order(format, &entry.version, up_to) != Ordering::Greater {
                applied[index] = true;
            }
        }
    }
    let Some(last) = applied.iter().rposition(|&applied| applied) else {
        return Ok(Takeover::default());
    };
    if let Some(hole) = applied[..last].iter().position(|&applied| !applied) {
        return Err(TakeoverError::Hole {
            missing: imported[hole].version.clone(),
            path: imported[hole].revision.path().to_owned(),
            applied: imported[last].version.clone(),
            applied_id: imported[last].revision.id().to_owned(),
        });
    }
    Ok(Takeover {
        target: Some(imported[last].revision.id().to_owned()),
        versions: imported[..=last]
            .iter()
            .map(|e| e.version.clone())
            .collect(),
        mismatches,
    })
}

fn position(imported: &[Imported<'_>], version: &str) -> Option<usize> {
    imported.iter().position(|entry| entry.version == version)
}

fn mismatch(entry: &Imported<'_>, recorded: Option<&[u8]>) -> Option<ChecksumMismatch> {
    let recorded: String = recorded?.iter().map(|byte| format!("{byte:02x}")).collect();
    let imported = entry.checksum.clone()?;
    (recorded != imported).then(|| ChecksumMismatch {
        version: entry.version.clone(),
        path: entry.revision.path().to_owned(),
        recorded,
        imported,
    })
}

/// The tool's own order of two versions: numbers as numbers, Flyway's parts as numbers,
/// diesel's and dbmate's as strings.
fn order(format: Format, a: &str, b: &str) -> Ordering {
    let number = |v: &str| v.parse::<u128>().ok();
    match format {
        Format::Flyway => {
            let key = |v: &str| import::normalize_version(Format::Flyway, v);
            let parts = |v: Option<String>| -> Vec<u128> {
                v.unwrap_or_default()
                    .split('.')
                    .filter_map(|p| p.parse().ok())
                    .collect()
            };
            parts(key(a)).cmp(&parts(key(b)))
        }
        Format::Diesel | Format::Dbmate => a.cmp(b),
        _ => match (number(a), number(b)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => a.cmp(b),
        },
    }
}

/// Alembic: each row of `alembic_version` must be mapped, all to one revision.
fn alembic(
    history: &SourceHistory,
    graph: &RevisionGraph,
    mappings: &[AlembicMapping],
) -> Result<Takeover, TakeoverError> {
    let mut target: Option<&Revision> = None;
    for applied in &history.applied {
        let Some(mapping) = mappings.iter().find(|m| m.alembic == applied.version) else {
            return Err(unmapped(history, mappings));
        };
        let revision = graph.resolve(&mapping.revision)?;
        if target.is_some_and(|t| t.id() != revision.id()) {
            return Err(unmapped(history, mappings));
        }
        target = Some(revision);
    }
    Ok(Takeover {
        target: target.map(|t| t.id().to_owned()),
        versions: history.applied.iter().map(|v| v.version.clone()).collect(),
        mismatches: Vec::new(),
    })
}

fn unmapped(history: &SourceHistory, mappings: &[AlembicMapping]) -> TakeoverError {
    let found: Vec<&str> = history.applied.iter().map(|v| v.version.as_str()).collect();
    TakeoverError::Unmapped {
        found: found.join(" and "),
        mapped: mappings
            .iter()
            .map(|m| format!("{}={}", m.alembic, m.revision))
            .collect(),
    }
}
