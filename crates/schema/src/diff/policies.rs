//! Row-level security policies: created once their table and what their expressions use
//! exist, dropped before those go, and altered in place (`ALTER POLICY`) where PostgreSQL
//! allows: roles, `USING` and `WITH CHECK`, but not the command or the mode.

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use crate::ident::quote_ident;
use crate::model::{Grantee, ObjectRef, Policy};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    for old in from.policies.values() {
        let id = &old.id;
        let goes = !to.policies.contains_key(id) || plan.is_rebuilt(&ObjectRef::Policy(id.clone()));
        if goes && !plan.relation_goes(&id.table) {
            out.push(
                Phase::DropPolicies,
                ChangeKind::Drop,
                object(old),
                format!("DROP POLICY {} ON {}", quote_ident(&id.name), id.table),
            )
            .removes(ObjectRef::Policy(id.clone()));
        }
    }
    for new in to.policies.values() {
        let id = &new.id;
        let node = ObjectRef::Policy(id.clone());
        let created = plan.relation_comes(&id.table)
            || !from.policies.contains_key(id)
            || plan.is_rebuilt(&node);
        if created {
            out.push(
                Phase::CreatePolicies,
                ChangeKind::Create,
                object(new),
                create_sql(new),
            )
            .provides(node)
            .requires(ObjectRef::Table(id.table.clone()));
        } else if let Some(sql) = alter_sql(&from.policies[id], new) {
            out.push(Phase::CreatePolicies, ChangeKind::Alter, object(new), sql)
                .replaces(node);
        }
    }
}

fn object(policy: &Policy) -> String {
    format!(
        "policy {} on {}",
        quote_ident(&policy.id.name),
        policy.id.table
    )
}

fn create_sql(policy: &Policy) -> String {
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        quote_ident(&policy.id.name),
        policy.id.table,
        policy.mode.keyword(),
        policy.command.keyword(),
        roles(&policy.roles)
    );
    if let Some(using) = &policy.using {
        sql.push_str(&format!(" USING ({using})"));
    }
    if let Some(check) = &policy.with_check {
        sql.push_str(&format!(" WITH CHECK ({check})"));
    }
    sql
}

/// `ALTER POLICY` for what differs, when anything does.
fn alter_sql(old: &Policy, new: &Policy) -> Option<String> {
    let mut clauses = Vec::new();
    if old.roles != new.roles {
        clauses.push(format!("TO {}", roles(&new.roles)));
    }
    if old.using != new.using
        && let Some(using) = &new.using
    {
        clauses.push(format!("USING ({using})"));
    }
    if old.with_check != new.with_check
        && let Some(check) = &new.with_check
    {
        clauses.push(format!("WITH CHECK ({check})"));
    }
    (!clauses.is_empty()).then(|| {
        format!(
            "ALTER POLICY {} ON {} {}",
            quote_ident(&new.id.name),
            new.id.table,
            clauses.join(" ")
        )
    })
}

/// `TO …`: `PUBLIC` when no role is named.
fn roles(roles: &[Grantee]) -> String {
    if roles.is_empty() {
        return "PUBLIC".to_owned();
    }
    let names: Vec<String> = roles
        .iter()
        .map(|role| match role {
            Grantee::Role(name) => quote_ident(name),
            Grantee::Public | Grantee::Owner => "PUBLIC".to_owned(),
        })
        .collect();
    names.join(", ")
}
