//! Whether changing a column's type can lose data: widening is safe, narrowing is marked
//! destructive, anything else gets a note that the conversion may fail.

/// What converting a value from one type to another can do to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeChange {
    /// Every value converts exactly.
    Widening,
    /// Values can be truncated, rounded or overflow; the text says how.
    Narrowing(String),
    /// The diff cannot tell: the cast may fail on some rows.
    Unknown,
}

/// How long a character type may be: `None` for unbounded.
fn text_length(data_type: &str) -> Option<Option<u32>> {
    match data_type {
        "text" | "character varying" => Some(None),
        _ => ["character varying(", "character("]
            .iter()
            .find_map(|prefix| data_type.strip_prefix(prefix))
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(|n| n.parse().ok())
            .map(Some),
    }
}

fn integer_rank(data_type: &str) -> Option<u8> {
    match data_type {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        _ => None,
    }
}

/// `(precision, scale)` of a numeric type, `None` inside for unconstrained `numeric`.
fn numeric_shape(data_type: &str) -> Option<Option<(u32, u32)>> {
    if data_type == "numeric" {
        return Some(None);
    }
    let inner = data_type.strip_prefix("numeric(")?.strip_suffix(')')?;
    let (precision, scale) = inner.split_once(',').unwrap_or((inner, "0"));
    Some(Some((
        precision.trim().parse().ok()?,
        scale.trim().parse().ok()?,
    )))
}

/// Classifies converting a column of type `from` to type `to` (both as `format_type` writes
/// them).
pub(crate) fn classify(from: &str, to: &str) -> TypeChange {
    let narrowing = |why: &str| TypeChange::Narrowing(format!("{from} to {to} {why}"));
    if to == "text" {
        return TypeChange::Widening;
    }
    if let (Some(a), Some(b)) = (text_length(from), text_length(to)) {
        return match (a, b) {
            (_, None) => TypeChange::Widening,
            (Some(a), Some(b)) if b >= a => TypeChange::Widening,
            _ => narrowing("truncates longer values"),
        };
    }
    if let (Some(a), Some(b)) = (integer_rank(from), integer_rank(to)) {
        return if b >= a {
            TypeChange::Widening
        } else {
            narrowing("fails on values out of range")
        };
    }
    if integer_rank(from).is_some() && to == "numeric" {
        return TypeChange::Widening;
    }
    if let (Some(a), Some(b)) = (numeric_shape(from), numeric_shape(to)) {
        return match (a, b) {
            (_, None) => TypeChange::Widening,
            (Some((p, s)), Some((p2, s2))) if s2 >= s && p2 - s2 >= p - s => TypeChange::Widening,
            _ => narrowing("rounds or overflows values"),
        };
    }
    match (from, to) {
        ("real", "double precision") => TypeChange::Widening,
        ("double precision", "real") => narrowing("loses precision"),
        ("timestamp with time zone", "timestamp without time zone" | "date")
        | ("timestamp without time zone", "date") => narrowing("drops part of each value"),
        _ => TypeChange::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_is_safe() {
        assert_eq!(classify("integer", "bigint"), TypeChange::Widening);
        assert_eq!(
            classify("character varying(10)", "character varying(20)"),
            TypeChange::Widening
        );
        assert_eq!(
            classify("character varying(10)", "text"),
            TypeChange::Widening
        );
        assert_eq!(
            classify("numeric(10,2)", "numeric(12,2)"),
            TypeChange::Widening
        );
        assert_eq!(classify("real", "double precision"), TypeChange::Widening);
    }

    #[test]
    fn narrowing_says_how() {
        assert_eq!(
            classify("text", "character varying(10)"),
            TypeChange::Narrowing("text to character varying(10) truncates longer values".into())
        );
        assert!(matches!(
            classify("bigint", "integer"),
            TypeChange::Narrowing(_)
        ));
        assert!(matches!(
            classify("numeric(12,4)", "numeric(12,2)"),
            TypeChange::Narrowing(_)
        ));
        assert!(matches!(
            classify("numeric", "numeric(5,0)"),
            TypeChange::Narrowing(_)
        ));
        assert!(matches!(
            classify("timestamp with time zone", "date"),
            TypeChange::Narrowing(_)
        ));
    }

    #[test]
    fn other_conversions_are_unknown() {
        assert_eq!(classify("text", "integer"), TypeChange::Unknown);
        assert_eq!(classify("integer", "double precision"), TypeChange::Unknown);
    }
}
