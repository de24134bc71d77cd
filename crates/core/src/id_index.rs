//! A revision graph's id → position index, keyed by the revisions' own ids.
//!
//! A map from owned ids would hold every id a second time, in an allocation of its own, for
//! the whole run; this table holds positions only and hashes the ids where the revisions
//! keep them.

use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::revision::Revision;

/// Positions in one slice of revisions, found by id.
#[derive(Debug, Clone)]
pub(crate) struct IdIndex {
    positions: HashTable<usize>,
    hasher: RandomState,
}

impl IdIndex {
    /// An index with room for `revisions` entries.
    pub fn with_capacity(revisions: usize) -> IdIndex {
        IdIndex {
            positions: HashTable::with_capacity(revisions),
            hasher: RandomState::new(),
        }
    }

    /// The position of `id` in `revisions`, the slice the index was built over.
    pub fn get(&self, revisions: &[Revision], id: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(id);
        let found = self.positions.find(hash, |&at| revisions[at].id() == id);
        found.copied()
    }

    /// Adds `revisions[index]`, or gives the position that already holds its id.
    pub fn insert(&mut self, revisions: &[Revision], index: usize) -> Result<(), usize> {
        let id = revisions[index].id();
        let hasher = &self.hasher;
        let rehash = |&at: &usize| hasher.hash_one(revisions[at].id());
        let same_id = |&at: &usize| revisions[at].id() == id;
        match self.positions.entry(hasher.hash_one(id), same_id, rehash) {
            Entry::Occupied(taken) => Err(*taken.get()),
            Entry::Vacant(free) => {
                free.insert(index);
                Ok(())
            }
        }
    }
}
