//! Offline SQL (`--sql`, like Alembic's offline mode): what `upgrade`/`downgrade` would run,
//! history rows included, as a script a DBA reviews and runs with `psql -f`.
//!
//! The script is deterministic — the same files and range give the same bytes; times come from
//! `now()`/`clock_timestamp()` when it runs — and does what the online runner does: one
//! `BEGIN … COMMIT` per transactional revision with its history row inside, and for a
//! `transaction: none` revision its statements bare, each followed by its progress update.
//! It sets `ON_ERROR_STOP` so that psql stops at the first error instead of running on.

use std::fmt::Write as _;

use clipdex_core::{
    AppliedRevision, AppliedState, Direction, DowngradeTarget, Inclusion, Plan, PlanError,
    PlanOptions, Revision, RevisionGraph, Step, TransactionMode, UpgradeTarget,
};

use crate::config::RunnerConfig;
use crate::error::RunError;
use crate::history_sql::{self as sql, HistoryNames, SINCE_BEGIN, SettingScope, quote_literal};
use crate::revision_settings;

/// The SQL `upgrade` would run from `from` (`None`: base) to `target`, history rows included.
pub fn upgrade_script(
    graph: &RevisionGraph,
    from: Option<&str>,
    target: &UpgradeTarget,
    config: &RunnerConfig,
) -> Result<String, RunError> {
    let state = applied_through(graph, from)?;
    let plan = Plan::upgrade(graph, &state, target, &script_options())?;
    let mut writer = ScriptWriter::new(config);
    writer.header(
        "upgrade",
        from.unwrap_or("base"),
        &target.to_string(),
        &plan,
    );
    if from.is_none() {
        writer.push("-- The history tables (the database starts from base).");
        writer.push(&format!("{};\n", sql::create_tables(&writer.names)));
    }
    for step in &plan.steps {
        writer.step(step, Direction::Upgrade)?;
    }
    Ok(writer.finish())
}

/// The SQL `downgrade` would run from `from` to `target`, history rows included.
pub fn downgrade_script(
    graph: &RevisionGraph,
    from: &str,
    target: &DowngradeTarget,
    config: &RunnerConfig,
) -> Result<String, RunError> {
    let state = applied_through(graph, Some(from))?;
    let plan = Plan::downgrade(graph, &state, target, &script_options())?;
    let mut writer = ScriptWriter::new(config);
    writer.header("downgrade", from, &target.to_string(), &plan);
    for step in &plan.steps {
        writer.step(step, Direction::Downgrade)?;
    }
    Ok(writer.finish())
}

fn script_options() -> PlanOptions {
    PlanOptions {
        allow_empty: true,
        ..PlanOptions::default()
    }
}

/// The state of a database at `from`: it and all its ancestors applied, as the files say.
fn applied_through(graph: &RevisionGraph, from: Option<&str>) -> Result<AppliedState, RunError> {
    let Some(from) = from else {
        return Ok(AppliedState::default());
    };
    let id = graph.resolve(from).map_err(PlanError::from)?.id();
    let ancestors = graph
        .ancestors(id, Inclusion::Inclusive)
        .unwrap_or_default();
    Ok(AppliedState {
        applied: ancestors
            .iter()
            .map(|revision| AppliedRevision {
                id: revision.id().to_owned(),
                up_checksum: revision.up_checksum(),
            })
            .collect(),
        accepted_edits: Vec::new(),
    })
}

/// Builds the script text.
struct ScriptWriter<'c> {
    config: &'c RunnerConfig,
    names: HistoryNames,
    out: String,
}

