//! `GRANT` and `REVOKE` on tables, columns, views, sequences, functions, aggregates, schemas
//! and types, once the object exists and has its owner.
//!
//! Both sides hold privileges as differences from the built-in defaults, so for each
//! (grantee, privilege) either side mentions, what it holds is: its grant, nothing if it
//! revoked the default, or else the default — which a revoke on either side shows. The two
//! holdings decide the statement: `GRANT`, `GRANT … WITH GRANT OPTION`, `REVOKE`, or
//! `REVOKE GRANT OPTION FOR`. Statements for one grantee and one kind of change are merged.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use super::securables::{Securable, created, securables};
use crate::ident::quote_ident;
use crate::model::{Grantee, ObjectRef, Privileges, Role};

/// What one grantee holds of one privilege: nothing, or the privilege with or without the
/// grant option.
type Holding = Option<bool>;

/// What a statement does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Action {
    Revoke,
    RevokeGrantOption,
    Grant,
    GrantWithGrantOption,
}

/// The statements that turn `old` into `new`, by (action, grantee): the privileges.
pub(super) fn actions(
    old: &Privileges,
    new: &Privileges,
) -> BTreeMap<(Action, Grantee), BTreeSet<String>> {
    let mut keys: BTreeSet<(Grantee, String)> = BTreeSet::new();
    for grant in [&old.granted, &old.revoked, &new.granted, &new.revoked]
        .into_iter()
        .flatten()
    {
        keys.insert((grant.grantee.clone(), grant.privilege.clone()));
    }
    let mut actions: BTreeMap<(Action, Grantee), BTreeSet<String>> = BTreeMap::new();
    for (grantee, privilege) in keys {
        let default = default_holding(old, new, &grantee, &privilege);
        let before = holding(old, &grantee, &privilege).unwrap_or(default);
        let after = holding(new, &grantee, &privilege).unwrap_or(default);
        let action = match (before, after) {
            (a, b) if a == b => continue,
            (_, None) => Action::Revoke,
            (Some(true), Some(false)) => Action::RevokeGrantOption,
            (_, Some(true)) => Action::GrantWithGrantOption,
            (_, Some(false)) => Action::Grant,
        };
        actions
            .entry((action, grantee))
            .or_default()
            .insert(privilege);
    }
    actions
}

/// What a side says about one privilege, if it says anything.
fn holding(side: &Privileges, grantee: &Grantee, privilege: &str) -> Option<Holding> {
    let find = |set: &BTreeSet<crate::model::Grant>| {
        set.iter()
            .find(|g| &g.grantee == grantee && g.privilege == privilege)
            .map(|g| g.grant_option)
    };
    match find(&side.granted) {
        Some(option) => Some(Some(option)),
        None => find(&side.revoked).map(|_| None),
    }
}

/// The default holding, as a revoke on either side shows it (nothing, when neither revokes).
fn default_holding(
    old: &Privileges,
    new: &Privileges,
    grantee: &Grantee,
    privilege: &str,
) -> Holding {
    old.revoked
        .iter()
        .chain(&new.revoked)
        .find(|g| &g.grantee == grantee && g.privilege == privilege)
        .map(|g| g.grant_option)
}

/// A grantee as `GRANT … TO` writes it; the owner is the object's owner in the target.
pub(super) fn grantee_sql(grantee: &Grantee, owner: &Role) -> String {
    match grantee {
        Grantee::Public => "PUBLIC".to_owned(),
        Grantee::Owner => owner.sql(),
        Grantee::Role(name) => quote_ident(name),
    }
}

/// `GRANT SELECT, UPDATE ON TABLE t TO r` and the like.
pub(super) fn statement(action: Action, privileges: &str, target: &str, grantee: &str) -> String {
    match action {
        Action::Grant => format!("GRANT {privileges} ON {target} TO {grantee}"),
        Action::GrantWithGrantOption => {
            format!("GRANT {privileges} ON {target} TO {grantee} WITH GRANT OPTION")
        }
        Action::Revoke => format!("REVOKE {privileges} ON {target} FROM {grantee}"),
        Action::RevokeGrantOption => {
            format!("REVOKE GRANT OPTION FOR {privileges} ON {target} FROM {grantee}")
        }
    }
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let before: BTreeMap<ObjectRef, Securable> = securables(plan.from)
        .into_iter()
        .map(|s| (s.object.clone(), s))
        .collect();
    let default = Privileges::default();
    for new in securables(plan.to) {
        let old = (!created(plan, &new.object))
            .then(|| before.get(&new.object))
            .flatten();
        let owner = new.owner.cloned().unwrap_or(Role::Current);
        let whole = old.map_or(&default, |o| o.privileges);
        grant_changes(out, &new, &owner, whole, new.privileges, None);
        for (column, privileges) in &new.columns {
            let previous = old
                .and_then(|o| o.columns.iter().find(|(c, _)| c == column))
                .map_or(&default, |(_, p)| *p);
            grant_changes(out, &new, &owner, previous, privileges, Some(column));
        }
    }
}

fn grant_changes(
    out: &mut Changes,
    securable: &Securable,
    owner: &Role,
    old: &Privileges,
    new: &Privileges,
    column: Option<&str>,
) {
    if old == new {
        return;
    }
    let target = securable.grant_target();
    for ((action, grantee), privileges) in actions(old, new) {
        let list: Vec<String> = match column {
            Some(column) => privileges
                .iter()
                .map(|p| format!("{p} ({})", quote_ident(column)))
                .collect(),
            None => privileges.into_iter().collect(),
        };
        let sql = statement(
            action,
            &list.join(", "),
            &target,
            &grantee_sql(&grantee, owner),
        );
        let change = out
            .push(
                Phase::Privileges,
                ChangeKind::Alter,
                target.to_lowercase(),
                sql,
            )
            .requires(securable.object.clone());
        if let (Some(column), ObjectRef::Table(table) | ObjectRef::View(table)) =
            (column, &securable.object)
        {
            change.requires(ObjectRef::Column(table.clone(), column.to_owned()));
        }
    }
}
