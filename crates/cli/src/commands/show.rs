//! `show REV`: everything about one revision — header, file, place in the graph, statements,
//! reversibility — and whether it is applied, when a database can be asked without starting
//! anything.
//!
//! `show` is a files command first: it must work offline and must not start the development
//! cluster as a side effect, so the database is only peeked at (a configured one, or a
//! development cluster that already runs) and its absence is a line of output, not an error.
//!
//! JSON: `{"command": "show", "revision", "file", "message", "parents", "children",
//! "transaction", "citus": null | "sequential", "merge", "up": {"statements", "files"}, "down": null | {"statements",
//! "files"}, "reversible", "applied": {"state": "applied"|"partial"|"not_applied"|"unknown",
//! "database", "operation", "applied_at", "applied_by", "reason"}}`.

use std::path::PathBuf;

use clipdex_core::{
    CitusShardMode, InvalidMigrations, Revision, RevisionError, RevisionGraph, Section, SumCheck,
};
use runner::{HistoryRow, RowState};
use serde::Serialize;

use crate::args::ShowArgs;
use crate::commands::targets;
use crate::context::Context;
use crate::error::CliError;
use crate::output::Report;
use crate::target_db;

#[derive(Debug, Serialize)]
struct Show {
    command: &'static str,
    revision: String,
    file: PathBuf,
    message: Option<String>,
    parents: Vec<String>,
    children: Vec<String>,
    transaction: String,
    /// `-- citus: sequential`, when the header says it.
    citus: Option<&'static str>,
    merge: bool,
    up: SectionInfo,
    down: Option<SectionInfo>,
    reversible: bool,
    applied: Applied,
}

#[derive(Debug, Serialize)]
struct SectionInfo {
    statements: usize,
    /// Every file the section's statements come from: the revision and what it includes.
    files: Vec<PathBuf>,
}

#[derive(Debug, Default, Serialize)]
struct Applied {
    state: &'static str,
    database: Option<String>,
    operation: Option<&'static str>,
    applied_at: Option<String>,
    applied_by: Option<String>,
    reason: Option<String>,
}

/// Runs `show`.
pub async fn run(context: &Context, args: ShowArgs) -> Result<(), CliError> {
    let migrations = context.load(SumCheck::Verify)?;
    let graph = migrations.graph();
    let revision = targets::revision(graph, &args.revision)?;
    let applied = applied(context, revision.id()).await;
    let show = describe(graph, revision, applied).map_err(InvalidMigrations::from)?;
    context.out.report(&show);
    Ok(())
}

/// Fails only when the revision's file cannot be read again (see `SqlText`).
fn describe(
    graph: &RevisionGraph,
    revision: &Revision,
    applied: Applied,
) -> Result<Show, RevisionError> {
    let ids = |revisions: Option<Vec<&Revision>>| -> Vec<String> {
        revisions
            .unwrap_or_default()
            .iter()
            .map(|r| r.id().to_owned())
            .collect()
    };
    Ok(Show {
        command: "show",
        revision: revision.id().to_owned(),
        file: revision.path().to_owned(),
        message: revision.message().map(str::to_owned),
        parents: revision.parents().map(str::to_owned).collect(),
        children: ids(graph.children(revision.id())),
        transaction: revision.transaction().to_string(),
        citus: (revision.citus_shard_mode() == CitusShardMode::Sequential).then_some("sequential"),
        merge: graph.is_merge(revision.id()),
        up: section(revision.up())?,
        down: revision.down().map(section).transpose()?,
        reversible: revision.down().is_some(),
        applied,
    })
}

fn section(section: &Section) -> Result<SectionInfo, RevisionError> {
    let statements = section.statements()?;
    let mut files: Vec<PathBuf> = Vec::new();
    for statement in statements {
        if !files.contains(&statement.origin) {
            files.push(statement.origin.clone());
        }
    }
    Ok(SectionInfo {
        statements: statements.len(),
        files,
    })
}

/// The revision's row in the target database, if one can be asked without starting anything.
async fn applied(context: &Context, id: &str) -> Applied {
    let session = match target_db::peek(context).await {
        Ok(session) => session,
        Err(reason) => {
            return Applied {
                state: "unknown",
                reason: Some(reason),
                ..Applied::default()
            };
        }
    };
    let database = Some(session.database.clone());
    let state = match session.migrator.read_state().await {
        Ok(state) => state,
        Err(error) => {
            let reason = Some(error.to_string());
            return Applied {
                state: "unknown",
                database,
                reason,
                ..Applied::default()
            };
        }
    };
    match state.rows.iter().find(|row| row.revision == id) {
        Some(row) => from_row(row, database),
        None => Applied {
            state: "not_applied",
            database,
            ..Applied::default()
        },
    }
}

fn from_row(row: &HistoryRow, database: Option<String>) -> Applied {
    let state = match row.state {
        RowState::Complete => "applied",
        RowState::Partial { .. } => "partial",
    };
    Applied {
        state,
        database,
        operation: Some(row.operation.as_str()),
        applied_at: Some(row.applied_at.to_string()),
        applied_by: Some(row.applied_by.clone()),
        reason: None,
    }
}

impl Report for Show {
    fn human(&self) -> Vec<String> {
        let down = match &self.down {
            Some(info) => info.line(),
            None => "none: irreversible (downgrading through it is refused)".to_owned(),
        };
        let merge = if self.merge { " (merge)" } else { "" };
        vec![
            format!("revision:    {}{merge}", self.revision),
            format!("file:        {}", self.file.display()),
            format!("message:     {}", self.message.as_deref().unwrap_or("-")),
            format!("parents:     {}", ids_or(&self.parents, "none (a root)")),
            format!("children:    {}", ids_or(&self.children, "none (a head)")),
            match self.citus {
                Some(mode) => format!("transaction: {}; citus: {mode}", self.transaction),
                None => format!("transaction: {}", self.transaction),
            },
            format!("up:          {}", self.up.line()),
            format!("down:        {down}"),
            format!("applied:     {}", self.applied.line()),
        ]
    }
}

fn ids_or(ids: &[String], none: &str) -> String {
    if ids.is_empty() {
        none.to_owned()
    } else {
        ids.join(" ")
    }
}

impl SectionInfo {
    fn line(&self) -> String {
        let files: Vec<String> = self.files.iter().map(|f| f.display().to_string()).collect();
        if files.is_empty() {
            format!("{} statement(s)", self.statements)
        } else {
            format!("{} statement(s) from {}", self.statements, files.join(", "))
        }
    }
}

impl Applied {
    fn line(&self) -> String {
        let database = self.database.as_deref().unwrap_or("-");
        match self.state {
            "applied" | "partial" => format!(
                "{} ({} at {} by {}) in {database}",
                if self.state == "partial" {
                    "partially"
                } else {
                    "yes"
                },
                self.operation.unwrap_or("-"),
                self.applied_at.as_deref().unwrap_or("-"),
                self.applied_by.as_deref().unwrap_or("-"),
            ),
            "not_applied" => format!("no, in {database}"),
            _ => format!("unknown: {}", self.reason.as_deref().unwrap_or("-")),
        }
    }
}
