//! `stamp --verify`: the live schema must be the one the target makes before it is recorded.
//!
//! Stamping says "this database is at revision X" without running anything; if it is not,
//! every later upgrade builds on a lie. So the target is replayed on a shadow database, both
//! catalogs are read the same way (the history schema left out), and any difference refuses
//! the stamp with the SQL that would turn the live schema into the target's.

use clipdex_core::{RevisionGraph, UpgradeTarget};
use runner::Migrator;
use schema::{Catalog, QualifiedName};
use shadow::ShadowServer;

use crate::StampError;

/// The live schema is not the target's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the live schema is not the schema of {target} (replayed on a shadow database): {changes} statement(s) would make it so; nothing was stamped — fix the database (or pick the revision it matches) and stamp again"
)]
pub struct SchemaDiffers {
    /// The target as given (`head`, an id).
    pub target: String,
    /// How many statements the diff has.
    pub changes: usize,
    /// The SQL that turns the live schema into the target's, with destructive steps marked.
    pub sql: String,
}

/// Compares the live database of `migrator` with `target` replayed on `shadow`, leaving
/// `foreign_tables` (and their indexes, triggers and owned sequences) out of the live schema.
pub async fn verify(
    migrator: &Migrator,
    graph: &RevisionGraph,
    target: &UpgradeTarget,
    shadow: &ShadowServer,
    foreign_tables: &[QualifiedName],
) -> Result<(), StampError> {
    let expected = shadow.replay(graph, target).await?;
    let mut live = shadow
        .live_of(migrator.client(), "the live database")
        .await?;
    leave_out(&mut live, foreign_tables);
    if live == expected {
        return Ok(());
    }
    let diff = schema::diff(&live, &expected)?;
    Err(StampError::SchemaDiffers(Box::new(SchemaDiffers {
        target: target.to_string(),
        changes: diff.changes.len(),
        sql: diff.to_sql(),
    })))
}

/// Removes `tables` from `catalog` with everything that belongs to them.
fn leave_out(catalog: &mut Catalog, tables: &[QualifiedName]) {
    if tables.is_empty() {
        return;
    }
    catalog.tables.retain(|name, _| !tables.contains(name));
    catalog
        .indexes
        .retain(|_, index| !tables.contains(&index.table));
    catalog.triggers.retain(|id, _| !tables.contains(&id.table));
    catalog.sequences.retain(|_, sequence| {
        let owner = sequence.owned_by.as_ref();
        !owner.is_some_and(|owner| tables.contains(&owner.table))
    });
}
