//! The workers of a wave: `jobs` futures polled together in the run's task (no thread, no
//! spawn: the work is the server's, and a worker only waits on its connection). Each takes
//! the next target from the wave's queue and runs it on the connection it kept from the last
//! one. A target whose lock another session holds (a second fleet run, a single-target
//! `upgrade`) is tried once and put back behind the others, then waited for; nothing is
//! applied twice, since the runner plans again under the lock. Under `fail-fast` a failure
//! stops the queue: running targets finish, no other starts.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use runner::{HistoryLocation, Migrator};

use crate::connection::WorkerConnection;
use crate::engine::{FleetOptions, OnError, selected};
use crate::job::Job;
use crate::ledger;
use crate::observer::FleetObserver;
use crate::report::Outcome;
use crate::state::{TargetState, read_in};
use crate::target::Target;

/// A target's outcome and how long it took.
pub(crate) type Finished<D, E> = (Outcome<D, E>, Duration);

/// The targets a wave finished: position, outcome and time.
pub(crate) type FinishedTargets<D, E> = Vec<(usize, Finished<D, E>)>;

/// How long a worker waits for a target's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Patience {
    /// Try once; if another session holds it, put the target back behind the others.
    TryOnce,
    /// Wait as long as the configuration says.
    Wait,
}

/// A target waiting for a worker.
pub(crate) struct Item {
    /// Its position in the fleet.
    pub index: usize,
    /// Its state, when read in bulk.
    pub state: Option<TargetState>,
    /// How long to wait for its lock.
    pub patience: Patience,
}

/// What a wave runs, and on which targets.
pub(crate) struct WaveContext<'r, J: Job> {
    pub job: &'r J,
    pub targets: &'r [Target],
    pub fleet_history: &'r HistoryLocation,
    pub options: &'r FleetOptions,
}

/// What the workers of a wave share.
struct Shared<'r, J: Job> {
    context: &'r WaveContext<'r, J>,
    queue: Mutex<Queue>,
    finished: Mutex<FinishedTargets<J::Done, J::Error>>,
    observer: Mutex<&'r mut dyn FleetObserver<J::Done, J::Error>>,
}

/// How a wave ended.
pub(crate) struct WaveEnded<D, E> {
    /// The targets that ran, with their outcomes.
    pub finished: FinishedTargets<D, E>,
    /// The first target that failed under `fail-fast`.
    pub stopped_by: Option<String>,
    /// Targets of the wave were left unstarted.
    pub left_unstarted: bool,
}

/// Runs a wave's `items` with one worker per connection of `connections`.
pub(crate) async fn run_wave<'r, J: Job>(
    context: &'r WaveContext<'r, J>,
    items: Vec<Item>,
    connections: &mut [WorkerConnection],
    observer: &'r mut dyn FleetObserver<J::Done, J::Error>,
) -> WaveEnded<J::Done, J::Error> {
    let shared = Shared {
        context,
        queue: Mutex::new(Queue {
            ready: items.into(),
            busy: VecDeque::new(),
            stopped_by: None,
        }),
        finished: Mutex::new(Vec::new()),
        observer: Mutex::new(observer),
    };
    let workers = connections
        .iter_mut()
        .map(|connection| worker(&shared, connection));
    join_all(workers).await;
    let queue = shared
        .queue
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    WaveEnded {
        finished: shared
            .finished
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
        left_unstarted: !queue.ready.is_empty() || !queue.busy.is_empty(),
        stopped_by: queue.stopped_by,
    }
}

/// The targets of a wave not taken yet.
struct Queue {
    ready: VecDeque<Item>,
    /// Targets whose lock was busy, for a second, patient try.
    busy: VecDeque<Item>,
    /// The first target that failed under `fail-fast`: no other starts.
    stopped_by: Option<String>,
}

