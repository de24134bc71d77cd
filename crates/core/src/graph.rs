//! Revisions as a graph: parents, children, heads, and one deterministic order to apply them in.
//!
//! Revision ids are random, so order comes only from `-- parents:` links. Two branches that add
//! revisions on the same parent make two heads, which every command must notice instead of
//! picking one. Every query here is linear (or n·log n) in the number of revisions: the graph
//! is walked with index arrays and visited masks, never by rescanning lists.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph_error::{GraphError, GraphProblem, ResolveError};
use crate::id_index::IdIndex;
use crate::links::Links;
use crate::revision::Revision;
use crate::set::{RevisionSet, file_order};

/// Whether a walk from a revision includes the revision itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inclusion {
    /// The revision is part of the answer.
    Inclusive,
    /// Only the revisions strictly before (or after) it.
    Exclusive,
}

/// A checked revision graph: unique ids, known parents, no cycles.
#[derive(Debug, Clone)]
pub struct RevisionGraph {
    /// Sorted by file name, then id: index order is the tie-break order.
    revisions: Vec<Revision>,
    by_id: IdIndex,
    parents: Links,
    children: Links,
    topological: Vec<usize>,
    /// Indices sorted by id, for prefix lookups.
    by_id_sorted: Vec<usize>,
}

impl RevisionGraph {
    /// Builds the graph of a loaded set.
    pub fn build(set: &RevisionSet) -> Result<RevisionGraph, GraphError> {
        RevisionGraph::from_revisions(set.revisions().to_vec())
    }

    /// Builds the graph of any revisions, reporting every duplicate id, missing parent,
    /// self-parent, and (when those are fixed) every cycle.
    pub fn from_revisions(mut revisions: Vec<Revision>) -> Result<RevisionGraph, GraphError> {
        // A set's revisions come sorted already.
        if !revisions.is_sorted_by(|a, b| file_order(a) <= file_order(b)) {
            revisions.sort_by(|a, b| file_order(a).cmp(&file_order(b)));
        }
        let mut problems = Vec::new();
        let by_id = index_ids(&revisions, &mut problems);
        let parents = link_parents(&revisions, &by_id, &mut problems);
        if !problems.is_empty() {
            return Err(GraphError { problems });
        }
        let children = parents.reversed();
        let topological = kahn(&parents, &children);
        if topological.len() < revisions.len() {
            let problems = cycles(&revisions, &parents, &topological);
            return Err(GraphError { problems });
        }
        let mut by_id_sorted: Vec<usize> = (0..revisions.len()).collect();
        by_id_sorted.sort_by(|&a, &b| revisions[a].id().cmp(revisions[b].id()));
        Ok(RevisionGraph {
            revisions,
            by_id,
            parents,
            children,
            topological,
            by_id_sorted,
        })
    }

    /// How many revisions there are.
    pub fn len(&self) -> usize {
        self.revisions.len()
    }

