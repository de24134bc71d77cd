//! The migration measures at one workload size: fresh apply, no-op at head, status commands.
//!
//! Fresh applies are interleaved: each round runs every tool once, each on a fresh database,
//! with the tool order rotated between rounds, so slow drift of the machine hits every tool
//! alike. Round 0 is the warm-up; it runs under `/usr/bin/time` for peak RSS, and its database
//! (at head) is kept for the quick measures: every tool's no-op and status commands, with
//! `select 1` and the no-op floor, measured together in rounds of their own (`quick.rs`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::measure::{Invocation, median, peak_rss, timed};
use crate::quick::{self, QuickMeasure};
use crate::results::{Outcome, SizeResult, StatusRow, ToolRow};
use crate::server::Server;
use crate::tools::{Kind, Tool};
use crate::workload::{self, Expected};
use crate::write::{clipdex_dir, write_workload};

/// A tool of this run, or why it cannot run.
pub type Candidate = (Kind, Result<Tool, String>);

/// What one tool collected over the rounds of one measure.
#[derive(Debug, Default)]
struct Samples {
    times: Vec<Duration>,
    rss_kib: Option<u64>,
    error: Option<String>,
}

impl Samples {
    fn outcome(&self) -> Outcome {
        match (&self.error, self.rss_kib) {
            (Some(error), _) => Outcome::Failed(error.clone()),
            (None, Some(rss_kib)) => Outcome::Measured {
                median: median(&self.times),
                rss_kib,
            },
            (None, None) => Outcome::Failed("not run".to_owned()),
        }
    }
}

/// The workload shared by every run at one size.
struct Workload<'a> {
    dir: &'a Path,
    expected: Expected,
    head: String,
}

/// How often each measure runs at one size.
#[derive(Debug, Clone, Copy)]
pub struct Reps {
    /// Timed fresh applies per tool.
    pub fresh: usize,
    /// Rounds of the quick measures (see `quick.rs`).
    pub quick: usize,
}

/// Measures every candidate at size `n`; `work` is where the workload's files go.
pub fn run_size(
    server: &mut Server,
    candidates: &[Candidate],
    n: usize,
    reps: Reps,
    work: &Path,
    logs: &Path,
) -> Result<SizeResult, String> {
    let steps = workload::generate(n);
    write_workload(work, &steps).map_err(|error| format!("{}: {error}", work.display()))?;
    let workload = Workload {
        dir: work,
        expected: workload::expected(n),
        head: steps.last().map(|step| step.id.clone()).unwrap_or_default(),
    };
    let tools: Vec<&Tool> = candidates
        .iter()
        .filter_map(|(_, tool)| tool.as_ref().ok())
        .collect();
    let (fresh, heads) = fresh_rounds(server, &tools, &workload, reps.fresh, logs);
    let select_db = server.create_database()?;
    // The baselines come first, at the places `SELECT_ONE` and `NOOP_FLOOR`.
    let mut quick = vec![
        unchecked(server.select_one(&select_db), logs.join("select1.log")),
        unchecked(
            noop_floor(server, &select_db, &clipdex_dir(work))?,
            logs.join("noop-floor.log"),
        ),
    ];
    let mut planned = Vec::new();
    let mut measured = tools.iter().zip(fresh.iter().zip(&heads));
    for (kind, candidate) in candidates {
        if let Err(why) = candidate {
            planned.push(Planned::Missing(missing_row(*kind, why)));
            continue;
        }
        let Some((tool, (fresh, head_db))) = measured.next() else {
            continue;
        };
        let plan = plan_quick(
            server,
            tool,
            head_db.as_deref(),
            &workload,
            logs,
            &mut quick,
        );
        planned.push(Planned::Measured {
            label: kind.label(),
            fresh: fresh.outcome(),
            plan,
        });
    }
    let outcomes = quick::measure_in_rounds(&quick, reps.quick);
    drop(quick);
    let (tools, status) = rows(planned, &outcomes);
    for db in heads.iter().flatten().chain([&select_db]) {
        server.drop_database(db)?;
    }
    Ok(SizeResult {
        n,
        tools,
        select_one: outcomes[SELECT_ONE].clone(),
        noop_floor: outcomes[NOOP_FLOOR].clone(),
        status,
    })
}

/// The places of `select 1` and the no-op floor among the quick measures.
const SELECT_ONE: usize = 0;
const NOOP_FLOOR: usize = 1;

/// A tool's row before its quick measures ran: their places among the quick measures.
enum Planned {
    Missing(ToolRow),
    Measured {
        label: &'static str,
        fresh: Outcome,
        plan: QuickPlan,
    },
}

/// Where a tool's no-op and status commands are among the quick measures.
struct QuickPlan {
    /// The no-op's place, or why it has none; `None` for tools that keep no history.
    noop: Option<Result<usize, Outcome>>,
    /// Each status command's label and place.
    status: Vec<(String, usize)>,
}

/// Adds the tool's no-op and status commands to `quick` (when its fresh apply left a
/// database at head) and says where they are.
fn plan_quick<'a>(
    server: &'a Server,
    tool: &'a Tool,
    head_db: Option<&'a str>,
    workload: &'a Workload,
    logs: &Path,
    quick: &mut Vec<QuickMeasure<'a>>,
) -> QuickPlan {
    let label = tool.kind.label();
    let Some(db) = head_db else {
        let failed = Outcome::Failed("no database at head (the fresh apply failed)".to_owned());
        let noop = tool.kind.tracks_history().then_some(Err(failed));
        return QuickPlan {
            noop,
            status: Vec::new(),
        };
    };
    let noop = tool.kind.tracks_history().then(|| {
        quick.push(QuickMeasure {
            invocation: tool.upgrade(server, db, workload.dir),
            log: logs.join(format!("{label}-noop.log")),
            check: Box::new(move || tool.verify(server, db, workload.expected, &workload.head)),
        });
        Ok(quick.len() - 1)
    });
    let log = logs.join(format!("{label}-status.log"));
    let status = tool
        .status(server, db, workload.dir)
        .into_iter()
        .map(|(label, invocation)| {
            quick.push(unchecked(invocation, log.clone()));
            (label, quick.len() - 1)
        })
        .collect();
    QuickPlan { noop, status }
}

