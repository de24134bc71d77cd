//! Domains altered in place: default, NOT NULL and checks. A check that calls a rebuilt
//! function is dropped and added again around it.

use super::change::{Change, ChangeKind, Changes, Phase};
use super::plan::Plan;
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Domain, DomainCheck, ObjectRef};

pub(super) fn alter_domain(plan: &Plan, old: &Domain, new: &Domain, out: &mut Changes) {
    let name = &new.name;
    if old.default != new.default {
        match &new.default {
            Some(default) => alter(out, name, format!("SET DEFAULT {default}")),
            None => alter(out, name, "DROP DEFAULT".to_owned()),
        };
    }
    if old.not_null != new.not_null {
        if new.not_null {
            alter(out, name, "SET NOT NULL".to_owned())
                .note("fails while a column of this domain holds NULLs: backfill them first");
        } else {
            alter(out, name, "DROP NOT NULL".to_owned());
        }
    }
    let rebuilt =
        |check: &str| plan.is_rebuilt(&ObjectRef::DomainConstraint(name.clone(), check.to_owned()));
    for check in old.checks.values() {
        let constraint = quote_ident(&check.name);
        let node = ObjectRef::DomainConstraint(name.clone(), check.name.clone());
        match new.checks.get(&check.name) {
            Some(target) if target.definition == check.definition && !rebuilt(&check.name) => {}
            Some(target)
                if check.definition == format!("{} NOT VALID", target.definition)
                    && !rebuilt(&check.name) =>
            {
                alter(out, name, format!("VALIDATE CONSTRAINT {constraint}")).provides(node);
            }
            _ => {
                alter(out, name, format!("DROP CONSTRAINT {constraint}")).removes(node);
            }
        }
    }
    for check in new.checks.values() {
        let unchanged_or_validated = old.checks.get(&check.name).is_some_and(|previous| {
            previous.definition == check.definition
                || previous.definition == format!("{} NOT VALID", check.definition)
        });
        if !unchanged_or_validated || rebuilt(&check.name) {
            add_domain_check(name, check, out);
        }
    }
}

/// `ALTER DOMAIN`, providing the domain in its new version.
fn alter<'a>(out: &'a mut Changes, domain: &QualifiedName, clause: String) -> &'a mut Change {
    let sql = format!("ALTER DOMAIN {domain} {clause}");
    out.push(
        Phase::CreateTypes,
        ChangeKind::Alter,
        format!("domain {domain}"),
        sql,
    )
    .provides(ObjectRef::Type(domain.clone()))
}

pub(super) fn add_domain_check(domain: &QualifiedName, check: &DomainCheck, out: &mut Changes) {
    let sql = format!(
        "ALTER DOMAIN {domain} ADD CONSTRAINT {} {}",
        quote_ident(&check.name),
        check.definition
    );
    out.push(
        Phase::CreateTypes,
        ChangeKind::Alter,
        format!("domain {domain}"),
        sql,
    )
    .provides(ObjectRef::DomainConstraint(
        domain.clone(),
        check.name.clone(),
    ))
    .requires(ObjectRef::Type(domain.clone()));
}
