//! What `upgrade` and `downgrade` will run, decided from the files and the database's history
//! alone.
//!
//! The runner reads its history table into an [`AppliedState`] (plain data) and asks for a
//! [`Plan`]; everything about ordering, targets and safety is decided here, without a
//! database, so every case is a unit test on a tiny graph. Upgrades run parents before
//! children; downgrades run the reverse. Safety checks come first and refuse to plan at all.

use std::collections::BTreeSet;
use std::num::NonZeroU32;

use crate::checksum::Checksum;
use crate::graph::RevisionGraph;
use crate::plan_error::PlanError;
use crate::revision::{Revision, Section};
use crate::revision_error::RevisionError;
use crate::target::{DowngradeTarget, UpgradeTarget};

/// One row of the history table, reduced to what planning needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRevision {
    /// The revision id.
    pub id: String,
    /// The checksum of the up section that ran.
    pub up_checksum: Checksum,
}

/// An edit of an applied revision that someone accepted: the revision's up section may now
/// have this checksum without being reported as edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedEdit {
    /// The revision id.
    pub id: String,
    /// The accepted up checksum.
    pub up_checksum: Checksum,
}

/// What the database says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppliedState {
    /// Every applied revision, in any order.
    pub applied: Vec<AppliedRevision>,
    /// Accepted edits of applied revisions.
    pub accepted_edits: Vec<AcceptedEdit>,
}

/// Safety checks the caller waives on purpose. The default waives nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Plan even if an applied revision's up section changed (`EditedRevision`).
    pub allow_edited: bool,
    /// Plan even if the database has revisions no file declares; they are left alone.
    pub allow_unknown_applied: bool,
    /// Plan even if a pending revision has an applied descendant (`OutOfOrder`).
    pub allow_out_of_order: bool,
    /// An empty plan is a success instead of `NothingToDo` (`upgrade` when up to date).
    pub allow_empty: bool,
}

/// Which way a plan goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Apply up sections, parents first.
    Upgrade,
    /// Apply down sections, children first.
    Downgrade,
}

/// One revision to run, and the section of it to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'g> {
    /// The revision.
    pub revision: &'g Revision,
    /// Its up section for an upgrade, its down section for a downgrade.
    pub section: &'g Section,
}

/// The revisions to run, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan<'g> {
    /// Up or down.
    pub direction: Direction,
    /// The steps, in the order they must run.
    pub steps: Vec<Step<'g>>,
}

/// The applied state resolved against a graph: `applied[i]` for each revision index.
struct Applied {
    applied: Vec<bool>,
}

impl<'g> Plan<'g> {
    /// Applies everything `target` needs that is not applied yet, parents first.
    pub fn upgrade(
        graph: &'g RevisionGraph,
        state: &AppliedState,
        target: &UpgradeTarget,
        options: &PlanOptions,
    ) -> Result<Plan<'g>, PlanError> {
        let applied = check_applied(graph, state, options)?;
        let targets = upgrade_targets(graph, target)?;
        let wanted = graph.ancestor_mask(&targets);
        let pending: Vec<usize> = graph
            .topological_indices()
            .iter()
            .copied()
            .filter(|&index| wanted[index] && !applied.applied[index])
            .collect();
        if !options.allow_out_of_order {
            check_order(graph, &applied, &pending)?;
        }
        let steps = pending.iter().map(|&index| {
            let revision = graph.at(index);
            Step {
                revision,
                section: revision.up(),
            }
        });
        finish(
            Direction::Upgrade,
            steps.collect(),
            target.to_string(),
            options,
        )
    }

    /// Unapplies what `target` says, children first; refuses to pass an irreversible revision,
    /// or one whose down section cannot run as written ([`Revision::down_problems`]).
    pub fn downgrade(
        graph: &'g RevisionGraph,
        state: &AppliedState,
        target: &DowngradeTarget,
        options: &PlanOptions,
    ) -> Result<Plan<'g>, PlanError> {
        let applied = check_applied(graph, state, options)?;
        let order = match target {
            DowngradeTarget::Base => reverse_applied(graph, &applied.applied),
            DowngradeTarget::Revision(id) => {
                unapply_above(graph, &applied, graph.resolve_index(id)?)?
            }
            DowngradeTarget::StepsBack(steps) => steps_back(graph, &applied, *steps)?,
        };
        let mut steps = Vec::with_capacity(order.len());
        for index in order {
            let revision = graph.at(index);
            let Some(section) = revision.down() else {
                return Err(PlanError::Irreversible {
                    id: revision.id().to_owned(),
                    path: revision.path().to_owned(),
                    line: revision.revision_line(),
                });
            };
            if let Some(refusal) = down_not_runnable(revision) {
                return Err(refusal);
            }
            steps.push(Step { revision, section });
        }
        finish(Direction::Downgrade, steps, target.to_string(), options)
    }

    /// Whether there is nothing to run.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The ids of the steps, in order.
    pub fn ids(&self) -> Vec<&'g str> {
        self.steps.iter().map(|step| step.revision.id()).collect()
    }
}