    /// Whether there are no revisions at all.
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.index_of(id).map(|index| &self.revisions[index])
    }

    /// Revisions without parents, in topological order.
    pub fn roots(&self) -> Vec<&Revision> {
        self.in_order(|index| self.parents.of(index).is_empty())
    }

    /// Revisions without children, in topological order.
    pub fn heads(&self) -> Vec<&Revision> {
        self.in_order(|index| self.children.of(index).is_empty())
    }

    /// The parents of `id`, in `-- parents:` order; `None` for an unknown id.
    pub fn parents(&self, id: &str) -> Option<Vec<&Revision>> {
        let index = self.index_of(id)?;
        Some(
            self.parents
                .of(index)
                .iter()
                .map(|&parent| &self.revisions[parent])
                .collect(),
        )
    }

    /// The children of `id`, in file order; `None` for an unknown id.
    pub fn children(&self, id: &str) -> Option<Vec<&Revision>> {
        let index = self.index_of(id)?;
        Some(
            self.children
                .of(index)
                .iter()
                .map(|&child| &self.revisions[child])
                .collect(),
        )
    }

    /// Whether `id` has several parents.
    pub fn is_merge(&self, id: &str) -> bool {
        self.index_of(id)
            .is_some_and(|index| self.parents.of(index).len() > 1)
    }

    /// Everything `id` builds on, in topological order; `None` for an unknown id.
    pub fn ancestors(&self, id: &str, inclusion: Inclusion) -> Option<Vec<&Revision>> {
        let start = self.index_of(id)?;
        let mask = self.ancestor_mask(&[start]);
        Some(
            self.in_order(|index| {
                mask[index] && (index != start || inclusion == Inclusion::Inclusive)
            }),
        )
    }

    /// Everything built on `id`, in topological order; `None` for an unknown id.
    pub fn descendants(&self, id: &str, inclusion: Inclusion) -> Option<Vec<&Revision>> {
        let start = self.index_of(id)?;
        let mask = self.descendant_mask(&[start]);
        Some(
            self.in_order(|index| {
                mask[index] && (index != start || inclusion == Inclusion::Inclusive)
            }),
        )
    }

    /// Every revision, parents before children; ties go to the earlier file name, then id.
    pub fn topological_order(&self) -> Vec<&Revision> {
        self.in_order(|_| true)
    }

    /// The revision a user's target names: a whole id, or a unique prefix of 4 or more characters.
    pub fn resolve(&self, target: &str) -> Result<&Revision, ResolveError> {
        self.resolve_index(target)
            .map(|index| &self.revisions[index])
    }

    pub(crate) fn resolve_index(&self, target: &str) -> Result<usize, ResolveError> {
        if let Some(index) = self.index_of(target) {
            return Ok(index);
        }
        let target_owned = || target.to_owned();
        if target.len() < 4 {
            return Err(ResolveError::TooShort {
                target: target_owned(),
            });
        }
        let first = self
            .by_id_sorted
            .partition_point(|&index| self.revisions[index].id() < target);
        let matches: Vec<usize> = self.by_id_sorted[first..]
            .iter()
            .copied()
            .take_while(|&index| self.revisions[index].id().starts_with(target))
            .collect();
        match matches[..] {
            [] => Err(ResolveError::Unknown {
                target: target_owned(),
            }),
            [only] => Ok(only),
            _ => {
                let candidates = matches.iter().map(|&index| {
                    let revision = &self.revisions[index];
                    (revision.id().to_owned(), revision.path().to_owned())
                });
                Err(ResolveError::Ambiguous {
                    target: target_owned(),
                    candidates: candidates.collect(),
                })
            }
        }
    }

    /// Indices of the heads, in topological order.
    pub(crate) fn head_indices(&self) -> Vec<usize> {
        let heads = self.topological.iter().copied();
        heads
            .filter(|&index| self.children.of(index).is_empty())
            .collect()
    }

    pub(crate) fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(&self.revisions, id)
    }

    pub(crate) fn at(&self, index: usize) -> &Revision {
        &self.revisions[index]
    }

    pub(crate) fn parent_indices(&self, index: usize) -> &[usize] {
        self.parents.of(index)
    }

    pub(crate) fn child_indices(&self, index: usize) -> &[usize] {
        self.children.of(index)
    }

    /// Indices in topological order.
    pub(crate) fn topological_indices(&self) -> &[usize] {
        &self.topological
    }

    /// `mask[i]` is true for every start and everything it builds on.
    pub(crate) fn ancestor_mask(&self, starts: &[usize]) -> Vec<bool> {
        walk(self.revisions.len(), starts, |index| self.parents.of(index))
    }

    /// `mask[i]` is true for every start and everything built on it.
    pub(crate) fn descendant_mask(&self, starts: &[usize]) -> Vec<bool> {
        walk(self.revisions.len(), starts, |index| {
            self.children.of(index)
        })
    }

    fn in_order(&self, keep: impl Fn(usize) -> bool) -> Vec<&Revision> {
        let kept = self
            .topological
            .iter()
            .copied()
            .filter(|&index| keep(index));
        kept.map(|index| &self.revisions[index]).collect()
    }
}

/// Marks everything reachable from `starts` (inclusive) through `next`; each edge is seen once.
fn walk<'a>(len: usize, starts: &[usize], next: impl Fn(usize) -> &'a [usize]) -> Vec<bool> {
    let mut seen = vec![false; len];
    let mut stack: Vec<usize> = Vec::new();
    for &start in starts {
        if !seen[start] {
            seen[start] = true;
            stack.push(start);
        }
    }
    while let Some(index) = stack.pop() {
        for &neighbour in next(index) {
            if !seen[neighbour] {
                seen[neighbour] = true;
                stack.push(neighbour);
            }
        }
    }
    seen
}

