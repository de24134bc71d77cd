//! The lint against revisions on disk: each hazard flagged, allowed by an acknowledgment,
//! and never triggered by look-alikes; acknowledgments that are broken or allow nothing.

use std::path::Path;

use clipdex_core::RevisionSet;

use super::*;

#[path = "citus_tests.rs"]
mod citus;

/// Revisions written to a temporary directory (acknowledgments are read from the files).
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Writes revision `n` (ids `rev00n…`, each on the previous) with `up` as its up section.
    fn revision(&self, n: u32, transaction: &str, up: &str) -> &Project {
        let parents = if n == 1 {
            String::new()
        } else {
            format!("rev{:03}", n - 1)
        };
        let text = format!(
            "-- revision: rev{n:03}\n-- parents: {parents}\n-- transaction: {transaction}\n\n-- +up\n{up}\n"
        );
        std::fs::write(self.dir.path().join(format!("{n:03}.sql")), text).unwrap();
        self
    }

    /// Writes revision `n` whose text after its first three header lines is `rest` (more
    /// header lines, then `-- +up` and the section).
    fn revision_with_header(&self, n: u32, transaction: &str, rest: &str) -> &Project {
        let text =
            format!("-- revision: rev{n:03}\n-- parents:\n-- transaction: {transaction}\n{rest}\n");
        std::fs::write(self.dir.path().join(format!("{n:03}.sql")), text).unwrap();
        self
    }

    fn lint(&self, config: &LintConfig) -> Vec<Finding> {
        let episodes = TablesBefore::public(&[(
            "episodes",
            &[("title", "character varying(100)"), ("n", "integer")],
        )]);
        self.lint_with(config, &episodes)
    }

    /// The findings with `tables` existing before every revision.
    fn lint_with(&self, config: &LintConfig, tables: &TablesBefore) -> Vec<Finding> {
        let set = RevisionSet::read_dir(self.dir.path()).unwrap();
        let graph = RevisionGraph::build(&set).unwrap();
        let before = graph
            .topological_order()
            .iter()
            .map(|r| (r.id().to_owned(), tables.clone()))
            .collect();
        lint(&graph, &before, config)
    }

    fn file(&self, n: u32) -> std::path::PathBuf {
        self.dir.path().join(format!("{n:03}.sql"))
    }
}

fn timeout_on() -> LintConfig {
    LintConfig::default()
}

fn timeout_off() -> LintConfig {
    LintConfig { lock_timeout: None }
}

fn rules(findings: &[Finding]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f.rule.as_deref().unwrap_or("-"))
        .collect()
}

/// The findings of one revision holding `up`, per-revision, with the tool's lock_timeout on.
fn lint_up(up: &str) -> Vec<Finding> {
    let project = Project::new();
    project.revision(1, "per-revision", up);
    project.lint(&timeout_on())
}

#[test]
fn each_hazard_is_flagged_on_an_existing_table_at_its_line() {
    let cases = [
        (
            "CREATE INDEX episodes_n ON episodes (n);",
            "non-concurrent-index",
        ),
        (
            "ALTER TABLE episodes ADD COLUMN view_count bigint NOT NULL;",
            "not-null-without-default",
        ),
        (
            "ALTER TABLE episodes ALTER COLUMN title TYPE varchar(50);",
            "rewriting-type-change",
        ),
        (
            "ALTER TABLE episodes ADD CONSTRAINT f FOREIGN KEY (n) REFERENCES podcasts;",
            "foreign-key-without-not-valid",
        ),
        (
            "ALTER TABLE episodes ALTER COLUMN n SET NOT NULL;",
            "set-not-null",
        ),
    ];
    for (up, rule) in cases {
        let findings = lint_up(&format!("SELECT 1;\n{up}"));
        assert_eq!(rules(&findings), [rule], "{up}: {findings:#?}");
        assert_eq!(findings[0].line, Some(7), "{up}");
        assert!(
            findings[0]
                .message
                .contains(&format!("`-- check: allow {rule} — <reason>`")),
            "{}",
            findings[0]
        );
    }
    let project = Project::new();
    project.revision(1, "per-revision", "ALTER TABLE episodes DROP COLUMN n;");
    let findings = project.lint(&timeout_off());
    assert_eq!(rules(&findings), ["missing-lock-timeout"], "{findings:#?}");
}

