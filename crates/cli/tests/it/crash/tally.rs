//! The figures of a crash test, counted as they happen: where each interruption left the
//! database, where it landed in the run, how the interrupted run ended, and every
//! inconsistency found. A test goes on after an inconsistency (so that one run reports all of
//! them with real counts) and fails at the end, as it does when too few kills landed mid-run.

use std::collections::BTreeMap;

use crate::reliability::landing::{Landing, Landings};
use crate::reliability::model::{Direction, Found};
use crate::support::Run;

/// See the module documentation.
#[derive(Debug)]
pub struct Tally {
    kind: &'static str,
    total_revisions: usize,
    found: BTreeMap<Found, usize>,
    endings: BTreeMap<String, usize>,
    landings: Landings,
    /// Interruptions aimed at a statement rather than drawn at random; not in `landings`.
    aimed: usize,
    checked: usize,
    problems: Vec<String>,
}

impl Tally {
    pub fn new(kind: &'static str, total_revisions: usize) -> Tally {
        Tally {
            kind,
            total_revisions,
            found: BTreeMap::new(),
            endings: BTreeMap::new(),
            landings: Landings::default(),
            aimed: 0,
            checked: 0,
            problems: Vec::new(),
        }
    }

    /// Records one checked state: where it lies, or why it is inconsistent, and where the
    /// interruption landed (see [`Drawn`]). Returns where the run stopped when the state is
    /// consistent.
    pub fn checked(
        &mut self,
        context: &str,
        direction: Direction,
        outcome: Result<Found, Vec<String>>,
        how: Drawn,
    ) -> Option<Found> {
        self.checked += 1;
        match outcome {
            Ok(found) => {
                *self.found.entry(found).or_default() += 1;
                match how {
                    Drawn::Aimed => self.aimed += 1,
                    Drawn::Random { hit: false, .. } => self.landings.record(Landing::Missed),
                    // A kill of a resumed run before it changed anything.
                    Drawn::Random {
                        resuming: Some(earlier),
                        ..
                    } if earlier == found => self.landings.record(Landing::Before),
                    Drawn::Random { hit: true, .. } => self
                        .landings
                        .record(found.landing(direction, self.total_revisions)),
                }
                Some(found)
            }
            Err(problems) => {
                self.problem(context, &format!("INCONSISTENT: {}", problems.join("\n")));
                None
            }
        }
    }

    /// Records a problem found after the interruption (a rerun that failed, an end state
    /// unlike the uninterrupted run's).
    pub fn problem(&mut self, context: &str, problem: &str) {
        self.problems.push(format!("{context}: {problem}"));
    }

    /// Counts how an interrupted run ended: its exit code and first error line, digits and
    /// quoted names left out so that the same failure counts once.
    pub fn ended(&mut self, run: &Run) {
        let line = run.error_lines().first().copied().unwrap_or("(finished)");
        let shape: String = line
            .split(['"', '`'])
            .step_by(2)
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect();
        let ending = format!("exit {}: {shape}", run.code);
        *self.endings.entry(ending).or_default() += 1;
    }

    /// Prints the figures, then fails on any problem and on too few kills mid-run.
    pub fn finish(self, seed_note: &str) {
        eprintln!(
            "crash ({}): {} states checked, {} problems; {} random interruptions: {}; {} aimed; {seed_note}",
            self.kind,
            self.checked,
            self.problems.len(),
            self.landings.total(),
            self.landings.summary(),
            self.aimed,
        );
        for (found, count) in &self.found {
            eprintln!("  {count:4} × {found:?}");
        }
        for (ending, count) in &self.endings {
            eprintln!("  {count:4} × {ending}");
        }
        assert!(
            self.problems.is_empty(),
            "{} problems:\n\n{}",
            self.problems.len(),
            self.problems.join("\n\n")
        );
        if let Err(too_few) = self.landings.enough_mid_run() {
            panic!("crash ({}): {too_few}", self.kind);
        }
    }
}

/// How an interruption's moment was chosen.
#[derive(Debug, Clone, Copy)]
pub enum Drawn {
    /// At random. `hit` says whether there was anything to interrupt; `resuming`, where an
    /// earlier interruption had left the run this one interrupted.
    Random { hit: bool, resuming: Option<Found> },
    /// At a chosen statement.
    Aimed,
}
