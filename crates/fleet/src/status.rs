//! `fleet status`: every target's state, read as a run reads them before it starts — one
//! bulk read per database, `jobs` databases at a time — and nothing run.

use std::sync::Arc;

use runner::RunError;

use crate::source::{Discovered, Fleet};
use crate::state::{TargetState, read_all};
use crate::target::Target;

/// Each target with its state, or why it could not be read, in the fleet's order.
pub async fn read_status(
    fleet: &Fleet,
    discovered: Discovered,
    jobs: usize,
) -> Vec<(Target, Result<TargetState, Arc<RunError>>)> {
    let Discovered {
        targets,
        coordinator,
    } = discovered;
    let states = read_all(&targets, coordinator, &fleet.runner.history, jobs).await;
    targets.into_iter().zip(states).collect()
}
