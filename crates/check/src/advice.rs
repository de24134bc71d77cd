//! "Did I forget the index?": two things a schema usually should not have, found in a
//! catalog, named, and acknowledgeable where the schema is declared.
//!
//! - `foreign-key-without-index`: a foreign key whose columns no index starts with. Deleting
//!   or updating a referenced row must then read the whole referencing table, under lock.
//! - `table-without-primary-key`: a table with no primary key, whose rows nothing identifies
//!   (logical replication cannot update or delete them; tools cannot tell them apart).
//!
//! A finding is acknowledged by a comment anywhere in the declared schema's SQL files,
//! `-- check: allow <rule> <object> — <reason>`, naming the object as the finding does. An
//! acknowledgment that matches no finding is reported, so that stale ones do not pile up.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clipdex_core::{SqlTokenKind, checksum::normalise, tokenize};
use schema::model::{ConstraintKind, Table};
use schema::{Catalog, QualifiedName, quote_ident};

/// A foreign key whose columns no index starts with.
pub const FOREIGN_KEY_WITHOUT_INDEX: &str = "foreign-key-without-index";
/// A table without a primary key.
pub const TABLE_WITHOUT_PRIMARY_KEY: &str = "table-without-primary-key";
/// The stable names of the schema findings.
pub const SCHEMA_RULES: [&str; 2] = [FOREIGN_KEY_WITHOUT_INDEX, TABLE_WITHOUT_PRIMARY_KEY];

/// One thing a schema probably forgot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// The rule's stable name.
    pub rule: &'static str,
    /// The table it is about.
    pub table: QualifiedName,
    /// The object as an acknowledgment names it: `episodes`, or
    /// `episodes.episodes_podcast_id_fkey` for a foreign key.
    pub object: String,
    /// What is wrong and what to do, on one line.
    pub message: String,
}

impl Advice {
    /// The comment that acknowledges it.
    pub fn acknowledgment(&self) -> String {
        format!("-- check: allow {} {} — <reason>", self.rule, self.object)
    }
}

/// What `catalog` probably forgot, table by table.
pub fn schema_advice(catalog: &Catalog) -> Vec<Advice> {
    let mut advice = Vec::new();
    for table in catalog.tables.values() {
        // A partition's keys and indexes are its parent's business.
        if table.partition.is_some() {
            continue;
        }
        let shown = shown(&table.name);
        if !table
            .constraints
            .values()
            .any(|c| c.kind == ConstraintKind::PrimaryKey)
        {
            advice.push(Advice {
                rule: TABLE_WITHOUT_PRIMARY_KEY,
                table: table.name.clone(),
                object: shown.clone(),
                message: format!("table {shown} has no primary key: nothing identifies its rows"),
            });
        }
        for fk in table.constraints.values() {
            if fk.kind == ConstraintKind::ForeignKey && !covered(catalog, table, &fk.columns) {
                let columns = fk
                    .columns
                    .iter()
                    .map(|c| quote_ident(c))
                    .collect::<Vec<_>>();
                advice.push(Advice {
                    rule: FOREIGN_KEY_WITHOUT_INDEX,
                    table: table.name.clone(),
                    object: format!("{shown}.{}", quote_ident(&fk.name)),
                    message: format!(
                        "foreign key {} on {shown} has no index that starts with ({}): deleting or updating a referenced row reads all of {shown}; add CREATE INDEX ON {shown} ({})",
                        quote_ident(&fk.name),
                        columns.join(", "),
                        columns.join(", ")
                    ),
                });
            }
        }
    }
    advice
}

/// Whether an index (or a key's index) of `table` starts with `columns`, in any order.
fn covered(catalog: &Catalog, table: &Table, columns: &[String]) -> bool {
    let wanted: BTreeSet<&str> = columns.iter().map(String::as_str).collect();
    let starts_with = |leading: Vec<Option<&str>>| {
        leading.len() >= wanted.len()
            && leading[..wanted.len()]
                .iter()
                .all(|c| c.is_some_and(|c| wanted.contains(c)))
    };
    let keys = table
        .constraints
        .values()
        .filter(|c| c.kind.has_index())
        .any(|c| starts_with(c.columns.iter().map(|c| Some(c.as_str())).collect()));
    let indexes = catalog
        .indexes
        .values()
        .filter(|i| i.table == table.name && !i.partial)
        .any(|i| starts_with(i.key_columns.iter().map(Option::as_deref).collect()));
    keys || indexes
}

/// A table as findings and acknowledgments name it: `episodes` for `public.episodes`.
fn shown(name: &QualifiedName) -> String {
    if name.schema == "public" {
        quote_ident(&name.name)
    } else {
        name.to_string()
    }
}

/// One acknowledgment of a schema finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaAcknowledgment {
    /// The file and line it is on.
    pub file: PathBuf,
    /// Its 1-based line.
    pub line: u32,
    /// The rule it allows.
    pub rule: String,
    /// The object it allows it for.
    pub object: String,
}

