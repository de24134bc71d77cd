//! Comments on every kind of object, set once the object exists. An object the diff creates
//! (new or rebuilt) starts without a comment, so its comment is compared against none.

use super::aggregates::signature;
use super::change::{ChangeKind, Changes, Phase};
use super::indexes::{index_comes, renames};
use super::plan::Plan;
use crate::ident::{quote_ident, quote_literal};
use crate::model::{ObjectRef, Table, View};

/// `COMMENT ON target IS …` when the comment changes, after `object` exists.
/// `describe` names the object and its target, only when the comment changes.
fn comment(
    out: &mut Changes,
    old: Option<&String>,
    new: Option<&String>,
    describe: impl FnOnce() -> (ObjectRef, String),
) {
    if old == new {
        return;
    }
    let (object, target) = describe();
    let text = new.map_or_else(|| "NULL".to_owned(), |text| quote_literal(text));
    let sql = format!("COMMENT ON {target} IS {text}");
    out.push(
        Phase::Comments,
        ChangeKind::Comment,
        target.to_lowercase(),
        sql,
    )
    .requires(object);
}

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    for new in to.schemas.values() {
        let old = from.schemas.get(&new.name).and_then(|s| s.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("SCHEMA {}", quote_ident(&new.name));
            (ObjectRef::Schema(new.name.clone()), target)
        });
    }
    for new in to.collations.values() {
        let old = from
            .collations
            .get(&new.name)
            .and_then(|c| c.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("COLLATION {}", new.name);
            (ObjectRef::Collation(new.name.clone()), target)
        });
    }
    type_comments(plan, out);
    for new in to.sequences.values() {
        let old = from
            .sequences
            .get(&new.name)
            .and_then(|s| s.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("SEQUENCE {}", new.name);
            (ObjectRef::Sequence(new.name.clone()), target)
        });
    }
    for new in to.tables.values() {
        let old = (!plan.relation_comes(&new.name)).then(|| &from.tables[&new.name]);
        table_comments(plan, old, new, out);
    }
    for new in to.views.values() {
        let old = (!plan.relation_comes(&new.name)).then(|| &from.views[&new.name]);
        view_comments(old, new, out);
    }
    index_comments(plan, out);
    routine_comments(plan, out);
}

fn routine_comments(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    for new in to.functions.values() {
        let old = (!plan.function_comes(&new.id))
            .then(|| from.functions.get(&new.id))
            .flatten()
            .and_then(|f| f.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("{} {}", new.kind.keyword(), new.id);
            (ObjectRef::Function(new.id.clone()), target)
        });
    }
    for new in to.aggregates.values() {
        let old = (!plan.function_comes(&new.id))
            .then(|| from.aggregates.get(&new.id))
            .flatten()
            .and_then(|a| a.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let name = signature(&new.id.name.to_string(), &new.id.arguments);
            (
                ObjectRef::Function(new.id.clone()),
                format!("AGGREGATE {name}"),
            )
        });
    }
    for new in to.triggers.values() {
        let id = &new.id;
        let created = plan.relation_comes(&id.table) || plan.trigger_goes(id);
        let old = from
            .triggers
            .get(id)
            .filter(|_| !created)
            .and_then(|t| t.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("TRIGGER {} ON {}", quote_ident(&id.name), id.table);
            (ObjectRef::Trigger(id.clone()), target)
        });
    }
    for new in to.policies.values() {
        let id = &new.id;
        let object = ObjectRef::Policy(id.clone());
        let created = plan.relation_comes(&id.table) || plan.is_rebuilt(&object);
        let old = from
            .policies
            .get(id)
            .filter(|_| !created)
            .and_then(|p| p.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("POLICY {} ON {}", quote_ident(&id.name), id.table);
            (object, target)
        });
    }
}

