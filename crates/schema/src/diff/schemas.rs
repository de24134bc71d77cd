//! Schemas and extensions: created first, dropped last.

use super::change::{ChangeKind, Changes, Phase};
use super::plan::Plan;
use crate::ident::quote_ident;
use crate::model::ObjectRef;

pub(super) fn changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    for name in to
        .schemas
        .keys()
        .filter(|name| !from.schemas.contains_key(*name))
    {
        let sql = format!("CREATE SCHEMA {}", quote_ident(name));
        out.push(
            Phase::CreateSchemas,
            ChangeKind::Create,
            format!("schema {name}"),
            sql,
        )
        .provides(ObjectRef::Schema(name.clone()));
    }
    for name in from
        .schemas
        .keys()
        .filter(|name| !to.schemas.contains_key(*name))
    {
        let sql = format!("DROP SCHEMA {}", quote_ident(name));
        out.push(
            Phase::DropSchemas,
            ChangeKind::Drop,
            format!("schema {name}"),
            sql,
        )
        .removes(ObjectRef::Schema(name.clone()));
    }
    extension_changes(plan, out);
}

fn extension_changes(plan: &Plan, out: &mut Changes) {
    let (from, to) = (plan.from, plan.to);
    for new in to.extensions.values() {
        let object = format!("extension {}", new.name);
        let (extension, schema) = (quote_ident(&new.name), quote_ident(&new.schema));
        let node = ObjectRef::Extension(new.name.clone());
        let in_schema = ObjectRef::Schema(new.schema.clone());
        match from.extensions.get(&new.name) {
            None => {
                let sql = format!("CREATE EXTENSION {extension} WITH SCHEMA {schema}");
                out.push(Phase::CreateExtensions, ChangeKind::Create, object, sql)
                    .provides(node)
                    .requires(in_schema);
            }
            Some(old) if old.schema != new.schema => {
                let sql = format!("ALTER EXTENSION {extension} SET SCHEMA {schema}");
                out.push(Phase::CreateExtensions, ChangeKind::Alter, object, sql)
                    .provides(node)
                    .requires(in_schema);
            }
            Some(_) => {}
        }
    }
    for old in from
        .extensions
        .values()
        .filter(|e| !to.extensions.contains_key(&e.name))
    {
        let sql = format!("DROP EXTENSION {}", quote_ident(&old.name));
        let object = format!("extension {}", old.name);
        out.push(Phase::DropExtensions, ChangeKind::Drop, object, sql)
            .removes(ObjectRef::Extension(old.name.clone()));
    }
}