#[test]
fn each_hazard_is_allowed_by_its_acknowledgment() {
    let cases = [
        (
            "CREATE INDEX episodes_n ON episodes (n);",
            "non-concurrent-index",
        ),
        (
            "ALTER TABLE episodes ADD COLUMN view_count bigint NOT NULL;",
            "not-null-without-default",
        ),
        (
            "ALTER TABLE episodes ALTER COLUMN title TYPE varchar(50);",
            "rewriting-type-change",
        ),
        (
            "ALTER TABLE episodes ADD FOREIGN KEY (n) REFERENCES podcasts;",
            "foreign-key-without-not-valid",
        ),
        (
            "ALTER TABLE episodes ALTER COLUMN n SET NOT NULL;",
            "set-not-null",
        ),
        (
            "ALTER TABLE episodes DROP COLUMN n;",
            "missing-lock-timeout",
        ),
    ];
    for (statement, rule) in cases {
        let up = format!("-- check: allow {rule} — reviewed: the table is tiny\n{statement}");
        let project = Project::new();
        project.revision(1, "per-revision", &up);
        let config = if rule == "missing-lock-timeout" {
            timeout_off()
        } else {
            timeout_on()
        };
        assert_eq!(project.lint(&config), [], "{rule}");
    }
}

#[test]
fn tables_created_in_the_same_revision_or_unknown_are_not_hazards() {
    let up = "CREATE TABLE fresh (id int);\nCREATE INDEX ON fresh (id);\nALTER TABLE fresh ADD COLUMN x int NOT NULL;\nALTER TABLE fresh ALTER id SET NOT NULL;\nCREATE INDEX ON elsewhere (x);";
    let project = Project::new();
    project.revision(1, "per-revision", up);
    assert_eq!(project.lint(&timeout_off()), []);
}

#[test]
fn safe_forms_are_not_flagged() {
    let up = "CREATE INDEX CONCURRENTLY episodes_n ON episodes (n);\nALTER TABLE episodes ADD COLUMN v bigint NOT NULL DEFAULT 0, ALTER title TYPE varchar(200), ADD CONSTRAINT f FOREIGN KEY (n) REFERENCES podcasts NOT VALID;";
    let project = Project::new();
    project.revision(1, "none", up);
    assert_eq!(project.lint(&timeout_on()), []);
}

#[test]
fn look_alikes_in_comments_and_strings_are_never_hazards() {
    let up = "-- CREATE INDEX ON episodes (n); ALTER TABLE episodes ALTER n SET NOT NULL\n/* ALTER TABLE episodes ADD COLUMN x int NOT NULL */\nCOMMENT ON TABLE episodes IS 'CREATE INDEX ON episodes (n); ALTER TABLE episodes ALTER n SET NOT NULL';\nSELECT $$ALTER TABLE episodes ALTER COLUMN title TYPE int$$;\nSELECT 'ALTER TABLE episodes ADD FOREIGN KEY (n) REFERENCES podcasts' AS \"ALTER TABLE episodes DROP COLUMN n\";";
    assert_eq!(lint_up(up), []);
    let project = Project::new();
    project.revision(1, "per-revision", up);
    assert_eq!(
        project.lint(&timeout_off()),
        [],
        "nothing locks a table, so no timeout is needed"
    );
}

#[test]
fn a_lock_timeout_in_a_comment_or_string_sets_nothing() {
    let up = "-- SET lock_timeout = '5s';\nSELECT 'SET lock_timeout = 5s';\nALTER TABLE episodes DROP COLUMN n;";
    let project = Project::new();
    project.revision(1, "per-revision", up);
    assert_eq!(
        rules(&project.lint(&timeout_off())),
        ["missing-lock-timeout"]
    );
}

#[test]
fn the_fix_depends_on_the_transaction_mode() {
    let per_revision = lint_up("CREATE INDEX ON episodes (n);");
    assert!(
        per_revision[0]
            .message
            .contains("in a revision of its own with `-- transaction: none`"),
        "{}",
        per_revision[0]
    );
    let project = Project::new();
    project.revision(1, "none", "CREATE INDEX ON episodes (n);");
    let none = project.lint(&timeout_on());
    assert!(
        none[0]
            .message
            .contains("add CONCURRENTLY (this revision already runs outside a transaction)"),
        "{}",
        none[0]
    );
}

