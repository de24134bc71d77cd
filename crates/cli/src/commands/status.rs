//! Where the files and the database stand: `current` and `heads` (`history` is its own
//! module).
//!
//! JSON shapes:
//!
//! - `current` (`--exit-code`: exit 8 when pending or partial): `{"command": "current", "database", "history_exists", "heads": [{"revision",
//!   "file", "message", "graph_head"}], "partial": null | {"revision", "file",
//!   "statements_done", "statements_total", "last_error"}, "unknown": [id], "pending": [id]}`
//! - `heads`: `{"command": "heads", "heads": [{"revision", "file", "message", "parents",
//!   "merge"}]}`

use std::collections::HashSet;
use std::path::PathBuf;

use clipdex_core::{RevisionGraph, SumCheck};
use runner::{HistoryRow, RowState};
use serde::Serialize;

use crate::args::CurrentArgs;
use crate::context::Context;
use crate::error::CliError;
use crate::exit::Verdict;
use crate::loaded_session::load_and_open;
use crate::output::Report;
use crate::target_db::Session;

/// A revision as status output lists it.
#[derive(Debug, Serialize)]
struct Listed {
    revision: String,
    file: Option<PathBuf>,
    message: Option<String>,
    graph_head: bool,
}

impl Listed {
    fn of(graph: &RevisionGraph, id: &str) -> Listed {
        let revision = graph.get(id);
        Listed {
            revision: id.to_owned(),
            file: revision.map(|r| r.path().to_owned()),
            message: revision.and_then(|r| r.message()).map(str::to_owned),
            graph_head: graph
                .children(id)
                .is_some_and(|children| children.is_empty()),
        }
    }

    fn line(&self) -> String {
        let head = if self.graph_head { " (head)" } else { "" };
        let file = self
            .file
            .as_ref()
            .map_or("(no file declares it)".to_owned(), |f| {
                f.display().to_string()
            });
        let message = self
            .message
            .as_deref()
            .map_or(String::new(), |m| format!("  {m}"));
        format!("{}{head}  {file}{message}", self.revision)
    }
}

#[derive(Debug, Serialize)]
struct Partial {
    revision: String,
    file: Option<PathBuf>,
    statements_done: u32,
    statements_total: u32,
    last_error: Option<String>,
}

/// `current`'s result.
#[derive(Debug, Serialize)]
struct Current {
    command: &'static str,
    database: String,
    history_exists: bool,
    /// Objects but no history: built before clipdex-migrate (by post 9's loop, say). `upgrade`
    /// refuses it; `stamp --verify` adopts it.
    needs_adoption: bool,
    heads: Vec<Listed>,
    partial: Option<Partial>,
    unknown: Vec<String>,
    pending: Vec<String>,
}

/// Runs `current`; with `--exit-code`, a database behind its migrations (pending revisions, or
/// one partially applied) ends with [`Verdict::Behind`].
pub async fn current(context: &Context, args: CurrentArgs) -> Result<Verdict, CliError> {
    let read_state = async |session: &Session| Ok(session.migrator.read_state().await?);
    let (migrations, session, state) = load_and_open(context, SumCheck::Verify, read_state).await?;
    let graph = migrations.graph();
    let applied = state.applied_state().applied.into_iter().map(|a| a.id);
    let applied: HashSet<String> = applied.collect();
    let mut unknown: Vec<String> = applied
        .iter()
        .filter(|id| graph.get(id).is_none())
        .cloned()
        .collect();
    unknown.sort();
    let pending = graph.topological_order().into_iter().map(|r| r.id());
    let current = Current {
        command: "current",
        database: session.database,
        history_exists: state.history_exists,
        needs_adoption: !state.history_exists && state.has_user_objects,
        heads: applied_heads(graph, &applied),
        partial: state.partial().map(|row| partial(graph, row)),
        unknown,
        pending: pending
            .filter(|id| !applied.contains(*id))
            .map(str::to_owned)
            .collect(),
    };
    context.out.report(&current);
    let behind = !current.pending.is_empty() || current.partial.is_some();
    Ok(match args.exit_code && behind {
        true => Verdict::Behind,
        false => Verdict::Clean,
    })
}

