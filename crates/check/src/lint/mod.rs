//! `lint`: statements that lock a table that already holds data, found before they run.
//!
//! A statement is only a hazard on a table that existed before its revision ran — creating an
//! index on a table made two statements earlier blocks nobody — so the lint is given the
//! tables (and their column types) from the catalog right before each revision, as the round
//! trip's walk read it. The revision's transaction mode matters too: in a `per-revision`
//! revision `CREATE INDEX CONCURRENTLY` is impossible (the fix is a `transaction: none`
//! revision), and in a `none` revision a `SET LOCAL` lasts only for its own statement.
//!
//! On Citus the catalog also says which tables are distributed, and [`citus`] adds the hazards
//! of a distributed database. Each hazard has a stable name and can be acknowledged in the
//! file ([`ack`]).

mod ack;
mod citus;
mod hazards;
mod not_null;
mod shape;
mod types;

use std::collections::BTreeMap;

use clipdex_core::{CitusShardMode, Revision, RevisionGraph, Statement};
use schema::{Catalog, QualifiedName};

use crate::options::LintConfig;
use crate::report::{CheckKind, Finding};

pub(crate) use ack::Acknowledgments;
use citus::{CitusState, Placement, citus_hazards};
use hazards::{Hazard, statement_hazards};

/// The stable names of the hazards, as findings and acknowledgments spell them; the last
/// four are Citus's.
pub const HAZARDS: [&str; 10] = [
    "non-concurrent-index",
    "not-null-without-default",
    "rewriting-type-change",
    "foreign-key-without-not-valid",
    "set-not-null",
    "missing-lock-timeout",
    citus::RULES[0],
    citus::RULES[1],
    citus::RULES[2],
    citus::RULES[3],
];

/// The tables that existed right before a revision, with their columns' types and, on Citus,
/// how each is placed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TablesBefore {
    tables: BTreeMap<QualifiedName, BTreeMap<String, String>>,
    placements: BTreeMap<QualifiedName, Placement>,
}

impl TablesBefore {
    /// The tables of `catalog`.
    pub fn of(catalog: &Catalog) -> TablesBefore {
        let tables = catalog.tables.iter().map(|(name, table)| {
            let columns = table
                .columns
                .iter()
                .map(|(c, column)| (c.clone(), column.data_type.clone()));
            (name.clone(), columns.collect())
        });
        let placements = catalog
            .citus
            .iter()
            .map(|(name, distribution)| (name.clone(), Placement::of(distribution)));
        TablesBefore {
            tables: tables.collect(),
            placements: placements.collect(),
        }
    }

    /// How Citus placed the table a statement names, looked up as [`Self::find`] does.
    fn placement(&self, schema: Option<&str>, name: &str) -> Option<&Placement> {
        lookup(&self.placements, schema, name)
    }

    /// The columns of the table a statement names; an unqualified name is looked up in
    /// `public`, then in any schema (the lint would rather warn than miss one).
    fn find(&self, schema: Option<&str>, name: &str) -> Option<&BTreeMap<String, String>> {
        lookup(&self.tables, schema, name)
    }
}

/// `name` in `schema`, or unqualified in `public`, then in any schema.
fn lookup<'a, V>(
    map: &'a BTreeMap<QualifiedName, V>,
    schema: Option<&str>,
    name: &str,
) -> Option<&'a V> {
    if let Some(schema) = schema {
        return map.get(&QualifiedName::new(schema, name));
    }
    map.get(&QualifiedName::new("public", name)).or_else(|| {
        map.iter()
            .find(|(key, _)| key.name == name)
            .map(|(_, value)| value)
    })
}

#[cfg(test)]
impl TablesBefore {
    /// Tables of schema `public` with their columns' types, for tests.
    pub(crate) fn public(tables: &[(&str, &[(&str, &str)])]) -> TablesBefore {
        let tables = tables.iter().map(|(name, columns)| {
            let columns = columns
                .iter()
                .map(|(c, t)| ((*c).to_owned(), (*t).to_owned()));
            (QualifiedName::new("public", *name), columns.collect())
        });
        TablesBefore {
            tables: tables.collect(),
            placements: BTreeMap::new(),
        }
    }

    /// The same tables, with `distributed` hash-distributed by the given columns.
    pub(crate) fn distributed(mut self, distributed: &[(&str, &str)]) -> TablesBefore {
        for (table, column) in distributed {
            let placement = Placement::Hash {
                column: (*column).to_owned(),
            };
            self.placements
                .insert(QualifiedName::new("public", *table), placement);
        }
        self
    }
}

/// Lints every revision in topological order; `before` has the tables before each revision
/// (by id) as far as the walk got. Revisions it did not reach are linted as if every table
/// they do not create themselves existed.
pub(crate) fn lint(
    graph: &RevisionGraph,
    before: &BTreeMap<String, TablesBefore>,
    config: &LintConfig,
) -> Vec<Finding> {
    let mut acknowledgments = Acknowledgments::default();
    let mut findings = Vec::new();
    for revision in graph.topological_order() {
        acknowledgments.read(revision.path());
        let known = before.get(revision.id());
        findings.extend(lint_revision(revision, known, config, &mut acknowledgments));
    }
    findings.append(&mut acknowledgments.problems);
    findings.extend(acknowledgments.unused());
    findings
}

fn lint_revision(
    revision: &Revision,
    before: Option<&TablesBefore>,
    config: &LintConfig,
    acknowledgments: &mut Acknowledgments,
) -> Vec<Finding> {
    let mut state =
        hazards::RevisionState::new(revision.transaction(), config.lock_timeout, before);
    let sequential = revision.citus_shard_mode() == CitusShardMode::Sequential;
    let mut citus_state = CitusState::new(revision.transaction(), sequential, before);
    let statements = match revision.up().statements() {
        Ok(statements) => statements,
        // Only a set loaded without its text can fail here; `check` keeps it.
        Err(error) => {
            let location = error.location();
            let finding = Finding::new(CheckKind::Lint, error.to_string());
            return vec![finding.at(location.file, location.line)];
        }
    };
    let mut findings = Vec::new();
    for statement in statements {
        acknowledgments.read(&statement.origin);
        let mut found = statement_hazards(statement, &mut state);
        found.extend(citus_hazards(statement, &mut citus_state));
        for hazard in found {
            if !acknowledgments.allows(&statement.origin, statement.line, hazard.rule) {
                findings.push(finding(statement, &hazard));
            }
        }
    }
    findings
}

fn finding(statement: &Statement, hazard: &Hazard) -> Finding {
    let acknowledge = format!(
        "or acknowledge it on the line above: `-- check: allow {} — <reason>`",
        hazard.rule
    );
    let message = format!("{}; {}, {acknowledge}", hazard.problem, hazard.fix);
    Finding {
        rule: Some(hazard.rule.to_owned()),
        ..Finding::new(CheckKind::Lint, message).at(&statement.origin, Some(statement.line))
    }
}

#[cfg(test)]
#[path = "lint_tests.rs"]
mod tests;
