//! Where interruptions landed. A crash test whose kills all land before the run starts or
//! after it ends proves nothing, and would pass: each interruption test records where every
//! kill landed and fails unless at least half of them landed mid-run.

use std::collections::BTreeMap;

/// Where one interruption landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Landing {
    /// Nothing was interrupted: no process, backend or lock holder was there to kill.
    Missed,
    /// Before the run had changed anything.
    Before,
    /// Mid-run: the state is neither the one the run started from nor the one it ends in.
    Mid,
    /// After the run had done everything.
    After,
}

/// How many interruptions landed where.
#[derive(Debug, Clone, Default)]
pub struct Landings(BTreeMap<Landing, usize>);

impl Landings {
    pub fn record(&mut self, landing: Landing) {
        *self.0.entry(landing).or_default() += 1;
    }

    pub fn count(&self, landing: Landing) -> usize {
        self.0.get(&landing).copied().unwrap_or(0)
    }

    pub fn total(&self) -> usize {
        self.0.values().sum()
    }

    /// `Err` saying so when fewer than half of the interruptions (or none at all) landed
    /// mid-run.
    pub fn enough_mid_run(&self) -> Result<(), String> {
        let mid = self.count(Landing::Mid);
        if self.total() > 0 && 2 * mid >= self.total() {
            return Ok(());
        }
        Err(format!(
            "fewer than half of the interruptions landed mid-run ({}): the test did not test what it names",
            self.summary()
        ))
    }

    /// `12 of 20 mid-run (3 before, 4 after, 1 missed)`.
    pub fn summary(&self) -> String {
        format!(
            "{} of {} mid-run ({} before, {} after, {} missed)",
            self.count(Landing::Mid),
            self.total(),
            self.count(Landing::Before),
            self.count(Landing::After),
            self.count(Landing::Missed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{Landing, Landings};

    fn landings(of: &[(Landing, usize)]) -> Landings {
        let mut landings = Landings::default();
        for &(landing, count) in of {
            (0..count).for_each(|_| landings.record(landing));
        }
        landings
    }

    #[test]
    fn half_or_more_mid_run_is_enough() {
        let half = landings(&[(Landing::Mid, 2), (Landing::Before, 1), (Landing::After, 1)]);
        assert_eq!(half.enough_mid_run(), Ok(()));
        assert_eq!(
            half.summary(),
            "2 of 4 mid-run (1 before, 1 after, 0 missed)"
        );
        assert_eq!(landings(&[(Landing::Mid, 1)]).enough_mid_run(), Ok(()));
    }

    #[test]
    fn fewer_than_half_mid_run_fails_and_says_where_they_landed() {
        let few = landings(&[(Landing::Mid, 2), (Landing::After, 2), (Landing::Missed, 1)]);
        let error = few.enough_mid_run().unwrap_err();
        assert!(
            error.contains("2 of 5 mid-run (0 before, 2 after, 1 missed)"),
            "{error}"
        );
    }

    #[test]
    fn no_interruption_at_all_fails() {
        assert!(Landings::default().enough_mid_run().is_err());
        let missed = landings(&[(Landing::Missed, 3)]);
        assert!(missed.enough_mid_run().is_err());
    }
}
