//! `fleet drift`: is each target what its own history says it is?
//!
//! As `drift` does for one database, each target's applied revisions are replayed on a
//! shadow database and the catalogs compared. A schema fleet is done in bulk: one shadow
//! database gets every tenant's schema, the fleet engine replays each tenant's applied
//! revisions into it, and each database (live and shadow) is introspected once, then cut per
//! schema (`catalog_split`). A database fleet replays each distinct applied set once and
//! introspects each target, `jobs` at a time.
//!
//! JSON: `{"command": "fleet drift", "fleet", "against", "summary": {"targets", "no_drift",
//! "drift", "failed"}, "targets": [{"target", "database", "schema", "status", "changes",
//! "sql", "error"}]}`. Exit 1 when a target drifted, 9 when one could not be checked.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use clipdex_core::{RevisionGraph, UpgradeTarget};
use fleet::{Discovered, Fleet, FleetOptions, Job, Source, Target};
use futures_util::StreamExt as _;
use futures_util::future::BoxFuture;
use runner::{DatabaseState, DatabaseUrl, Migrator, NoObserver, RunError, RunOptions};
use schema::Catalog;
use serde::Serialize;
use shadow::{ShadowError, ShadowServer};

use super::catalog_split::per_schema;
use super::definition::{self, Definition};
use super::distributed_schemas;
use crate::args_checks::Against;
use crate::args_fleet::FleetDriftArgs;
use crate::commands::drift::{against_name, applied_ids, targets as replay_targets};
use crate::context::Context;
use crate::error::CliError;
use crate::exit::Verdict;
use crate::output::Report;
use crate::shadow_source;

#[derive(Debug, Serialize)]
struct DriftDocument {
    command: &'static str,
    fleet: String,
    against: &'static str,
    summary: BTreeMap<&'static str, usize>,
    targets: Vec<TargetDrift>,
}

#[derive(Debug, Serialize)]
struct TargetDrift {
    target: String,
    database: String,
    schema: Option<String>,
    /// `no_drift`, `drift` or `failed`.
    status: &'static str,
    changes: usize,
    sql: String,
    error: Option<String>,
}

/// A target with what to replay for it, or why it cannot be checked.
type Planned = (Target, Result<Vec<UpgradeTarget>, String>);

/// Runs `fleet drift`.
pub async fn run(context: &Context, args: FleetDriftArgs) -> Result<Verdict, CliError> {
    let definition = definition::resolve(context, &args.select)?;
    let loaded = definition.load(context)?;
    let graph = loaded.graph();
    let discovered = definition.discover().await?;
    let states = fleet::read_status(&definition.fleet, discovered, definition.jobs).await;
    let planned: Vec<Planned> = states
        .into_iter()
        .map(|(target, state)| {
            let replay = match state {
                Ok(state) => replay_of(graph, &state.history, args.against),
                Err(error) => Err(error.to_string()),
            };
            (target, replay)
        })
        .collect();
    let server = match &definition.fleet.source {
        Source::Schemas { database, .. } => {
            shadow_source::server_for_fleet(context, database, graph).await?
        }
        _ => shadow_source::server_for_target(context, None, graph).await?,
    };
    let (schemas, databases): (Vec<Planned>, Vec<Planned>) = planned
        .into_iter()
        .partition(|(target, _)| target.schema.is_some());
    let mut targets = compare_schemas(&server, &definition, graph, schemas).await?;
    targets.extend(compare_databases(&server, &definition, graph, databases).await?);
    shadow_source::print_notices(&server, &context.out);
    let mut summary: BTreeMap<&'static str, usize> =
        [("no_drift", 0), ("drift", 0), ("failed", 0)].into();
    for target in &targets {
        *summary.entry(target.status).or_default() += 1;
    }
    let verdict = match (summary["failed"], summary["drift"]) {
        (0, 0) => Verdict::Clean,
        (0, _) => Verdict::ProblemsReported,
        _ => Verdict::TargetsFailed,
    };
    summary.insert("targets", targets.len());
    let document = DriftDocument {
        command: "fleet drift",
        fleet: definition.fleet.name.clone(),
        against: against_name(args.against),
        summary,
        targets,
    };
    context.out.report(&document);
    Ok(verdict)
}