fn type_comments(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    let kept = |name| !plan.replaced_types.contains(name);
    for new in to.enums.values() {
        let old = from.enums.get(&new.name).filter(|_| kept(&new.name));
        let old = old.and_then(|e| e.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("TYPE {}", new.name);
            (ObjectRef::Type(new.name.clone()), target)
        });
    }
    for new in to.domains.values() {
        let old = from.domains.get(&new.name).filter(|_| kept(&new.name));
        let old = old.and_then(|d| d.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("DOMAIN {}", new.name);
            (ObjectRef::Type(new.name.clone()), target)
        });
    }
    for new in to.composites.values() {
        let old = from.composites.get(&new.name).filter(|_| kept(&new.name));
        let old = old.and_then(|c| c.comment.as_ref());
        comment(out, old, new.comment.as_ref(), || {
            let target = format!("TYPE {}", new.name);
            (ObjectRef::Type(new.name.clone()), target)
        });
    }
}

fn table_comments(plan: &Plan, old: Option<&Table>, new: &Table, out: &mut Changes) {
    let name = &new.name;
    let previous = old.and_then(|t| t.comment.as_ref());
    comment(out, previous, new.comment.as_ref(), || {
        (ObjectRef::Table(name.clone()), format!("TABLE {name}"))
    });
    let commented = |table: &Table| table.columns.values().any(|c| c.comment.is_some());
    let columns = if commented(new) || old.is_some_and(commented) {
        new.column_order.as_slice()
    } else {
        &[]
    };
    for column in columns.iter().filter_map(|name| new.columns.get(name)) {
        let previous = old
            .and_then(|t| t.columns.get(&column.name))
            .and_then(|c| c.comment.as_ref());
        if previous.is_none() && column.comment.is_none() {
            continue;
        }
        let readded = plan
            .dropped_columns
            .contains(&(name.clone(), column.name.clone()));
        let previous = previous.filter(|_| !readded);
        comment(out, previous, column.comment.as_ref(), || {
            let target = format!("COLUMN {name}.{}", quote_ident(&column.name));
            (ObjectRef::Column(name.clone(), column.name.clone()), target)
        });
    }
    for constraint in new.constraints.values() {
        let previous = old
            .and_then(|t| t.constraints.get(&constraint.name))
            .filter(|c| c.definition == constraint.definition)
            .and_then(|c| c.comment.as_ref());
        if previous.is_none() && constraint.comment.is_none() {
            continue;
        }
        let object = ObjectRef::Constraint(name.clone(), constraint.name.clone());
        let previous = previous.filter(|_| !plan.is_rebuilt(&object));
        comment(out, previous, constraint.comment.as_ref(), || {
            let target = format!("CONSTRAINT {} ON {name}", quote_ident(&constraint.name));
            (object, target)
        });
    }
}

fn view_comments(old: Option<&View>, new: &View, out: &mut Changes) {
    let keyword = if new.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let previous = old.and_then(|v| v.comment.as_ref());
    comment(out, previous, new.comment.as_ref(), || {
        let target = format!("{keyword} {}", new.name);
        (ObjectRef::View(new.name.clone()), target)
    });
    for column in &new.columns {
        let previous = old
            .and_then(|v| v.columns.iter().find(|c| c.name == column.name))
            .and_then(|c| c.comment.as_ref());
        comment(out, previous, column.comment.as_ref(), || {
            let target = format!("COLUMN {}.{}", new.name, quote_ident(&column.name));
            let object = ObjectRef::Column(new.name.clone(), column.name.clone());
            (object, target)
        });
    }
}

fn index_comments(plan: &Plan, out: &mut Changes) {
    let renames = renames(plan);
    for new in plan.to.indexes.values() {
        let source = renames
            .iter()
            .find(|(_, to)| *to == new.name)
            .map_or(&new.name, |(from, _)| from);
        let previous = plan
            .from
            .indexes
            .get(source)
            .and_then(|i| i.comment.as_ref());
        if previous.is_none() && new.comment.is_none() {
            continue;
        }
        let previous = previous.filter(|_| !index_comes(plan, new, &renames));
        comment(out, previous, new.comment.as_ref(), || {
            let target = format!("INDEX {}", new.name);
            (ObjectRef::Index(new.name.clone()), target)
        });
    }
}
