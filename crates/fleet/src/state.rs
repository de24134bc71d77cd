//! What a target's database says about it, read for many targets at once.
//!
//! A schema fleet's tenants share one database: their history tables are read by
//! [`runner::read_states`] and their recorded failures by one ledger query, on one
//! connection, whatever their number. A database fleet's targets are one database each: one
//! connection each, `jobs` at a time.

use std::sync::Arc;

use futures_util::StreamExt as _;
use futures_util::future::{BoxFuture, join};
use runner::{DatabaseState, HistoryError, HistoryLocation, RunError, RunnerConfig};
use tokio_postgres::Client;

use crate::connection::connect;
use crate::ledger::{self, RecordedFailure};
use crate::target::Target;

/// A target's state: its history, and the fleet's record of its last failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetState {
    /// What its history table says.
    pub history: DatabaseState,
    /// The failure the last run recorded for it, if that run failed on it.
    pub failure: Option<RecordedFailure>,
}

impl TargetState {
    /// It failed last time: a recorded failure, or a revision left half-applied.
    pub fn failed(&self) -> bool {
        self.failure.is_some() || self.history.partial().is_some()
    }
}

/// The states of `targets`, all in the database `client` is connected to, in their order.
pub(crate) async fn read_in(
    client: &Client,
    targets: &[&Target],
    fleet_history: &HistoryLocation,
) -> Result<Vec<TargetState>, RunError> {
    let configs: Vec<RunnerConfig> = targets.iter().map(|t| t.config.clone()).collect();
    let keys: Vec<&str> = targets.iter().map(|t| t.ledger_key()).collect();
    let ledger = ledger::location(fleet_history);
    let (histories, failures) = join(
        runner::read_states(client, &configs),
        ledger::read(client, &ledger, &keys),
    )
    .await;
    let failures = failures.map_err(|source| HistoryError::Query {
        message: format!("reading the fleet's failure ledger {ledger}"),
        source,
    })?;
    Ok(histories?
        .into_iter()
        .zip(failures)
        .map(|(history, failure)| TargetState { history, failure })
        .collect())
}

/// A target's state, or why it could not be read (shared by the targets of one database).
pub(crate) type StateRead = Result<TargetState, Arc<RunError>>;

/// The state of every target, in order: each database's targets read together, `jobs`
/// databases at a time; `coordinator`, when given, is a connection to the first target's
/// database (a schema fleet's), used instead of a new one.
pub(crate) async fn read_all(
    targets: &[Target],
    mut coordinator: Option<Client>,
    fleet_history: &HistoryLocation,
    jobs: usize,
) -> Vec<StateRead> {
    let groups = group_by_database(targets);
    let coordinated = targets.first().map(|first| Arc::clone(&first.database));
    // Boxed and collected first: a stream over a closure's futures would not be `Send` for
    // every lifetime, and a run must be spawnable.
    let reads: Vec<BoxFuture<'_, Vec<(usize, StateRead)>>> = groups
        .iter()
        .map(|group| {
            let client = match &coordinated {
                Some(database) if Arc::ptr_eq(database, &group[0].1.database) => coordinator.take(),
                _ => None,
            };
            Box::pin(read_group(group, client, fleet_history)) as BoxFuture<'_, _>
        })
        .collect();
    let mut results: Vec<Option<StateRead>> = vec![None; targets.len()];
    let mut stream = futures_util::stream::iter(reads).buffer_unordered(jobs.max(1));
    while let Some(read) = stream.next().await {
        for (index, state) in read {
            results[index] = Some(state);
        }
    }
    results
        .into_iter()
        .map(|state| state.expect("every target read"))
        .collect()
}

/// Reads one database's targets (with their positions); an error is every one of theirs.
async fn read_group(
    group: &[(usize, &Target)],
    client: Option<Client>,
    fleet_history: &HistoryLocation,
) -> Vec<(usize, StateRead)> {
    let indexes = group.iter().map(|(index, _)| *index);
    let targets: Vec<&Target> = group.iter().map(|(_, target)| *target).collect();
    let client = match client {
        Some(client) => Ok(client),
        None => connect(&targets[0].database).await,
    };
    let states = match client {
        Ok(client) => read_in(&client, &targets, fleet_history).await,
        Err(error) => Err(error),
    };
    match states {
        Ok(states) => indexes.zip(states.into_iter().map(Ok)).collect(),
        Err(error) => {
            let error = Arc::new(error);
            indexes
                .map(|index| (index, Err(Arc::clone(&error))))
                .collect()
        }
    }
}

/// The targets with their positions, grouped by database, in order of first appearance.
fn group_by_database(targets: &[Target]) -> Vec<Vec<(usize, &Target)>> {
    let mut groups: Vec<Vec<(usize, &Target)>> = Vec::new();
    for (index, target) in targets.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|group| group[0].1.same_database(target))
        {
            Some(group) => group.push((index, target)),
            None => groups.push(vec![(index, target)]),
        }
    }
    groups
}
