//! Triggers: created after their functions and relations, replaced in place with
//! `CREATE OR REPLACE TRIGGER` (PostgreSQL 14 and later; dropped and created on 13), dropped
//! before what they use.

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use crate::ident::quote_ident;
use crate::model::ObjectRef;

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for old in plan.from.triggers.values() {
        let id = &old.id;
        if plan.relation_goes(&id.table) || !plan.trigger_goes(id) {
            continue;
        }
        let sql = format!("DROP TRIGGER {} ON {}", quote_ident(&id.name), id.table);
        let object = format!("trigger {} on {}", quote_ident(&id.name), id.table);
        out.push(Phase::DropTriggers, ChangeKind::Drop, object, sql)
            .removes(ObjectRef::Trigger(id.clone()));
    }
    for new in plan.to.triggers.values() {
        let id = &new.id;
        let object = format!("trigger {} on {}", quote_ident(&id.name), id.table);
        let node = ObjectRef::Trigger(id.clone());
        let created = plan.relation_comes(&id.table)
            || !plan.from.triggers.contains_key(id)
            || plan.trigger_goes(id);
        if created {
            out.push(
                Phase::CreateTriggers,
                ChangeKind::Create,
                object,
                new.definition.clone(),
            )
            .provides(node);
        } else if plan.from.triggers[id].definition != new.definition {
            let sql = new
                .definition
                .replacen("CREATE TRIGGER", "CREATE OR REPLACE TRIGGER", 1);
            out.push(Phase::CreateTriggers, ChangeKind::Alter, object, sql)
                .replaces(node);
        }
    }
}
