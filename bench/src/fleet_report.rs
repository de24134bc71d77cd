//! The fleet bench's report: each measure with its time per tenant, the ratios the goals are
//! about, the machine and its load (`uptime`) at the start and the end.

use std::fmt::Write as _;
use std::time::Duration;

use crate::fleet_bench::Measured;

/// What the report says about the machine.
#[derive(Debug, Clone)]
pub struct FleetContext {
    /// `(key, value)` lines: date, CPUs, RAM, kernel, load, PostgreSQL.
    pub machine: Vec<(String, String)>,
    /// `uptime` when the measures started.
    pub uptime_start: String,
    /// `uptime` when they ended.
    pub uptime_end: String,
    /// The clipdex-migrate and Alembic versions.
    pub versions: Vec<(String, String)>,
}

/// The report as Markdown.
pub fn render(context: &FleetContext, measured: &[Measured]) -> String {
    let mut out = String::from(
        "## Fleet: tenant schemas and databases, 5 pending revisions each\n\n### Machine\n\n",
    );
    for (key, value) in context.machine.iter().chain(&context.versions) {
        let _ = writeln!(out, "- {key}: {value}");
    }
    let _ = writeln!(out, "- uptime at the start: `{}`", context.uptime_start);
    let _ = writeln!(out, "- uptime at the end: `{}`\n", context.uptime_end);
    out.push_str("| measure | wall (median) | per tenant | runs |\n|---|---:|---:|---:|\n");
    for m in measured {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            m.label,
            seconds(m.wall),
            millis(m.per_tenant()),
            m.runs
        );
    }
    out.push_str("\n### Against the goals\n\n| goal | measured | |\n|---|---|---|\n");
    for line in goals(measured) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("\n### Commands\n\n");
    for m in measured {
        let _ = writeln!(out, "- {}: `{}`", m.label, m.command);
    }
    out
}

/// The goals, each with what this run measured.
fn goals(measured: &[Measured]) -> Vec<String> {
    let find = |prefix: &str| measured.iter().find(|m| m.label.starts_with(prefix));
    let mut lines = Vec::new();
    let schemas4 = find("fleet upgrade --jobs 4").filter(|m| m.label.ends_with("schemas"));
    let schemas1 = find("fleet upgrade --jobs 1").filter(|m| m.label.ends_with("schemas"));
    let databases4 = measured
        .iter()
        .find(|m| m.label.starts_with("fleet upgrade --jobs 4") && m.label.ends_with("databases"));
    let noop =
        find("no-op at head, fleet upgrade --jobs 4").filter(|m| m.label.ends_with("schemas"));
    let seq_schemas = measured.iter().find(|m| {
        m.label.starts_with("shell loop of clipdex-migrate") && m.label.ends_with("schemas")
    });
    let seq_databases = measured.iter().find(|m| {
        m.label.starts_with("shell loop of clipdex-migrate") && m.label.ends_with("databases")
    });
    let alembic = find("shell loop of alembic");
    if let Some(fleet) = schemas4 {
        lines.push(row(
            "schemas, --jobs 4: ≤ 10 s",
            seconds(fleet.wall),
            fleet.wall <= Duration::from_secs(10),
        ));
        if let Some(one) = schemas1 {
            let ratio = ratio(one.wall, fleet.wall);
            lines.push(row(
                "schemas, --jobs 4 ≥ 3× faster than --jobs 1",
                format!("{ratio:.2}×"),
                ratio >= 3.0,
            ));
        }
        if let Some(seq) = seq_schemas {
            let ratio = ratio(seq.wall, fleet.wall);
            lines.push(row(
                "schemas: ≥ 10× faster than the sequential loop",
                format!("{ratio:.1}×"),
                ratio >= 10.0,
            ));
        }
        if let Some(alembic) = alembic {
            let ratio = ratio(alembic.per_tenant(), fleet.per_tenant());
            lines.push(row(
                "schemas: against the Alembic loop (per tenant)",
                format!(
                    "{ratio:.0}× ({} against {})",
                    millis(alembic.per_tenant()),
                    millis(fleet.per_tenant())
                ),
                true,
            ));
        }
    }
    if let Some(noop) = noop {
        lines.push(row(
            "no-op at head over the schemas: ≤ 2 s",
            seconds(noop.wall),
            noop.wall <= Duration::from_secs(2),
        ));
    }
    if let Some(fleet) = databases4 {
        lines.push(row(
            "databases, --jobs 4: ≤ 10 s",
            seconds(fleet.wall),
            fleet.wall <= Duration::from_secs(10),
        ));
        if let Some(seq) = seq_databases {
            let ratio = ratio(seq.wall, fleet.wall);
            lines.push(row(
                "databases: ≥ 3× faster than the sequential loop",
                format!("{ratio:.1}×"),
                ratio >= 3.0,
            ));
        }
    }
    lines
}

fn row(goal: &str, measured: String, met: bool) -> String {
    let verdict = if met { "met" } else { "missed" };
    format!("| {goal} | {measured} | {verdict} |")
}

fn ratio(slow: Duration, fast: Duration) -> f64 {
    slow.as_secs_f64() / fast.as_secs_f64().max(f64::MIN_POSITIVE)
}

fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
