//! Domains altered in place: default, NOT NULL and checks.

use super::{Change, ChangeKind, Changes, Phase};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Domain, DomainCheck};

pub(super) fn alter_domain(old: &Domain, new: &Domain, out: &mut Changes) {
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
    for check in old.checks.values() {
        let constraint = quote_ident(&check.name);
        match new.checks.get(&check.name) {
            Some(target) if target.definition == check.definition => {}
            Some(target) if check.definition == format!("{} NOT VALID", target.definition) => {
                alter(out, name, format!("VALIDATE CONSTRAINT {constraint}"));
            }
            _ => {
                alter(out, name, format!("DROP CONSTRAINT {constraint}"));
            }
        }
    }
    for check in new.checks.values() {
        let unchanged_or_validated = old.checks.get(&check.name).is_some_and(|previous| {
            previous.definition == check.definition
                || previous.definition == format!("{} NOT VALID", check.definition)
        });
        if !unchanged_or_validated {
            add_domain_check(name, check, out);
        }
    }
}

fn alter<'a>(out: &'a mut Changes, domain: &QualifiedName, clause: String) -> &'a mut Change {
    let sql = format!("ALTER DOMAIN {domain} {clause}");
    out.push(
        Phase::CreateTypes,
        ChangeKind::Alter,
        format!("domain {domain}"),
        sql,
    )
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
    );
}
