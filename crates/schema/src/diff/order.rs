//! Orders a diff's statements by one dependency graph, so that PostgreSQL accepts each one
//! when it runs.
//!
//! A statement comes after every statement that provides what it, or what it provides, needs
//! in the target catalog; a statement that removes an object comes after every statement that
//! removes something needing it in the source catalog; and a statement that provides a node
//! comes after the one removing it (a drop before a create of the same name). Among the
//! statements these rules leave free, the phase and then the order the modules wrote them in
//! decide, so the script reads the same on every run. What cannot be ordered is returned as
//! a cycle for the caller to break or report.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::change::{Change, Node};
use super::graph::Graph;
use crate::model::ObjectRef;

/// Why one change waits for another: the node of the waiting change, and, when the other
/// change's own node is the reason (what it removes first), that node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wait {
    /// The change that runs first.
    pub before: usize,
    /// The change that waits.
    pub after: usize,
    /// The node of `after` that waits.
    pub node: Node,
    /// The node of `before` it waits for, when that is not `node` itself.
    pub for_node: Option<Node>,
}

/// Statements that wait for each other in a circle.
#[derive(Debug)]
pub(crate) struct Cycle {
    /// Each wait of the circle.
    pub waits: Vec<Wait>,
}

/// One edge: `(before, after, node of after, node of before)`.
type Edge<'c> = (usize, usize, &'c Node, Option<&'c Node>);

/// Edges between changes: `before` must run before `after`.
struct Edges<'c> {
    edges: Vec<Edge<'c>>,
}

impl<'c> Edges<'c> {
    fn add(&mut self, befores: Option<&Vec<usize>>, after: usize, node: &'c Node) {
        for &before in befores.into_iter().flatten() {
            if before != after {
                self.edges.push((before, after, node, None));
            }
        }
    }

    fn add_for(&mut self, before: usize, after: usize, node: &'c Node, for_node: &'c Node) {
        if before != after {
            self.edges.push((before, after, node, Some(for_node)));
        }
    }
}

/// The positions of the changes in an order PostgreSQL accepts, or a cycle among them.
pub(crate) fn order(changes: &[Change], from: &Graph, to: &Graph) -> Result<Vec<usize>, Cycle> {
    let edges = edges(changes, from, to);
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); changes.len()];
    let mut waiting = vec![0usize; changes.len()];
    for (at, &(before, after, _, _)) in edges.iter().enumerate() {
        successors[before].push(at);
        waiting[after] += 1;
    }
    let mut ready: BinaryHeap<Reverse<(super::change::Phase, usize)>> = (0..changes.len())
        .filter(|&i| waiting[i] == 0)
        .map(|i| Reverse((changes[i].phase, i)))
        .collect();
    let mut sequence = Vec::with_capacity(changes.len());
    while let Some(Reverse((_, next))) = ready.pop() {
        sequence.push(next);
        for &edge in &successors[next] {
            let after = edges[edge].1;
            waiting[after] -= 1;
            if waiting[after] == 0 {
                ready.push(Reverse((changes[after].phase, after)));
            }
        }
    }
    if sequence.len() < changes.len() {
        return Err(find_cycle(&edges, &waiting));
    }
    Ok(sequence)
}

