//! History ⇔ catalog: a workload declares what each of its statements does to the database
//! ([`Effect`]), and [`check`] decides whether a state the oracle captured is one that the
//! history allows — relations, each table's row count, INVALID indexes and unvalidated
//! constraints all included. A revision the history calls complete has done everything; one
//! it does not know has done nothing; a partial `transaction: none` revision has done exactly
//! its first `done` statements, except that the statement after them may also have run (or
//! half run, leaving an INVALID index) when it is one that must run outside a transaction.
//!
//! So an `INSERT` that ran twice, or an index the history counts as built but that is INVALID,
//! is an inconsistency here and not only at the end of a test.

use std::collections::{BTreeMap, BTreeSet};

use super::oracle::{Recorded, State};

/// What one statement does.
#[derive(Debug, Clone, Copy)]
pub enum Effect {
    /// Nothing a state shows (`SELECT pg_sleep`, `VACUUM`).
    Nothing,
    /// Creates a table in `public`, whose rows are then counted.
    CreatesTable(&'static str),
    /// Creates an index or a view in `public`.
    Creates(&'static str),
    /// `CREATE INDEX CONCURRENTLY`: interrupted, it leaves the index INVALID.
    BuildsConcurrently(&'static str),
    /// `DROP INDEX CONCURRENTLY`: interrupted, it leaves the index INVALID too.
    DropsConcurrently(&'static str),
    /// Drops relations (a table with its indexes, each named).
    Drops(&'static [&'static str]),
    Inserts(&'static str, i64),
    Deletes(&'static str, i64),
    /// Adds a constraint `NOT VALID`, named `public.table.constraint`.
    AddsUnvalidated(&'static str),
    Validates(&'static str),
    DropsConstraint(&'static str),
}

/// One statement: its SQL, what it does, and whether it must run outside a transaction.
#[derive(Debug)]
pub struct Statement {
    pub sql: &'static str,
    pub effect: Effect,
    pub alone: bool,
}

/// A statement that may run in a transaction.
pub const fn run(sql: &'static str, effect: Effect) -> Statement {
    Statement {
        sql,
        effect,
        alone: false,
    }
}

/// A statement that refuses a transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`, …).
pub const fn alone(sql: &'static str, effect: Effect) -> Statement {
    Statement {
        sql,
        effect,
        alone: true,
    }
}

/// One revision of a workload's chain.
#[derive(Debug)]
pub struct Revision {
    pub file: &'static str,
    pub id: &'static str,
    /// `transaction: none`.
    pub none: bool,
    pub up: &'static [Statement],
    pub down: &'static [Statement],
}

/// What the interrupted run was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    /// Downgrading from the head until `keep` revisions remain.
    Downgrade {
        keep: usize,
    },
}

/// Where an interrupted run stopped, as the state shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Found {
    /// `n` revisions complete, nothing partial.
    Between(usize),
    /// Revision `n` (0-based) recorded partial after `done` statements.
    Partial(usize, usize),
    /// Revision `n` still recorded, the first `done` statements of its down section run.
    PartialDown(usize, usize),
}

/// The state one point of a run leaves, as far as a workload's effects can tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Expected {
    relations: BTreeSet<String>,
    counts: BTreeMap<String, i64>,
    invalid: BTreeSet<String>,
    unvalidated: BTreeSet<String>,
}

impl Expected {
    fn apply(&mut self, effect: Effect) {
        let public = |name: &str| format!("public.{name}");
        match effect {
            Effect::Nothing => {}
            Effect::CreatesTable(table) => {
                self.relations.insert(table.to_owned());
                self.counts.insert(public(table), 0);
            }
            Effect::Creates(name) | Effect::BuildsConcurrently(name) => {
                self.relations.insert(name.to_owned());
            }
            Effect::DropsConcurrently(name) => self.drop(name),
            Effect::Drops(names) => names.iter().for_each(|name| self.drop(name)),
            Effect::Inserts(table, rows) => *self.counts.entry(public(table)).or_default() += rows,
            Effect::Deletes(table, rows) => *self.counts.entry(public(table)).or_default() -= rows,
            Effect::AddsUnvalidated(constraint) => {
                self.unvalidated.insert(constraint.to_owned());
            }
            Effect::Validates(constraint) | Effect::DropsConstraint(constraint) => {
                self.unvalidated.remove(constraint);
            }
        }
    }

    /// Applies a statement that was cut off half way: only a concurrent index build or drop
    /// leaves a trace, the index present and INVALID.
    fn apply_interrupted(&mut self, effect: Effect) -> bool {
        match effect {
            Effect::BuildsConcurrently(name) | Effect::DropsConcurrently(name) => {
                self.relations.insert(name.to_owned());
                self.invalid.insert(format!("public.{name}"));
                true
            }
            _ => false,
        }
    }

    fn drop(&mut self, name: &str) {
        let qualified = format!("public.{name}");
        self.relations.remove(name);
        self.counts.remove(&qualified);
        self.invalid.remove(&qualified);
        let prefix = format!("{qualified}.");
        self.unvalidated.retain(|c| !c.starts_with(&prefix));
    }

    fn with(mut self, statements: &[Statement]) -> Expected {
        statements.iter().for_each(|s| self.apply(s.effect));
        self
    }

    /// The same parts of a captured state.
    fn observed(state: &State) -> Expected {
        Expected {
            relations: state.relations.clone(),
            counts: state
                .rows
                .iter()
                .filter(|(table, _)| table.starts_with("public."))
                .map(|(table, rows)| (table.clone(), rows.count))
                .collect(),
            invalid: state.invalid_indexes.clone(),
            unvalidated: state.unvalidated_constraints.clone(),
        }
    }
}

/// Whether `state` is one the history allows after a run in `direction` through `revisions`
/// was interrupted; where it stopped, or every problem found.
pub fn check(
    revisions: &[Revision],
    direction: Direction,
    state: &State,
) -> Result<Found, Vec<String>> {
    let recorded: Vec<Option<Recorded>> = revisions
        .iter()
        .map(|revision| state.recorded.get(revision.id).copied())
        .collect();
    let mut problems = order_problems(revisions, &recorded);
    let unknown: Vec<&String> = state
        .recorded
        .keys()
        .filter(|id| !revisions.iter().any(|r| r.id == id.as_str()))
        .collect();
    if !unknown.is_empty() {
        problems.push(format!("the history records unknown revisions {unknown:?}"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let allowed = match direction {
        Direction::Upgrade => upgrade_states(revisions, &recorded),
        Direction::Downgrade { keep } => downgrade_states(revisions, &recorded, keep)?,
    };
    let observed = Expected::observed(state);
    allowed
        .iter()
        .find(|(_, expected)| *expected == observed)
        .map(|(found, _)| *found)
        .ok_or_else(|| {
            let allowed: Vec<String> = allowed
                .iter()
                .map(|(found, expected)| format!("  {found:?}: {expected:?}"))
                .collect();
            vec![format!(
                "the state is none the history allows\n  found:  {observed:?}\nallowed:\n{}",
                allowed.join("\n")
            )]
        })
}

/// A revision recorded before its parent finished, or a transactional one recorded partial.
fn order_problems(revisions: &[Revision], recorded: &[Option<Recorded>]) -> Vec<String> {
    let mut problems = Vec::new();
    for (index, (revision, state)) in revisions.iter().zip(recorded).enumerate() {
        let parents_complete = recorded[..index]
            .iter()
            .all(|r| *r == Some(Recorded::Complete));
        if state.is_some() && !parents_complete {
            problems.push(format!("{} is recorded before its parent", revision.id));
        }
        if matches!(state, Some(Recorded::Partial(_))) && !revision.none {
            problems.push(format!("{} is transactional but partial", revision.id));
        }
    }
    problems
}

/// The states an interrupted upgrade may leave, given what the history records.
fn upgrade_states(revisions: &[Revision], recorded: &[Option<Recorded>]) -> Vec<(Found, Expected)> {
    let mut state = Expected::default();
    for (index, revision) in revisions.iter().enumerate() {
        match recorded[index] {
            Some(Recorded::Complete) => state = state.with(revision.up),
            Some(Recorded::Partial(done)) => {
                let found = Found::Partial(index, done);
                let before = state.with(&revision.up[..done.min(revision.up.len())]);
                return in_doubt(found, before, revision.up.get(done));
            }
            None => return vec![(Found::Between(index), state)],
        }
    }
    vec![(Found::Between(revisions.len()), state)]
}

/// `before`, and where `next` runs outside a transaction (so its progress is recorded only
/// after it), `before` with `next` run and with `next` cut off half way.
fn in_doubt(found: Found, before: Expected, next: Option<&Statement>) -> Vec<(Found, Expected)> {
    let mut states = vec![(found, before.clone())];
    if let Some(next) = next.filter(|statement| statement.alone) {
        let mut ran = before.clone();
        ran.apply(next.effect);
        states.push((found, ran));
        let mut cut = before;
        if cut.apply_interrupted(next.effect) {
            states.push((found, cut));
        }
    }
    states
}

/// The states an interrupted downgrade (to `keep` revisions) may leave: the revisions the
/// history no longer records were wholly downgraded; the newest it records is untouched, or,
/// for a `transaction: none` revision (whose down section runs statement by statement and
/// records nothing until the end), downgraded through any prefix of its down section.
fn downgrade_states(
    revisions: &[Revision],
    recorded: &[Option<Recorded>],
    keep: usize,
) -> Result<Vec<(Found, Expected)>, Vec<String>> {
    let remaining = recorded.iter().take_while(|r| r.is_some()).count();
    if remaining < keep || recorded.iter().flatten().any(|r| *r != Recorded::Complete) {
        return Err(vec![format!(
            "a downgrade to {keep} revisions left the history {recorded:?}"
        )]);
    }
    let mut state = revisions
        .iter()
        .fold(Expected::default(), |state, revision| {
            state.with(revision.up)
        });
    for revision in revisions[remaining..].iter().rev() {
        state = state.with(revision.down);
    }
    let mut states = vec![(Found::Between(remaining), state.clone())];
    let newest = remaining.checked_sub(1).filter(|&index| index >= keep);
    if let Some(index) = newest.filter(|&index| revisions[index].none) {
        let down = revisions[index].down;
        for (done, statement) in down.iter().enumerate() {
            let found = Found::PartialDown(index, done);
            let mut cut = state.clone();
            if cut.apply_interrupted(statement.effect) {
                states.push((found, cut));
            }
            state.apply(statement.effect);
            states.push((Found::PartialDown(index, done + 1), state.clone()));
        }
    }
    Ok(states)
}

impl Found {
    /// Where in a run through `total` revisions in `direction` this state lies.
    pub fn landing(self, direction: Direction, total: usize) -> super::landing::Landing {
        use super::landing::Landing;
        let (start, end) = match direction {
            Direction::Upgrade => (0, total),
            Direction::Downgrade { keep } => (total, keep),
        };
        match self {
            Found::Between(n) if n == start => Landing::Before,
            Found::Between(n) if n == end => Landing::After,
            _ => Landing::Mid,
        }
    }
}
