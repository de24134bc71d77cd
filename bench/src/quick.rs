//! The quick measures at one size: every tool's no-op at head and status commands,
//! `psql -c 'select 1'` and the no-op floor.
//!
//! They take milliseconds, and their ratios to `select 1` are the goals, so they are measured
//! in interleaved rounds: each round runs every measure once, in an order rotated between
//! rounds, so that the machine drifting (another process, the server's own background work)
//! moves each measure and its baseline alike. Each measure first runs once under
//! `/usr/bin/time` for its peak RSS (the warm-up); a measure that fails drops out of the
//! rounds with its error.

use std::path::PathBuf;
use std::time::Duration;

use crate::measure::{Invocation, median, peak_rss, timed};
use crate::results::Outcome;

/// One quick measure: what to run, where its output goes, and what must hold afterwards.
pub struct QuickMeasure<'a> {
    /// The command timed.
    pub invocation: Invocation,
    /// Its output, overwritten by each run.
    pub log: PathBuf,
    /// Checked once after the rounds (the database is still at head, for a no-op).
    pub check: Box<dyn Fn() -> Result<(), String> + 'a>,
}

/// What one measure collected.
struct Collected {
    times: Vec<Duration>,
    rss_kib: u64,
}

/// Runs the warm-ups, then `rounds` interleaved rounds; one outcome per measure, in order.
pub fn measure_in_rounds(measures: &[QuickMeasure], rounds: usize) -> Vec<Outcome> {
    let mut collected: Vec<Result<Collected, String>> = measures
        .iter()
        .map(|measure| {
            let rss_kib = peak_rss(&measure.invocation, &measure.log)?;
            let times = Vec::with_capacity(rounds);
            Ok(Collected { times, rss_kib })
        })
        .collect();
    for round in 0..rounds {
        for offset in 0..measures.len() {
            let index = (offset + round) % measures.len();
            let Ok(samples) = &mut collected[index] else {
                continue;
            };
            let measure = &measures[index];
            match timed(&measure.invocation, &measure.log) {
                Ok(time) => samples.times.push(time),
                Err(error) => collected[index] = Err(error),
            }
        }
    }
    measures
        .iter()
        .zip(collected)
        .map(|(measure, collected)| {
            let Collected { times, rss_kib } = collected?;
            (measure.check)()?;
            Ok(Outcome::Measured {
                median: median(&times),
                rss_kib,
            })
        })
        .map(|outcome: Result<Outcome, String>| outcome.unwrap_or_else(Outcome::Failed))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;

    /// `sh -c SCRIPT`, its output to `log`, checked by `check`.
    fn shell<'a>(
        script: String,
        log: &Path,
        check: impl Fn() -> Result<(), String> + 'a,
    ) -> QuickMeasure<'a> {
        QuickMeasure {
            invocation: Invocation::new("/bin/sh").arg("-c").arg(script),
            log: log.to_owned(),
            check: Box::new(check),
        }
    }

    fn runs_of(file: &Path) -> Vec<String> {
        let text = fs::read_to_string(file).unwrap_or_default();
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn each_round_runs_every_measure_once_in_an_order_rotated_between_rounds() {
        let dir = tempfile::tempdir().unwrap();
        let order = dir.path().join("order");
        let log = dir.path().join("log");
        let measures: Vec<QuickMeasure> = ["a", "b", "c"]
            .into_iter()
            .map(|name| {
                shell(
                    format!("echo {name} >> '{}'", order.display()),
                    &log,
                    || Ok(()),
                )
            })
            .collect();
        let outcomes = measure_in_rounds(&measures, 3);
        let warm_ups = ["a", "b", "c"];
        let rounds = ["a", "b", "c", "b", "c", "a", "c", "a", "b"];
        let expected: Vec<&str> = warm_ups.into_iter().chain(rounds).collect();
        assert_eq!(runs_of(&order), expected);
        assert!(outcomes.iter().all(|outcome| outcome.median().is_some()));
    }

    #[test]
    fn a_measure_that_fails_leaves_the_rounds_and_a_failed_check_is_its_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let (runs, flag) = (dir.path().join("runs"), dir.path().join("flag"));
        let log = dir.path().join("log");
        let (runs_text, flag_text) = (runs.display(), flag.display());
        // The warm-up passes and leaves the flag; the first timed run finds it and fails.
        let fails_once_warm = format!(
            "echo failing >> '{runs_text}'; test ! -e '{flag_text}' && touch '{flag_text}'"
        );
        let measures = vec![
            shell(format!("echo passing >> '{runs_text}'"), &log, || Ok(())),
            shell(fails_once_warm, &log, || Ok(())),
            shell("true".to_owned(), &log, || Err("not at head".to_owned())),
        ];
        let outcomes = measure_in_rounds(&measures, 4);
        assert!(outcomes[0].median().is_some(), "{:?}", outcomes[0]);
        assert!(
            matches!(&outcomes[1], Outcome::Failed(error) if error.contains("exit")),
            "{:?}",
            outcomes[1]
        );
        assert!(
            matches!(&outcomes[2], Outcome::Failed(error) if error == "not at head"),
            "{:?}",
            outcomes[2]
        );
        let runs = runs_of(&runs);
        let count = |name: &str| runs.iter().filter(|run| *run == name).count();
        assert_eq!((count("passing"), count("failing")), (5, 2));
    }
}
