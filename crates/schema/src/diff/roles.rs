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
    for (role, object) in named_roles(to) {
        if !known.contains(role) {
            return Err(DiffError::MissingRole {
                role: role.to_owned(),
                object,
            });
        }
    }
    Ok(())
}

/// Every role `catalog` names, with the object that names it.
fn named_roles(catalog: &Catalog) -> Vec<(&str, String)> {
    let mut named = Vec::new();
    for securable in super::securables::securables(catalog) {
        let object = securable.alter_target.to_lowercase();
        if let Some(name) = securable.owner.and_then(Role::name) {
            named.push((name, object.clone()));
        }
        grantees(securable.privileges, &object, &mut named);
        for (_, privileges) in &securable.columns {
            grantees(privileges, &object, &mut named);
        }
    }
    for collation in catalog.collations.values() {
        if let Some(name) = collation.owner.name() {
            named.push((name, format!("collation {}", collation.name)));
        }
    }
    for policy in catalog.policies.values() {
        let object = format!("policy {} on {}", policy.id.name, policy.id.table);
        for role in &policy.roles {
            if let Grantee::Role(name) = role {
                named.push((name.as_str(), object.clone()));
            }
        }
    }
    for (key, privileges) in &catalog.default_privileges {
        let object = format!(
            "default privileges on {}",
            key.objects.keyword().to_lowercase()
        );
        if let Some(name) = key.role.name() {
            named.push((name, object.clone()));
        }
        grantees(privileges, &object, &mut named);
    }
    named
}

fn grantees<'c>(privileges: &'c Privileges, object: &str, named: &mut Vec<(&'c str, String)>) {
    for grant in privileges.granted.iter().chain(&privileges.revoked) {
        if let Grantee::Role(name) = &grant.grantee {
            named.push((name.as_str(), object.to_owned()));
        }
    }
}
