//! The Citus hazards: each flagged where Citus would refuse or break, allowed by the header or
//! an acknowledgment, and silent where no table is distributed.

use super::{Project, rules, timeout_on};
use crate::lint::TablesBefore;

/// `listeners` and `listens`, distributed by podcast_id, and a plain `episodes`.
fn distributed() -> TablesBefore {
    let columns: &[(&str, &str)] = &[("podcast_id", "bigint"), ("id", "bigint")];
    TablesBefore::public(&[
        ("listeners", columns),
        ("listens", columns),
        ("episodes", columns),
    ])
    .distributed(&[("listeners", "podcast_id"), ("listens", "podcast_id")])
}

fn lint(header: &str, transaction: &str, up: &str) -> Vec<crate::report::Finding> {
    let project = Project::new();
    let up = format!("{header}\n-- +up\n{up}");
    project.revision_with_header(1, transaction, &up);
    project.lint_with(&timeout_on(), &distributed())
}

#[test]
fn a_type_after_a_multi_shard_statement_needs_the_sequential_header() {
    let up = "UPDATE listeners SET country = upper(country);\nCREATE TYPE source AS ENUM ('app');";
    let findings = lint("", "per-revision", up);
    assert_eq!(rules(&findings), ["citus-sequential-mode"], "{findings:#?}");
    assert_eq!(findings[0].line, Some(7));
    assert!(
        findings[0].message.contains(
            "this type command comes after the UPDATE of distributed table listeners (line 6)"
        ),
        "{}",
        findings[0]
    );
    assert!(findings[0].message.contains("add `-- citus: sequential`"));
    assert_eq!(lint("-- citus: sequential", "per-revision", up), []);
    let set_by_hand = format!("SET LOCAL citus.multi_shard_modify_mode TO 'sequential';\n{up}");
    assert_eq!(lint("", "per-revision", &set_by_hand), []);
    assert_eq!(
        lint("", "none", up),
        [],
        "each statement is its own transaction"
    );
}

#[test]
fn only_statements_over_many_shards_of_a_distributed_table_count() {
    let cases = [
        ("INSERT INTO listeners VALUES (1, 1);", false),
        ("INSERT INTO listeners SELECT * FROM listeners;", true),
        ("UPDATE episodes SET id = id;", false),
        ("DELETE FROM listens;", true),
        ("TRUNCATE listens;", true),
        ("ALTER TABLE listens ADD COLUMN x int;", true),
        (
            "CREATE TABLE t (podcast_id bigint);\nSELECT create_distributed_table('t', 'podcast_id');",
            true,
        ),
        (
            "CREATE TABLE r (id int);\nSELECT create_reference_table('r');",
            false,
        ),
    ];
    for (first, parallel) in cases {
        let up = format!("{first}\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';");
        let expected: &[&str] = if parallel {
            &["citus-sequential-mode"]
        } else {
            &[]
        };
        assert_eq!(rules(&lint("", "per-revision", &up)), expected, "{first}");
    }
}

#[test]
fn the_other_citus_hazards_are_flagged_at_their_line() {
    let cases = [
        (
            "per-revision",
            "SELECT create_distributed_table_concurrently('episodes', 'podcast_id');",
            "citus-concurrent-distribution-in-transaction",
        ),
        (
            "none",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS listens_x ON listens (id);",
            "citus-index-if-not-exists",
        ),
        (
            "per-revision",
            "ALTER TABLE listens ALTER COLUMN podcast_id TYPE integer;",
            "citus-distribution-column-type",
        ),
    ];
    for (transaction, up, rule) in cases {
        let findings = lint("", transaction, &format!("SELECT 1;\n{up}"));
        let found: Vec<&str> = rules(&findings)
            .into_iter()
            .filter(|r| r.starts_with("citus-"))
            .collect();
        assert_eq!(found, [rule], "{up}: {findings:#?}");
        let at = findings
            .iter()
            .find(|f| f.rule.as_deref() == Some(rule))
            .unwrap();
        assert_eq!(at.line, Some(7), "{up}");
        let acknowledged = format!("SELECT 1;\n-- check: allow {rule} — reviewed\n{up}");
        let left = lint("", transaction, &acknowledged);
        assert!(!rules(&left).contains(&rule), "{rule}: {left:#?}");
    }
}

#[test]
fn without_distributed_tables_nothing_citus_is_flagged() {
    let up = "UPDATE episodes SET id = id;\nCREATE TYPE source AS ENUM ('app');\nALTER TABLE episodes ALTER COLUMN podcast_id TYPE integer;";
    let project = Project::new();
    project.revision_with_header(1, "per-revision", &format!("-- +up\n{up}"));
    let findings = project.lint_with(
        &timeout_on(),
        &TablesBefore::public(&[("episodes", &[("podcast_id", "bigint")])]),
    );
    assert!(
        rules(&findings)
            .iter()
            .all(|rule| !rule.starts_with("citus-")),
        "{findings:#?}"
    );
}
