//! The revisions the crash tests interrupt, and what the database may look like after an
//! interruption: each statement that creates something names it, so the history rows can be
//! checked against the relations that exist.

use std::collections::BTreeSet;

use crate::support::Project;

/// One statement; `creates` is the relation it makes, if any; `alone` marks a statement that
/// refuses a transaction (run outside one, so its progress is recorded after it: the one
/// statement that may have run although the history does not say so).
pub struct Statement {
    pub sql: &'static str,
    pub creates: Option<&'static str>,
    pub alone: bool,
}

/// One revision of the chain.
pub struct Revision {
    pub file: &'static str,
    pub id: &'static str,
    pub none: bool,
    pub statements: &'static [Statement],
}

const fn run(sql: &'static str) -> Statement {
    Statement {
        sql,
        creates: None,
        alone: false,
    }
}

const fn create(sql: &'static str, creates: &'static str) -> Statement {
    Statement {
        sql,
        creates: Some(creates),
        alone: false,
    }
}

const fn alone(sql: &'static str, creates: Option<&'static str>) -> Statement {
    Statement {
        sql,
        creates,
        alone: true,
    }
}

/// A chain of four: transactional, `none`, transactional, `none`, with sleeps that widen the
/// windows between and inside statements.
pub const REVISIONS: [Revision; 4] = [
    Revision {
        file: "20260101T0000_r1.sql",
        id: "c1a500000001",
        none: false,
        statements: &[
            create("CREATE TABLE r1_a (id int)", "r1_a"),
            run("SELECT pg_sleep(0.01)"),
            create("CREATE TABLE r1_b (id int)", "r1_b"),
        ],
    },
    Revision {
        file: "20260102T0000_r2.sql",
        id: "c1a500000002",
        none: true,
        statements: &[
            create("CREATE TABLE r2_t (id int)", "r2_t"),
            run("INSERT INTO r2_t SELECT generate_series(1, 20000)"),
            alone(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS r2_i ON r2_t (id)",
                Some("r2_i"),
            ),
            run("SELECT pg_sleep(0.02)"),
            create("CREATE TABLE r2_u (id int)", "r2_u"),
            alone(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS r2_j ON r2_u (id)",
                Some("r2_j"),
            ),
        ],
    },
    Revision {
        file: "20260103T0000_r3.sql",
        id: "c1a500000003",
        none: false,
        statements: &[
            create("CREATE TABLE r3_a (id int)", "r3_a"),
            run("INSERT INTO r3_a SELECT generate_series(1, 20000)"),
            run("SELECT pg_sleep(0.02)"),
            create("CREATE INDEX r3_a_id ON r3_a (id)", "r3_a_id"),
        ],
    },
    Revision {
        file: "20260104T0000_r4.sql",
        id: "c1a500000004",
        none: true,
        statements: &[
            run("SELECT pg_sleep(0.01)"),
            create("CREATE TABLE r4_t (id int)", "r4_t"),
            alone("VACUUM r4_t", None),
            create("CREATE TABLE r4_u (id int)", "r4_u"),
        ],
    },
];

/// A project with the chain's files and their sum.
pub fn project() -> Project {
    let project = Project::empty();
    let mut parent = "";
    for revision in &REVISIONS {
        let transaction = if revision.none {
            "none"
        } else {
            "per-revision"
        };
        let body: Vec<String> = revision
            .statements
            .iter()
            .map(|statement| format!("{};", statement.sql))
            .collect();
        let text = format!(
            "-- revision: {}\n-- parents: {parent}\n-- transaction: {transaction}\n\n-- +up\n{}\n",
            revision.id,
            body.join("\n")
        );
        project.write(revision.file, &text);
        parent = revision.id;
    }
    project.sum();
    project
}

/// What the history table says about a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Absent,
    Complete,
    Partial(usize),
}

/// What was found after one interruption, for the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Found {
    /// `n` revisions complete, nothing partial.
    Between(usize),
    /// Revision `n` (0-based) partial after `done` statements.
    Partial(usize, usize),
}

/// Checks the history against the relations in `existing`; returns where the run stopped, or
/// every inconsistency found.
pub fn check(recorded: &[Recorded], existing: &BTreeSet<String>) -> Result<Found, Vec<String>> {
    let mut problems = Vec::new();
    let mut explained = BTreeSet::new();
    for (index, (revision, state)) in REVISIONS.iter().zip(recorded).enumerate() {
        let earlier_complete = recorded[..index].iter().all(|r| *r == Recorded::Complete);
        if *state != Recorded::Absent && !earlier_complete {
            problems.push(format!(
                "{} is recorded before its parent finished",
                revision.id
            ));
        }
        if matches!(state, Recorded::Partial(_)) && !revision.none {
            problems.push(format!("{} is transactional but partial", revision.id));
        }
        check_relations(revision, *state, existing, &mut explained, &mut problems);
    }
    for name in existing {
        if !explained.contains(name.as_str()) {
            problems.push(format!("{name} exists but no revision creates it"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let partial = recorded.iter().enumerate().find_map(|(index, r)| match r {
        Recorded::Partial(done) => Some(Found::Partial(index, *done)),
        _ => None,
    });
    let complete = recorded
        .iter()
        .filter(|r| **r == Recorded::Complete)
        .count();
    Ok(partial.unwrap_or(Found::Between(complete)))
}

/// Whether each relation `revision` creates exists as its recorded `state` allows.
fn check_relations(
    revision: &Revision,
    state: Recorded,
    existing: &BTreeSet<String>,
    explained: &mut BTreeSet<&'static str>,
    problems: &mut Vec<String>,
) {
    for (position, statement) in revision.statements.iter().enumerate() {
        let Some(name) = statement.creates else {
            continue;
        };
        explained.insert(name);
        let exists = existing.contains(name);
        if !allowed(state, position, statement.alone).contains(&exists) {
            problems.push(format!(
                "{name} (statement {} of {}, recorded {state:?}) exists: {exists}",
                position + 1,
                revision.id
            ));
        }
    }
}

/// Whether a statement's relation may exist, given what the history says.
fn allowed(state: Recorded, position: usize, alone: bool) -> &'static [bool] {
    match state {
        Recorded::Complete => &[true],
        Recorded::Absent => &[false],
        Recorded::Partial(done) if position < done => &[true],
        // The one statement that runs outside a transaction may have run unrecorded.
        Recorded::Partial(done) if position == done && alone => &[false, true],
        Recorded::Partial(_) => &[false],
    }
}