/// The refusal for the first statement of `revision`'s down section that cannot run.
fn down_not_runnable(revision: &Revision) -> Option<PlanError> {
    revision
        .down_problems()
        .iter()
        .find_map(|problem| match problem {
            RevisionError::TransactionBlocked {
                path,
                line,
                blocker,
                ..
            } => Some(PlanError::DownNotRunnable {
                id: revision.id().to_owned(),
                path: path.clone(),
                line: *line,
                command: blocker.command,
            }),
            _ => None,
        })
}

fn finish<'g>(
    direction: Direction,
    steps: Vec<Step<'g>>,
    target: String,
    options: &PlanOptions,
) -> Result<Plan<'g>, PlanError> {
    if steps.is_empty() && !options.allow_empty {
        let verb = match direction {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        };
        return Err(PlanError::NothingToDo { verb, target });
    }
    Ok(Plan { direction, steps })
}

/// Maps the applied ids onto the graph, checking for unknown and edited revisions.
fn check_applied(
    graph: &RevisionGraph,
    state: &AppliedState,
    options: &PlanOptions,
) -> Result<Applied, PlanError> {
    // The checksum each revision ran with, by graph index; `None` where it is not applied.
    let mut applied_checksums = vec![None; graph.len()];
    for row in &state.applied {
        match graph.index_of(&row.id) {
            Some(index) => applied_checksums[index] = Some(row.up_checksum),
            None if options.allow_unknown_applied => {}
            None => return Err(PlanError::UnknownAppliedRevision { id: row.id.clone() }),
        }
    }
    if !options.allow_edited {
        check_edits(graph, &applied_checksums, &state.accepted_edits)?;
    }
    Ok(Applied {
        applied: applied_checksums.iter().map(Option::is_some).collect(),
    })
}

/// The first applied revision (in topological order) whose up section changed without the
/// change being accepted.
fn check_edits(
    graph: &RevisionGraph,
    applied_checksums: &[Option<Checksum>],
    accepted_edits: &[AcceptedEdit],
) -> Result<(), PlanError> {
    let accepted: BTreeSet<(&str, Checksum)> = accepted_edits
        .iter()
        .map(|edit| (edit.id.as_str(), edit.up_checksum))
        .collect();
    for &index in graph.topological_indices() {
        let (Some(ran), revision) = (applied_checksums[index], graph.at(index)) else {
            continue;
        };
        let now = revision.up_checksum();
        if ran != now && !accepted.contains(&(revision.id(), now)) {
            return Err(PlanError::EditedRevision {
                id: revision.id().to_owned(),
                path: revision.path().to_owned(),
                line: revision.up().marker_line(),
                applied: ran,
                file: now,
            });
        }
    }
    Ok(())
}

/// The revision indices an upgrade target names.
fn upgrade_targets(graph: &RevisionGraph, target: &UpgradeTarget) -> Result<Vec<usize>, PlanError> {
    match target {
        UpgradeTarget::Revision(id) => Ok(vec![graph.resolve_index(id)?]),
        UpgradeTarget::Heads => Ok(graph.head_indices()),
        UpgradeTarget::Head => match graph.head_indices()[..] {
            [] => Err(PlanError::NoRevisions),
            [head] => Ok(vec![head]),
            ref heads => {
                let heads: Vec<&Revision> = heads.iter().map(|&index| graph.at(index)).collect();
                Err(PlanError::MultipleHeads {
                    heads: id_paths(&heads),
                })
            }
        },
    }
}

