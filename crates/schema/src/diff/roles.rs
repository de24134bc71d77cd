//! Roles are cluster objects: a diff names them (owners, grantees, policies, default
//! privileges) but never creates or drops them. Every role the target names must exist on
//! the server of the database being changed, or the diff is refused, naming the role.

use super::script::DiffError;
use crate::model::{Catalog, Grantee, Privileges, Role};

pub(super) fn check(from: &Catalog, to: &Catalog) -> Result<(), DiffError> {
    let known = &from.server.roles;
    if known.is_empty() {
        // Not read from a server: nothing to check against.
        return Ok(());
    }
    named_roles(to, &mut |role, object| {
        if known.contains(role) {
            Ok(())
        } else {
            Err(DiffError::MissingRole {
                role: role.to_owned(),
                object: object(),
            })
        }
    })
}

/// What [`named_roles`] calls with each role named and what names it (spelled out only
/// when asked: most roles exist).
type Visit<'v> = dyn FnMut(&str, &dyn Fn() -> String) -> Result<(), DiffError> + 'v;

/// Every role `catalog` names, with the object that names it.
fn named_roles(catalog: &Catalog, visit: &mut Visit<'_>) -> Result<(), DiffError> {
    for securable in super::securables::securables(catalog) {
        let object = || securable.alter_target().to_lowercase();
        if let Some(name) = securable.owner.and_then(Role::name) {
            visit(name, &object)?;
        }
        grantees(securable.privileges, &object, visit)?;
        for (_, privileges) in &securable.columns {
            grantees(privileges, &object, visit)?;
        }
    }
    for collation in catalog.collations.values() {
        if let Some(name) = collation.owner.name() {
            visit(name, &|| format!("collation {}", collation.name))?;
        }
    }
    for policy in catalog.policies.values() {
        let object = || format!("policy {} on {}", policy.id.name, policy.id.table);
        for role in &policy.roles {
            if let Grantee::Role(name) = role {
                visit(name, &object)?;
            }
        }
    }
    for (key, privileges) in &catalog.default_privileges {
        let object = || {
            format!(
                "default privileges on {}",
                key.objects.keyword().to_lowercase()
            )
        };
        if let Some(name) = key.role.name() {
            visit(name, &object)?;
        }
        grantees(privileges, &object, visit)?;
    }
    Ok(())
}

fn grantees(
    privileges: &Privileges,
    object: &dyn Fn() -> String,
    visit: &mut Visit<'_>,
) -> Result<(), DiffError> {
    for grant in privileges.granted.iter().chain(&privileges.revoked) {
        if let Grantee::Role(name) = &grant.grantee {
            visit(name, object)?;
        }
    }
    Ok(())
}
