//! Durations as people write them in the config file, and as the CLI prints them.
//!
//! The config's timeouts read `"500ms"`, `"10s"`, `"5min"`, `"1h"` or `"off"`; a dozen lines
//! of parsing do not justify a dependency. Printed durations are always whole milliseconds
//! (`12 ms`), one form that a test can normalise with a single pattern.

use std::time::Duration;

/// A config duration: `Some` for a length of time, `None` for `off`.
pub fn parse(text: &str) -> Result<Option<Duration>, String> {
    let text = text.trim();
    if text == "off" {
        return Ok(None);
    }
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let bad = || {
        format!(
            "`{text}` is not a duration: write a whole number and a unit (500ms, 10s, 5min, 1h), or \"off\""
        )
    };
    let number: u64 = number.parse().map_err(|_| bad())?;
    let millis_per_unit = match unit.trim_start() {
        "ms" => 1,
        "s" => 1_000,
        "min" => 60_000,
        "h" => 3_600_000,
        _ => return Err(bad()),
    };
    let millis = number.checked_mul(millis_per_unit).ok_or_else(bad)?;
    Ok(Some(Duration::from_millis(millis)))
}

/// `12 ms`: whole milliseconds, rounded down.
pub fn human(duration: Duration) -> String {
    format!("{} ms", millis(duration))
}

/// Whole milliseconds, for JSON.
pub fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_and_off_parse() {
        let ms = |n| Ok(Some(Duration::from_millis(n)));
        assert_eq!(parse("500ms"), ms(500));
        assert_eq!(parse("10s"), ms(10_000));
        assert_eq!(parse("5min"), ms(300_000));
        assert_eq!(parse("1h"), ms(3_600_000));
        assert_eq!(parse("2 s"), ms(2_000));
        assert_eq!(parse("off"), Ok(None));
    }

    #[test]
    fn anything_else_is_refused_with_the_accepted_forms() {
        for text in ["", "10", "5m", "1.5s", "-1s", "s", "99999999999999999999h"] {
            let error = parse(text).unwrap_err();
            assert!(error.contains("500ms, 10s, 5min, 1h"), "{text}: {error}");
        }
    }

    #[test]
    fn printed_durations_are_whole_milliseconds() {
        assert_eq!(human(Duration::from_micros(12_900)), "12 ms");
    }
}