/// The id → index map; later files that reuse an id are reported and left out of it.
fn index_ids(revisions: &[Revision], problems: &mut Vec<GraphProblem>) -> IdIndex {
    let mut by_id = IdIndex::with_capacity(revisions.len());
    for (index, revision) in revisions.iter().enumerate() {
        if let Err(first) = by_id.insert(revisions, index) {
            let other = &revisions[first];
            problems.push(GraphProblem::DuplicateId {
                id: revision.id().to_owned(),
                path: revision.path().to_owned(),
                line: revision.revision_line(),
                other_path: other.path().to_owned(),
                other_line: other.revision_line(),
            });
        }
    }
    by_id
}

/// Each revision's parent indices; self-parents and unknown parents are reported.
fn link_parents(
    revisions: &[Revision],
    by_id: &IdIndex,
    problems: &mut Vec<GraphProblem>,
) -> Links {
    let mut parents = Links::with_capacity(revisions.len());
    for revision in revisions {
        let (id, path, line) = (revision.id(), revision.path(), revision.parents_line());
        for parent in revision.parents() {
            match by_id.get(revisions, parent) {
                _ if parent == id => problems.push(GraphProblem::SelfParent {
                    id: id.to_owned(),
                    path: path.to_owned(),
                    line,
                }),
                Some(index) => parents.push(index),
                None => problems.push(GraphProblem::MissingParent {
                    id: id.to_owned(),
                    parent: parent.to_owned(),
                    path: path.to_owned(),
                    line,
                }),
            }
        }
        parents.end_node();
    }
    parents
}

/// Kahn's algorithm; among revisions ready at once, the lowest index (file name, id) goes first.
/// Revisions on or after a cycle are missing from the answer.
fn kahn(parents: &Links, children: &Links) -> Vec<usize> {
    let mut waiting_on: Vec<usize> = (0..parents.len())
        .map(|index| parents.of(index).len())
        .collect();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..parents.len())
        .filter(|&index| waiting_on[index] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(parents.len());
    while let Some(Reverse(index)) = ready.pop() {
        order.push(index);
        for &child in children.of(index) {
            waiting_on[child] -= 1;
            if waiting_on[child] == 0 {
                ready.push(Reverse(child));
            }
        }
    }
    order
}

/// The cycles among the revisions Kahn could not order, each found by following parents until
/// a revision repeats; every revision is walked at most once.
fn cycles(revisions: &[Revision], parents: &Links, ordered: &[usize]) -> Vec<GraphProblem> {
    const UNSEEN: usize = usize::MAX;
    let mut left = vec![true; revisions.len()];
    for &index in ordered {
        left[index] = false;
    }
    let mut walk_of = vec![UNSEEN; revisions.len()];
    let mut problems = Vec::new();
    for start in (0..revisions.len()).filter(|&index| left[index]) {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(index) = current.filter(|&index| walk_of[index] == UNSEEN) {
            walk_of[index] = start;
            path.push(index);
            // A revision Kahn could not order always waits on a parent it could not order.
            current = parents
                .of(index)
                .iter()
                .copied()
                .find(|&parent| left[parent]);
        }
        if let Some(current) = current.filter(|&index| walk_of[index] == start)
            && let Some(cycle_start) = path.iter().position(|&index| index == current)
        {
            problems.push(cycle_problem(revisions, &path[cycle_start..]));
        }
    }
    problems
}

/// The cycle rotated to start at its earliest file, so the report is stable.
fn cycle_problem(revisions: &[Revision], cycle: &[usize]) -> GraphProblem {
    let first = (0..cycle.len()).min_by_key(|&at| cycle[at]).unwrap_or(0);
    let rotated = cycle[first..].iter().chain(&cycle[..first]);
    let members = rotated.map(|&index| {
        let revision = &revisions[index];
        (revision.id().to_owned(), revision.path().to_owned())
    });
    let head = &revisions[cycle[first]];
    GraphProblem::Cycle {
        path: head.path().to_owned(),
        line: head.parents_line(),
        cycle: members.collect(),
    }
}

#[cfg(test)]
#[path = "graph_tests.rs"]
mod tests;
