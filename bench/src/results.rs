//! What one run of the suite measured, as plain data for the report.

use std::time::Duration;

/// One measure of one command: the median wall time of the timed runs and the peak RSS of
/// the warm-up run, or why there is none.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Measured.
    Measured {
        /// Median wall time.
        median: Duration,
        /// Peak resident set size, KiB.
        rss_kib: u64,
    },
    /// The tool ran but failed, or applied less than the workload.
    Failed(String),
    /// The tool could not be installed or built.
    Missing(String),
}

impl Outcome {
    /// The median, when measured.
    pub fn median(&self) -> Option<Duration> {
        match self {
            Outcome::Measured { median, .. } => Some(*median),
            _ => None,
        }
    }

    /// The peak RSS in KiB, when measured.
    pub fn rss_kib(&self) -> Option<u64> {
        match self {
            Outcome::Measured { rss_kib, .. } => Some(*rss_kib),
            _ => None,
        }
    }
}

/// One tool at one workload size.
#[derive(Debug, Clone)]
pub struct ToolRow {
    /// The tool's label.
    pub label: &'static str,
    /// Fresh apply of all N revisions.
    pub fresh: Outcome,
    /// A second upgrade at head; `None` for tools that keep no history.
    pub noop: Option<Outcome>,
}

/// A status command (`current`, `history`, `migrate info`, …) at head.
#[derive(Debug, Clone)]
pub struct StatusRow {
    /// Tool and command, e.g. `alembic current`.
    pub label: String,
    /// Its measure.
    pub outcome: Outcome,
}

/// Everything measured at one workload size.
#[derive(Debug, Clone)]
pub struct SizeResult {
    /// N, the number of revisions.
    pub n: usize,
    /// One row per tool, in report order.
    pub tools: Vec<ToolRow>,
    /// `psql -c 'select 1'`: process start plus connect.
    pub select_one: Outcome,
    /// `select 1` while reading and hashing every file: the no-op floor (`noop_floor.rs`).
    pub noop_floor: Outcome,
    /// The status commands.
    pub status: Vec<StatusRow>,
}

/// The schema introspection/diff phase.
#[derive(Debug, Clone)]
pub struct SchemaResult {
    /// Tables in each generated schema.
    pub tables: usize,
    /// Differences planted between the two schemas.
    pub planted: usize,
    /// `migra --unsafe A B`, whole process.
    pub migra: Outcome,
    /// Statements migra printed.
    pub migra_statements: usize,
    /// Ours, in process: introspect both and diff.
    pub ours: Outcome,
    /// What the last in-process probe reported, when measured.
    pub ours_probe: Option<crate::schema_probe::Probe>,
    /// `clipdex-migrate diff --from A --to B`, whole process.
    pub ours_cli: Outcome,
}
