//! `ALTER DEFAULT PRIVILEGES`: the privileges objects get when a role creates them, for all
//! schemas or one. Compared like any privileges (see the privileges module); the grantee
//! "owner" is the role the defaults are for.

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use super::privileges::{actions, grantee_sql, statement};
use crate::ident::quote_ident;
use crate::model::{DefaultPrivilegesKey, ObjectRef, Privileges};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    let default = Privileges::default();
    let keys = from
        .default_privileges
        .keys()
        .chain(to.default_privileges.keys());
    let mut seen = std::collections::BTreeSet::new();
    for key in keys {
        if !seen.insert(key) {
            continue;
        }
        // Defaults for a schema that goes away go with it.
        if key
            .schema
            .as_ref()
            .is_some_and(|schema| !to.schemas.contains_key(schema))
        {
            continue;
        }
        let old = from.default_privileges.get(key).unwrap_or(&default);
        let new = to.default_privileges.get(key).unwrap_or(&default);
        alter_defaults(out, key, old, new);
    }
}

fn alter_defaults(
    out: &mut Changes,
    key: &DefaultPrivilegesKey,
    old: &Privileges,
    new: &Privileges,
) {
    let mut prefix = format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}", key.role);
    if let Some(schema) = &key.schema {
        prefix.push_str(&format!(" IN SCHEMA {}", quote_ident(schema)));
    }
    let target = key.objects.keyword();
    for ((action, grantee), privileges) in actions(old, new) {
        let list: Vec<String> = privileges.into_iter().collect();
        let grantee = grantee_sql(&grantee, &key.role);
        let sql = format!(
            "{prefix} {}",
            statement(action, &list.join(", "), target, &grantee)
        );
        let change = out.push(
            Phase::Privileges,
            ChangeKind::Alter,
            format!("default privileges on {}", target.to_lowercase()),
            sql,
        );
        if let Some(schema) = &key.schema {
            change.requires(ObjectRef::Schema(schema.clone()));
        }
    }
}
