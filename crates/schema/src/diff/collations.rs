//! Collations made with `CREATE COLLATION`: created before the columns and domains that use
//! them, dropped after. A changed collation is dropped and created again.

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use crate::ident::quote_literal;
use crate::model::{Collation, ObjectRef};

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    for old in from.collations.values() {
        let kept = to
            .collations
            .get(&old.name)
            .is_some_and(|new| same(old, new));
        if !kept {
            out.push(
                Phase::DropTypes,
                ChangeKind::Drop,
                format!("collation {}", old.name),
                format!("DROP COLLATION {}", old.name),
            )
            .removes(ObjectRef::Collation(old.name.clone()));
        }
    }
    for new in to.collations.values() {
        let kept = from
            .collations
            .get(&new.name)
            .is_some_and(|old| same(old, new));
        if !kept {
            out.push(
                Phase::CreateTypes,
                ChangeKind::Create,
                format!("collation {}", new.name),
                create_sql(new),
            )
            .provides(ObjectRef::Collation(new.name.clone()));
        }
    }
}

/// The same collation, owner and comment aside (those are altered in place).
fn same(old: &Collation, new: &Collation) -> bool {
    old.provider == new.provider
        && old.locale == new.locale
        && old.lc_collate == new.lc_collate
        && old.lc_ctype == new.lc_ctype
        && old.deterministic == new.deterministic
}

fn create_sql(new: &Collation) -> String {
    let mut options = vec![format!("provider = {}", new.provider)];
    let text = |key: &str, value: &Option<String>| {
        value
            .as_ref()
            .map(|value| format!("{key} = {}", quote_literal(value)))
    };
    options.extend(text("locale", &new.locale));
    options.extend(text("lc_collate", &new.lc_collate));
    options.extend(text("lc_ctype", &new.lc_ctype));
    if !new.deterministic {
        options.push("deterministic = false".to_owned());
    }
    format!("CREATE COLLATION {} ({})", new.name, options.join(", "))
}
