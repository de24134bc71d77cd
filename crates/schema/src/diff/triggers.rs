//! Triggers: created after their functions and relations, dropped first; a changed trigger is
//! dropped and created again, which every supported version (13 onwards) can run.

use super::plan::Plan;
use super::{ChangeKind, Changes, Phase};
use crate::ident::quote_ident;

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    for old in plan.from.triggers.values() {
        let id = &old.id;
        if plan.relation_goes(&id.table) || !plan.trigger_goes(id) {
            continue;
        }
        let sql = format!("DROP TRIGGER {} ON {}", quote_ident(&id.name), id.table);
        let object = format!("trigger {} on {}", quote_ident(&id.name), id.table);
        out.push(Phase::DropTriggers, ChangeKind::Drop, object, sql);
    }
    for new in plan.to.triggers.values() {
        let id = &new.id;
        let object = format!("trigger {} on {}", quote_ident(&id.name), id.table);
        let created = plan.relation_comes(&id.table)
            || !plan.from.triggers.contains_key(id)
            || plan.trigger_goes(id);
        if created {
            out.push(
                Phase::CreateTriggers,
                ChangeKind::Create,
                object,
                new.definition.clone(),
            );
        }
    }
}
