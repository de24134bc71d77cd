//! The migration lock taken without waiting, and the state read under it.
//!
//! A command that still has its revision files to read takes both meanwhile
//! ([`Migrator::try_hold`](crate::Migrator::try_hold)), so that its round trips to the
//! server overlap the reading, and then plans from that state
//! ([`Migrator::upgrade_held`](crate::Migrator::upgrade_held)).

use crate::state::DatabaseState;

/// The migration lock, held, and the state read under it.
#[derive(Debug)]
pub struct HeldLock {
    pub(crate) key: i64,
    pub(crate) state: DatabaseState,
}

impl HeldLock {
    /// The state, read under the lock.
    pub fn state(&self) -> &DatabaseState {
        &self.state
    }
}
