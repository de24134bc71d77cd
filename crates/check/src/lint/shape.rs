//! What a statement does to tables, read from its tokens: just the shapes the lint needs.
//!
//! Only significant tokens count (comments are dropped, strings and quoted identifiers stay
//! whole), and keywords match as whole words, so `-- CREATE INDEX` in a comment or
//! `'SET NOT NULL'` in a string never look like SQL. Anything not recognised is "other", which
//! the lint leaves alone: it warns about known hazards and never guesses.

use clipdex_core::{SqlToken, SqlTokenKind, concurrent_index_build, tokenize};

/// A table as a statement names it: `schema.name` or just `name`, folded as PostgreSQL folds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableName {
    pub schema: Option<String>,
    pub name: String,
}

/// What one statement does, as far as locks go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] … ON table`.
    CreateIndex {
        table: TableName,
        concurrently: bool,
    },
    /// `CREATE TABLE name`: a table that did not exist before this revision.
    CreateTable { table: TableName },
    /// `ALTER TABLE name action, …`.
    AlterTable {
        table: TableName,
        actions: Vec<AlterAction>,
    },
    /// Other DDL that locks a table: `DROP TABLE`, `TRUNCATE`, `LOCK`, triggers.
    LocksTable {
        tables: Vec<TableName>,
        command: &'static str,
    },
    /// `SET [LOCAL] lock_timeout …` or `RESET lock_timeout`.
    SetLockTimeout { local: bool, enabled: bool },
    /// Anything else.
    Other,
}

/// One action of `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AlterAction {
    /// `ADD [COLUMN] name type …`.
    AddColumn {
        column: String,
        not_null: bool,
        fills_rows: bool,
    },
    /// `ADD [CONSTRAINT name] FOREIGN KEY …`.
    AddForeignKey { not_valid: bool },
    /// `ALTER [COLUMN] name [SET DATA] TYPE type [USING …]`.
    AlterType {
        column: String,
        new_type: String,
        using: bool,
    },
    /// `ALTER [COLUMN] name SET NOT NULL`.
    SetNotNull { column: String },
    /// `ADD [CONSTRAINT name] CHECK (column IS NOT NULL) [NOT VALID]`: what lets
    /// `SET NOT NULL` skip its scan once validated.
    AddNotNullCheck {
        constraint: Option<String>,
        column: String,
        not_valid: bool,
    },
    /// `VALIDATE CONSTRAINT name`.
    ValidateConstraint { constraint: String },
    /// Anything else.
    Other,
}

/// The shape of `sql`.
pub(crate) fn shape_of(sql: &str) -> Shape {
    let tokens: Vec<SqlToken<'_>> = tokenize(sql)
        .filter(|t| t.kind != SqlTokenKind::Comment)
        .collect();
    let words = Words(&tokens);
    if words.starts(&["alter", "table"]) {
        alter_table(&tokens[2..])
    } else if words.starts(&["create"]) {
        create(&tokens[1..], sql)
    } else if words.starts(&["drop", "table"]) {
        locks_list(&tokens[2..], "DROP TABLE")
    } else if words.starts(&["truncate"]) {
        locks_list(&tokens[1..], "TRUNCATE")
    } else if words.starts(&["lock"]) {
        locks_list(&tokens[1..], "LOCK TABLE")
    } else if words.starts(&["drop", "trigger"]) {
        after_on(&tokens[2..], "DROP TRIGGER")
    } else if words.starts(&["set"]) || words.starts(&["reset"]) {
        set_lock_timeout(&tokens)
    } else {
        Shape::Other
    }
}

/// Token-slice helpers.
struct Words<'t, 'a>(&'t [SqlToken<'a>]);

impl Words<'_, '_> {
    fn starts(&self, keywords: &[&str]) -> bool {
        keywords.len() <= self.0.len() && keywords.iter().zip(self.0).all(|(k, t)| t.is_word(k))
    }
}

