//! `import --from FORMAT DIR`: another tool's migrations written as revisions after the head,
//! then `revisions.sum` rewritten.
//!
//! The `import` crate reads and plans everything first; this module only loads the migrations
//! directory (as `revision` does: the sum file is rewritten, so a stale one is a warning),
//! shows the notes, writes, and reports. JSON: `{"command": "import", "from", "source",
//! "dry_run", "written": [{"revision", "file", "version", "source"}], "already_imported":
//! [{"revision", "file"}], "notes": [{"file", "line", "kind", "message"}], "sum_file"}`.

use std::path::PathBuf;

use clipdex_core::{LoadedMigrations, SumCheck};
use import::{ImportPlan, Note, NoteKind};
use serde::Serialize;

use crate::args::ImportArgs;
use crate::commands::{revision, sum};
use crate::context::Context;
use crate::error::CliError;
use crate::migrations;
use crate::output::Report;

#[derive(Debug, Serialize)]
struct Imported {
    command: &'static str,
    from: String,
    source: PathBuf,
    dry_run: bool,
    written: Vec<Written>,
    already_imported: Vec<Already>,
    notes: Vec<NoteOut>,
    sum_file: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Written {
    revision: String,
    file: PathBuf,
    version: String,
    source: PathBuf,
}

#[derive(Debug, Serialize)]
struct Already {
    revision: String,
    file: PathBuf,
}

#[derive(Debug, Serialize)]
struct NoteOut {
    file: PathBuf,
    line: Option<u32>,
    kind: &'static str,
    message: String,
}

/// Runs `import`.
pub fn run(context: &Context, args: ImportArgs) -> Result<(), CliError> {
    let dir = context.migrations_dir();
    let source_dir = migrations::shown_path(&context.cwd.join(&args.dir), &context.cwd);
    let source = import::read(args.from, &source_dir)?;
    let existing = if dir.exists() {
        revision::load(context)?
    } else {
        LoadedMigrations::from_files([], SumCheck::Report)?
    };
    let plan = import::plan(&source, &dir, existing.set(), existing.graph())?;
    for note in &plan.notes {
        match note.kind {
            NoteKind::Warning => context.out.warning(note),
            NoteKind::Dropped | NoteKind::Translated => context
                .out
                .notice(format_args!("{}: {note}", note.kind.name())),
        }
    }
    let mut sum_file = None;
    if !args.dry_run && !plan.new.is_empty() {
        std::fs::create_dir_all(&dir)
            .map_err(CliError::io(format!("creating {}", dir.display())))?;
        plan.write()?;
        sum_file = Some(sum::rewrite(&dir)?.file);
    }
    context
        .out
        .report(&outcome(&args, source_dir, &plan, sum_file));
    Ok(())
}

fn outcome(
    args: &ImportArgs,
    source: PathBuf,
    plan: &ImportPlan,
    sum_file: Option<PathBuf>,
) -> Imported {
    Imported {
        command: "import",
        from: args.from.to_string(),
        source,
        dry_run: args.dry_run,
        written: plan
            .new
            .iter()
            .map(|new| Written {
                revision: new.id.clone(),
                file: new.path.clone(),
                version: new.version.clone(),
                source: new.source_file.clone(),
            })
            .collect(),
        already_imported: plan
            .already
            .iter()
            .map(|(revision, file)| Already {
                revision: revision.clone(),
                file: file.clone(),
            })
            .collect(),
        notes: plan.notes.iter().map(note_out).collect(),
        sum_file,
    }
}

fn note_out(note: &Note) -> NoteOut {
    NoteOut {
        file: note.file.clone(),
        line: note.line,
        kind: note.kind.name(),
        message: note.message.clone(),
    }
}

impl Report for Imported {
    fn human(&self) -> Vec<String> {
        let verb = if self.dry_run { "would write" } else { "wrote" };
        let mut lines: Vec<String> = self
            .written
            .iter()
            .map(|w| format!("{verb} {}  ({} {})", w.file.display(), self.from, w.version))
            .collect();
        let already = self.already_imported.len();
        let source = self.source.display();
        lines.push(match (self.written.len(), already) {
            (0, _) => format!("nothing to import: the {already} {} migration(s) of {source} are imported already", self.from),
            (written, 0) => format!("{} {written} {} migration(s) of {source} as revisions", if self.dry_run { "would import" } else { "imported" }, self.from),
            (written, _) => format!("{} {written} new {} migration(s) of {source} as revisions ({already} imported already)", if self.dry_run { "would import" } else { "imported" }, self.from),
        });
        if let Some(sum) = &self.sum_file {
            lines.push(format!("rewrote {}", sum.display()));
        }
        lines
    }
}
