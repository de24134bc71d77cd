//! The `TYPE … USING …` clause of a column whose type changes.
//!
//! `USING column::new_type` is written only where PostgreSQL has a cast path: a cast in
//! `pg_cast` (built in or user-defined), the I/O conversion every type has to and from the
//! string types, the same type with other modifiers, and, between two enums (or an enum and
//! a type the diff replaces), a detour through `text` that keeps the shared labels. Anywhere
//! else (`bigint` to `timestamp`, say) no conversion would be sound, so the clause calls a
//! function that does not exist and is named for what it asks: the statement fails, even on
//! an empty table, until a reviewer writes the real expression.

use super::plan::Plan;
use super::type_change::{TypeChange, classify};
use crate::ident::{QualifiedName, quote_ident};
use crate::model::{Catalog, Column, EnumType};

/// A type change as SQL, and what the reviewer must know about it.
pub(super) struct Conversion {
    /// `TYPE … [COLLATE …] [USING …]`.
    pub clause: String,
    /// Set when values can be lost.
    pub hazard: Option<String>,
    /// What the conversion does.
    pub notes: Vec<String>,
    /// What the reviewer must write instead of the placeholder.
    pub review: Option<String>,
}

/// The placeholder that stands for a conversion only a person can write.
const PLACEHOLDER: &str = "review: write this conversion";

pub(super) fn retype(plan: &Plan, table: &QualifiedName, old: &Column, new: &Column) -> Conversion {
    let column = quote_ident(&new.name);
    let collate = match (&old.collation, &new.collation) {
        (a, b) if a == b => String::new(),
        (_, Some(collation)) => format!(" COLLATE {collation}"),
        (_, None) => " COLLATE pg_catalog.\"default\"".to_owned(),
    };
    let head = format!("TYPE {}{collate}", new.data_type);
    let text = if new.data_type.ends_with("[]") {
        "text[]"
    } else {
        "text"
    };
    let path = if plan.uses_replaced_type(&old.data_type) {
        Path::ThroughText(format!("{} is replaced", new.data_type))
    } else {
        cast_path(plan, &old.data_type, &new.data_type)
    };
    let qualified = format!("{table}.{column}");
    match path {
        Path::Same => Conversion {
            clause: head,
            hazard: None,
            notes: vec!["only the collation changes".to_owned()],
            review: None,
        },
        Path::Cast => {
            let using = format!("{column}::{}", new.data_type);
            let (hazard, note) = type_change_hazard(&qualified, old, new, &using);
            Conversion {
                clause: format!("{head} USING {using}"),
                hazard,
                notes: vec![note],
                review: None,
            }
        }
        Path::ThroughText(why) => Conversion {
            clause: format!("{head} USING {column}::{text}::{}", new.data_type),
            hazard: None,
            notes: vec![format!("{why}: values are converted through text")],
            review: None,
        },
        Path::None => Conversion {
            clause: format!("{head} USING \"{PLACEHOLDER}\"({column})"),
            hazard: None,
            notes: Vec::new(),
            review: Some(format!(
                "PostgreSQL has no conversion from {} to {}: replace \"{PLACEHOLDER}\"({column}) with an expression that computes the new {qualified} from the old one",
                old.data_type, new.data_type
            )),
        },
    }
}

/// How a value of one type becomes a value of another.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Path {
    /// The same type: no `USING` at all.
    Same,
    /// `column::new_type`.
    Cast,
    /// `column::text::new_type`, and why.
    ThroughText(String),
    /// No sound conversion.
    None,
}

fn cast_path(plan: &Plan, old: &str, new: &str) -> Path {
    if old == new {
        return Path::Same;
    }
    let (old_array, new_array) = (old.ends_with("[]"), new.ends_with("[]"));
    let (old, new) = (base(plan.from, old), base(plan.to, new));
    if old_array != new_array {
        return if is_string(&new) && !new_array {
            Path::Cast
        } else {
            Path::None
        };
    }
    if let (Some(before), Some(after)) = (enum_named(plan.from, &old), enum_named(plan.to, &new)) {
        let missing: Vec<&str> = before
            .labels
            .iter()
            .filter(|label| !after.labels.contains(label))
            .map(String::as_str)
            .collect();
        let why = if missing.is_empty() {
            format!("{new} has every label of {old}")
        } else {
            format!(
                "{new} has no label {}: rows holding one fail to convert",
                missing.join(", ")
            )
        };
        return Path::ThroughText(why);
    }
    let casts = &plan.from.server.casts;
    let known = casts.is_empty()
        || old == new
        || is_string(&old)
        || is_string(&new)
        || casts.contains(&(old.clone(), new.clone()));
    if known { Path::Cast } else { Path::None }
}

/// The type without modifiers or array brackets, a domain as its base type.
fn base(catalog: &Catalog, data_type: &str) -> String {
    let element = data_type.trim_end_matches("[]");
    let mut bare = String::new();
    let mut depth = 0;
    for c in element.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    let bare = bare.split_whitespace().collect::<Vec<_>>().join(" ");
    match catalog
        .domains
        .values()
        .find(|d| d.name.to_string() == bare)
    {
        Some(domain) => base(catalog, &domain.base_type),
        None => bare,
    }
}

/// Types every value converts to and from, by its text form.
fn is_string(data_type: &str) -> bool {
    matches!(
        data_type,
        "text" | "character varying" | "character" | "name" | "\"char\"" | "bpchar"
    )
}

/// The enum of `catalog` named as `format_type` writes it.
fn enum_named<'c>(catalog: &'c Catalog, name: &str) -> Option<&'c EnumType> {
    catalog.enums.values().find(|e| e.name.to_string() == name)
}

/// The hazard and note of converting `column` with `using`.
fn type_change_hazard(
    column: &str,
    old: &Column,
    new: &Column,
    using: &str,
) -> (Option<String>, String) {
    match classify(&old.data_type, &new.data_type) {
        TypeChange::Widening => (
            None,
            format!("converted with USING {using}: every value fits"),
        ),
        TypeChange::Narrowing(why) => (
            Some(format!("narrows {column}: {why}")),
            format!("converted with USING {using}: check the expression"),
        ),
        TypeChange::Unknown => (
            None,
            format!(
                "converted with USING {using}: check the expression; rows that do not convert make the statement fail"
            ),
        ),
    }
}
