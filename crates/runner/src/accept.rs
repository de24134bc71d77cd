//! `accept-edit`: an applied revision's up section was changed on purpose, and that is recorded.
//!
//! The stored checksum is replaced (so planning sees no edit from then on) and the log keeps
//! the old one's replacement with the reason: the history stays honest about what ran.

use clipdex_core::{PlanError, RevisionGraph};
use tokio_postgres::Client;
use tokio_postgres::types::{ToSql, Type};

use crate::config::{HistoryLocation, Scope};
use crate::error::{RunError, StateError};
use crate::history;
use crate::history_error::query_error;
use crate::history_sql::{self as sql, HistoryNames, quote_literal};
use crate::pipeline::{Pipeline, first_error};
use crate::state::RowState;

/// Stores `revision`'s current up checksum and logs `reason`; nothing to do when unchanged.
pub(crate) async fn accept_edit(
    client: &Client,
    location: &HistoryLocation,
    graph: &RevisionGraph,
    revision: &str,
    reason: &str,
) -> Result<(), RunError> {
    let revision = graph.resolve(revision).map_err(PlanError::from)?;
    // Only the rows matter here, not which objects the scope holds.
    let state = history::read_state(client, location, &Scope::Database).await?;
    let applied = state
        .rows
        .iter()
        .find(|row| row.revision == revision.id() && row.state == RowState::Complete);
    let Some(applied) = applied else {
        return Err(StateError::NotApplied {
            revision: revision.id().to_owned(),
            file: revision.path().to_owned(),
        }
        .into());
    };
    if applied.up_checksum == revision.up_checksum() {
        return Ok(());
    }
    crate::privileges::check_can_write(client, location).await?;
    let checksum = revision.up_checksum().to_string();
    record(client, location, revision.id(), &checksum, reason).await
}

/// The new checksum and its log entry, in one pipelined transaction.
async fn record(
    client: &Client,
    location: &HistoryLocation,
    id: &str,
    checksum: &str,
    reason: &str,
) -> Result<(), RunError> {
    let names = HistoryNames::new(location);
    let update = sql::update_checksum(&names, "$1", "$2");
    let operation = quote_literal("accept-edit");
    let log = sql::insert_log(&names, ["$1", &operation, "$2", "$3"], "NULL");
    let update_params: [(&(dyn ToSql + Sync), Type); 2] =
        [(&id, Type::TEXT), (&checksum, Type::TEXT)];
    let log_params: [(&(dyn ToSql + Sync), Type); 3] = [
        (&id, Type::TEXT),
        (&checksum, Type::TEXT),
        (&reason, Type::TEXT),
    ];
    let mut pipeline = Pipeline::new(client);
    pipeline.simple("BEGIN");
    pipeline.typed(&update, &update_params);
    pipeline.typed(&log, &log_params);
    pipeline.simple("COMMIT");
    match first_error(pipeline.run().await) {
        Some((_, error)) => {
            let doing = format!("accepting the edit of revision {id}");
            Err(query_error(doing)(error).into())
        }
        None => Ok(()),
    }
}