/// A downgrade to `keep`: its applied descendants, children first; `keep` must be applied.
fn unapply_above(
    graph: &RevisionGraph,
    applied: &Applied,
    keep: usize,
) -> Result<Vec<usize>, PlanError> {
    if !applied.applied[keep] {
        let revision = graph.at(keep);
        return Err(PlanError::TargetNotApplied {
            id: revision.id().to_owned(),
            path: revision.path().to_owned(),
            line: revision.revision_line(),
        });
    }
    let mut undo = graph.descendant_mask(&[keep]);
    undo[keep] = false;
    for (undo, applied) in undo.iter_mut().zip(&applied.applied) {
        *undo &= *applied;
    }
    Ok(reverse_applied(graph, &undo))
}

/// Refuses to apply a pending revision under an applied descendant.
fn check_order(
    graph: &RevisionGraph,
    applied: &Applied,
    pending: &[usize],
) -> Result<(), PlanError> {
    let applied_indices: Vec<usize> = (0..graph.len())
        .filter(|&index| applied.applied[index])
        .collect();
    let under_applied = graph.ancestor_mask(&applied_indices);
    let Some(&late) = pending.iter().find(|&&index| under_applied[index]) else {
        return Ok(());
    };
    let descendants = graph.descendant_mask(&[late]);
    let first_applied = graph
        .topological_indices()
        .iter()
        .copied()
        .find(|&index| descendants[index] && applied.applied[index]);
    let revision = graph.at(late);
    let descendant = graph.at(first_applied.unwrap_or(late));
    Err(PlanError::OutOfOrder {
        id: revision.id().to_owned(),
        path: revision.path().to_owned(),
        line: revision.parents_line(),
        descendant: descendant.id().to_owned(),
        descendant_path: descendant.path().to_owned(),
    })
}

/// The marked revisions, children before parents.
fn reverse_applied(graph: &RevisionGraph, marked: &[bool]) -> Vec<usize> {
    graph
        .topological_indices()
        .iter()
        .rev()
        .copied()
        .filter(|&index| marked[index])
        .collect()
}

/// `-N`: peel the single applied head off N times.
fn steps_back(
    graph: &RevisionGraph,
    applied: &Applied,
    steps: NonZeroU32,
) -> Result<Vec<usize>, PlanError> {
    let is_applied = &applied.applied;
    let mut applied_children: Vec<usize> = (0..graph.len())
        .map(|index| {
            graph
                .child_indices(index)
                .iter()
                .filter(|&&child| is_applied[child])
                .count()
        })
        .collect();
    let mut heads: BTreeSet<usize> = (0..graph.len())
        .filter(|&index| is_applied[index] && applied_children[index] == 0)
        .collect();
    let mut order = Vec::new();
    for _ in 0..steps.get() {
        let head = only_head(graph, &heads, is_applied, steps)?;
        heads.clear();
        order.push(head);
        for &parent in graph.parent_indices(head) {
            applied_children[parent] -= 1;
            if is_applied[parent] && applied_children[parent] == 0 {
                heads.insert(parent);
            }
        }
    }
    Ok(order)
}

/// The one applied head to step back from, or why there is not exactly one.
fn only_head(
    graph: &RevisionGraph,
    heads: &BTreeSet<usize>,
    is_applied: &[bool],
    steps: NonZeroU32,
) -> Result<usize, PlanError> {
    let steps = steps.get();
    match heads.iter().copied().collect::<Vec<_>>()[..] {
        [] => {
            let applied = is_applied.iter().filter(|&&applied| applied).count();
            Err(PlanError::NotEnoughApplied { steps, applied })
        }
        [head] => Ok(head),
        ref several => {
            let heads: Vec<&Revision> = several.iter().map(|&index| graph.at(index)).collect();
            Err(PlanError::AmbiguousStepsBack {
                steps,
                heads: id_paths(&heads),
            })
        }
    }
}

fn id_paths(revisions: &[&Revision]) -> Vec<(String, std::path::PathBuf)> {
    revisions
        .iter()
        .map(|revision| (revision.id().to_owned(), revision.path().to_owned()))
        .collect()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
