//! What `check` found: findings with a file and line, the SQL diffs behind them, and what was
//! skipped — a plain value the CLI prints as lines or serialises as JSON.
//!
//! The names of [`CheckKind`] and of the lint rules are part of the JSON contract: CI scripts
//! filter on them, so they never change once released.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// One of the checks, by its stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckKind {
    /// `one-head`: the revision graph has a single head.
    OneHead,
    /// `sum-file`: `revisions.sum` and the files' checksums agree.
    SumFile,
    /// `replay`: the revisions apply, in order, on an empty database (needed by the others).
    Replay,
    /// `schema`: the revisions' head schema equals the declared schema in `schema/`.
    Schema,
    /// `round-trip`: every reversible revision's down restores the schema before it.
    RoundTrip,
    /// `lint`: statements that take heavy locks on tables that already exist.
    Lint,
    /// `queries`: every statement of `queries/` prepares against the head schema.
    Queries,
}

impl CheckKind {
    /// Every check, in the order they run and report.
    pub const ALL: [CheckKind; 7] = [
        CheckKind::OneHead,
        CheckKind::SumFile,
        CheckKind::Replay,
        CheckKind::Schema,
        CheckKind::RoundTrip,
        CheckKind::Lint,
        CheckKind::Queries,
    ];

    /// The stable name, as JSON and the `[kind]` of text output show it.
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::OneHead => "one-head",
            CheckKind::SumFile => "sum-file",
            CheckKind::Replay => "replay",
            CheckKind::Schema => "schema",
            CheckKind::RoundTrip => "round-trip",
            CheckKind::Lint => "lint",
            CheckKind::Queries => "queries",
        }
    }

    /// The check named `name`, if any.
    pub fn from_name(name: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for CheckKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One problem, where to fix it, and why it is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The check that found it.
    pub check: CheckKind,
    /// For `lint`: the hazard's stable name (`non-concurrent-index`, …); else `None`.
    pub rule: Option<String>,
    /// The file to fix, when there is one.
    pub file: Option<PathBuf>,
    /// Its 1-based line, when known.
    pub line: Option<u32>,
    /// One line saying what is wrong and, where there is one, the fix.
    pub message: String,
}

impl Finding {
    /// A finding of `check` with no file.
    pub fn new(check: CheckKind, message: impl Into<String>) -> Finding {
        Finding {
            check,
            rule: None,
            file: None,
            line: None,
            message: message.into(),
        }
    }

    /// The same finding at `file` (and `line`).
    pub fn at(mut self, file: impl Into<PathBuf>, line: Option<u32>) -> Finding {
        self.file = Some(file.into());
        self.line = line;
        self
    }

    /// `[check]`, or `[lint:rule]`.
    pub fn label(&self) -> String {
        match &self.rule {
            Some(rule) => format!("[{}:{rule}]", self.check),
            None => format!("[{}]", self.check),
        }
    }
}

/// `file:line: [check] message`, the way compilers print, so editors jump to it.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{}:{line}: ", file.display())?,
            (Some(file), None) => write!(f, "{}: ", file.display())?,
            _ => {}
        }
        write!(f, "{} {}", self.label(), self.message)
    }
}

/// SQL that shows a difference a finding talks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffSection {
    /// The check it belongs to.
    pub check: CheckKind,
    /// What the SQL does, on one line.
    pub title: String,
    /// The statements, as `schema::Diff::to_sql` writes them.
    pub sql: String,
}

/// A check that did not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The check.
    pub check: CheckKind,
    /// Why, on one line.
    pub reason: String,
}

/// A revision named in the report: its id and file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionRef {
    /// The id.
    pub revision: String,
    /// The file.
    pub file: PathBuf,
}

/// Everything one run of the checks found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The checks that ran, in order.
    pub ran: Vec<CheckKind>,
    /// The problems, in check order; empty when the project is clean.
    pub findings: Vec<Finding>,
    /// The SQL behind schema and round-trip findings.
    pub diffs: Vec<DiffSection>,
    /// Checks that were asked for but could not run (no `schema/`, say).
    pub skipped: Vec<Skipped>,
    /// Revisions without a down section, which the round trip skips.
    pub irreversible: Vec<RevisionRef>,
}

impl CheckReport {
    /// Whether nothing was found.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    pub(crate) fn skip(&mut self, check: CheckKind, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            check,
            reason: reason.into(),
        });
    }

    pub(crate) fn diff(&mut self, check: CheckKind, title: impl Into<String>, sql: String) {
        self.diffs.push(DiffSection {
            check,
            title: title.into(),
            sql,
        });
    }
}
