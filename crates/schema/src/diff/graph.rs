//! One catalog's dependency edges, indexed both ways: what an object needs (to create it
//! after them) and what needs it (to drop those first, or rebuild them).

use std::collections::HashMap;

use crate::model::{Catalog, DependencyKind, ObjectRef};

/// The edges of one catalog, by either end.
#[derive(Debug, Default)]
pub(crate) struct Graph<'a> {
    needs: HashMap<&'a ObjectRef, Vec<&'a ObjectRef>>,
    needed_by: HashMap<&'a ObjectRef, Vec<(&'a ObjectRef, DependencyKind)>>,
}

impl<'a> Graph<'a> {
    pub(crate) fn of(catalog: &'a Catalog) -> Graph<'a> {
        let edges = catalog.dependencies.len();
        let mut graph = Graph {
            needs: HashMap::with_capacity(edges),
            needed_by: HashMap::with_capacity(edges),
        };
        for edge in &catalog.dependencies {
            graph
                .needs
                .entry(&edge.dependent)
                .or_default()
                .push(&edge.referenced);
            graph
                .needed_by
                .entry(&edge.referenced)
                .or_default()
                .push((&edge.dependent, edge.kind));
        }
        graph
    }

    /// What `object` needs to exist first.
    pub(crate) fn needs(&self, object: &ObjectRef) -> &[&'a ObjectRef] {
        self.needs.get(object).map_or(&[], Vec::as_slice)
    }

    /// What needs `object`, and how strongly.
    pub(crate) fn needed_by(&self, object: &ObjectRef) -> &[(&'a ObjectRef, DependencyKind)] {
        self.needed_by.get(object).map_or(&[], Vec::as_slice)
    }
}
