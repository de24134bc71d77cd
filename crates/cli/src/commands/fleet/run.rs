//! `fleet upgrade`, `fleet downgrade` and `fleet stamp`: the single-target command's job on
//! every target, with the fleet's workers, waves and failure policy.

use clipdex_core::{PlanOptions, RevisionGraph, UpgradeTarget};
use fleet::{FleetOptions, Job, Target};
use futures_util::future::BoxFuture;
use runner::{DatabaseState, Migrator, NoObserver, RunOptions, StatementError};
use stamp::{StampError, StampOptions, StampReport};

use super::definition::{self, Definition};
use super::document::{Failure, RevisionDone, RunDocument, RunHeading, Work};
use super::progress::FleetProgress;
use crate::args_fleet::{FleetDowngradeArgs, FleetRunArgs, FleetStampArgs, FleetUpgradeArgs};
use crate::commands::targets;
use crate::context::Context;
use crate::error::CliError;
use crate::exit::Verdict;

/// `fleet upgrade [TARGET]`
pub async fn upgrade(context: &Context, args: FleetUpgradeArgs) -> Result<Verdict, CliError> {
    let definition = definition::resolve(context, &args.select)?;
    let loaded = definition.load(context)?;
    let graph = loaded.graph();
    let target = targets::upgrade(graph, &args.target)?;
    let heading = heading(
        &definition,
        "fleet upgrade",
        targets::describe_upgrade(graph, &target),
    );
    let job = fleet::Upgrade {
        graph,
        target,
        options: RunOptions {
            plan: args.safety.plan_options(),
            allow_non_empty: args.allow_non_empty,
        },
    };
    execute(
        context,
        &definition,
        &job,
        &args.run,
        heading,
        "applied",
        graph,
    )
    .await
}

/// `fleet downgrade TARGET`
pub async fn downgrade(context: &Context, args: FleetDowngradeArgs) -> Result<Verdict, CliError> {
    let definition = definition::resolve(context, &args.select)?;
    let loaded = definition.load(context)?;
    let graph = loaded.graph();
    let target = targets::downgrade(graph, &args.target)?;
    let heading = heading(
        &definition,
        "fleet downgrade",
        targets::describe_downgrade(&target),
    );
    let job = fleet::Downgrade {
        graph,
        target,
        options: RunOptions {
            plan: args.safety.plan_options(),
            allow_non_empty: false,
        },
    };
    execute(
        context,
        &definition,
        &job,
        &args.run,
        heading,
        "unapplied",
        graph,
    )
    .await
}

/// `fleet stamp TARGET`
pub async fn stamp(context: &Context, args: FleetStampArgs) -> Result<Verdict, CliError> {
    let definition = definition::resolve(context, &args.select)?;
    let loaded = definition.load(context)?;
    let graph = loaded.graph();
    let target = targets::upgrade(graph, &args.target)?;
    let heading = heading(
        &definition,
        "fleet stamp",
        targets::describe_upgrade(graph, &target),
    );
    let job = Stamp {
        graph,
        target,
        options: StampOptions {
            plan: args.safety.plan_options(),
            foreign_tables: Vec::new(),
        },
    };
    execute(
        context,
        &definition,
        &job,
        &args.run,
        heading,
        "stamped",
        graph,
    )
    .await
}

fn heading(definition: &Definition, command: &'static str, target: String) -> RunHeading {
    RunHeading {
        command,
        fleet: definition.fleet.name.clone(),
        target,
        jobs: definition.jobs,
    }
}

/// Finds the targets, runs `job` on them, prints the report; some targets failing is exit 9.
async fn execute<J>(
    context: &Context,
    definition: &Definition,
    job: &J,
    run: &FleetRunArgs,
    heading: RunHeading,
    verb: &'static str,
    graph: &RevisionGraph,
) -> Result<Verdict, CliError>
where
    J: Job,
    J::Done: Work,
    J::Error: Failure,
{
    let discovered = definition.discover().await?;
    let options = FleetOptions {
        jobs: definition.jobs,
        on_error: run.on_error.into(),
        waves: run.waves.clone().unwrap_or_else(fleet::Waves::single),
        only: run.only.map(Into::into),
    };
    let mut progress = FleetProgress::new(context.out, verb);
    let report = fleet::run(&definition.fleet, discovered, job, &options, &mut progress).await;
    progress.finish();
    let document = RunDocument::of(heading, &report, graph, |done| job.did_work(done));
    context.out.report(&document);
    Ok(match report.succeeded() {
        true => Verdict::Clean,
        false => Verdict::TargetsFailed,
    })
}

/// `stamp` on each target: the stamp crate's, on the target's migrator.
struct Stamp<'g> {
    graph: &'g RevisionGraph,
    target: UpgradeTarget,
    options: StampOptions,
}

impl Job for Stamp<'_> {
    type Done = StampReport;
    type Error = StampError;

    fn has_nothing_to_do(&self, target: &Target, state: &DatabaseState) -> bool {
        // What stamping plans: an upgrade's plan, without the non-empty check (adopting a
        // non-empty target is what stamping is for).
        let options = RunOptions {
            plan: PlanOptions {
                allow_empty: true,
                ..self.options.plan
            },
            allow_non_empty: true,
        };
        let history = &target.config.history;
        runner::upgrade_plan(self.graph, state, &self.target, &options, history)
            .is_ok_and(|plan| plan.is_empty())
    }

    fn did_work(&self, done: &StampReport) -> bool {
        !done.stamped.is_empty()
    }

    fn lock_was_busy(&self, error: &StampError) -> bool {
        matches!(error, StampError::Run(error) if fleet::lock_busy(error))
    }

    fn failed_revision<'e>(&self, _error: &'e StampError) -> Option<&'e str> {
        None
    }

    fn run<'a>(
        &'a self,
        migrator: &'a mut Migrator,
        _target: &'a Target,
    ) -> BoxFuture<'a, Result<StampReport, StampError>> {
        Box::pin(async move {
            let mut observer = NoObserver;
            let stamped = stamp::stamp(
                migrator,
                self.graph,
                &self.target,
                &self.options,
                &mut observer,
            );
            stamped.await
        })
    }
}

impl Work for StampReport {
    fn revisions(&self) -> Vec<RevisionDone> {
        let stamped = self.stamped.iter();
        stamped
            .map(|revision| RevisionDone {
                revision: revision.clone(),
                file: None,
                duration_ms: None,
            })
            .collect()
    }
}

impl Failure for StampError {
    fn failed_statement(&self) -> Option<&StatementError> {
        match self {
            StampError::Run(error) => error.statement(),
            _ => None,
        }
    }
}
