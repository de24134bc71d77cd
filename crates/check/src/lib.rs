//! The CI gate of clipdex-migrate as a library: everything `clipdex-migrate check` verifies,
//! returned as a [`CheckReport`] of [`Finding`]s rather than printed.
//!
//! Post 9's fourth crack is that nothing checks that the migrations, the schema the code
//! expects and the queries it runs agree. [`run_checks`] does, on shadow databases:
//!
//! 1. `one-head`: the revision graph has one head;
//! 2. `sum-file`: `revisions.sum` and the files agree (no edited committed revision);
//! 3. `replay`: the revisions apply on an empty database — the head schema the next two need;
//! 4. `schema`: that head schema equals the declared schema of `schema/`, by catalog: one
//!    finding per differing object, naming the `schema/` file, and the SQL both ways; and the
//!    declared schema has no foreign key without an index and no table without a primary
//!    key ([`SCHEMA_RULES`]), unless `schema/` acknowledges it;
//! 5. `round-trip`: on one shadow database walked in topological order, every reversible
//!    revision's down restores the schema before it, and its up then gives the same schema
//!    again; irreversible revisions are listed;
//! 6. `lint`: locking hazards ([`HAZARDS`]) of statements on tables that existed before their
//!    revision, and on Citus the hazards of distributed tables (parallel statements before a
//!    type or function without `-- citus: sequential`, concurrent distribution in a
//!    transaction, `CREATE INDEX CONCURRENTLY IF NOT EXISTS`, a retyped distribution column),
//!    acknowledgeable in the file with `-- check: allow <hazard> — <reason>`;
//! 7. `queries`: every statement of `queries/*.sql` PREPAREs against the head schema.
//!
//! A project without `schema/` or `queries/` skips those checks with a note in
//! [`CheckReport::skipped`]. What the checks find is data; only what stops them from running
//! (no PostgreSQL for shadow databases, an unreadable directory) is a [`CheckError`].
#![warn(missing_docs)]

mod advice;
mod declared;
mod error;
mod files;
mod inventory;
mod lint;
mod options;
mod queries;
mod report;
mod walk;

use clipdex_core::{LoadedMigrations, RevisionGraph, UpgradeTarget};
use runner::{ApplyError, RunError};
use shadow::{ShadowDatabase, ShadowError, ShadowServer};
use walk::Steps;

pub use advice::{
    Advice, FOREIGN_KEY_WITHOUT_INDEX, SCHEMA_RULES, SchemaAcknowledgment,
    TABLE_WITHOUT_PRIMARY_KEY, read_acknowledgments, schema_advice, unacknowledged,
};
pub use error::CheckError;
pub use lint::{HAZARDS, TablesBefore};
pub use options::{CheckOptions, LintConfig};
pub use report::{CheckKind, CheckReport, DiffSection, Finding, RevisionRef, Skipped};

/// Runs the checks `options` asks for on `migrations`, building shadow databases on `shadow`.
/// Load them with [`SumCheck::Report`](clipdex_core::SumCheck::Report): a stale sum file is
/// then a `sum-file` finding rather than a load error.
pub async fn run_checks(
    migrations: &LoadedMigrations,
    shadow: &ShadowServer,
    options: &CheckOptions,
) -> Result<CheckReport, CheckError> {
    let graph = migrations.graph();
    let wants = |kind: CheckKind| options.checks.contains(&kind);
    let mut report = CheckReport::default();
    if wants(CheckKind::OneHead) {
        report.ran.push(CheckKind::OneHead);
        files::one_head(graph, &mut report);
    }
    if wants(CheckKind::SumFile) {
        report.ran.push(CheckKind::SumFile);
        files::sum_file(migrations, &mut report);
    }
    head_checks(graph, shadow, options, &mut report).await?;
    if wants(CheckKind::RoundTrip) || wants(CheckKind::Lint) {
        let steps = match wants(CheckKind::RoundTrip) {
            true => Steps::RoundTrip,
            false => Steps::Up,
        };
        if steps == Steps::RoundTrip {
            report.ran.push(CheckKind::RoundTrip);
        }
        let walked = walk::walk(graph, shadow, steps, &mut report).await?;
        if wants(CheckKind::Lint) {
            report.ran.push(CheckKind::Lint);
            report
                .findings
                .extend(lint::lint(graph, &walked.before, &options.lint));
        }
    }
    tidy(&mut report);
    Ok(report)
}

