//! `pg_depend` in the model's own names: one query maps both ends of every edge to an
//! [`ObjectRef`], and the edges are kept in the catalog for the diff to order by.
//!
//! An object an extension owns stands for its extension, so that a column of type `citext`
//! depends on extension `citext`. Edges to system objects, to schemas (every object has one;
//! the diff knows each object's schema) and inside extensions are left out.

use tokio_postgres::Row;

use super::rows::{LoadError, Reader, function_identity, get, unknown, user_schema};
use crate::ident::QualifiedName;
use crate::model::{
    Catalog, Dependencies, Dependency, DependencyKind, FunctionId, ObjectRef, PolicyId, TriggerId,
};

// Every user object, as (classid, objid, subid) → (kind, schema, name, detail). Indexes that
// back constraints are their constraints; a type is its relation when it is a row type, and
// an array type its element type.
macro_rules! objects {
    () => {
        concat!(
    "SELECT 'pg_class'::regclass AS classid, c.oid AS objid, 0 AS subid, ",
    "CASE WHEN con.oid IS NOT NULL THEN 'constraint' WHEN c.relkind IN ('r', 'p') THEN 'table' ",
    "WHEN c.relkind IN ('v', 'm') THEN 'view' WHEN c.relkind = 'S' THEN 'sequence' ",
    "WHEN c.relkind = 'c' THEN 'type' ELSE 'index' END AS kind, ",
    "n.nspname::text AS schema, COALESCE(tc.relname, c.relname)::text AS name, con.conname::text AS detail ",
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "LEFT JOIN pg_index i ON i.indexrelid = c.oid ",
    "LEFT JOIN pg_constraint con ON con.conindid = c.oid AND con.conrelid = i.indrelid ",
    "AND con.contype IN ('p', 'u', 'x') ",
    "LEFT JOIN pg_class tc ON tc.oid = con.conrelid ",
    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c', 'i', 'I') AND ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'pg_class'::regclass, a.attrelid, a.attnum, ",
    "CASE WHEN c.relkind = 'c' THEN 'type' ELSE 'column' END, n.nspname, c.relname, ",
    "CASE WHEN c.relkind = 'c' THEN NULL ELSE a.attname::text END ",
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace ",
    "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'c') AND ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'pg_type'::regclass, t.oid, 0, ",
    "CASE WHEN rc.relkind IN ('r', 'p') THEN 'table' WHEN rc.relkind IN ('v', 'm') THEN 'view' ",
    "ELSE 'type' END, en.nspname, COALESCE(rc.relname, et.typname), NULL ",
    "FROM pg_type t JOIN pg_type et ON et.oid = ",
    "CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE t.oid END ",
    "JOIN pg_namespace en ON en.oid = et.typnamespace LEFT JOIN pg_class rc ON rc.oid = et.typrelid ",
    "WHERE ",
    user_schema!("en"),
    " UNION ALL ",
    "SELECT 'pg_proc'::regclass, p.oid, 0, 'function', n.nspname, p.proname, ",
    function_identity!("p"),
    " ",
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'pg_constraint'::regclass, con.oid, 0, ",
    "CASE WHEN con.contypid <> 0 THEN 'domain constraint' ELSE 'constraint' END, ",
    "n.nspname, COALESCE(c.relname, t.typname), con.conname::text ",
    "FROM pg_constraint con LEFT JOIN pg_class c ON c.oid = con.conrelid ",
    "LEFT JOIN pg_type t ON t.oid = con.contypid ",
    "JOIN pg_namespace n ON n.oid = COALESCE(c.relnamespace, t.typnamespace) WHERE ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'pg_attrdef'::regclass, ad.oid, 0, 'default', n.nspname, c.relname, a.attname::text ",
    "FROM pg_attrdef ad JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum ",
    "JOIN pg_class c ON c.oid = ad.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'pg_rewrite'::regclass, r.oid, 0, 'view', n.nspname, c.relname, NULL ",
    "FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rulename = '_RETURN' AND ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'pg_trigger'::regclass, tg.oid, 0, 'trigger', n.nspname, c.relname, tg.tgname::text ",
    "FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT tg.tgisinternal AND ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'pg_policy'::regclass, pol.oid, 0, 'policy', n.nspname, c.relname, pol.polname::text ",
    "FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid ",
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ",
    user_schema!("n"),
    " UNION ALL ",
    "SELECT 'pg_collation'::regclass, co.oid, 0, 'collation', n.nspname, co.collname, NULL ",
    "FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace WHERE ",
    user_schema!("n"),
        )
    };
}

