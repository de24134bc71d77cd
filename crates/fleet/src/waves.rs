//! `--waves 1,10%,100%`: a canary first, then ever larger parts of the fleet.
//!
//! Each element is where a wave ends, counted over the targets that have something to do, as
//! a number of targets or a percentage of them (rounded up, so `10%` of 5 targets is 1). A
//! wave starts only when every target of the one before succeeded; the last wave always runs
//! to the end, so `--waves 1` is "one canary, then everything else".

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// Where one wave ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveEnd {
    /// After this many targets in all.
    Count(usize),
    /// After this percentage of the targets (1 to 100).
    Percent(u8),
}

/// The waves of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waves {
    ends: Vec<WaveEnd>,
}

/// A `--waves` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidWaves {
    /// An element is neither a number nor a percentage.
    #[error(
        "`{0}` is not a wave size: give a number of targets (`1`, `50`) or a percentage (`10%`)"
    )]
    NotASize(String),
    /// Zero, or more than 100%.
    #[error("`{0}` is not a wave size: it must be at least 1, and a percentage at most 100%")]
    OutOfRange(String),
    /// Nothing given.
    #[error("--waves needs at least one size, e.g. `1,10%,100%`")]
    Empty,
}

impl FromStr for Waves {
    type Err = InvalidWaves;

    fn from_str(text: &str) -> Result<Waves, InvalidWaves> {
        let ends = text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(parse_end)
            .collect::<Result<Vec<_>, _>>()?;
        if ends.is_empty() {
            return Err(InvalidWaves::Empty);
        }
        Ok(Waves { ends })
    }
}

fn parse_end(part: &str) -> Result<WaveEnd, InvalidWaves> {
    let not_a_size = || InvalidWaves::NotASize(part.to_owned());
    let out_of_range = || InvalidWaves::OutOfRange(part.to_owned());
    match part.strip_suffix('%') {
        Some(number) => match number.trim().parse::<u16>().map_err(|_| not_a_size())? {
            percent @ 1..=100 => Ok(WaveEnd::Percent(percent as u8)),
            _ => Err(out_of_range()),
        },
        None => match part.parse::<usize>().map_err(|_| not_a_size())? {
            0 => Err(out_of_range()),
            count => Ok(WaveEnd::Count(count)),
        },
    }
}

impl fmt::Display for Waves {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .ends
            .iter()
            .map(|end| match end {
                WaveEnd::Count(count) => count.to_string(),
                WaveEnd::Percent(percent) => format!("{percent}%"),
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl Waves {
    /// One wave of everything.
    pub fn single() -> Waves {
        Waves {
            ends: vec![WaveEnd::Percent(100)],
        }
    }

    /// The waves over `total` targets, as index ranges: non-empty, in order, covering all.
    pub fn split(&self, total: usize) -> Vec<Range<usize>> {
        let mut waves = Vec::new();
        let mut start = 0;
        for end in &self.ends {
            let end = match end {
                WaveEnd::Count(count) => *count,
                WaveEnd::Percent(percent) => (total * usize::from(*percent)).div_ceil(100),
            }
            .min(total);
            if end > start {
                waves.push(start..end);
                start = end;
            }
        }
        if start < total {
            waves.push(start..total);
        }
        waves
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(waves: &str, total: usize) -> Vec<Range<usize>> {
        waves.parse::<Waves>().unwrap().split(total)
    }

    #[test]
    fn a_canary_then_ten_percent_then_the_rest() {
        assert_eq!(split("1,10%,100%", 100), [0..1, 1..10, 10..100]);
        assert_eq!(split("1, 10%, 100%", 1000), [0..1, 1..100, 100..1000]);
    }

    #[test]
    fn waves_that_would_be_empty_are_dropped_and_the_last_runs_to_the_end() {
        assert_eq!(split("1,10%,100%", 5), [0..1, 1..5]);
        assert_eq!(split("1", 4), [0..1, 1..4]);
        assert_eq!(split("50%", 3), [0..2, 2..3]);
        assert_eq!(split("5,2", 10), [0..5, 5..10]);
        assert!(split("1,10%", 0).is_empty());
    }

    #[test]
    fn bad_sizes_are_refused_with_what_would_do() {
        let error = |text: &str| text.parse::<Waves>().unwrap_err().to_string();
        assert!(error("1,ten").contains("`ten` is not a wave size"));
        assert!(error("0").contains("at least 1"));
        assert!(error("150%").contains("at most 100%"));
        assert!(error(",").contains("at least one size"));
        assert_eq!(
            "1,10%,100%".parse::<Waves>().unwrap().to_string(),
            "1,10%,100%"
        );
    }
}