/// The acknowledgments of the `*.sql` files of `dir` (none when it does not exist), and the
/// malformed ones, as (file, line, problem).
pub fn read_acknowledgments(
    dir: &Path,
) -> (Vec<SchemaAcknowledgment>, Vec<(PathBuf, u32, String)>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (found, problems);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    for file in files {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&normalise(&bytes)).into_owned();
        for token in tokenize(&text) {
            let comment = token.kind == SqlTokenKind::Comment && token.text.starts_with("--");
            let Some(body) = comment
                .then(|| token.text[2..].trim())
                .and_then(|b| b.strip_prefix("check:"))
            else {
                continue;
            };
            match parse(body.trim()) {
                Some((rule, object)) => found.push(SchemaAcknowledgment {
                    file: file.clone(),
                    line: token.line,
                    rule,
                    object,
                }),
                None => problems.push((
                    file.clone(),
                    token.line,
                    format!(
                        "not an acknowledgment of a schema finding: write `-- check: allow <rule> <object> — <reason>` (rules: {})",
                        SCHEMA_RULES.join(", ")
                    ),
                )),
            }
        }
    }
    (found, problems)
}

/// `allow <rule> <object> — <reason>` → (rule, object), when the rule is known and a reason
/// is given.
fn parse(body: &str) -> Option<(String, String)> {
    let mut words = body.strip_prefix("allow")?.split_whitespace();
    let rule = words.next().filter(|r| SCHEMA_RULES.contains(r))?;
    let object = words.next()?;
    let reason: Vec<&str> = words.collect();
    let reason = reason.join(" ");
    let reason = ["—", "–", "--", "-", ":"]
        .iter()
        .find_map(|dash| reason.strip_prefix(dash))?
        .trim();
    (!reason.is_empty()).then(|| (rule.to_owned(), object.to_owned()))
}

/// The advice no acknowledgment allows, and the acknowledgments that allowed nothing.
pub fn unacknowledged<'a>(
    advice: &'a [Advice],
    acknowledgments: &'a [SchemaAcknowledgment],
) -> (Vec<&'a Advice>, Vec<&'a SchemaAcknowledgment>) {
    let allowed = |a: &Advice, k: &SchemaAcknowledgment| k.rule == a.rule && k.object == a.object;
    let open = advice
        .iter()
        .filter(|a| !acknowledgments.iter().any(|k| allowed(a, k)))
        .collect();
    let unused = acknowledgments
        .iter()
        .filter(|k| !advice.iter().any(|a| allowed(a, k)))
        .collect();
    (open, unused)
}

/// `check`'s findings for the declared schema: each open advice at the file that declares
/// its table, each unused or malformed acknowledgment at its line.
pub(crate) fn findings(declared: &shadow::DeclaredSchema, dir: &Path) -> Vec<crate::Finding> {
    use crate::report::{CheckKind, Finding};
    let advice = schema_advice(&declared.catalog);
    let (acknowledgments, problems) = read_acknowledgments(dir);
    let (open, unused) = unacknowledged(&advice, &acknowledgments);
    let rule_finding = |rule: &str, message: String| Finding {
        rule: Some(rule.to_owned()),
        ..Finding::new(CheckKind::Schema, message)
    };
    let mut found = Vec::new();
    for advice in open {
        let message = format!(
            "{}; or acknowledge it: `{}`",
            advice.message,
            advice.acknowledgment()
        );
        let finding = rule_finding(advice.rule, message);
        found.push(
            match crate::declared::file_declaring_table(declared, &advice.table) {
                Some(file) => finding.at(file, None),
                None => finding,
            },
        );
    }
    for acknowledgment in unused {
        let message = format!(
            "`check: allow {} {}` matches no finding: the schema has no such {}; remove it",
            acknowledgment.rule,
            acknowledgment.object,
            if acknowledgment.rule == FOREIGN_KEY_WITHOUT_INDEX {
                "unindexed foreign key"
            } else {
                "table without a primary key"
            }
        );
        found.push(
            rule_finding("acknowledgment", message)
                .at(&acknowledgment.file, Some(acknowledgment.line)),
        );
    }
    for (file, line, problem) in problems {
        found.push(rule_finding("acknowledgment", problem).at(file, Some(line)));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn an_acknowledgment_names_a_known_rule_an_object_and_a_reason() {
        assert_eq!(
            parse("allow table-without-primary-key audit_log — append-only"),
            Some(("table-without-primary-key".into(), "audit_log".into()))
        );
        assert_eq!(
            parse("allow table-without-primary-key audit_log"),
            None,
            "no reason"
        );
        assert_eq!(
            parse("allow set-not-null audit_log — a hazard, not a schema rule"),
            None
        );
    }
}