impl<'c> ScriptWriter<'c> {
    fn new(config: &'c RunnerConfig) -> ScriptWriter<'c> {
        ScriptWriter {
            names: HistoryNames::new(&config.history),
            config,
            out: String::new(),
        }
    }

    fn push(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn header(&mut self, verb: &str, from: &str, target: &str, plan: &Plan<'_>) {
        let ids = plan.ids();
        let listed = if ids.is_empty() {
            "none (nothing to do)".to_owned()
        } else {
            ids.join(" ")
        };
        self.push(&format!(
            "-- clipdex-migrate {verb} script: from {from} to {target}"
        ));
        self.push(&format!("-- revisions, in order: {listed}"));
        self.push(&format!("-- history table: {}", self.config.history));
        self.push("-- Review it, then run it with: psql -X -f THIS_FILE");
        self.push("\\set ON_ERROR_STOP on");
        self.push("SET standard_conforming_strings = on;\n");
    }

    /// Fails only when a revision's file, loaded without its text, cannot be read again.
    fn step(&mut self, step: &Step<'_>, direction: Direction) -> Result<(), RunError> {
        let revision = step.revision;
        let mode = revision.transaction();
        let message = revision
            .message()
            .map(|text| format!(": {text}"))
            .unwrap_or_default();
        let path = revision.path().display();
        let id = revision.id();
        self.push(&format!(
            "-- Revision {id} ({path}), transaction: {mode}{message}"
        ));
        match (mode, direction) {
            (TransactionMode::PerRevision, _) => self.transactional(step, direction),
            (TransactionMode::NoTransaction, Direction::Upgrade) => self.none_up(revision),
            (TransactionMode::NoTransaction, Direction::Downgrade) => self.none_down(step),
        }
    }

    fn transactional(&mut self, step: &Step<'_>, direction: Direction) -> Result<(), RunError> {
        let revision = step.revision;
        self.push("BEGIN;");
        self.push_all(revision_settings::revision_settings(
            self.config,
            revision,
            SettingScope::Transaction,
        ));
        self.statements(&step.section.statements_once()?, None);
        let id = quote_literal(revision.id());
        let (record, operation) = match direction {
            Direction::Upgrade => (
                self.insert_row(revision, "complete", SINCE_BEGIN),
                "upgrade",
            ),
            Direction::Downgrade => (sql::delete_row(&self.names, &id), "downgrade"),
        };
        self.push(&format!("{record};"));
        self.push(&format!(
            "{};",
            self.insert_log(revision, operation, SINCE_BEGIN)
        ));
        self.push("COMMIT;\n");
        Ok(())
    }

    fn none_up(&mut self, revision: &Revision) -> Result<(), RunError> {
        self.push(&format!(
            "{};",
            self.insert_row(revision, "partial", "NULL")
        ));
        self.push_all(revision_settings::revision_settings(
            self.config,
            revision,
            SettingScope::Session,
        ));
        self.statements(&revision.up().statements_once()?, Some(revision.id()));
        self.push_all(revision_settings::reset_revision_settings(
            self.config,
            revision,
        ));
        let id = quote_literal(revision.id());
        self.push("BEGIN;");
        let complete = sql::update_complete(&self.names, &id, "(clock_timestamp() - applied_at)");
        self.push(&format!("{complete};"));
        self.push(&format!(
            "{};",
            self.insert_log(revision, "upgrade", "NULL")
        ));
        self.push("COMMIT;\n");
        Ok(())
    }

    fn none_down(&mut self, step: &Step<'_>) -> Result<(), RunError> {
        self.push_all(revision_settings::revision_settings(
            self.config,
            step.revision,
            SettingScope::Session,
        ));
        self.statements(&step.section.statements_once()?, None);
        self.push_all(revision_settings::reset_revision_settings(
            self.config,
            step.revision,
        ));
        let id = quote_literal(step.revision.id());
        self.push("BEGIN;");
        self.push(&format!("{};", sql::delete_row(&self.names, &id)));
        self.push(&format!(
            "{};",
            self.insert_log(step.revision, "downgrade", "NULL")
        ));
        self.push("COMMIT;\n");
        Ok(())
    }

    /// Each setting as a statement.
    fn push_all(&mut self, settings: Vec<String>) {
        for setting in settings {
            self.push(&format!("{setting};"));
        }
    }

    /// Each statement with its origin; with `progress_of`, each followed by its progress update.
    fn statements(&mut self, statements: &[clipdex_core::Statement], progress_of: Option<&str>) {
        for (index, statement) in statements.iter().enumerate() {
            let origin = statement.origin.display();
            self.push(&format!("-- {origin}:{}", statement.line));
            self.push(&format!("{};", statement.sql));
            if let Some(id) = progress_of {
                let done = (index + 1).to_string();
                let update = sql::update_progress(&self.names, &quote_literal(id), &done);
                self.push(&format!("{update};"));
            }
        }
    }

    fn insert_row(&self, revision: &Revision, state: &str, duration: &str) -> String {
        let total = revision.up().statement_count().to_string();
        let done = if state == "complete" {
            total.clone()
        } else {
            "0".to_owned()
        };
        let values = [
            quote_literal(revision.id()),
            text_array(revision.parents()),
            quote_literal(&revision.up_checksum().to_string()),
            quote_literal("upgrade"),
            quote_literal(state),
            done,
            total,
            revision.message().map_or("NULL".to_owned(), quote_literal),
        ];
        let values: [&str; 8] = std::array::from_fn(|index| values[index].as_str());
        sql::insert_row(&self.names, values, duration)
    }

    fn insert_log(&self, revision: &Revision, operation: &str, duration: &str) -> String {
        let id = quote_literal(revision.id());
        let operation = quote_literal(operation);
        let checksum = quote_literal(&revision.up_checksum().to_string());
        sql::insert_log(&self.names, [&id, &operation, &checksum, "NULL"], duration)
    }

    fn finish(mut self) -> String {
        let _ = writeln!(self.out, "-- end of script");
        self.out
    }
}

/// `ARRAY['a', 'b']::text[]`.
fn text_array<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = items.map(quote_literal).collect();
    format!("ARRAY[{}]::text[]", quoted.join(", "))
}