/// `CREATE …` of `sql`, whose tokens after `CREATE` are `rest`.
fn create(rest: &[SqlToken<'_>], sql: &str) -> Shape {
    let rest = skip_words(
        rest,
        &[
            "or",
            "replace",
            "unique",
            "global",
            "local",
            "temporary",
            "temp",
            "unlogged",
            "constraint",
        ],
    );
    match rest.first() {
        Some(t) if t.is_word("index") => {
            let concurrently = concurrent_index_build(sql).is_some();
            match after_on(&rest[1..], "CREATE INDEX") {
                Shape::LocksTable { mut tables, .. } if !tables.is_empty() => Shape::CreateIndex {
                    table: tables.remove(0),
                    concurrently,
                },
                _ => Shape::Other,
            }
        }
        Some(t) if t.is_word("table") => {
            let rest = skip_words(&rest[1..], &["if", "not", "exists"]);
            table_name(rest).map_or(Shape::Other, |(table, _)| Shape::CreateTable { table })
        }
        Some(t) if t.is_word("trigger") => after_on(&rest[1..], "CREATE TRIGGER"),
        _ => Shape::Other,
    }
}

/// The table after the first top-level `ON [ONLY]`.
fn after_on(rest: &[SqlToken<'_>], command: &'static str) -> Shape {
    let mut depth = 0i32;
    for (at, token) in rest.iter().enumerate() {
        depth += paren_step(token);
        if depth == 0 && token.is_word("on") {
            let after = skip_words(&rest[at + 1..], &["only"]);
            if let Some((table, _)) = table_name(after) {
                return Shape::LocksTable {
                    tables: vec![table],
                    command,
                };
            }
        }
    }
    Shape::Other
}

/// `[TABLE] [IF EXISTS] [ONLY] a, b, …`.
fn locks_list(rest: &[SqlToken<'_>], command: &'static str) -> Shape {
    let rest = skip_words(rest, &["table", "if", "exists", "only"]);
    let tables = split_top_level(rest)
        .into_iter()
        .filter_map(|part| table_name(skip_words(part, &["only"])).map(|(table, _)| table))
        .collect();
    Shape::LocksTable { tables, command }
}

fn alter_table(rest: &[SqlToken<'_>]) -> Shape {
    let rest = skip_words(rest, &["if", "exists", "only"]);
    let Some((table, used)) = table_name(rest) else {
        return Shape::Other;
    };
    let mut rest = &rest[used..];
    if rest.first().is_some_and(|t| t.text == "*") {
        rest = &rest[1..];
    }
    let actions = split_top_level(rest)
        .into_iter()
        .map(alter_action)
        .collect();
    Shape::AlterTable { table, actions }
}

fn alter_action(action: &[SqlToken<'_>]) -> AlterAction {
    let Some(first) = action.first() else {
        return AlterAction::Other;
    };
    if first.is_word("add") {
        return add_action(&action[1..]);
    }
    if first.is_word("validate") {
        return super::not_null::validate_action(&action[1..]);
    }
    if !first.is_word("alter") {
        return AlterAction::Other;
    }
    let rest = skip_words(&action[1..], &["column"]);
    let Some(column) = rest.first().and_then(SqlToken::identifier) else {
        return AlterAction::Other;
    };
    let rest = &rest[1..];
    let set_data = skip_words(rest, &["set", "data"]);
    if set_data.first().is_some_and(|t| t.is_word("type")) {
        return alter_type(column, &set_data[1..]);
    }
    if Words(rest).starts(&["set", "not", "null"]) {
        return AlterAction::SetNotNull { column };
    }
    AlterAction::Other
}

fn add_action(rest: &[SqlToken<'_>]) -> AlterAction {
    let constraint_words = [
        "constraint",
        "primary",
        "unique",
        "check",
        "foreign",
        "exclude",
    ];
    let first = rest.first();
    if first.is_some_and(|t| constraint_words.iter().any(|k| t.is_word(k))) {
        add_constraint(rest)
    } else {
        add_column(rest)
    }
}

/// `ADD [CONSTRAINT name] …`: only foreign keys matter to the lint.
fn add_constraint(rest: &[SqlToken<'_>]) -> AlterAction {
    if !rest.iter().any(|t| t.is_word("foreign")) {
        return super::not_null::not_null_check(rest);
    }
    let not_valid = rest
        .windows(2)
        .any(|pair| pair[0].is_word("not") && pair[1].is_word("valid"));
    AlterAction::AddForeignKey { not_valid }
}

/// `ADD [COLUMN] [IF NOT EXISTS] name type …`.
fn add_column(rest: &[SqlToken<'_>]) -> AlterAction {
    let rest = skip_words(rest, &["column"]);
    let rest = if Words(rest).starts(&["if", "not", "exists"]) {
        &rest[3..]
    } else {
        rest
    };
    let Some(column) = rest.first().and_then(SqlToken::identifier) else {
        return AlterAction::Other;
    };
    let top = top_level(&rest[1..]);
    let not_null = top
        .windows(2)
        .any(|pair| pair[0].is_word("not") && pair[1].is_word("null"));
    let serial = [
        "serial",
        "bigserial",
        "smallserial",
        "serial2",
        "serial4",
        "serial8",
    ];
    let fills_rows = top
        .iter()
        .any(|t| t.is_word("default") || t.is_word("generated"))
        || rest
            .get(1)
            .is_some_and(|t| serial.iter().any(|k| t.is_word(k)));
    AlterAction::AddColumn {
        column,
        not_null,
        fills_rows,
    }
}

fn alter_type(column: String, rest: &[SqlToken<'_>]) -> AlterAction {
    let mut depth = 0;
    let mut end = rest.len();
    for (at, token) in rest.iter().enumerate() {
        depth += paren_step(token);
        if depth == 0 && (token.is_word("using") || token.is_word("collate")) {
            end = at;
            break;
        }
    }
    let using = rest[end..].iter().any(|t| t.is_word("using"));
    let new_type = rest[..end]
        .iter()
        .map(|t| t.text.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    AlterAction::AlterType {
        column,
        new_type,
        using,
    }
}

/// `SET [SESSION | LOCAL] lock_timeout { TO | = } value`, `RESET lock_timeout | ALL`.
fn set_lock_timeout(tokens: &[SqlToken<'_>]) -> Shape {
    if tokens[0].is_word("reset") {
        let resets = tokens
            .get(1)
            .is_some_and(|t| t.is_word("lock_timeout") || t.is_word("all"));
        return if resets {
            Shape::SetLockTimeout {
                local: false,
                enabled: false,
            }
        } else {
            Shape::Other
        };
    }
    let local = tokens.get(1).is_some_and(|t| t.is_word("local"));
    let rest = skip_words(&tokens[1..], &["session", "local"]);
    if !rest.first().is_some_and(|t| t.is_word("lock_timeout")) {
        return Shape::Other;
    }
    let enabled = rest.get(2).is_some_and(|value| timeout_enabled(value.text));
    Shape::SetLockTimeout { local, enabled }
}

/// Whether a `lock_timeout` value turns the timeout on: `0`, `'0ms'` and `DEFAULT` (the
/// server's default, 0) do not.
fn timeout_enabled(value: &str) -> bool {
    let value = value.trim_matches('\'').trim();
    if value.is_empty() || value.eq_ignore_ascii_case("default") {
        return false;
    }
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<u64>().map_or(true, |millis| millis > 0)
}

/// `name` or `schema.name` at the start of `tokens`, and how many tokens it took.
pub(super) fn table_name(tokens: &[SqlToken<'_>]) -> Option<(TableName, usize)> {
    let first = tokens.first()?.identifier()?;
    let dotted = tokens.get(1).is_some_and(|t| t.text == ".");
    match tokens.get(2).and_then(SqlToken::identifier) {
        Some(second) if dotted => Some((
            TableName {
                schema: Some(first),
                name: second,
            },
            3,
        )),
        _ => Some((
            TableName {
                schema: None,
                name: first,
            },
            1,
        )),
    }
}

pub(super) fn skip_words<'t, 'a>(
    tokens: &'t [SqlToken<'a>],
    optional: &[&str],
) -> &'t [SqlToken<'a>] {
    let skipped = tokens
        .iter()
        .take_while(|t| optional.iter().any(|k| t.is_word(k)))
        .count();
    &tokens[skipped..]
}

pub(super) fn paren_step(token: &SqlToken<'_>) -> i32 {
    match token.kind {
        SqlTokenKind::OpenParen => 1,
        SqlTokenKind::CloseParen => -1,
        _ => 0,
    }
}

/// The tokens outside any parentheses.
fn top_level<'t, 'a>(tokens: &'t [SqlToken<'a>]) -> Vec<&'t SqlToken<'a>> {
    let mut depth = 0;
    let mut kept = Vec::new();
    for token in tokens {
        let step = paren_step(token);
        if depth == 0 && step == 0 {
            kept.push(token);
        }
        depth += step;
    }
    kept
}

/// `tokens` cut at top-level commas.
fn split_top_level<'t, 'a>(tokens: &'t [SqlToken<'a>]) -> Vec<&'t [SqlToken<'a>]> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, token) in tokens.iter().enumerate() {
        depth += paren_step(token);
        if depth == 0 && token.text == "," {
            parts.push(&tokens[start..at]);
            start = at + 1;
        }
    }
    parts.push(&tokens[start..]);
    parts
}

#[cfg(test)]
#[path = "shape_tests.rs"]
mod tests;
