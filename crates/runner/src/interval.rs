//! An `interval` read in binary as the [`Duration`] that `extract(epoch FROM …)` gives: how
//! long a revision ran, as the history and the log record it.
//!
//! It is converted here rather than in the query because `extract` returns `numeric` (since
//! PostgreSQL 14), and `numeric` cast to `float8` for every row cost the server about half a
//! millisecond per thousand rows by `EXPLAIN ANALYZE`: a cost every run that reads the
//! history paid.

use std::error::Error;
use std::time::Duration;

use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, Type};

/// The duration in an `interval` column: `None` for NULL (a stamped revision ran nothing),
/// and for a negative or infinite interval, which no run records.
pub(crate) fn elapsed(row: &Row, column: usize) -> Option<Duration> {
    row.get::<_, Option<Elapsed>>(column)
        .and_then(|elapsed| elapsed.0)
}

/// An `interval` value as a duration; `None` for a negative or infinite interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Elapsed(Option<Duration>);

impl<'a> FromSql<'a> for Elapsed {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Elapsed, Box<dyn Error + Sync + Send>> {
        // The binary form: microseconds (i64), days (i32), months (i32), all big-endian.
        if raw.len() != 16 {
            return Err(format!("an interval of {} bytes, not 16", raw.len()).into());
        }
        let micros = i64::from_be_bytes(raw[..8].try_into()?);
        let days = i32::from_be_bytes(raw[8..12].try_into()?);
        let months = i32::from_be_bytes(raw[12..].try_into()?);
        Ok(Elapsed(epoch_duration(micros, days, months)))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INTERVAL
    }
}

/// The interval's length as `extract(epoch FROM interval)` counts it: a day is 86,400
/// seconds, a month 30 days and a year 365.25 days.
fn epoch_duration(micros: i64, days: i32, months: i32) -> Option<Duration> {
    // PostgreSQL 17's infinite intervals hold the extreme value in every field.
    if micros == i64::MAX || micros == i64::MIN {
        return None;
    }
    let (years, months) = (i128::from(months / 12), i128::from(months % 12));
    // In quarter days, so that a year of 365.25 days stays whole.
    let quarter_days = 1_461 * years + 120 * months + 4 * i128::from(days);
    let total = i128::from(micros) + quarter_days * QUARTER_DAY_MICROS;
    let total = u64::try_from(total).ok()?;
    Some(Duration::from_micros(total))
}

const QUARTER_DAY_MICROS: i128 = 21_600_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn binary(micros: i64, days: i32, months: i32) -> Vec<u8> {
        let mut raw = micros.to_be_bytes().to_vec();
        raw.extend(days.to_be_bytes());
        raw.extend(months.to_be_bytes());
        raw
    }

    fn read(micros: i64, days: i32, months: i32) -> Option<Duration> {
        let raw = binary(micros, days, months);
        Elapsed::from_sql(&Type::INTERVAL, &raw).unwrap().0
    }

    #[test]
    fn days_months_and_years_count_as_extract_counts_them() {
        assert_eq!(read(1_500, 0, 0), Some(Duration::from_micros(1_500)));
        assert_eq!(read(1, 1, 0), Some(Duration::from_micros(86_400_000_001)));
        assert_eq!(read(0, 0, 1), Some(Duration::from_secs(30 * 86_400)));
        assert_eq!(read(0, 0, 12), Some(Duration::from_secs(31_557_600)));
        assert_eq!(
            read(0, 0, 13),
            Some(Duration::from_secs(31_557_600 + 2_592_000))
        );
        // One day less one microsecond: the fields add up before the sign is looked at.
        assert_eq!(read(-1, 1, 0), Some(Duration::from_micros(86_399_999_999)));
    }

    #[test]
    fn negative_and_infinite_intervals_are_none() {
        assert_eq!(read(-1, 0, 0), None);
        assert_eq!(read(0, -1, 0), None);
        assert_eq!(read(i64::MAX, i32::MAX, i32::MAX), None);
        assert_eq!(read(i64::MIN, i32::MIN, i32::MIN), None);
    }

    #[test]
    fn a_value_that_is_not_sixteen_bytes_is_an_error_not_a_panic() {
        assert!(Elapsed::from_sql(&Type::INTERVAL, &[0; 8]).is_err());
    }
}
