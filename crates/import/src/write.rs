//! Where the imported revisions go: after the migrations directory's head, skipping what an
//! earlier import already wrote, and nothing at all when anything is wrong.
//!
//! A plan is made from the source and the directory's loaded revisions before a single file is
//! written. Each new revision's text is loaded by core on its own first, so a file that would
//! break the directory is an error here, not after it was written.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clipdex_core::{Checksum, RevisionError, RevisionGraph, RevisionSet, SourceFile};

use crate::error::ImportError;
use crate::format::Format;
use crate::id::revision_id;
use crate::render::render;
use crate::source::{Note, NoteKind, Source};

/// What an import will write, and what it found already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// The revisions to write, in chain order.
    pub new: Vec<NewRevision>,
    /// The source migrations imported before, with their revision ids and files.
    pub already: Vec<(String, PathBuf)>,
    /// What the import reports about the migrations it writes.
    pub notes: Vec<Note>,
}

/// One revision file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRevision {
    /// Its id.
    pub id: String,
    /// Its path in the migrations directory.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// The source version it imports.
    pub version: String,
    /// The source file of its up section.
    pub source_file: PathBuf,
}

/// Plans importing `source` into `migrations_dir`, whose revisions are `set` and `graph`.
pub fn plan(
    source: &Source,
    migrations_dir: &Path,
    set: &RevisionSet,
    graph: &RevisionGraph,
) -> Result<ImportPlan, ImportError> {
    refuse_flat_source_in_place(source, migrations_dir)?;
    let mut plan = ImportPlan {
        new: Vec::new(),
        already: Vec::new(),
        notes: Vec::new(),
    };
    let mut parent = single_head(migrations_dir, graph)?;
    for (index, migration) in source.migrations.iter().enumerate() {
        let id = revision_id(source.format, &migration.version);
        if let Some(existing) = set.revisions().iter().find(|r| r.id() == id) {
            let parents = existing.parents().next();
            let again = render(source.format, &source.dir, migration, parents)?;
            if Checksum::of(again.text.as_bytes()) != existing.file_checksum() {
                return Err(ImportError::ChangedSinceImport {
                    source_file: migration.up.file.clone(),
                    revision: existing.path().to_owned(),
                    id,
                });
            }
            plan.already.push((id.clone(), existing.path().to_owned()));
            continue;
        }
        if let Some(next) = imported_after(source, set, index) {
            return Err(ImportError::BeforeImported {
                path: migration.up.file.clone(),
                version: migration.version.clone(),
                imported: source.migrations[next].version.clone(),
                id: revision_id(source.format, &source.migrations[next].version),
                format: source.format,
            });
        }
        let rendered = render(source.format, &source.dir, migration, parent.as_deref())?;
        let path = migrations_dir.join(&rendered.file_name);
        if path.exists() {
            return Err(ImportError::FileExists { path, id });
        }
        plan.notes.extend(migration.notes.iter().cloned());
        plan.notes.extend(rendered.notes);
        plan.notes
            .extend(check_loads(&path, &rendered.text, &migration.up.file)?);
        parent = Some(id.clone());
        plan.new.push(NewRevision {
            id,
            path,
            text: rendered.text,
            version: migration.version.clone(),
            source_file: migration.up.file.clone(),
        });
    }
    Ok(plan)
}

impl ImportPlan {
    /// Writes the new revisions; if one cannot be written, those written before it are removed
    /// again. The sum file is the caller's to rewrite.
    pub fn write(&self) -> Result<(), ImportError> {
        let mut written: Vec<&Path> = Vec::new();
        for revision in &self.new {
            if let Err(error) = create(&revision.path, &revision.text) {
                for path in written {
                    let _ = fs::remove_file(path);
                }
                return Err(ImportError::Write {
                    path: revision.path.clone(),
                    reason: error.to_string(),
                });
            }
            written.push(&revision.path);
        }
        Ok(())
    }
}

fn create(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())
}

/// The head the first new revision goes on: none in an empty directory, else the only one.
fn single_head(dir: &Path, graph: &RevisionGraph) -> Result<Option<String>, ImportError> {
    match &graph.heads()[..] {
        [] => Ok(None),
        [head] => Ok(Some(head.id().to_owned())),
        heads => Err(ImportError::SeveralHeads {
            dir: dir.to_owned(),
            count: heads.len(),
            heads: heads.iter().map(|r| r.id()).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// The first migration after `index` in source order that is already imported.
fn imported_after(source: &Source, set: &RevisionSet, index: usize) -> Option<usize> {
    (index + 1..source.migrations.len()).find(|&later| {
        let id = revision_id(source.format, &source.migrations[later].version);
        set.revisions().iter().any(|r| r.id() == id)
    })
}

/// A flat format's `.sql` files in the migrations directory itself would be read as revisions.
fn refuse_flat_source_in_place(source: &Source, migrations_dir: &Path) -> Result<(), ImportError> {
    let same = match (source.dir.canonicalize(), migrations_dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same && source.format != Format::Diesel {
        return Err(ImportError::SourceIsMigrationsDir {
            dir: migrations_dir.to_owned(),
        });
    }
    Ok(())
}

/// Loads the revision text alone; a down section that cannot run becomes a warning.
fn check_loads(path: &Path, text: &str, source_file: &Path) -> Result<Vec<Note>, ImportError> {
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    let set = RevisionSet::from_files([SourceFile::new(&name, text)]).map_err(|error| {
        ImportError::WouldNotLoad {
            source_file: source_file.to_owned(),
            problem: error.to_string().replace('\n', " / "),
        }
    })?;
    let revision = &set.revisions()[0];
    let notes = revision.down_problems().iter().filter_map(|problem| {
        let RevisionError::TransactionBlocked { line, blocker, .. } = problem else {
            return None;
        };
        let message = format!(
            "its down section runs {blocker}, which the revision's transaction cannot hold (nor could the source tool's): upgrade runs it, downgrade through it is refused until that down section is edited, and `check` reports it"
        );
        Some(Note::new(path, Some(*line), NoteKind::Warning, message))
    });
    Ok(notes.collect())
}
