//! Which `ALTER COLUMN … TYPE` changes PostgreSQL makes without rewriting the table.
//!
//! A type change normally rewrites every row under an `ACCESS EXCLUSIVE` lock. PostgreSQL skips
//! the rewrite when the old values are valid, unchanged, in the new type: a longer or unbounded
//! `varchar`, `varchar` to `text`, more `numeric` precision at the same scale, a longer
//! `varbit`, `cidr` to `inet`. Anything else — and anything this module does not recognise —
//! counts as a rewrite: the lint would rather ask for an acknowledgment than stay silent.

/// A type as `format_type` spells it, split into base name and modifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SqlType {
    base: String,
    modifiers: Option<Vec<u32>>,
}

/// Whether changing a column from `old` (as the catalog spells it, `character varying(100)`)
/// to `new` (as the statement wrote it, `varchar ( 200 )`) leaves the table as it is.
pub(crate) fn is_binary_compatible(old: &str, new: &str) -> bool {
    let (Some(old), Some(new)) = (parse(old), parse(new)) else {
        return false;
    };
    if old == new {
        return true;
    }
    let widens = |old: &Option<Vec<u32>>, new: &Option<Vec<u32>>| match (old, new) {
        (_, None) => true,
        (Some(old), Some(new)) => {
            old.len() == new.len() && new[0] >= old[0] && old[1..] == new[1..]
        }
        (None, Some(_)) => false,
    };
    match (old.base.as_str(), new.base.as_str()) {
        ("character varying", "character varying")
        | ("bit varying", "bit varying")
        | ("numeric", "numeric") => widens(&old.modifiers, &new.modifiers),
        ("character varying", "text") => true,
        ("text", "character varying") => new.modifiers.is_none(),
        ("cidr", "inet") => true,
        _ => false,
    }
}

/// `varchar ( 200 )`, `pg_catalog.int4`, `character varying(100)` → base and modifiers; array
/// types and anything with odd modifiers are not parsed.
fn parse(text: &str) -> Option<SqlType> {
    let compact: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    let compact = compact
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",");
    let compact = compact
        .strip_prefix("pg_catalog.")
        .unwrap_or(&compact)
        .trim()
        .to_owned();
    if compact.contains('[') {
        return None;
    }
    let (name, modifiers) = match compact.split_once('(') {
        Some((name, rest)) => {
            let inside = rest.strip_suffix(')')?;
            let numbers: Option<Vec<u32>> =
                inside.split(',').map(|n| n.trim().parse().ok()).collect();
            (name.trim().to_owned(), Some(numbers?))
        }
        None => (compact, None),
    };
    Some(SqlType {
        base: canonical(&name).to_owned(),
        modifiers,
    })
}

/// PostgreSQL's own name for a type alias.
fn canonical(name: &str) -> &str {
    match name {
        "varchar" | "character varying" => "character varying",
        "int" | "int4" | "integer" => "integer",
        "int8" | "bigint" => "bigint",
        "int2" | "smallint" => "smallint",
        "bool" | "boolean" => "boolean",
        "decimal" | "numeric" => "numeric",
        "varbit" | "bit varying" => "bit varying",
        "float8" | "double precision" => "double precision",
        "float4" | "real" => "real",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "char" | "character" | "bpchar" => "character",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_varchar_numeric_and_varbit_keeps_the_table() {
        assert!(is_binary_compatible(
            "character varying(100)",
            "varchar(200)"
        ));
        assert!(is_binary_compatible(
            "character varying(100)",
            "varchar ( 100 )"
        ));
        assert!(is_binary_compatible("character varying(100)", "varchar"));
        assert!(is_binary_compatible("character varying(100)", "text"));
        assert!(is_binary_compatible("text", "character varying"));
        assert!(is_binary_compatible("numeric(10,2)", "numeric(12, 2)"));
        assert!(is_binary_compatible("numeric(10,2)", "decimal"));
        assert!(is_binary_compatible("bit varying(4)", "varbit(8)"));
        assert!(is_binary_compatible("cidr", "inet"));
        assert!(is_binary_compatible("integer", "pg_catalog.int4"));
    }

    #[test]
    fn narrowing_and_real_conversions_rewrite() {
        assert!(!is_binary_compatible(
            "character varying(200)",
            "varchar(100)"
        ));
        assert!(!is_binary_compatible("text", "varchar(100)"));
        assert!(!is_binary_compatible("character varying", "varchar(10)"));
        assert!(!is_binary_compatible("numeric(10,2)", "numeric(12,3)"));
        assert!(!is_binary_compatible("integer", "bigint"));
        assert!(!is_binary_compatible(
            "timestamp without time zone",
            "timestamptz"
        ));
        assert!(
            !is_binary_compatible("text[]", "text[]"),
            "not parsed: counted as a rewrite"
        );
        assert!(!is_binary_compatible("character(3)", "text"));
    }
}