fn edges<'c>(changes: &'c [Change], from: &Graph, to: &Graph) -> Vec<Edge<'c>> {
    let mut providers: HashMap<&Node, Vec<usize>> = HashMap::new();
    let mut removers: HashMap<&Node, Vec<usize>> = HashMap::new();
    // The same, keyed by object, for lookups from the catalogs' graphs without a clone.
    let mut object_providers: HashMap<&ObjectRef, Vec<usize>> = HashMap::new();
    let mut object_removers: HashMap<&ObjectRef, Vec<(usize, &Node)>> = HashMap::new();
    let mut removers_in_schema: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, change) in changes.iter().enumerate() {
        for node in &change.nodes.provides {
            providers.entry(node).or_default().push(at);
            if let Node::Object(object) = node {
                object_providers.entry(object).or_default().push(at);
            }
        }
        for node in &change.nodes.removes {
            removers.entry(node).or_default().push(at);
            if let Node::Object(object) = node {
                object_removers.entry(object).or_default().push((at, node));
                if let Some(schema) = object.schema() {
                    removers_in_schema.entry(schema).or_default().push(at);
                }
            }
        }
    }
    let mut edges = Edges { edges: Vec::new() };
    for (at, change) in changes.iter().enumerate() {
        for node in &change.nodes.provides {
            edges.add(removers.get(node), at, node);
            let Node::Object(object) = node else { continue };
            for needed in to.needs(object) {
                edges.add(object_providers.get(needed), at, node);
            }
            if let Some(schema) = object.schema() {
                let schema = ObjectRef::Schema(schema.to_owned());
                edges.add(object_providers.get(&schema), at, node);
            }
        }
        for node in &change.nodes.requires {
            edges.add(providers.get(node), at, node);
        }
        for node in &change.nodes.removes {
            let (Node::Object(object) | Node::Parked(object)) = node else {
                continue;
            };
            for (needing, _) in from.needed_by(object) {
                for &(before, for_node) in object_removers.get(needing).into_iter().flatten() {
                    edges.add_for(before, at, node, for_node);
                }
            }
            if let ObjectRef::Schema(schema) = object {
                edges.add(removers_in_schema.get(schema.as_str()), at, node);
            }
        }
    }
    edges.edges
}

/// One cycle among the changes that never became ready.
fn find_cycle(edges: &[Edge<'_>], waiting: &[usize]) -> Cycle {
    let stuck = |i: usize| waiting[i] > 0;
    let mut into: HashMap<usize, usize> = HashMap::new();
    for (at, &(before, after, _, _)) in edges.iter().enumerate() {
        if stuck(before) && stuck(after) {
            into.entry(after).or_insert(at);
        }
    }
    let Some(&start) = into.keys().min() else {
        return Cycle { waits: Vec::new() };
    };
    // Walk backwards along waits until a change repeats: the repeated stretch is a cycle.
    let mut path: Vec<usize> = Vec::new();
    let mut current = start;
    while let Some(&edge) = into.get(&current) {
        if let Some(seen) = path.iter().position(|&e| edges[e].1 == current) {
            path.drain(..seen);
            break;
        }
        path.push(edge);
        current = edges[edge].0;
    }
    path.reverse();
    let waits = path.into_iter().map(|e| {
        let (before, after, node, for_node) = edges[e];
        Wait {
            before,
            after,
            node: node.clone(),
            for_node: for_node.cloned(),
        }
    });
    Cycle {
        waits: waits.collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::change::{ChangeKind, Changes, Phase};
    use super::*;
    use crate::ident::QualifiedName;
    use crate::model::Catalog;

    fn table(name: &str) -> ObjectRef {
        ObjectRef::Table(QualifiedName::new("public", name))
    }

    #[test]
    fn a_change_waits_for_what_it_requires_whatever_its_phase() {
        let mut changes = Changes::default();
        changes
            .push(Phase::CreateTables, ChangeKind::Create, "b", "b")
            .provides(table("b"))
            .requires(table("a"));
        changes
            .push(Phase::Comments, ChangeKind::Create, "a", "a")
            .provides(table("a"));
        changes.push(Phase::Settings, ChangeKind::Setting, "s", "s");
        let empty = Catalog::default();
        let graph = Graph::of(&empty);
        let ordered = order(&changes.list, &graph, &graph).expect("orders");
        let sql: Vec<&str> = ordered
            .iter()
            .map(|&i| changes.list[i].sql.as_str())
            .collect();
        assert_eq!(sql, ["s", "a", "b"]);
    }

    #[test]
    fn a_cycle_is_returned_with_the_nodes_behind_it() {
        let mut changes = Changes::default();
        changes
            .push(Phase::CreateTables, ChangeKind::Create, "a", "a")
            .provides(table("a"))
            .requires(table("b"));
        changes
            .push(Phase::CreateTables, ChangeKind::Create, "b", "b")
            .provides(table("b"))
            .requires(table("a"));
        let empty = Catalog::default();
        let graph = Graph::of(&empty);
        let cycle = order(&changes.list, &graph, &graph).expect_err("a cycle");
        assert_eq!(cycle.waits.len(), 2);
        let nodes: Vec<Node> = cycle.waits.into_iter().map(|wait| wait.node).collect();
        assert!(nodes.contains(&Node::Object(table("a"))));
        assert!(nodes.contains(&Node::Object(table("b"))));
    }
}
