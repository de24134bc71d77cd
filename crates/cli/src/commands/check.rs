//! `check`: the CI gate. Runs the `check` crate on shadow databases and prints its report;
//! exit 1 when it found anything, 0 when the project is clean.
//!
//! Text: one finding per line, `file:line: [check] message` (`[lint:<hazard>]` for the lint),
//! then the SQL behind schema and round-trip findings, then the checks that were skipped and
//! why (no `schema/`, no `queries/`), the irreversible revisions the round trip skipped, and a
//! summary line.
//!
//! JSON: `{"command": "check", "ok", "shadow", "ran": [check], "findings": [{"check", "rule",
//! "file", "line", "message"}], "diffs": [{"check", "title", "sql"}], "skipped": [{"check",
//! "reason"}], "irreversible": [{"revision", "file"}]}` where a check is one of `one-head`,
//! `sum-file`, `replay`, `schema`, `round-trip`, `lint`, `queries`.

use check::{CheckKind, CheckOptions, CheckReport, LintConfig};
use clipdex_core::{LoadedMigrations, SumCheck};
use serde::Serialize;

use crate::args::CheckArgs;
use crate::context::Context;
use crate::error::CliError;
use crate::exit::Verdict;
use crate::migrations;
use crate::output::Report;
use crate::shadow_source;

/// What `check` prints.
#[derive(Debug, Serialize)]
struct CheckOutcome {
    command: &'static str,
    ok: bool,
    /// Where the shadow databases were created (redacted), when one was.
    shadow: Option<String>,
    #[serde(flatten)]
    report: CheckReport,
}

/// Runs `check`.
pub async fn run(context: &Context, args: CheckArgs) -> Result<Verdict, CliError> {
    // The sum file is one of the checks: a mismatch is a finding, not a load error.
    let loaded = LoadedMigrations::read_dir(&context.migrations_dir(), SumCheck::Report)?;
    let server = shadow_source::server_for_target(context, None, loaded.graph()).await?;
    let options = options(context, &args);
    let checked = check::run_checks(&loaded, &server, &options).await;
    shadow_source::print_notices(&server, &context.out);
    let report = checked?;
    let outcome = CheckOutcome {
        command: "check",
        ok: report.is_clean(),
        shadow: server.describe(),
        report,
    };
    context.out.report(&outcome);
    Ok(match outcome.ok {
        true => Verdict::Clean,
        false => Verdict::ProblemsReported,
    })
}

fn options(context: &Context, args: &CheckArgs) -> CheckOptions {
    let checks = CheckKind::ALL
        .into_iter()
        .filter(|kind| args.only.is_empty() || args.only.contains(kind))
        .filter(|kind| !args.skip.contains(kind))
        .collect();
    let shown = |dir| migrations::shown_path(dir, &context.cwd);
    CheckOptions {
        schema_dir: shown(&context.config.schema_dir),
        queries_dir: shown(&context.config.queries_dir),
        lint: LintConfig {
            lock_timeout: context.config.runner_config().lock_timeout,
        },
        checks,
    }
}

impl Report for CheckOutcome {
    fn human(&self) -> Vec<String> {
        let report = &self.report;
        let mut lines: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
        for diff in &report.diffs {
            lines.push(String::new());
            lines.push(format!("-- [{}] {}", diff.check, diff.title));
            lines.extend(diff.sql.lines().map(str::to_owned));
        }
        if !report.diffs.is_empty() {
            lines.push(String::new());
        }
        for skipped in &report.skipped {
            lines.push(format!("skipped [{}]: {}", skipped.check, skipped.reason));
        }
        for irreversible in &report.irreversible {
            lines.push(format!(
                "not round-tripped [round-trip]: {} ({}) is irreversible (no -- +down)",
                irreversible.revision,
                irreversible.file.display()
            ));
        }
        lines.push(self.summary());
        lines
    }
}

impl CheckOutcome {
    fn summary(&self) -> String {
        let ran: Vec<&str> = self.report.ran.iter().map(|kind| kind.name()).collect();
        let count = self.report.findings.len();
        if self.ok {
            return format!("check passed: {}", ran.join(", "));
        }
        let mut failed: Vec<&str> = self
            .report
            .findings
            .iter()
            .map(|f| f.check.name())
            .collect();
        failed.dedup();
        let noun = if count == 1 { "finding" } else { "findings" };
        format!(
            "check failed: {count} {noun} ({}); checks run: {}",
            failed.join(", "),
            ran.join(", ")
        )
    }
}
