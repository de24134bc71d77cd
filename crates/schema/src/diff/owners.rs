//! `ALTER … OWNER TO`: after the object exists, before its privileges (which name the owner).
//! An object the diff creates is owned by the role running it, so it changes owner only when
//! the target names another. Roles are only ever named, never created.

use std::collections::BTreeMap;

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use super::securables::{created, securables};
use crate::model::{ObjectRef, Role};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let before: BTreeMap<ObjectRef, Option<&Role>> = securables(plan.from)
        .into_iter()
        .map(|s| (s.object, s.owner))
        .collect();
    for securable in securables(plan.to) {
        let Some(owner) = securable.owner else {
            continue;
        };
        let old = if created(plan, &securable.object) {
            Some(&Role::Current)
        } else {
            before.get(&securable.object).copied().flatten()
        };
        if old != Some(owner) {
            alter_owner(out, &securable.object, &securable.alter_target(), owner);
        }
    }
    for new in plan.to.collations.values() {
        let old = plan
            .from
            .collations
            .get(&new.name)
            .map_or(&Role::Current, |c| &c.owner);
        let object = ObjectRef::Collation(new.name.clone());
        if *old != new.owner {
            alter_owner(out, &object, &format!("COLLATION {}", new.name), &new.owner);
        }
    }
}

fn alter_owner(out: &mut Changes, object: &ObjectRef, target: &str, owner: &Role) {
    out.push(
        Phase::Owners,
        ChangeKind::Alter,
        target.to_lowercase(),
        format!("ALTER {target} OWNER TO {owner}"),
    )
    .requires(object.clone());
}
