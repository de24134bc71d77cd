//! Whether an object that both catalogs have can be altered into its new version, or must
//! be dropped and created again: the questions that decide rebuilds, asked of two versions
//! of one object and nothing else.

use std::collections::BTreeSet;

use crate::ident::QualifiedName;
use crate::model::{Catalog, CompositeType, Function, Policy, View};

/// Whether two views are the same view (comments and privileges aside).
pub(crate) fn same_view(old: &View, new: &View) -> bool {
    let columns = |view: &View| -> Vec<(String, String)> {
        view.columns
            .iter()
            .map(|c| (c.name.clone(), c.data_type.clone()))
            .collect()
    };
    old.materialized == new.materialized
        && old.definition == new.definition
        && old.options == new.options
        && columns(old) == columns(new)
}

/// Whether `CREATE OR REPLACE VIEW` turns `old` into `new`: the old columns must stay, with
/// their names and types, new ones may only be appended.
pub(crate) fn replaceable_view(old: &View, new: &View) -> bool {
    !old.materialized
        && !new.materialized
        && old.options == new.options
        && new.columns.len() >= old.columns.len()
        && old
            .columns
            .iter()
            .zip(&new.columns)
            .all(|(a, b)| a.name == b.name && a.data_type == b.data_type)
}

/// Whether `CREATE OR REPLACE FUNCTION` cannot turn `old` into `new`: it keeps argument
/// names, modes, defaults and the result type.
pub(crate) fn function_signature_changes(old: &Function, new: &Function) -> bool {
    old.kind != new.kind || old.arguments != new.arguments || old.result != new.result
}

/// Whether `ALTER POLICY` cannot turn `old` into `new`: it changes neither the command nor
/// the mode, and cannot take a `USING` or `WITH CHECK` away.
pub(crate) fn policy_needs_rebuild(old: &Policy, new: &Policy) -> bool {
    old.command != new.command
        || old.mode != new.mode
        || (old.using.is_some() && new.using.is_none())
        || (old.with_check.is_some() && new.with_check.is_none())
}

/// Types the diff must replace rather than alter: enums whose labels are removed or
/// reordered, domains whose base type or collation changes, composites whose attributes are
/// reordered.
pub(crate) fn replaced_types(from: &Catalog, to: &Catalog) -> BTreeSet<QualifiedName> {
    let enums = from.enums.values().filter(|old| {
        to.enums
            .get(&old.name)
            .is_some_and(|new| !is_subsequence(&old.labels, &new.labels))
    });
    let domains = from.domains.values().filter(|old| {
        to.domains
            .get(&old.name)
            .is_some_and(|new| old.base_type != new.base_type || old.collation != new.collation)
    });
    let composites = from.composites.values().filter(|old| {
        to.composites
            .get(&old.name)
            .is_some_and(|new| !alterable_in_place(old, new))
    });
    enums
        .map(|e| e.name.clone())
        .chain(domains.map(|d| d.name.clone()))
        .chain(composites.map(|c| c.name.clone()))
        .collect()
}

/// Whether `new` is `old` with labels inserted and none removed or moved.
pub(crate) fn is_subsequence(old: &[String], new: &[String]) -> bool {
    let mut remaining = new.iter();
    old.iter()
        .all(|label| remaining.any(|candidate| candidate == label))
}

/// Composite attributes can be dropped, retyped and appended, not reordered.
fn alterable_in_place(old: &CompositeType, new: &CompositeType) -> bool {
    let kept: Vec<&String> = old
        .attributes
        .iter()
        .map(|(name, _)| name)
        .filter(|name| new.attributes.iter().any(|(n, _)| n == *name))
        .collect();
    let leading: Vec<&String> = new
        .attributes
        .iter()
        .take(kept.len())
        .map(|(n, _)| n)
        .collect();
    kept == leading
}
