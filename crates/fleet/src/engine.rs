//! The run: states read in bulk, targets with nothing to do set aside, the rest split into
//! waves, each handed to `jobs` workers (`worker.rs`); a wave with a failure stops the
//! waves after it.

use std::time::{Duration, Instant};

use runner::HistoryLocation;

use crate::connection::WorkerConnection;
use crate::job::Job;
use crate::observer::{FleetObserver, Planned};
use crate::report::{FleetReport, Halt, Outcome, TargetReport};
use crate::source::{Discovered, Fleet};
use crate::state::{TargetState, read_all};
use crate::target::Target;
use crate::waves::Waves;
use crate::worker::{Finished, Item, Patience, WaveContext, run_wave};

/// What to do when a target fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnError {
    /// Targets already running finish; no other starts; the rest are reported not started.
    #[default]
    FailFast,
    /// Every target runs; the failures are reported at the end.
    Continue,
}

/// Which targets with something to do run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    /// Those that failed last time (a recorded failure, or a half-applied revision).
    Failed,
    /// Those that did not.
    Pending,
}

/// How a run goes.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// How many targets run at once (and connections are held, plus one).
    pub jobs: usize,
    /// What a failure does to the rest.
    pub on_error: OnError,
    /// The waves; one wave of everything by default.
    pub waves: Waves,
    /// Only these targets, when given.
    pub only: Option<Only>,
}

impl Default for FleetOptions {
    fn default() -> Self {
        FleetOptions {
            jobs: 4,
            on_error: OnError::FailFast,
            waves: Waves::single(),
            only: None,
        }
    }
}

/// Whether `only` keeps a target in `state`.
pub(crate) fn selected(only: Option<Only>, state: &TargetState) -> bool {
    match only {
        None => true,
        Some(Only::Failed) => state.failed(),
        Some(Only::Pending) => !state.failed(),
    }
}

/// Runs `job` on the `discovered` targets of `fleet`.
pub async fn run<J: Job>(
    fleet: &Fleet,
    discovered: Discovered,
    job: &J,
    options: &FleetOptions,
    observer: &mut dyn FleetObserver<J::Done, J::Error>,
) -> FleetReport<J::Done, J::Error> {
    let started = Instant::now();
    let Discovered {
        targets,
        coordinator,
    } = discovered;
    let fleet_history = &fleet.runner.history;
    let states = known_states(&targets, coordinator, fleet_history, options).await;
    let mut outcomes: Vec<Option<Finished<J::Done, J::Error>>> =
        targets.iter().map(|_| None).collect();
    let candidates = set_aside(job, &targets, states, options.only, &mut outcomes);
    let waves = options.waves.split(candidates.len());
    observer.planned(&Planned {
        targets: targets.len(),
        to_run: candidates.len(),
        nothing_to_do: count(&outcomes, |o| matches!(o, Outcome::NothingToDo)),
        skipped: count(&outcomes, |o| matches!(o, Outcome::Skipped)),
        waves: waves.len(),
    });
    let mut wave_of = vec![None; targets.len()];
    let mut connections: Vec<WorkerConnection> = (0..options.jobs.max(1))
        .map(|_| WorkerConnection::default())
        .collect();
    let mut halted = None;
    let mut candidates = candidates.into_iter();
    for (number, range) in waves.iter().enumerate().map(|(n, range)| (n + 1, range)) {
        let items: Vec<Item> = candidates.by_ref().take(range.len()).collect();
        for item in &items {
            wave_of[item.index] = Some(number);
        }
        if halted.is_some() {
            continue;
        }
        observer.wave_started(number, items.len());
        let context = WaveContext {
            job,
            targets: &targets,
            fleet_history,
            options,
        };
        let ended = run_wave(&context, items, &mut connections, &mut *observer).await;
        let failed = ended
            .finished
            .iter()
            .any(|(_, (outcome, _))| outcome.is_failure());
        for (index, finished) in ended.finished {
            outcomes[index] = Some(finished);
        }
        let later_waves = number < waves.len();
        halted = match ended.stopped_by {
            Some(target) if ended.left_unstarted || later_waves => Some(Halt::FailFast { target }),
            _ if failed && later_waves => Some(Halt::WaveFailed { wave: number }),
            _ => None,
        };
    }
    FleetReport {
        targets: reports(targets, outcomes, wave_of),
        waves: waves.len(),
        halted,
        duration: started.elapsed(),
    }
}

/// Sets aside the targets whose state says they have nothing to do, or that `only` leaves
/// out (their outcomes go in `outcomes`); returns the others, in order.
fn set_aside<J: Job>(
    job: &J,
    targets: &[Target],
    states: Vec<Option<TargetState>>,
    only: Option<Only>,
    outcomes: &mut [Option<Finished<J::Done, J::Error>>],
) -> Vec<Item> {
    let mut candidates = Vec::new();
    for (index, state) in states.into_iter().enumerate() {
        match state {
            Some(state) if job.has_nothing_to_do(&targets[index], &state.history) => {
                outcomes[index] = Some((Outcome::NothingToDo, Duration::ZERO));
            }
            Some(state) if !selected(only, &state) => {
                outcomes[index] = Some((Outcome::Skipped, Duration::ZERO));
            }
            state => candidates.push(Item {
                index,
                state,
                patience: Patience::TryOnce,
            }),
        }
    }
    candidates
}

/// One report per target, in order; a target without an outcome never started.
fn reports<D, E>(
    targets: Vec<Target>,
    outcomes: Vec<Option<Finished<D, E>>>,
    wave_of: Vec<Option<usize>>,
) -> Vec<TargetReport<D, E>> {
    let each = targets.into_iter().zip(outcomes).zip(wave_of);
    each.map(|((target, outcome), wave)| {
        let (outcome, duration) = outcome.unwrap_or((Outcome::NotStarted, Duration::ZERO));
        TargetReport {
            target,
            outcome,
            duration,
            wave,
        }
    })
    .collect()
}

fn count<D, E>(
    outcomes: &[Option<Finished<D, E>>],
    which: impl Fn(&Outcome<D, E>) -> bool,
) -> usize {
    let known = outcomes.iter().flatten();
    known.filter(|(outcome, _)| which(outcome)).count()
}

/// The states known before the run: every schema fleet's (one bulk read of its database);
/// a database fleet's only when waves need to know which targets have work (one connection
/// per database), else each worker reads its target's as it takes it. A target whose state
/// could not be read is read again by the worker, which then fails it with the error.
async fn known_states(
    targets: &[Target],
    coordinator: Option<tokio_postgres::Client>,
    fleet_history: &HistoryLocation,
    options: &FleetOptions,
) -> Vec<Option<TargetState>> {
    let shares_databases = targets.len() > 1 && targets[0].same_database(&targets[1]);
    let waves_need_states = options.waves != Waves::single();
    if !shares_databases && !waves_need_states {
        return targets.iter().map(|_| None).collect();
    }
    let states = read_all(targets, coordinator, fleet_history, options.jobs).await;
    states.into_iter().map(Result::ok).collect()
}
