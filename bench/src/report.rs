//! The markdown report: one table per workload size, the status commands, how the cost per
//! revision grows with N, and the schema phase, under the machine and tool versions.

use std::fmt::Write as _;
use std::time::Duration;

use crate::results::{Outcome, SchemaResult, SizeResult};

/// Where and with what the run was made.
#[derive(Debug, Clone)]
pub struct Context {
    /// `key: value` lines about the machine (date, CPUs, RAM, kernel, PostgreSQL).
    pub machine: Vec<(String, String)>,
    /// Tool and version.
    pub versions: Vec<(String, String)>,
    /// Timed fresh applies per tool (after one warm-up).
    pub reps: usize,
    /// Rounds of the quick measures (after one warm-up each).
    pub quick_reps: usize,
}

/// The whole report.
pub fn render(context: &Context, sizes: &[SizeResult], schema: Option<&SchemaResult>) -> String {
    let mut out = String::new();
    out.push_str("## Machine\n\n");
    for (key, value) in &context.machine {
        let _ = writeln!(out, "- {key}: {value}");
    }
    let _ = writeln!(
        out,
        "- runs: fresh apply, median of {} timed runs after 1 warm-up; no-op, status \
         commands, select 1 and the no-op floor, median of {} interleaved rounds after 1 \
         warm-up each (peak RSS from the warm-ups)",
        context.reps, context.quick_reps
    );
    out.push_str("\n## Tools\n\n");
    for (tool, version) in &context.versions {
        let _ = writeln!(out, "- {tool}: {version}");
    }
    let mut notes = Vec::new();
    for size in sizes {
        out.push_str(&size_table(size, &mut notes));
    }
    if sizes.len() > 1 {
        out.push_str(&growth_table(sizes));
    }
    if let Some(schema) = schema {
        out.push_str(&schema_table(schema, &mut notes));
    }
    if !notes.is_empty() {
        out.push_str("\n## Failures\n\n");
        for (index, note) in notes.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", index + 1, note.replace('\n', "\n   "));
        }
    }
    out
}

fn size_table(size: &SizeResult, notes: &mut Vec<String>) -> String {
    let mut out = format!("\n## N = {} revisions\n\n", thousands(size.n as u128));
    out.push_str("| tool | fresh apply | × floor | per revision | no-op at head | × select-1 | peak RSS (fresh) | peak RSS (no-op) |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let floor = size
        .tools
        .iter()
        .find(|row| row.label == "floor")
        .and_then(|row| row.fresh.median());
    let select_one = size.select_one.median();
    for row in &size.tools {
        let fresh = cell(&row.fresh, row.label, notes);
        let per_revision = row
            .fresh
            .median()
            .map(|median| millis(median / size.n as u32));
        let noop = row.noop.as_ref().map(|noop| cell(noop, row.label, notes));
        let noop_ratio = row
            .noop
            .as_ref()
            .and_then(|noop| ratio(noop.median(), select_one));
        let noop_rss = row.noop.as_ref().and_then(Outcome::rss_kib).map(mib);
        let _ = writeln!(
            out,
            "| {} | {fresh} | {} | {} | {} | {} | {} | {} |",
            row.label,
            dash(ratio(row.fresh.median(), floor)),
            dash(per_revision),
            dash(noop),
            dash(noop_ratio),
            dash(row.fresh.rss_kib().map(mib)),
            dash(noop_rss),
        );
    }
    let _ = writeln!(
        out,
        "| `psql -c 'select 1'` | — | — | — | {} | 1.00 | — | {} |",
        cell(&size.select_one, "select 1", notes),
        dash(size.select_one.rss_kib().map(mib)),
    );
    let _ = writeln!(
        out,
        "| no-op floor: `select 1` while reading and hashing every file | — | — | — | {} | {} | — | {} |",
        cell(&size.noop_floor, "no-op floor", notes),
        dash(ratio(size.noop_floor.median(), select_one)),
        dash(size.noop_floor.rss_kib().map(mib)),
    );
    if !size.status.is_empty() {
        out.push_str("\n| status command (at head) | median | × select-1 | peak RSS |\n|---|---:|---:|---:|\n");
        for row in &size.status {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                row.label,
                cell(&row.outcome, &row.label, notes),
                dash(ratio(row.outcome.median(), select_one)),
                dash(row.outcome.rss_kib().map(mib)),
            );
        }
    }
    out
}

