//! The checks that need only the files: one head, and a sum file that matches them.

use std::path::Path;

use clipdex_core::{LoadedMigrations, Location, RevisionGraph};

use crate::report::{CheckKind, CheckReport, Finding};

/// `one-head`: two heads mean two branches added revisions on the same parent and nobody
/// merged them; `upgrade` would refuse to pick one.
pub(crate) fn one_head(graph: &RevisionGraph, report: &mut CheckReport) {
    let heads = graph.heads();
    if heads.len() < 2 {
        return;
    }
    let listed: Vec<String> = heads
        .iter()
        .map(|head| format!("{} ({})", head.id(), head.path().display()))
        .collect();
    let last = heads[heads.len() - 1];
    let message = format!(
        "{} heads: {}; two branches built on the same parent; join them with `clipdex-migrate merge -m MESSAGE`",
        heads.len(),
        listed.join(", ")
    );
    let finding =
        Finding::new(CheckKind::OneHead, message).at(last.path(), Some(last.parents_line()));
    report.findings.push(finding);
}

/// `sum-file`: every file the revisions use is listed with its checksum, and nothing else is.
/// A project without revisions and without a sum file has nothing to check.
pub(crate) fn sum_file(migrations: &LoadedMigrations, report: &mut CheckReport) {
    let set = migrations.set();
    if set.revisions().is_empty() && !set.has_sum_file() {
        report.skip(CheckKind::SumFile, "no revisions and no sum file yet");
        return;
    }
    for problem in migrations.sum_problems() {
        let Location { file, line } = problem.location();
        let message = without_location(&problem.to_string(), file, line);
        let finding = Finding::new(CheckKind::SumFile, message).at(file, line);
        report.findings.push(finding);
    }
}

/// `text` without the `file:line: ` (or `file: `) it starts with: the finding shows it once.
pub(crate) fn without_location(text: &str, file: &Path, line: Option<u32>) -> String {
    let prefix = match line {
        Some(line) => format!("{}:{line}: ", file.display()),
        None => format!("{}: ", file.display()),
    };
    text.strip_prefix(&prefix).unwrap_or(text).to_owned()
}
