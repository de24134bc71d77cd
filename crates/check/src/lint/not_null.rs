//! `SET NOT NULL` without a scan: PostgreSQL skips scanning the table when a validated
//! `CHECK (column IS NOT NULL)` already proves it. The lint follows such checks through a
//! revision — added, validated — so that a `SET NOT NULL` they prove is no hazard.

use clipdex_core::SqlToken;

use super::shape::{AlterAction, TableName, paren_step};

/// A `CHECK (column IS NOT NULL)` on a table, and whether it is validated yet.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NotNullCheck {
    table: TableName,
    constraint: Option<String>,
    column: String,
    validated: bool,
}

/// The not-null checks a revision has added so far.
#[derive(Debug, Default)]
pub(crate) struct NotNullChecks {
    checks: Vec<NotNullCheck>,
}

impl NotNullChecks {
    /// Records what `action` on `table` adds or validates.
    pub fn observe(&mut self, table: &TableName, action: &AlterAction) {
        match action {
            AlterAction::AddNotNullCheck {
                constraint,
                column,
                not_valid,
            } => self.checks.push(NotNullCheck {
                table: table.clone(),
                constraint: constraint.clone(),
                column: column.clone(),
                validated: !not_valid,
            }),
            AlterAction::ValidateConstraint { constraint } => {
                let named = self.checks.iter_mut().filter(|c| {
                    c.table == *table && c.constraint.as_deref() == Some(constraint.as_str())
                });
                for check in named {
                    check.validated = true;
                }
            }
            _ => {}
        }
    }

    /// Whether `action` is a `SET NOT NULL` that a validated check proves.
    pub fn proves(&self, table: &TableName, action: &AlterAction) -> bool {
        let AlterAction::SetNotNull { column } = action else {
            return false;
        };
        self.checks
            .iter()
            .any(|c| c.table == *table && c.column == *column && c.validated)
    }
}

/// `[CONSTRAINT name] CHECK (column IS NOT NULL) [NOT VALID]`, or any other constraint.
pub(super) fn not_null_check(rest: &[SqlToken<'_>]) -> AlterAction {
    let (constraint, rest) = match rest {
        [first, name, rest @ ..] if first.is_word("constraint") => (name.identifier(), rest),
        _ => (None, rest),
    };
    if !rest.first().is_some_and(|t| t.is_word("check")) {
        return AlterAction::Other;
    }
    let mut depth = 0;
    let mut inside: Vec<&SqlToken<'_>> = Vec::new();
    let mut end = rest.len();
    for (at, token) in rest.iter().enumerate().skip(1) {
        let step = paren_step(token);
        depth += step;
        if depth == 0 {
            end = at + 1;
            break;
        }
        if step == 0 {
            inside.push(token);
        }
    }
    let column = match inside.as_slice() {
        [column, is, not, null]
            if is.is_word("is") && not.is_word("not") && null.is_word("null") =>
        {
            column.identifier()
        }
        _ => None,
    };
    let tail = &rest[end.min(rest.len())..];
    let not_valid = tail
        .windows(2)
        .any(|pair| pair[0].is_word("not") && pair[1].is_word("valid"));
    match column {
        Some(column) => AlterAction::AddNotNullCheck {
            constraint,
            column,
            not_valid,
        },
        None => AlterAction::Other,
    }
}

/// `VALIDATE CONSTRAINT name`.
pub(super) fn validate_action(rest: &[SqlToken<'_>]) -> AlterAction {
    match rest {
        [keyword, name, ..] if keyword.is_word("constraint") => match name.identifier() {
            Some(constraint) => AlterAction::ValidateConstraint { constraint },
            None => AlterAction::Other,
        },
        _ => AlterAction::Other,
    }
}