/// `replay`, `schema` and `queries`: the checks that need the head schema, on one shadow
/// database upgraded by the runner; `on_head` is which of `schema` and `queries` run.
async fn head_checks(
    graph: &RevisionGraph,
    shadow: &ShadowServer,
    options: &CheckOptions,
    report: &mut CheckReport,
) -> Result<(), CheckError> {
    let on_head: Vec<CheckKind> = [
        (CheckKind::Schema, &options.schema_dir),
        (CheckKind::Queries, &options.queries_dir),
    ]
    .into_iter()
    .filter(|(check, dir)| present(*check, dir, options, report))
    .map(|(check, _)| check)
    .collect();
    if on_head.is_empty() && !options.checks.contains(&CheckKind::Replay) {
        return Ok(());
    }
    shadow
        .with_database("the head", async |database| {
            head_checks_on(database, graph, shadow, options, &on_head, report).await
        })
        .await
}

async fn head_checks_on(
    database: &ShadowDatabase,
    graph: &RevisionGraph,
    shadow: &ShadowServer,
    options: &CheckOptions,
    on_head: &[CheckKind],
    report: &mut CheckReport,
) -> Result<(), CheckError> {
    report.ran.push(CheckKind::Replay);
    let target = match graph.heads().len() {
        0 | 1 => UpgradeTarget::Head,
        _ => UpgradeTarget::Heads,
    };
    if let Some(finding) = replay_finding(database.upgrade(graph, &target).await)? {
        report.findings.push(finding);
        let reason = "the revisions do not apply on an empty database (see the replay finding)";
        for check in on_head {
            report.skip(*check, reason);
        }
        return Ok(());
    }
    if on_head.contains(&CheckKind::Schema) {
        report.ran.push(CheckKind::Schema);
        let head = database.catalog().await?;
        match shadow.declared_by_file(&options.schema_dir).await {
            Ok(declared) => {
                declared::compare(&head, &declared, &options.schema_dir, report);
                let advice = advice::findings(&declared, &options.schema_dir);
                report.findings.extend(advice);
            }
            Err(error) => report.findings.push(schema_file_finding(error)?),
        }
    }
    if on_head.contains(&CheckKind::Queries) {
        report.ran.push(CheckKind::Queries);
        let found = queries::check_queries(database, &options.queries_dir).await?;
        report.findings.extend(found);
    }
    Ok(())
}

/// Whether `check` is wanted and its directory exists; a missing directory is noted.
fn present(
    check: CheckKind,
    dir: &std::path::Path,
    options: &CheckOptions,
    report: &mut CheckReport,
) -> bool {
    if !options.checks.contains(&check) {
        return false;
    }
    if dir.is_dir() {
        return true;
    }
    let what = match check {
        CheckKind::Schema => "the revisions were not compared with a declared schema",
        _ => "no application queries were prepared",
    };
    report.skip(
        check,
        format!("no {} directory: {what}", declared::dir_name(dir)),
    );
    false
}

/// A replay that failed on a statement is a finding; any other failure stops the checks.
fn replay_finding(replayed: Result<(), ShadowError>) -> Result<Option<Finding>, CheckError> {
    let error = match replayed {
        Ok(()) => return Ok(None),
        Err(ShadowError::Replay(error)) => *error,
        Err(other) => return Err(other.into()),
    };
    let RunError::Apply(ApplyError::Statement(failed)) = error else {
        return Err(ShadowError::Replay(Box::new(error)).into());
    };
    let extra = |label: &str, text: &Option<String>| {
        text.as_ref()
            .map_or(String::new(), |t| format!("; {label}: {t}"))
    };
    let message = format!(
        "revision {} does not apply on an empty database: {} (SQLSTATE {}){}{}",
        failed.revision,
        failed.message,
        failed.sqlstate,
        extra("detail", &failed.detail),
        extra("hint", &failed.hint)
    );
    Ok(Some(
        Finding::new(CheckKind::Replay, message).at(&failed.file, Some(failed.line)),
    ))
}

/// A `schema/` file that does not apply is a finding at its line; other failures stop.
fn schema_file_finding(error: ShadowError) -> Result<Finding, CheckError> {
    let finding = match error {
        ShadowError::Statement {
            path,
            line,
            message,
            ..
        } => {
            let message = format!("does not apply on an empty database: {message}");
            Finding::new(CheckKind::Schema, message).at(path, Some(line))
        }
        ShadowError::Split(split) => Finding::new(CheckKind::Schema, split.to_string()),
        ShadowError::Unreadable { path, reason } => {
            Finding::new(CheckKind::Schema, reason).at(path, None)
        }
        other => return Err(other.into()),
    };
    Ok(finding)
}

/// Findings in check order, each reported once (the head replay and the walk can both trip
/// over the same statement).
fn tidy(report: &mut CheckReport) {
    let mut seen = std::collections::HashSet::new();
    report
        .findings
        .retain(|f| f.check != CheckKind::Replay || seen.insert((f.file.clone(), f.line)));
    report.findings.sort_by_key(|finding| finding.check);
    report.ran.sort();
}
