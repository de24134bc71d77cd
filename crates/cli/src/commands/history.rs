//! `history [--log]`: the applied revisions as the history table holds them, or the events.
//!
//! JSON shapes:
//!
//! - `history`: `{"command": "history", "database", "revisions": [{"revision", "file",
//!   "message", "parents", "operation", "state", "applied_at", "duration_ms", "applied_by"}]}`
//! - `history --log`: `{"command": "history", "database", "log": [{"revision", "operation",
//!   "at", "by", "duration_ms", "reason"}]}`
//!
//! A history can hold thousands of rows, so each entry borrows from the row read back and
//! from the loaded revisions, and each text line is written into one string.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

use clipdex_core::{RevisionGraph, SumCheck};
use runner::{DatabaseState, HistoryRow, LogEntry, RowState, Timestamp};
use serde::Serialize;

use crate::args::HistoryArgs;
use crate::context::Context;
use crate::duration;
use crate::error::CliError;
use crate::loaded_session::load_and_open;
use crate::output::Report;
use crate::target_db::Session;

#[derive(Debug, Serialize)]
struct HistoryEntry<'a> {
    revision: &'a str,
    file: Option<&'a Path>,
    message: Option<&'a str>,
    parents: &'a [String],
    operation: &'static str,
    state: Cow<'static, str>,
    #[serde(serialize_with = "as_text")]
    applied_at: Timestamp,
    duration_ms: Option<u64>,
    applied_by: &'a str,
}

/// `history`'s result: the rows, or (`--log`) the events.
#[derive(Debug, Serialize)]
struct History<'a> {
    command: &'static str,
    database: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    revisions: Option<Vec<HistoryEntry<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log: Option<Vec<LogLine<'a>>>,
}

#[derive(Debug, Serialize)]
struct LogLine<'a> {
    revision: &'a str,
    operation: &'a str,
    #[serde(serialize_with = "as_text")]
    at: Timestamp,
    by: &'a str,
    duration_ms: Option<u64>,
    reason: Option<&'a str>,
}

/// What `history` reads: the event log (`--log`) or the applied revisions.
enum Read {
    Log(Vec<LogEntry>),
    Rows(DatabaseState),
}

/// Runs `history`.
pub async fn history(context: &Context, args: HistoryArgs) -> Result<(), CliError> {
    let read = async |session: &Session| match args.log {
        true => Ok(Read::Log(session.migrator.read_log().await?)),
        false => Ok(Read::Rows(session.migrator.read_state().await?)),
    };
    let (migrations, session, read) = load_and_open(context, SumCheck::Verify, read).await?;
    let mut history = History {
        command: "history",
        database: session.database,
        revisions: None,
        log: None,
    };
    match &read {
        Read::Log(log) => history.log = Some(log.iter().map(log_line).collect()),
        Read::Rows(state) => {
            let rows = state
                .rows
                .iter()
                .map(|row| history_entry(migrations.graph(), row));
            history.revisions = Some(rows.collect());
        }
    }
    context.out.report(&history);
    Ok(())
}

fn history_entry<'a>(graph: &'a RevisionGraph, row: &'a HistoryRow) -> HistoryEntry<'a> {
    let state = match &row.state {
        RowState::Complete => Cow::Borrowed("complete"),
        RowState::Partial {
            statements_done,
            statements_total,
            ..
        } => Cow::Owned(format!("partial {statements_done}/{statements_total}")),
    };
    HistoryEntry {
        revision: &row.revision,
        file: graph.get(&row.revision).map(|r| r.path()),
        message: row.message.as_deref(),
        parents: &row.parents,
        operation: row.operation.as_str(),
        state,
        applied_at: row.applied_at,
        duration_ms: row.duration.map(duration::millis),
        applied_by: &row.applied_by,
    }
}

/// A time as JSON shows it: the RFC 3339 text it displays as.
fn as_text<S: serde::Serializer>(time: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(time)
}

fn log_line(entry: &LogEntry) -> LogLine<'_> {
    LogLine {
        revision: &entry.revision,
        operation: &entry.operation,
        at: entry.at,
        by: &entry.by,
        duration_ms: entry.duration.map(duration::millis),
        reason: entry.reason.as_deref(),
    }
}

impl Report for History<'_> {
    fn human(&self) -> Vec<String> {
        let revisions = self.revisions.iter().flatten().map(revision_line);
        let events = self.log.iter().flatten().map(event_line);
        let mut lines: Vec<String> = revisions.chain(events).collect();
        if lines.is_empty() {
            lines.push("no history: nothing was ever applied".to_owned());
        }
        lines
    }
}

// Writing into a `String` cannot fail: the `fmt::Result`s below are always `Ok`.

/// `<revision>  <operation>  <applied at>  <duration>  by <role>  <file>[  [partial …]]`.
fn revision_line(row: &HistoryEntry) -> String {
    let mut line = String::with_capacity(LINE_CAPACITY);
    let (revision, operation, at) = (row.revision, row.operation, row.applied_at);
    let _ = write!(line, "{revision}  {operation:<7}  {at}  ");
    push_millis(&mut line, row.duration_ms);
    let _ = write!(line, "  by {}  ", row.applied_by);
    match row.file {
        Some(file) => _ = write!(line, "{}", file.display()),
        None => line.push_str("(no file)"),
    }
    if row.state != "complete" {
        let _ = write!(line, "  [{}]", row.state);
    }
    line
}

/// `<at>  <operation>  <revision>  <duration>  by <role>[  reason: …]`.
fn event_line(event: &LogLine) -> String {
    let mut line = String::with_capacity(LINE_CAPACITY);
    let (at, operation, revision) = (event.at, event.operation, event.revision);
    let _ = write!(line, "{at}  {operation:<11}  {revision}  ");
    push_millis(&mut line, event.duration_ms);
    let _ = write!(line, "  by {}", event.by);
    if let Some(reason) = event.reason {
        let _ = write!(line, "  reason: {reason}");
    }
    line
}

/// `<n> ms`, or `-` when the duration is not known.
fn push_millis(line: &mut String, millis: Option<u64>) {
    match millis {
        Some(ms) => _ = write!(line, "{ms} ms"),
        None => line.push('-'),
    }
}

/// Room for a typical line in one allocation.
const LINE_CAPACITY: usize = 160;
