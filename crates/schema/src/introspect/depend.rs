//! `pg_depend` in the model's own names: one query reads the edges between user objects as
//! catalog addresses (catalog, OID, sub-id), and the objects the other queries read name both
//! ends, so the edges are kept in the catalog for the diff to order by. Reading addresses, not
//! names, keeps the query as cheap as a scan of `pg_depend`.
//!
//! An object an extension owns stands for its extension, so that a column of type `citext`
//! depends on extension `citext`. Edges to system objects (whose OIDs are below 16384,
//! `FirstNormalObjectId`), to schemas (every object has one; the diff knows each object's
//! schema), inside an extension, to objects the model leaves out, and internal ones (a row
//! type on its table, an index on its constraint: one object in the model) are left out. A
//! column the model does not list (a child's inherited one) stands for its relation.

use std::collections::HashMap;

use tokio_postgres::Row;

use super::rows::{LoadError, Reader, SystemCatalog, get, unknown};
use crate::model::{Catalog, Dependencies, Dependency, DependencyKind, ObjectRef};

/// `pg_depend.classid` (or `refclassid`) as a number the loader knows
/// ([`SystemCatalog::from_number`]); other catalogs (0) hold no object of the model.
macro_rules! class_number {
    ($column:literal) => {
        concat!(
            "CASE ",
            $column,
            " WHEN 'pg_class'::regclass THEN 1 WHEN 'pg_type'::regclass THEN 2 ",
            "WHEN 'pg_proc'::regclass THEN 3 WHEN 'pg_constraint'::regclass THEN 4 ",
            "WHEN 'pg_attrdef'::regclass THEN 5 WHEN 'pg_rewrite'::regclass THEN 6 ",
            "WHEN 'pg_trigger'::regclass THEN 7 WHEN 'pg_policy'::regclass THEN 8 ",
            "WHEN 'pg_collation'::regclass THEN 9 ",
            "WHEN 'pg_extension'::regclass THEN 10 ELSE 0 END"
        )
    };
}

// The edges between user objects, as catalog addresses; the objects the other queries read
// give them their names. Membership in an extension ('e') is read too, to stand for the
// extension. Numbers, not names, keep ten thousand rows cheap to read.
pub(super) const DEPENDENCIES: &str = concat!(
    "SELECT ",
    class_number!("d.classid"),
    " AS class, d.objid, d.objsubid, ",
    class_number!("d.refclassid"),
    " AS refclass, d.refobjid, d.refobjsubid, d.deptype ",
    "FROM pg_depend d WHERE d.deptype IN ('n', 'a', 'e') AND d.objid >= 16384 ",
    "AND d.refobjid >= 16384 AND d.refclassid <> 'pg_namespace'::regclass ",
    "AND $1::text[] IS NOT NULL"
);

/// One end of an edge, as read.
type End = (Option<SystemCatalog>, u32, i32);

fn end(row: &Row, class: &str, oid: &str, subid: &str) -> Result<End, LoadError> {
    Ok((
        SystemCatalog::from_number(get(row, class)?),
        get(row, oid)?,
        get(row, subid)?,
    ))
}

pub(super) fn load_dependencies(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    let mut edges = Vec::with_capacity(rows.len());
    let mut members: HashMap<(SystemCatalog, u32), ObjectRef> = HashMap::new();
    for row in rows {
        let dependent = end(row, "class", "objid", "objsubid")?;
        let referenced = end(row, "refclass", "refobjid", "refobjsubid")?;
        // `"char"` reads as `i8`.
        let code: i8 = get(row, "deptype")?;
        let kind = match code as u8 {
            b'n' => DependencyKind::Normal,
            b'a' => DependencyKind::Auto,
            b'e' => {
                if let ((Some(class), oid, _), (Some(SystemCatalog::Extension), extension, _)) =
                    (dependent, referenced)
                    && let Some(name) = reader.object(SystemCatalog::Extension, extension)
                {
                    members.insert((class, oid), name.clone());
                }
                continue;
            }
            other => return unknown("pg_depend.deptype", &char::from(other).to_string()),
        };
        edges.push((dependent, referenced, kind));
    }
    let resolve = |(class, oid, subid): End| -> Option<ObjectRef> {
        let class = class?;
        if let Some(extension) = members.get(&(class, oid)) {
            return Some(extension.clone());
        }
        reader.resolve(class, oid, subid)
    };
    let mut dependencies = Vec::with_capacity(edges.len());
    for (dependent, referenced, kind) in edges {
        let (Some(dependent), Some(referenced)) = (resolve(dependent), resolve(referenced)) else {
            continue;
        };
        // A sequence's OWNED BY column is the model's `owned_by`, set once both exist: as an
        // edge it would make the sequence wait for the table whose default needs it.
        let owned_by = matches!(
            (&dependent, &referenced),
            (ObjectRef::Sequence(_), ObjectRef::Column(..))
        );
        let inside_one_extension = matches!(
            (&dependent, &referenced),
            (ObjectRef::Extension(_), ObjectRef::Extension(_))
        );
        if dependent != referenced && !owned_by && !inside_one_extension {
            dependencies.push(Dependency {
                dependent,
                referenced,
                kind,
            });
        }
    }
    // Built at once from all edges (sorted, then filled), which is cheaper than one insert
    // at a time; the query runs once, so the set is empty until now.
    let mut all: Vec<Dependency> = std::mem::take(&mut catalog.dependencies)
        .into_iter()
        .collect();
    all.append(&mut dependencies);
    catalog.dependencies = all.into_iter().collect();
    Ok(())
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