/// What to replay for a target in `state`.
fn replay_of(
    graph: &RevisionGraph,
    state: &DatabaseState,
    against: Against,
) -> Result<Vec<UpgradeTarget>, String> {
    let applied = applied_ids(graph, state).map_err(|error| error.to_string())?;
    Ok(replay_targets(graph, &applied, against))
}

/// A schema fleet's tenants: replayed together into one shadow database, compared per schema.
async fn compare_schemas(
    server: &ShadowServer,
    definition: &Definition,
    graph: &RevisionGraph,
    planned: Vec<Planned>,
) -> Result<Vec<TargetDrift>, CliError> {
    let Some(database) = planned
        .first()
        .map(|(target, _)| Arc::clone(&target.database))
    else {
        return Ok(Vec::new());
    };
    let history_table = match &definition.fleet.source {
        Source::Schemas { history_table, .. } => history_table.clone(),
        _ => fleet::TENANT_HISTORY_TABLE.to_owned(),
    };
    let history_tables = [
        history_table.clone(),
        format!("{history_table}_log"),
        format!("{history_table}_meta"),
    ];
    let replays: HashMap<String, Vec<UpgradeTarget>> = planned
        .iter()
        .filter_map(|(target, replay)| Some((target.name.clone(), replay.clone().ok()?)))
        .collect();
    let client = database.connect(&runner::default_application_name()).await;
    let client = client.map_err(RunError::from)?;
    let live = server.live_of(&client, &database.redacted()).await?;
    let distributed = distributed_schemas::read(&client).await?;
    let (expected, replay_failures) = server
        .with_database("fleet replay", async |shadow| {
            let url = Arc::new(shadow.url().clone());
            let create = distributed_schemas::create_sql(replays.keys(), &distributed);
            let created = shadow.client().batch_execute(&create).await;
            created.map_err(|error| ShadowError::Database {
                action: "creating the tenants' schemas in a shadow database".to_owned(),
                reason: error.to_string(),
            })?;
            let base = &definition.fleet.runner;
            let targets = replays
                .keys()
                .map(|name| Target::schema(&url, name, &history_table, base))
                .collect();
            let replay = Replay {
                graph,
                replays: &replays,
            };
            let fleet = Fleet {
                name: definition.fleet.name.clone(),
                source: Source::Urls(Vec::new()),
                runner: base.clone(),
            };
            let options = FleetOptions {
                jobs: definition.jobs,
                on_error: fleet::OnError::Continue,
                ..FleetOptions::default()
            };
            let mut observer = fleet::NoFleetObserver;
            let report = fleet::run(
                &fleet,
                Discovered::new(targets),
                &replay,
                &options,
                &mut observer,
            )
            .await;
            let failures: HashMap<String, String> = report
                .failures()
                .map(|(target, error)| {
                    (
                        target.name.clone(),
                        format!("replaying its revisions failed: {error}"),
                    )
                })
                .collect();
            Ok::<_, CliError>((shadow.catalog().await?, failures))
        })
        .await?;
    let mut expected = per_schema(expected, &history_tables);
    let mut live = per_schema(live, &history_tables);
    Ok(planned
        .into_iter()
        .map(|(target, replay)| {
            let name = target.name.clone();
            let compared = replay.and_then(|_| match replay_failures.get(&name) {
                Some(failure) => Err(failure.clone()),
                None => Ok((
                    live.remove(&name).unwrap_or_default(),
                    expected.remove(&name).unwrap_or_default(),
                )),
            });
            drift_of(&target, compared)
        })
        .collect())
}

