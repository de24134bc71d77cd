//! The walk: every revision, in topological order, on ONE shadow database.
//!
//! For each revision R the catalog before it (C0) is read; R's up section runs (C1); for a
//! reversible R, with the round trip asked for, its down section runs and must give back C0,
//! and its up section runs again and must give back C1. Irreversible revisions (no `-- +down`)
//! only go up, and are listed. The catalogs before each revision are also what the lint needs:
//! which tables existed when the statement runs. A failure that leaves the database in an
//! unknown state ends the walk with a note; the revisions after it are not walked.

use std::collections::BTreeMap;

use clipdex_core::{Revision, RevisionError, RevisionGraph, Section};
use schema::Catalog;
use shadow::{ShadowDatabase, ShadowError, ShadowServer};

use crate::error::CheckError;
use crate::lint::TablesBefore;
use crate::report::{CheckKind, CheckReport, Finding, RevisionRef};

/// What the walk does at each revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Steps {
    /// Up only: the catalogs before each revision, for the lint.
    Up,
    /// Up, down and up again: the round trip as well.
    RoundTrip,
}

/// What the walk learnt: the tables before each revision it reached, by id.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    pub before: BTreeMap<String, TablesBefore>,
}

/// Walks `graph` on a fresh shadow database, taking `steps` at each revision.
pub(crate) async fn walk(
    graph: &RevisionGraph,
    shadow: &ShadowServer,
    steps: Steps,
    report: &mut CheckReport,
) -> Result<Walk, CheckError> {
    let purpose = match steps {
        Steps::Up => "the walk",
        Steps::RoundTrip => "the round trip",
    };
    shadow
        .with_database(purpose, async |database| {
            walk_on(database, graph, steps, report).await
        })
        .await
}

async fn walk_on(
    database: &ShadowDatabase,
    graph: &RevisionGraph,
    steps: Steps,
    report: &mut CheckReport,
) -> Result<Walk, CheckError> {
    let mut walk = Walk::default();
    let mut before = database.catalog().await?;
    for revision in graph.topological_order() {
        walk.before
            .insert(revision.id().to_owned(), TablesBefore::of(&before));
        let Some(after) = run(database, revision, revision.up(), report, FIRST_UP).await? else {
            return Ok(stop(walk, revision, report));
        };
        if steps == Steps::Up {
            before = after;
            continue;
        }
        let Some(down) = revision.down() else {
            report.irreversible.push(reference(revision));
            before = after;
            continue;
        };
        if !revision.down_problems().is_empty() {
            report_unrunnable(revision, report);
            before = after;
            continue;
        }
        match round_trip_one(database, revision, down, &before, &after, report).await? {
            Some(again) => before = again,
            None => return Ok(stop(walk, revision, report)),
        }
    }
    Ok(walk)
}

/// Down (must give `before`), then up again (must give `after`); the catalog after the second
/// up, or `None` when a section failed.
async fn round_trip_one(
    database: &ShadowDatabase,
    revision: &Revision,
    down: &Section,
    before: &Catalog,
    after: &Catalog,
    report: &mut CheckReport,
) -> Result<Option<Catalog>, CheckError> {
    let Some(restored) = run(database, revision, down, report, DOWN).await? else {
        return Ok(None);
    };
    if restored != *before {
        report_unrestored(revision, down, &restored, before, report);
    }
    let Some(again) = run(database, revision, revision.up(), report, UP_AGAIN).await? else {
        return Ok(None);
    };
    if again != *after {
        report_unrepeated(revision, &again, after, report);
    }
    Ok(Some(again))
}

/// A down section the revision's transaction cannot hold: one finding per statement, and the
/// walk goes on without running it (it would only fail).
fn report_unrunnable(revision: &Revision, report: &mut CheckReport) {
    for problem in revision.down_problems() {
        let RevisionError::TransactionBlocked {
            path,
            line,
            blocker,
            ..
        } = problem
        else {
            continue;
        };
        let message = format!(
            "the down section of revision {} runs {blocker}, which its transaction cannot hold: downgrading through it is refused until that down section is edited",
            revision.id()
        );
        report
            .findings
            .push(Finding::new(CheckKind::RoundTrip, message).at(path, Some(*line)));
    }
}

/// The down section left the schema different from before the up section.
fn report_unrestored(
    revision: &Revision,
    down: &Section,
    restored: &Catalog,
    before: &Catalog,
    report: &mut CheckReport,
) {
    let message = format!(
        "the down section of revision {} does not restore the schema from before its up section (see the SQL below)",
        revision.id()
    );
    let title = format!(
        "{} ({}): what its down section leaves different — SQL from the schema after down to the schema before up",
        revision.id(),
        revision.path().display()
    );
    let mismatch = Mismatch {
        message,
        line: down.marker_line(),
        title,
    };
    mismatch.report(
        revision,
        crate::declared::diff_sql(restored, before),
        report,
    );
}

/// The up section, run again, did not give the schema its first run gave.
fn report_unrepeated(
    revision: &Revision,
    again: &Catalog,
    after: &Catalog,
    report: &mut CheckReport,
) {
    let message = format!(
        "revision {}'s up section, run again after its down section, does not give the schema the first run gave",
        revision.id()
    );
    let title = format!(
        "{}: SQL from the second up's schema to the first's",
        revision.id()
    );
    let mismatch = Mismatch {
        message,
        line: revision.up().marker_line(),
        title,
    };
    mismatch.report(revision, crate::declared::diff_sql(again, after), report);
}

/// A catalog that is not what it should be after a step: the finding and its diff's title.
struct Mismatch {
    message: String,
    line: u32,
    title: String,
}

impl Mismatch {
    fn report(self, revision: &Revision, sql: String, report: &mut CheckReport) {
        let finding = Finding::new(CheckKind::RoundTrip, self.message);
        report
            .findings
            .push(finding.at(revision.path(), Some(self.line)));
        report.diff(CheckKind::RoundTrip, self.title, sql);
    }
}

/// Which step of the walk a section runs in: the check a failure belongs to, and its words.
struct Step {
    check: CheckKind,
    what: &'static str,
}

const FIRST_UP: Step = Step {
    check: CheckKind::Replay,
    what: "its up section",
};
const DOWN: Step = Step {
    check: CheckKind::RoundTrip,
    what: "its down section",
};
const UP_AGAIN: Step = Step {
    check: CheckKind::RoundTrip,
    what: "its up section, run again after its down section",
};

/// Runs one section in the revision's transaction mode; the catalog after it, or `None`
/// (with a finding) when a statement failed.
async fn run(
    database: &ShadowDatabase,
    revision: &Revision,
    section: &Section,
    report: &mut CheckReport,
    step: Step,
) -> Result<Option<Catalog>, CheckError> {
    match database.run_section(revision, section).await {
        Ok(()) => Ok(Some(database.catalog().await?)),
        Err(ShadowError::Statement {
            path,
            line,
            message,
            ..
        }) => {
            let message = format!(
                "revision {} fails in {}: {message}",
                revision.id(),
                step.what
            );
            report
                .findings
                .push(Finding::new(step.check, message).at(path, Some(line)));
            Ok(None)
        }
        Err(error) => Err(error.into()),
    }
}

fn stop(walk: Walk, revision: &Revision, report: &mut CheckReport) -> Walk {
    report.skip(
        CheckKind::RoundTrip,
        format!(
            "the walk stopped at revision {}: the revisions after it were not walked",
            revision.id()
        ),
    );
    walk
}

fn reference(revision: &Revision) -> RevisionRef {
    RevisionRef {
        revision: revision.id().to_owned(),
        file: revision.path().to_owned(),
    }
}
