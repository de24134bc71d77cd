//! The migration measures at one workload size: fresh apply, no-op at head, status commands.
//!
//! Fresh applies are interleaved: each round runs every tool once, each on a fresh database,
//! with the tool order rotated between rounds, so slow drift of the machine hits every tool
//! alike. Round 0 is the warm-up; it runs under `/usr/bin/time` for peak RSS, and its database
//! (at head) is kept for the no-op and status measures.

use std::path::Path;
use std::time::Duration;

use crate::measure::{Invocation, median, peak_rss, timed};
use crate::results::{Outcome, SizeResult, StatusRow, ToolRow};
use crate::server::Server;
use crate::tools::{Kind, Tool};
use crate::workload::{self, Expected};
use crate::write::write_workload;

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

/// Measures every candidate at size `n`; `work` is where the workload's files go.
pub fn run_size(
    server: &mut Server,
    candidates: &[Candidate],
    n: usize,
    reps: usize,
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
    let (fresh, heads) = fresh_rounds(server, &tools, &workload, reps, logs);
    let mut rows = Vec::new();
    let mut status = Vec::new();
    let mut measured = tools.iter().zip(fresh.iter().zip(&heads));
    for (kind, candidate) in candidates {
        if let Err(why) = candidate {
            rows.push(missing_row(*kind, why));
            continue;
        }
        let Some((tool, (fresh, head_db))) = measured.next() else {
            continue;
        };
        let head_db = head_db.as_deref();
        let noop = kind
            .tracks_history()
            .then(|| noop(server, tool, head_db, &workload, reps, logs));
        rows.push(ToolRow {
            label: kind.label(),
            fresh: fresh.outcome(),
            noop,
        });
        if let Some(db) = head_db {
            status.extend(status_rows(server, tool, db, &workload, reps, logs));
        }
    }
    let select_db = server.create_database()?;
    let select_one = server.select_one(&select_db);
    let select_one = repeat(&select_one, reps, &logs.join("select1.log"), || Ok(()));
    for db in heads.iter().flatten().chain([&select_db]) {
        server.drop_database(db)?;
    }
    Ok(SizeResult {
        n,
        tools: rows,
        select_one,
        status,
    })
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

/// The tool's status commands, each measured on its database at head.
fn status_rows(
    server: &Server,
    tool: &Tool,
    db: &str,
    workload: &Workload,
    reps: usize,
    logs: &Path,
) -> Vec<StatusRow> {
    let log = logs.join(format!("{}-status.log", tool.kind.label()));
    tool.status(server, db, workload.dir)
        .into_iter()
        .map(|(label, invocation)| StatusRow {
            label,
            outcome: repeat(&invocation, reps, &log, || Ok(())),
        })
        .collect()
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

fn noop(
    server: &Server,
    tool: &Tool,
    head_db: Option<&str>,
    workload: &Workload,
    reps: usize,
    logs: &Path,
) -> Outcome {
    let Some(db) = head_db else {
        return Outcome::Failed("no database at head (the fresh apply failed)".to_owned());
    };
    let invocation = tool.upgrade(server, db, workload.dir);
    let log = logs.join(format!("{}-noop.log", tool.kind.label()));
    repeat(&invocation, reps, &log, || {
        tool.verify(server, db, workload.expected, &workload.head)
    })
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