fn growth_table(sizes: &[SizeResult]) -> String {
    let mut out = String::from("\n## Cost per revision as N grows (fresh apply ÷ N)\n\n| tool |");
    for size in sizes {
        let _ = write!(out, " N = {} |", thousands(size.n as u128));
    }
    let (first, last) = (&sizes[0], &sizes[sizes.len() - 1]);
    let _ = writeln!(
        out,
        " {} vs {} |",
        thousands(last.n as u128),
        thousands(first.n as u128)
    );
    out.push_str(&format!("|---|{}---:|\n", "---:|".repeat(sizes.len())));
    for (index, row) in first.tools.iter().enumerate() {
        let per_revision = |size: &SizeResult| {
            let median = size.tools.get(index)?.fresh.median()?;
            Some(median.as_secs_f64() * 1e3 / size.n as f64)
        };
        let _ = write!(out, "| {} |", row.label);
        for size in sizes {
            let _ = write!(
                out,
                " {} |",
                dash(per_revision(size).map(|ms| format!("{ms:.3} ms")))
            );
        }
        let growth = per_revision(last)
            .zip(per_revision(first))
            .map(|(l, f)| format!("{:.2}×", l / f));
        let _ = writeln!(out, " {} |", dash(growth));
    }
    out
}

fn schema_table(schema: &SchemaResult, notes: &mut Vec<String>) -> String {
    let mut out = format!(
        "\n## Schema introspection and diff: two {}-table schemas, {} planted differences\n\n",
        thousands(schema.tables as u128),
        schema.planted
    );
    out.push_str("| tool | median | migra ÷ this | peak RSS | notes |\n|---|---:|---:|---:|---|\n");
    let migra = schema.migra.median();
    let rows = [
        (
            "migra (whole process)",
            &schema.migra,
            format!("{} statements", schema.migra_statements),
        ),
        (
            "clipdex `schema` in process (introspect ×2 + diff)",
            &schema.ours,
            schema.ours_probe.map(probe_note).unwrap_or_default(),
        ),
        (
            "`clipdex-migrate diff` (whole process)",
            &schema.ours_cli,
            String::new(),
        ),
    ];
    for (label, outcome, note) in rows {
        let speedup = ratio(migra, outcome.median());
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {note} |",
            cell(outcome, label, notes),
            dash(speedup),
            dash(outcome.rss_kib().map(mib))
        );
    }
    out
}

fn probe_note(probe: crate::schema_probe::Probe) -> String {
    format!(
        "{} changes; {} catalog queries per introspection; the diff alone {}",
        probe.changes,
        probe.queries,
        millis(probe.diff)
    )
}

/// A median, or a pointer to a note saying why there is none.
fn cell(outcome: &Outcome, label: &str, notes: &mut Vec<String>) -> String {
    match outcome {
        Outcome::Measured { median, .. } => millis(*median),
        Outcome::Failed(why) | Outcome::Missing(why) => {
            let word = if matches!(outcome, Outcome::Failed(_)) {
                "failed"
            } else {
                "missing"
            };
            notes.push(format!("{label}: {word}: {why}"));
            format!("{word} ({})", notes.len())
        }
    }
}

fn ratio(value: Option<Duration>, base: Option<Duration>) -> Option<String> {
    let (value, base) = (value?, base?);
    (!base.is_zero()).then(|| format!("{:.2}", value.as_secs_f64() / base.as_secs_f64()))
}

fn dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".to_owned())
}

/// `9.4 ms` under 100 ms, `1,267 ms` above.
pub fn millis(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{} ms", thousands(ms.round() as u128))
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn thousands(value: u128) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
