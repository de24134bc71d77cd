//! The table-level settings of a kept (or just created) table: persistence, storage
//! parameters, replica identity, row-level security.

use super::change::{ChangeKind, Changes, Phase};
use crate::model::{ObjectRef, ReplicaIdentity, Table};

pub(super) fn alter_table(old: &Table, new: &Table, out: &mut Changes) {
    let name = &new.name;
    let mut alter = |sql: String| {
        out.push(
            Phase::AlterTables,
            ChangeKind::Alter,
            format!("table {name}"),
            sql,
        )
        .requires(ObjectRef::Table(name.clone()));
    };
    if old.unlogged != new.unlogged {
        let persistence = if new.unlogged { "UNLOGGED" } else { "LOGGED" };
        alter(format!("ALTER TABLE {name} SET {persistence}"));
    }
    for clause in option_changes(&old.options, &new.options) {
        alter(format!("ALTER TABLE {name} {clause}"));
    }
    replica_identity_change(old, new, out);
    row_security_changes(old, new, out);
}

/// `REPLICA IDENTITY`, once the index it names exists.
pub(super) fn replica_identity_change(old: &Table, new: &Table, out: &mut Changes) {
    if old.replica_identity == new.replica_identity {
        return;
    }
    let name = &new.name;
    let sql = format!(
        "ALTER TABLE {name} REPLICA IDENTITY {}",
        new.replica_identity.sql()
    );
    let change = out
        .push(
            Phase::AlterTables,
            ChangeKind::Alter,
            format!("table {name}"),
            sql,
        )
        .requires(ObjectRef::Table(name.clone()));
    if let ReplicaIdentity::Index(index) = &new.replica_identity {
        let node = if new.constraints.contains_key(index) {
            ObjectRef::Constraint(name.clone(), index.clone())
        } else {
            ObjectRef::Index(name.with_name(index.clone()))
        };
        change.requires(node);
    }
}

/// `ENABLE`/`DISABLE` and `FORCE`/`NO FORCE ROW LEVEL SECURITY`.
pub(super) fn row_security_changes(old: &Table, new: &Table, out: &mut Changes) {
    let name = &new.name;
    let (before, after) = (old.row_security, new.row_security);
    let mut clauses = Vec::new();
    if before.enabled != after.enabled {
        clauses.push(if after.enabled { "ENABLE" } else { "DISABLE" });
    }
    if before.forced != after.forced {
        clauses.push(if after.forced { "FORCE" } else { "NO FORCE" });
    }
    for clause in clauses {
        out.push(
            Phase::AlterTables,
            ChangeKind::Alter,
            format!("table {name}"),
            format!("ALTER TABLE {name} {clause} ROW LEVEL SECURITY"),
        )
        .requires(ObjectRef::Table(name.clone()));
    }
}

/// `RESET` for storage parameters that go away, `SET` for new or changed ones.
fn option_changes(old: &[String], new: &[String]) -> Vec<String> {
    let key = |option: &String| option.split('=').next().unwrap_or_default().to_owned();
    let removed: Vec<String> = old
        .iter()
        .map(key)
        .filter(|k| !new.iter().any(|o| key(o) == *k))
        .collect();
    let set: Vec<String> = new.iter().filter(|o| !old.contains(o)).cloned().collect();
    let mut clauses = Vec::new();
    if !removed.is_empty() {
        clauses.push(format!("RESET ({})", removed.join(", ")));
    }
    if !set.is_empty() {
        clauses.push(format!("SET ({})", set.join(", ")));
    }
    clauses
}