#[test]
fn a_lock_timeout_in_the_revision_counts_unless_set_local_outside_a_transaction() {
    let project = Project::new();
    project.revision(
        1,
        "per-revision",
        "SET LOCAL lock_timeout = '2s';\nALTER TABLE episodes DROP COLUMN n;",
    );
    assert_eq!(
        project.lint(&timeout_off()),
        [],
        "SET LOCAL lasts the revision's transaction"
    );
    let project = Project::new();
    project.revision(
        1,
        "none",
        "SET LOCAL lock_timeout = '2s';\nALTER TABLE episodes DROP COLUMN n;",
    );
    let findings = project.lint(&timeout_off());
    assert_eq!(rules(&findings), ["missing-lock-timeout"]);
    assert!(
        findings[0].message.contains("not SET LOCAL"),
        "{}",
        findings[0]
    );
    let project = Project::new();
    project.revision(1, "per-revision", "SET lock_timeout = 0;\nALTER TABLE episodes DROP COLUMN n;\nALTER TABLE episodes DROP COLUMN title;");
    let findings = project.lint(&timeout_on());
    assert_eq!(
        rules(&findings),
        ["missing-lock-timeout"],
        "turned off in the revision; reported once"
    );
    assert_eq!(findings[0].line, Some(7));
}

#[test]
fn an_acknowledgment_directly_above_allows_that_hazard_only() {
    let up = "-- check: allow set-not-null — episodes has 12 rows\n-- check: allow missing-lock-timeout — maintenance window\nALTER TABLE episodes ALTER n SET NOT NULL, ADD CONSTRAINT f FOREIGN KEY (n) REFERENCES podcasts;";
    let project = Project::new();
    project.revision(1, "per-revision", up);
    let findings = project.lint(&timeout_off());
    assert_eq!(
        rules(&findings),
        ["foreign-key-without-not-valid"],
        "{findings:#?}"
    );
}

#[test]
fn broken_misplaced_and_unused_acknowledgments_are_findings() {
    let up = "-- check: allow set-not-null\nALTER TABLE episodes ALTER n SET NOT NULL;\n\n-- check: allow non-concurrent-index — small table\n\nCREATE INDEX ON episodes (n);\n-- check: allow set-not-nul — typo\nSELECT 1;\n-- check: allow rewriting-type-change — nothing to rewrite here\nALTER TABLE episodes ALTER title TYPE text;";
    let project = Project::new();
    project.revision(1, "per-revision", up);
    let findings = project.lint(&timeout_on());
    let shown: Vec<String> = findings
        .iter()
        .map(|f| format!("{}:{}", f.rule.as_deref().unwrap(), f.line.unwrap()))
        .collect();
    assert_eq!(
        shown,
        [
            "set-not-null:7",
            "non-concurrent-index:11",
            "acknowledgment:6",
            "acknowledgment:12",
            "acknowledgment:9",
            "acknowledgment:14",
        ],
        "{findings:#?}"
    );
    assert!(
        findings[2].message.contains("gives no reason"),
        "{}",
        findings[2]
    );
    assert!(
        findings[3]
            .message
            .contains("`set-not-nul` is not a hazard"),
        "{}",
        findings[3]
    );
    assert!(
        findings[4]
            .message
            .contains("matches no non-concurrent-index hazard"),
        "{}",
        findings[4]
    );
    assert_eq!(findings[0].file.as_deref(), Some(project.file(1).as_path()));
    assert!(Path::new(findings[5].file.as_ref().unwrap()).ends_with("001.sql"));
}

#[test]
fn set_not_null_through_a_validated_check_is_not_flagged() {
    // What `revision --autogenerate` writes, in a `transaction: none` revision.
    let through_check = "ALTER TABLE episodes ADD CONSTRAINT episodes_n_not_null_check CHECK (n IS NOT NULL) NOT VALID;\n\
                         ALTER TABLE episodes VALIDATE CONSTRAINT episodes_n_not_null_check;\n\
                         ALTER TABLE episodes ALTER COLUMN n SET NOT NULL;\n\
                         ALTER TABLE episodes DROP CONSTRAINT episodes_n_not_null_check;";
    let project = Project::new();
    project.revision(1, "none", through_check);
    assert_eq!(rules(&project.lint(&timeout_on())), Vec::<&str>::new());
    // Not validated yet, validated under another name, or on another column: still a scan.
    for up in [
        "ALTER TABLE episodes ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;\nALTER TABLE episodes ALTER COLUMN n SET NOT NULL;",
        "ALTER TABLE episodes ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;\nALTER TABLE episodes VALIDATE CONSTRAINT d;\nALTER TABLE episodes ALTER COLUMN n SET NOT NULL;",
        "ALTER TABLE episodes ADD CONSTRAINT c CHECK (title IS NOT NULL);\nALTER TABLE episodes ALTER COLUMN n SET NOT NULL;",
    ] {
        assert_eq!(rules(&lint_up(up)), ["set-not-null"], "{up}");
    }
}
