//! Dependency order among objects of one phase: parents before partitions, referenced tables
//! before referencing ones, views before the views and functions that read them.

use std::collections::{BTreeMap, BTreeSet};

/// Orders `nodes` so that each comes after the nodes it depends on (dependencies outside
/// `nodes` are ignored). Ties break by `Ord`, so the order is deterministic. Nodes in a cycle
/// come last, in `Ord` order, and are also returned separately so the caller can break the
/// cycle some other way.
pub(crate) fn dependency_order<K, F>(nodes: &BTreeSet<K>, depends_on: F) -> (Vec<K>, Vec<K>)
where
    K: Ord + Clone,
    F: Fn(&K) -> Vec<K>,
{
    let mut waiting: BTreeMap<K, BTreeSet<K>> = nodes
        .iter()
        .map(|node| {
            let deps = depends_on(node)
                .into_iter()
                .filter(|dep| nodes.contains(dep) && dep != node)
                .collect();
            (node.clone(), deps)
        })
        .collect();
    let mut ordered = Vec::with_capacity(nodes.len());
    loop {
        let ready: Vec<K> = waiting
            .iter()
            .filter(|(_, deps)| deps.is_empty())
            .map(|(node, _)| node.clone())
            .collect();
        if ready.is_empty() {
            break;
        }
        for node in &ready {
            waiting.remove(node);
        }
        for deps in waiting.values_mut() {
            for node in &ready {
                deps.remove(node);
            }
        }
        ordered.extend(ready);
    }
    let cyclic: Vec<K> = waiting.into_keys().collect();
    ordered.extend(cyclic.iter().cloned());
    (ordered, cyclic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_come_first_and_ties_break_by_name() {
        let nodes: BTreeSet<&str> = ["a", "b", "c", "d"].into();
        let (order, cyclic) = dependency_order(&nodes, |node| match *node {
            "a" => vec!["c"],
            "b" => vec!["a", "outside"],
            _ => vec![],
        });
        assert_eq!(order, ["c", "d", "a", "b"]);
        assert!(cyclic.is_empty());
    }

    #[test]
    fn cycles_are_reported_and_still_ordered() {
        let nodes: BTreeSet<&str> = ["x", "y", "z"].into();
        let (order, cyclic) = dependency_order(&nodes, |node| match *node {
            "x" => vec!["y"],
            "y" => vec!["x"],
            _ => vec![],
        });
        assert_eq!(order, ["z", "x", "y"]);
        assert_eq!(cyclic, ["x", "y"]);
    }
}