/// The applied revisions that no applied revision builds on, sorted by id.
fn applied_heads(graph: &RevisionGraph, applied: &HashSet<String>) -> Vec<Listed> {
    let is_head = |id: &&String| {
        graph
            .children(id)
            .is_some_and(|children| !children.iter().any(|child| applied.contains(child.id())))
    };
    let mut heads: Vec<&String> = applied.iter().filter(is_head).collect();
    heads.sort();
    heads.into_iter().map(|id| Listed::of(graph, id)).collect()
}

fn partial(graph: &RevisionGraph, row: &HistoryRow) -> Partial {
    let (statements_done, statements_total, last_error) = match &row.state {
        RowState::Partial {
            statements_done,
            statements_total,
            last_error,
        } => (*statements_done, *statements_total, last_error.clone()),
        RowState::Complete => (0, 0, None),
    };
    Partial {
        revision: row.revision.clone(),
        file: graph.get(&row.revision).map(|r| r.path().to_owned()),
        statements_done,
        statements_total,
        last_error,
    }
}

impl Partial {
    /// `partial: <id>  <file>: 1 of 3 statements ran; …`, and the last error on its own line.
    fn lines(&self) -> Vec<String> {
        let file = self.file.as_ref();
        let file = file.map_or(String::new(), |f| format!("  {}", f.display()));
        let (done, total) = (self.statements_done, self.statements_total);
        let mut lines = vec![format!(
            "partial: {}{file}: {done} of {total} statements ran; `clipdex-migrate upgrade` resumes it",
            self.revision
        )];
        lines.extend(
            self.last_error
                .iter()
                .map(|error| format!("  last error: {error}")),
        );
        lines
    }
}

impl Report for Current {
    fn human(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.heads.is_empty() {
            let why = if self.history_exists {
                ""
            } else {
                " (no history table yet)"
            };
            lines.push(format!("base: no revision applied{why}"));
        }
        lines.extend(self.heads.iter().map(Listed::line));
        lines.extend(self.partial.iter().flat_map(Partial::lines));
        for id in &self.unknown {
            lines.push(format!(
                "unknown: {id} is applied, but no file in the migrations directory declares it"
            ));
        }
        if self.needs_adoption {
            let root = self.pending.first().map_or("REV", String::as_str);
            lines.push(format!(
                "not adopted: the database has tables but no migration history; adopt it with \
                 `clipdex-migrate stamp REV --verify`, REV the revision whose schema it has \
                 (the first is {root})"
            ));
            return lines;
        }
        lines.push(match self.pending.len() {
            0 => "up to date: no pending revision".to_owned(),
            n => format!(
                "pending: {n} revision(s) not applied ({}); run `clipdex-migrate upgrade`",
                self.pending.join(", ")
            ),
        });
        lines
    }
}

/// `heads`' result.
#[derive(Debug, Serialize)]
struct Heads {
    command: &'static str,
    heads: Vec<Head>,
}

#[derive(Debug, Serialize)]
struct Head {
    revision: String,
    file: PathBuf,
    message: Option<String>,
    parents: Vec<String>,
    merge: bool,
}

/// Runs `heads` (files only).
pub fn heads(context: &Context) -> Result<(), CliError> {
    let migrations = context.load(SumCheck::Verify)?;
    let heads = migrations.graph().heads().into_iter().map(|revision| Head {
        revision: revision.id().to_owned(),
        file: revision.path().to_owned(),
        message: revision.message().map(str::to_owned),
        parents: revision.parents().map(str::to_owned).collect(),
        merge: revision.parents().len() > 1,
    });
    let heads = Heads {
        command: "heads",
        heads: heads.collect(),
    };
    context.out.report(&heads);
    Ok(())
}

impl Report for Heads {
    fn human(&self) -> Vec<String> {
        if self.heads.is_empty() {
            return vec![
                "no revisions: create one with `clipdex-migrate revision -m MESSAGE`".to_owned(),
            ];
        }
        let line = |head: &Head| {
            let merge = if head.merge {
                format!(" (merge of {})", head.parents.join(", "))
            } else {
                String::new()
            };
            let message = head
                .message
                .as_deref()
                .map_or(String::new(), |m| format!("  {m}"));
            format!("{}{merge}  {}{message}", head.revision, head.file.display())
        };
        self.heads.iter().map(line).collect()
    }
}