/// The tool and status rows, with the quick measures' outcomes in their places.
fn rows(planned: Vec<Planned>, outcomes: &[Outcome]) -> (Vec<ToolRow>, Vec<StatusRow>) {
    let mut tools = Vec::new();
    let mut status = Vec::new();
    for planned in planned {
        let (label, fresh, plan) = match planned {
            Planned::Missing(row) => {
                tools.push(row);
                continue;
            }
            Planned::Measured { label, fresh, plan } => (label, fresh, plan),
        };
        let noop = plan
            .noop
            .map(|place| place.map_or_else(|failed| failed, |index| outcomes[index].clone()));
        tools.push(ToolRow { label, fresh, noop });
        status.extend(plan.status.into_iter().map(|(label, index)| StatusRow {
            label,
            outcome: outcomes[index].clone(),
        }));
    }
    (tools, status)
}

/// A quick measure with nothing to check afterwards.
fn unchecked<'a>(invocation: Invocation, log: PathBuf) -> QuickMeasure<'a> {
    QuickMeasure {
        invocation,
        log,
        check: Box::new(|| Ok(())),
    }
}

/// `bench noop-floor DIR URL`: this very binary, run as a command.
fn noop_floor(server: &Server, db: &str, dir: &Path) -> Result<Invocation, String> {
    let bench =
        std::env::current_exe().map_err(|error| format!("the bench's own path: {error}"))?;
    Ok(Invocation::new(bench)
        .arg("noop-floor")
        .arg(dir)
        .arg(server.url(db)))
}

/// The row of a tool that could not be installed or built.
fn missing_row(kind: Kind, why: &str) -> ToolRow {
    let missing = Outcome::Missing(why.to_owned());
    ToolRow {
        label: kind.label(),
        noop: kind.tracks_history().then(|| missing.clone()),
        fresh: missing,
    }
}

/// Runs the interleaved fresh-apply rounds; returns each tool's samples and its head database.
fn fresh_rounds(
    server: &mut Server,
    tools: &[&Tool],
    workload: &Workload,
    reps: usize,
    logs: &Path,
) -> (Vec<Samples>, Vec<Option<String>>) {
    let mut samples: Vec<Samples> = tools.iter().map(|_| Samples::default()).collect();
    let mut heads: Vec<Option<String>> = vec![None; tools.len()];
    for round in 0..=reps {
        for offset in 0..tools.len() {
            let index = (offset + round) % tools.len();
            if samples[index].error.is_some() {
                continue;
            }
            let tool = tools[index];
            let log = logs.join(format!("{}.log", tool.kind.label()));
            match fresh_once(server, tool, workload, round == 0, &log) {
                Ok((sample, db)) => {
                    record(&mut samples[index], round == 0, sample);
                    if round == 0 {
                        heads[index] = Some(db);
                    } else {
                        server.drop_database(&db).ok();
                    }
                }
                Err(error) => samples[index].error = Some(error),
            }
        }
        eprintln!(
            "bench: n={} fresh apply, round {round}/{reps} done",
            workload.expected.revisions
        );
    }
    (samples, heads)
}

/// One measured run: a time, or (warm-up) a peak RSS in KiB.
enum Sample {
    Time(Duration),
    Rss(u64),
}

fn record(samples: &mut Samples, warmup: bool, sample: Sample) {
    match (warmup, sample) {
        (true, Sample::Rss(rss)) => samples.rss_kib = Some(rss),
        (false, Sample::Time(time)) => samples.times.push(time),
        _ => {}
    }
}

fn fresh_once(
    server: &mut Server,
    tool: &Tool,
    workload: &Workload,
    warmup: bool,
    log: &Path,
) -> Result<(Sample, String), String> {
    let db = server.create_database()?;
    let invocation = tool.upgrade(server, &db, workload.dir);
    let sample = if warmup {
        peak_rss(&invocation, log).map(Sample::Rss)
    } else {
        timed(&invocation, log).map(Sample::Time)
    };
    let verified = sample.and_then(|sample| {
        tool.verify(server, &db, workload.expected, &workload.head)
            .map(|()| sample)
    });
    match verified {
        Ok(sample) => Ok((sample, db)),
        Err(error) => {
            server.drop_database(&db).ok();
            Err(error)
        }
    }
}

/// A warm-up under `/usr/bin/time`, then `reps` timed runs, then `check`.
pub fn repeat(
    invocation: &Invocation,
    reps: usize,
    log: &Path,
    check: impl FnOnce() -> Result<(), String>,
) -> Outcome {
    let run = || -> Result<Outcome, String> {
        let rss_kib = peak_rss(invocation, log)?;
        let times = (0..reps)
            .map(|_| timed(invocation, log))
            .collect::<Result<Vec<_>, _>>()?;
        check()?;
        Ok(Outcome::Measured {
            median: median(&times),
            rss_kib,
        })
    };
    run().unwrap_or_else(Outcome::Failed)
}
