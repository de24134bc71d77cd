//! What a deploy does with clipdex-migrate's libraries, for the crack-closed tests: read the
//! migrations directory as it is now, then upgrade, downgrade or stamp one database.
//!
//! Every call reads the directory again, as every deploy does, so that a test can add a
//! revision file between two calls the way a branch adds one between two deploys.
#![allow(dead_code)] // each test binary uses part of it

use std::error::Error;
use std::path::Path;

use clipdex_core::{RevisionGraph, RevisionSet};
use runner::{DatabaseUrl, Migrator, NoObserver, RunOptions, RunReport, RunnerConfig};
use scratch::ScratchDatabase;
use stamp::{StampOptions, stamp};

/// The id of the shipped baseline revision, `migrations/20261126T0900_baseline.sql`.
pub const BASELINE: &str = "af9a37e3eebf";

pub type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// A migrator on `db`, with the default configuration (history in `clipdex_migrate`).
pub async fn migrator(db: &ScratchDatabase) -> TestResult<Migrator> {
    let url = DatabaseUrl::parse(db.url())?;
    let client = url.connect(&runner::default_application_name()).await?;
    Ok(Migrator::new(client, RunnerConfig::default()))
}

/// The revision graph of `dir` as it is now.
pub fn graph(dir: &Path) -> TestResult<RevisionGraph> {
    let set = RevisionSet::read_dir(dir)?;
    Ok(RevisionGraph::build(&set)?)
}

/// `clipdex-migrate upgrade TARGET`, on the files in `dir`.
pub async fn upgrade(migrator: &mut Migrator, dir: &Path, target: &str) -> TestResult<RunReport> {
    let graph = graph(dir)?;
    let target = target.parse()?;
    let options = RunOptions::default();
    Ok(migrator
        .upgrade(&graph, &target, &options, &mut NoObserver)
        .await?)
}

/// `clipdex-migrate downgrade TARGET`, on the files in `dir`.
pub async fn downgrade(migrator: &mut Migrator, dir: &Path, target: &str) -> TestResult<RunReport> {
    let graph = graph(dir)?;
    let target = target.parse()?;
    let options = RunOptions::default();
    Ok(migrator
        .downgrade(&graph, &target, &options, &mut NoObserver)
        .await?)
}

/// `clipdex-migrate stamp TARGET`, on the files in `dir`: the ids it recorded.
pub async fn stamp_at(
    migrator: &mut Migrator,
    dir: &Path,
    target: &str,
) -> TestResult<Vec<String>> {
    let graph = graph(dir)?;
    let target = target.parse()?;
    let options = StampOptions::default();
    let report = stamp(migrator, &graph, &target, &options, &mut NoObserver).await?;
    Ok(report.stamped)
}

/// The revisions a run ran, in order.
pub fn ids(report: &RunReport) -> Vec<&str> {
    let steps = report.steps.iter();
    steps.map(|step| step.revision.as_str()).collect()
}

/// The applied revisions, in the order the database applied them.
pub async fn applied_order(migrator: &Migrator) -> TestResult<Vec<String>> {
    let state = migrator.read_state().await?;
    Ok(state.rows.into_iter().map(|row| row.revision).collect())
}

/// The history as `revision operation` lines (`upgrade` or `stamp`), in applied order.
pub async fn operations(migrator: &Migrator) -> TestResult<Vec<String>> {
    let state = migrator.read_state().await?;
    let rows = state.rows.iter();
    let line = |row: &runner::HistoryRow| format!("{} {}", row.revision, row.operation.as_str());
    Ok(rows.map(line).collect())
}

/// The revision that stopped part way, as `(revision, statements done, statements total)`.
pub async fn partial(migrator: &Migrator) -> TestResult<Option<(String, u32, u32)>> {
    let state = migrator.read_state().await?;
    let Some(row) = state.partial() else {
        return Ok(None);
    };
    let runner::RowState::Partial {
        statements_done,
        statements_total,
        ..
    } = row.state
    else {
        return Ok(None);
    };
    Ok(Some((
        row.revision.clone(),
        statements_done,
        statements_total,
    )))
}