/// Both ends of each edge, resolved through the objects above (or their extension).
pub(super) const DEPENDENCIES: &str = concat!(
    "WITH obj AS (",
    objects!(),
    "), member AS (SELECT d.classid, d.objid, e.extname::text AS extname FROM pg_depend d ",
    "JOIN pg_extension e ON e.oid = d.refobjid ",
    "WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e') ",
    "SELECT CASE WHEN dm.extname IS NOT NULL THEN 'extension' ELSE dob.kind END AS dependent_kind, ",
    "dob.schema AS dependent_schema, COALESCE(dm.extname, dob.name) AS dependent_name, ",
    "dob.detail AS dependent_detail, ",
    "CASE WHEN rm.extname IS NOT NULL THEN 'extension' ELSE rob.kind END AS referenced_kind, ",
    "rob.schema AS referenced_schema, COALESCE(rm.extname, rob.name) AS referenced_name, ",
    "rob.detail AS referenced_detail, d.deptype::text AS deptype ",
    "FROM pg_depend d ",
    "LEFT JOIN member dm ON dm.classid = d.classid AND dm.objid = d.objid ",
    "LEFT JOIN obj dob ON dob.classid = d.classid AND dob.objid = d.objid AND dob.subid = d.objsubid ",
    "LEFT JOIN member rm ON rm.classid = d.refclassid AND rm.objid = d.refobjid ",
    "LEFT JOIN obj rob ON rob.classid = d.refclassid AND rob.objid = d.refobjid AND rob.subid = d.refobjsubid ",
    "WHERE d.deptype IN ('n', 'a', 'i') AND d.refclassid <> 'pg_namespace'::regclass ",
    "AND (dm.extname IS NOT NULL OR dob.kind IS NOT NULL) ",
    "AND (rm.extname IS NOT NULL OR rob.kind IS NOT NULL) ",
    "AND (dm.extname IS NULL OR rm.extname IS NULL)"
);

pub(super) fn load_dependencies(
    rows: &[Row],
    catalog: &mut Catalog,
    _: &Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let dependent = object(row, "dependent")?;
        let referenced = object(row, "referenced")?;
        let code: String = get(row, "deptype")?;
        let kind = match code.as_str() {
            "n" => DependencyKind::Normal,
            "a" => DependencyKind::Auto,
            "i" => DependencyKind::Internal,
            other => return unknown("pg_depend.deptype", other),
        };
        // A sequence's OWNED BY column is the model's `owned_by`, set once both exist: as an
        // edge it would make the sequence wait for the table whose default needs it.
        let owned_by = matches!(
            (&dependent, &referenced),
            (ObjectRef::Sequence(_), ObjectRef::Column(..))
        );
        if dependent != referenced && !owned_by {
            catalog.dependencies.insert(Dependency {
                dependent,
                referenced,
                kind,
            });
        }
    }
    Ok(())
}

/// The object one end of a row names; `end` is `dependent` or `referenced`.
fn object(row: &Row, end: &str) -> Result<ObjectRef, LoadError> {
    let kind: String = get(row, &format!("{end}_kind"))?;
    let name: String = get(row, &format!("{end}_name"))?;
    if kind == "extension" {
        return Ok(ObjectRef::Extension(name));
    }
    let schema: Option<String> = get(row, &format!("{end}_schema"))?;
    let detail: Option<String> = get(row, &format!("{end}_detail"))?;
    let qualified = QualifiedName::new(schema.unwrap_or_default(), name);
    let detail = detail.unwrap_or_default();
    Ok(match kind.as_str() {
        "table" => ObjectRef::Table(qualified),
        "view" => ObjectRef::View(qualified),
        "sequence" => ObjectRef::Sequence(qualified),
        "index" => ObjectRef::Index(qualified),
        "type" => ObjectRef::Type(qualified),
        "collation" => ObjectRef::Collation(qualified),
        "column" => ObjectRef::Column(qualified, detail),
        "default" => ObjectRef::Default(qualified, detail),
        "constraint" => ObjectRef::Constraint(qualified, detail),
        "domain constraint" => ObjectRef::DomainConstraint(qualified, detail),
        "function" => ObjectRef::Function(FunctionId {
            name: qualified,
            arguments: detail,
        }),
        "trigger" => ObjectRef::Trigger(TriggerId {
            table: qualified,
            name: detail,
        }),
        "policy" => ObjectRef::Policy(PolicyId {
            table: qualified,
            name: detail,
        }),
        other => return unknown("dependency kind", other),
    })
}

/// Gives views and functions the dependencies of their own, from the catalog's edges.
pub(super) fn attach_dependencies(catalog: &mut Catalog) {
    let Catalog {
        dependencies,
        views,
        functions,
        ..
    } = catalog;
    for edge in dependencies.iter() {
        let target = match &edge.dependent {
            ObjectRef::View(name) => views.get_mut(name).map(|v| &mut v.dependencies),
            ObjectRef::Function(id) => functions.get_mut(id).map(|f| &mut f.dependencies),
            _ => None,
        };
        if let Some(target) = target {
            add_dependency(target, &edge.referenced);
        }
    }
}

/// Files one referenced object under its kind.
fn add_dependency(dependencies: &mut Dependencies, referenced: &ObjectRef) {
    match referenced {
        ObjectRef::Table(name) | ObjectRef::View(name) => {
            dependencies.relations.insert(name.clone());
        }
        ObjectRef::Column(table, column) => {
            dependencies.relations.insert(table.clone());
            dependencies.columns.insert((table.clone(), column.clone()));
        }
        ObjectRef::Function(id) => {
            dependencies.functions.insert(id.clone());
        }
        ObjectRef::Type(name) => {
            dependencies.types.insert(name.clone());
        }
        _ => {}
    }
}