/// Takes targets until the queue is empty or the run stopped.
async fn worker<J: Job>(shared: &Shared<'_, J>, connection: &mut WorkerConnection) {
    while let Some(item) = next(shared) {
        let index = item.index;
        let target = &shared.context.targets[index];
        if item.patience == Patience::TryOnce {
            lock(&shared.observer).target_started(target);
        }
        let started = Instant::now();
        let outcome = match run_target(shared, connection, item).await {
            Ran::Finished(outcome) => outcome,
            Ran::LockBusy(item) => {
                lock(&shared.queue).busy.push_back(item);
                continue;
            }
        };
        let took = started.elapsed();
        if matches!(outcome, Outcome::Failed(_))
            && shared.context.options.on_error == OnError::FailFast
        {
            let mut queue = lock(&shared.queue);
            queue.stopped_by.get_or_insert_with(|| target.name.clone());
        }
        lock(&shared.observer).target_finished(target, &outcome, took);
        lock(&shared.finished).push((index, (outcome, took)));
    }
}

/// The next target, unless the run stopped: the ready ones first, then the busy ones again.
fn next<J: Job>(shared: &Shared<'_, J>) -> Option<Item> {
    let mut queue = lock(&shared.queue);
    if queue.stopped_by.is_some() {
        return None;
    }
    if let Some(item) = queue.ready.pop_front() {
        return Some(item);
    }
    let item = queue.busy.pop_front()?;
    Some(Item {
        patience: Patience::Wait,
        ..item
    })
}

/// A poisoned lock only means another worker panicked; what it guards is still whole.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How a target's turn ended.
enum Ran<D, E> {
    /// With an outcome.
    Finished(Outcome<D, E>),
    /// Another session held its lock: try it again later.
    LockBusy(Item),
}

/// One target on the worker's connection: its state (read now if not known), the job, the
/// ledger.
async fn run_target<J: Job>(
    shared: &Shared<'_, J>,
    connection: &mut WorkerConnection,
    item: Item,
) -> Ran<J::Done, J::Error> {
    let (job, target) = (shared.context.job, &shared.context.targets[item.index]);
    let client = match connection.take(target).await {
        Ok(client) => client,
        Err(error) => return Ran::Finished(Outcome::Failed(error.into())),
    };
    let state = match &item.state {
        Some(state) => state.clone(),
        None => match read_in(&client, &[target], shared.context.fleet_history).await {
            Ok(mut states) => states.remove(0),
            Err(error) => {
                connection.give_back(target, client, false);
                return Ran::Finished(Outcome::Failed(error.into()));
            }
        },
    };
    let set_aside = match job.has_nothing_to_do(target, &state.history) {
        true => Some(Outcome::NothingToDo),
        false => (!selected(shared.context.options.only, &state)).then_some(Outcome::Skipped),
    };
    if let Some(outcome) = set_aside {
        connection.give_back(target, client, false);
        return Ran::Finished(outcome);
    }
    let mut config = target.config.clone();
    if item.patience == Patience::TryOnce {
        config.lock_wait = Duration::ZERO;
    }
    let mut migrator = Migrator::new(client, config);
    let result = job.run(&mut migrator, target).await;
    let client = migrator.into_client();
    let outcome = match result {
        Err(error) if item.patience == Patience::TryOnce && job.lock_was_busy(&error) => {
            connection.give_back(target, client, false);
            let item = Item {
                state: Some(state),
                ..item
            };
            return Ran::LockBusy(item);
        }
        Err(error) => {
            if !client.is_closed() {
                let revision = job.failed_revision(&error);
                let message = error.to_string();
                ledger::record(
                    &client,
                    shared.context.fleet_history,
                    target,
                    revision,
                    &message,
                )
                .await;
            }
            Outcome::Failed(error)
        }
        Ok(done) => {
            if state.failure.is_some() {
                ledger::clear(&client, shared.context.fleet_history, target).await;
            }
            Outcome::Ran(done)
        }
    };
    connection.give_back(target, client, true);
    Ran::Finished(outcome)
}