/// A database fleet's targets: each distinct applied set replayed once, each target read.
async fn compare_databases(
    server: &ShadowServer,
    definition: &Definition,
    graph: &RevisionGraph,
    planned: Vec<Planned>,
) -> Result<Vec<TargetDrift>, CliError> {
    let key = |replay: &[UpgradeTarget]| -> String {
        let targets: Vec<String> = replay.iter().map(ToString::to_string).collect();
        targets.join(" ")
    };
    let mut expected: HashMap<String, Result<Arc<Catalog>, String>> = HashMap::new();
    for replay in planned
        .iter()
        .filter_map(|(_, replay)| replay.as_ref().ok())
    {
        if let Entry::Vacant(entry) = expected.entry(key(replay)) {
            let catalog = server.replay_all(graph, replay).await;
            entry.insert(catalog.map(Arc::new).map_err(|error| error.to_string()));
        }
    }
    let reads = planned.into_iter().map(|(target, replay)| {
        let expected = replay.and_then(|replay| expected[&key(&replay)].clone());
        async move {
            let compared = match expected {
                Ok(expected) => live_of(server, &target.database)
                    .await
                    .map(|live| (live, Catalog::clone(&expected))),
                Err(error) => Err(error),
            };
            drift_of(&target, compared)
        }
    });
    let stream = futures_util::stream::iter(reads).buffered(definition.jobs);
    Ok(stream.collect().await)
}

async fn live_of(server: &ShadowServer, url: &DatabaseUrl) -> Result<Catalog, String> {
    let client = url.connect(&runner::default_application_name()).await;
    let client = client.map_err(|error| error.to_string())?;
    let live = server.live_of(&client, &url.redacted()).await;
    live.map_err(|error| error.to_string())
}

/// The target's drift from its `(live, expected)` catalogs, or why they could not be had.
fn drift_of(target: &Target, compared: Result<(Catalog, Catalog), String>) -> TargetDrift {
    let mut drift = TargetDrift {
        target: target.name.clone(),
        database: target.database_shown(),
        schema: target.schema.clone(),
        status: "failed",
        changes: 0,
        sql: String::new(),
        error: None,
    };
    match compared {
        Ok((live, expected)) => match schema::diff(&live, &expected) {
            Ok(diff) => {
                drift.status = if diff.is_empty() { "no_drift" } else { "drift" };
                drift.changes = diff.changes.len();
                drift.sql = diff.to_sql();
            }
            Err(error) => drift.error = Some(error.to_string()),
        },
        Err(error) => drift.error = Some(error),
    }
    drift
}

/// Replays each tenant's applied revisions into its schema of the shadow database.
struct Replay<'a> {
    graph: &'a RevisionGraph,
    replays: &'a HashMap<String, Vec<UpgradeTarget>>,
}

impl Job for Replay<'_> {
    type Done = ();
    type Error = RunError;

    fn has_nothing_to_do(&self, _target: &Target, _state: &DatabaseState) -> bool {
        false
    }

    fn did_work(&self, (): &()) -> bool {
        true
    }

    fn lock_was_busy(&self, _error: &RunError) -> bool {
        false
    }

    fn failed_revision<'e>(&self, _error: &'e RunError) -> Option<&'e str> {
        None
    }

    fn run<'a>(
        &'a self,
        migrator: &'a mut Migrator,
        target: &'a Target,
    ) -> BoxFuture<'a, Result<(), RunError>> {
        Box::pin(async move {
            let replays = self.replays.get(&target.name).into_iter().flatten();
            for upgrade in replays {
                let mut observer = NoObserver;
                let options = RunOptions::default();
                migrator
                    .upgrade(self.graph, upgrade, &options, &mut observer)
                    .await?;
            }
            Ok(())
        })
    }
}

impl Report for DriftDocument {
    fn human(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for target in &self.targets {
            match target.status {
                "drift" => {
                    lines.push(format!(
                        "{}  drifted: {} change(s)",
                        target.target, target.changes
                    ));
                    lines.extend(target.sql.lines().map(|line| format!("    {line}")));
                }
                "failed" => lines.push(format!(
                    "{}  not checked: {}",
                    target.target,
                    target.error.as_deref().unwrap_or("")
                )),
                _ => {}
            }
        }
        lines.push(format!(
            "fleet drift {}: {} without drift, {} drifted, {} not checked ({} targets, against {})",
            self.fleet,
            self.summary["no_drift"],
            self.summary["drift"],
            self.summary["failed"],
            self.summary["targets"],
            self.against
        ));
        lines
    }
}
