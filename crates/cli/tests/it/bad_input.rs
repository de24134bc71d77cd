//! The bad-input corpus (`tests/bad-input/` at the repository root): every case is a broken
//! migration set or a broken way of reaching the database, run through the real binary. Each
//! must fail with its exact first stderr line and exit code, name its file and line in
//! `--json` where it has one, and leave the database exactly as it was, by the consistency
//! oracle: schema, history rows, every user table's rows, index and constraint validity, and
//! the roles and grants of the database (the privilege cases set some up). The case format is
//! described in `tests/bad-input/README.md`.
//!
//! `CLIPDEX_BLESS=1` writes the `expected.txt` of a case that has none, from what the binary
//! printed (for reviewing a new case); rewriting an existing one takes
//! `CLIPDEX_BLESS=overwrite`, after a deliberate change, never to make a failing case pass.

#[path = "bad_input/case.rs"]
mod bad_input_case;
use crate::support;

use std::path::PathBuf;
use std::sync::Mutex;

use bad_input_case::{Case, Outcome};

fn corpus_dir() -> PathBuf {
    support::repository_root().join("tests/bad-input")
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("read tests/bad-input")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Runs every case on a few threads (each with its own runtime), collects every failure, and
/// fails once with all of them and the figures.
#[test]
fn every_bad_input_fails_cleanly_and_changes_nothing() {
    let cases = cases();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    let next = Mutex::new(cases.clone().into_iter());
    let outcomes = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                loop {
                    let Some(dir) = next.lock().unwrap().next() else {
                        break;
                    };
                    let outcome = runtime.block_on(Case::load(&dir).run());
                    outcomes.lock().unwrap().push(outcome);
                }
            });
        }
    });
    report(&outcomes.into_inner().unwrap());
}

fn report(outcomes: &[Outcome]) {
    let leaked = outcomes.iter().filter(|o| o.leaked_write).count();
    let failures: Vec<String> = outcomes
        .iter()
        .flat_map(|outcome| {
            let name = &outcome.name;
            outcome.problems.iter().map(move |p| format!("{name}: {p}"))
        })
        .collect();
    eprintln!(
        "bad input: {} cases, {} with a problem, {leaked} leaked a write",
        outcomes.len(),
        outcomes.iter().filter(|o| !o.problems.is_empty()).count()
    );
    let mut slowest: Vec<&Outcome> = outcomes.iter().collect();
    slowest.sort_by_key(|outcome| std::cmp::Reverse(outcome.elapsed));
    for outcome in slowest.iter().take(5) {
        eprintln!("  slowest: {} {:?}", outcome.name, outcome.elapsed);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
