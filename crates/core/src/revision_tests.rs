//! One revision file at a time, through an in-memory set: every header and layout rule, the
//! checksums, and includes.

use crate::{CitusShardMode, HeaderKey, LoadError, RevisionSet, SourceFile, TransactionMode};

use super::*;

const EXAMPLE: &str = "\
-- revision: 8c3f1a2b9d0e
-- parents: 4b1e0c9d2a7f
-- message: add view_count to episodes
-- transaction: per-revision

-- +up
ALTER TABLE episodes ADD COLUMN view_count bigint;
UPDATE episodes SET view_count = 0;

-- +down
ALTER TABLE episodes DROP COLUMN view_count;
";

fn parse_with(text: &str, others: &[(&str, &str)]) -> Result<Revision, LoadError> {
    let mut files = vec![SourceFile::new("20261125T2130_add_view_count.sql", text)];
    files.extend(
        others
            .iter()
            .map(|(path, text)| SourceFile::new(*path, *text)),
    );
    let set = RevisionSet::from_files(files)?;
    Ok(set.revisions()[0].clone())
}

fn parse(text: &str) -> Revision {
    parse_with(text, &[]).unwrap()
}

fn errors(text: &str) -> String {
    parse_with(text, &[]).unwrap_err().to_string()
}

fn sqls(section: &Section) -> Vec<(&str, u32)> {
    let statements = section.statements().unwrap().iter();
    statements.map(|s| (s.sql.as_str(), s.line)).collect()
}

#[test]
fn the_example_parses_into_header_and_sections() {
    let revision = parse(EXAMPLE);
    assert_eq!(revision.id(), "8c3f1a2b9d0e");
    assert_eq!(revision.parents().collect::<Vec<_>>(), ["4b1e0c9d2a7f"]);
    assert_eq!(revision.message(), Some("add view_count to episodes"));
    assert_eq!(revision.transaction(), TransactionMode::PerRevision);
    assert_eq!(revision.file_name(), "20261125T2130_add_view_count.sql");
    assert_eq!((revision.revision_line(), revision.parents_line()), (1, 2));
    assert_eq!(revision.line_of(HeaderKey::Transaction), Some(4));
    assert_eq!(revision.up().marker_line(), 6);
    assert_eq!(
        sqls(revision.up()),
        [
            ("ALTER TABLE episodes ADD COLUMN view_count bigint", 7),
            ("UPDATE episodes SET view_count = 0", 8)
        ]
    );
    let down = revision.down().unwrap();
    assert_eq!(
        sqls(down),
        [("ALTER TABLE episodes DROP COLUMN view_count", 11)]
    );
    assert_eq!(down.statements().unwrap()[0].index, 0);
}

#[test]
fn roots_merges_defaults_and_optional_keys() {
    let root = parse("-- revision: aaaa\n-- parents:\n-- +up\nselect 1;\n");
    assert_eq!(root.parents().len(), 0);
    assert_eq!(root.message(), None);
    assert_eq!(root.transaction(), TransactionMode::PerRevision);
    assert_eq!(root.line_of(HeaderKey::Message), None);
    let merge = parse("-- revision: m\n-- parents: a b\n-- transaction: none\n-- +up\n");
    assert_eq!(merge.parents().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(merge.transaction(), TransactionMode::NoTransaction);
    assert!(merge.up().is_empty());
}

#[test]
fn no_down_section_is_irreversible_and_an_empty_one_is_a_no_op() {
    let irreversible = parse("-- revision: a\n-- parents:\n\n-- +up\nselect 1;\n");
    assert!(irreversible.down().is_none());
    let no_op = parse("-- revision: a\n-- parents:\n\n-- +up\nselect 1;\n-- +down\n-- nothing\n");
    assert!(no_op.down().is_some_and(Section::is_empty));
}

#[test]
fn crlf_and_bom_change_neither_lines_nor_checksums() {
    let lf = parse(EXAMPLE);
    let crlf = parse(&format!("\u{feff}{}", EXAMPLE.replace('\n', "\r\n")));
    assert_eq!(sqls(lf.up()), sqls(crlf.up()));
    assert_eq!(crlf.up().statements().unwrap()[1].column, 1);
    assert_eq!(lf.up_checksum(), crlf.up_checksum());
    assert_eq!(lf.file_checksum(), crlf.file_checksum());
    assert_eq!(crlf.parents_line(), 2);
}

#[test]
fn the_up_checksum_covers_the_up_section_only() {
    let original = parse(EXAMPLE);
    let down_edited = parse(&EXAMPLE.replace("DROP COLUMN", "DROP COLUMN IF EXISTS"));
    let message_edited = parse(&EXAMPLE.replace("add view_count", "add a view count"));
    let spaced = parse(
        &EXAMPLE
            .replace("-- +up\n", "-- +up\n\n\n")
            .replace("\n-- +down", "\n\n-- +down"),
    );
    let up_edited = parse(&EXAMPLE.replace("bigint", "integer"));
    assert_eq!(original.up_checksum(), down_edited.up_checksum());
    assert_eq!(original.up_checksum(), message_edited.up_checksum());
    assert_eq!(original.up_checksum(), spaced.up_checksum());
    assert_ne!(original.up_checksum(), up_edited.up_checksum());
    assert_ne!(original.file_checksum(), down_edited.file_checksum());
    assert_eq!(
        original.up().text().unwrap(),
        "ALTER TABLE episodes ADD COLUMN view_count bigint;\nUPDATE episodes SET view_count = 0;\n"
    );
}

#[test]
fn empty_and_non_utf8_files_are_refused() {
    insta::assert_snapshot!(errors(" \n\n"), @"20261125T2130_add_view_count.sql: empty file: expected a `-- revision:` header");
    let bytes = b"-- revision: a\r\n-- parents:\r\n-- +up\r\nselect '\xe9';\r\n".to_vec();
    let set = RevisionSet::from_files([SourceFile::new("a.sql", bytes)]);
    insta::assert_snapshot!(set.unwrap_err(), @"a.sql:4: not UTF-8: byte 0xe9 is not valid here; save the file as UTF-8");
}

#[test]
fn every_header_problem_is_reported_with_its_line() {
    let text = "\
-- revision: Add_Column
-- parents: 4b1e 4b1e head
-- transaction: maybe
-- transaction: none
-- author: someone
-- +up
";
    insta::assert_snapshot!(errors(text), @r"
    20261125T2130_add_view_count.sql:1: `-- revision:` id `Add_Column` contains `A`; ids use only 0-9, a-z and `_`
    20261125T2130_add_view_count.sql:2: parent `4b1e` is listed twice in `-- parents:`
    20261125T2130_add_view_count.sql:2: `-- parents:` id `head` is reserved: it names a target on the command line
    20261125T2130_add_view_count.sql:3: `-- transaction: maybe` is not a mode; use `per-revision` (the default) or `none`
    20261125T2130_add_view_count.sql:4: `-- transaction:` is given twice (first on line 3)
    20261125T2130_add_view_count.sql:5: unknown header key `author`; the keys are revision, parents, message, transaction and citus
    ");
}

#[test]
fn the_citus_key_takes_sequential_and_nothing_else() {
    let plain = parse("-- revision: a\n-- parents:\n-- +up\nselect 1;\n");
    assert_eq!(plain.citus_shard_mode(), CitusShardMode::Default);
    let sequential =
        parse("-- revision: a\n-- parents:\n-- citus: sequential\n-- +up\nselect 1;\n");
    assert_eq!(sequential.citus_shard_mode(), CitusShardMode::Sequential);
    assert_eq!(sequential.line_of(HeaderKey::Citus), Some(3));
    insta::assert_snapshot!(errors("-- revision: a\n-- parents:\n-- citus: parallel\n-- +up\n"), @"20261125T2130_add_view_count.sql:3: `-- citus: parallel` is not a Citus mode; the one mode is `sequential` (multi-shard statements on one connection per worker, for a revision that modifies a distributed table and then creates a type, function or schema)");
}

#[test]
fn missing_and_malformed_ids_are_reported() {
    insta::assert_snapshot!(errors("-- message: no identity\n\n-- +up\nselect 1;\n"), @r"
    20261125T2130_add_view_count.sql:2: missing `-- revision:` line; the header is the run of `-- key: value` lines at the top of the file
    20261125T2130_add_view_count.sql:2: missing `-- parents:` line; the header is the run of `-- key: value` lines at the top of the file
    ");
    let long = "a".repeat(65);
    let text = format!("-- revision:\n-- parents: {long} x-y\n-- +up\n");
    insta::assert_snapshot!(errors(&text), @r"
    20261125T2130_add_view_count.sql:1: `-- revision:` has no id
    20261125T2130_add_view_count.sql:2: `-- parents:` id `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa` is longer than 64 characters
    20261125T2130_add_view_count.sql:2: `-- parents:` id `x-y` contains `-`; ids use only 0-9, a-z and `_`
    ");
}

#[test]
fn section_markers_must_be_in_order() {
    let head = "-- revision: a\n-- parents:\n";
    let cases = [
        "select 1;\n-- +up\n",
        "-- just a comment\n",
        "-- +down\n-- +up\n",
        "-- +up\n-- +down\n-- +up\n-- +down\n",
        "-- +up\n-- +Down\n",
        "-- +include legacy/001_init.sql\n-- +up\n",
    ];
    let messages: Vec<String> = cases
        .iter()
        .map(|body| errors(&format!("{head}\n{body}")))
        .collect();
    insta::assert_snapshot!(messages.join("\n"), @r"
    20261125T2130_add_view_count.sql:4: SQL before `-- +up`; only blank lines and `--` comments may come between the header and the `-- +up` line
    20261125T2130_add_view_count.sql:3: no `-- +up` line; a revision's SQL goes after `-- +up` (and its undo after `-- +down`)
    20261125T2130_add_view_count.sql:4: `-- +down` before `-- +up`; the up section comes first
    20261125T2130_add_view_count.sql:6: a second `-- +up` (the first is on line 4); a revision has one `-- +up` section, then at most one `-- +down`
    20261125T2130_add_view_count.sql:7: a second `-- +down` (the first is on line 5); a revision has one `-- +up` section, then at most one `-- +down`
    20261125T2130_add_view_count.sql:5: unknown marker `-- +Down`; the markers are `-- +up`, `-- +down` and `-- +include PATH`
    20261125T2130_add_view_count.sql:4: `-- +include` before `-- +up`; includes belong inside a section
    ");
}

#[test]
fn split_errors_point_into_the_revision_file() {
    let text = "-- revision: a\n-- parents:\n-- +up\nselect 1;\nselect 'oops;\n";
    insta::assert_snapshot!(errors(text), @"20261125T2130_add_view_count.sql:5:8: unterminated string literal: the quote opened here never closes");
}

#[test]
fn statements_cut_for_one_use_are_the_statements_kept() {
    let text = "-- revision: baseline\n-- parents:\n-- +up\nselect 0;\n-- +include legacy/001_init.sql\nselect 3;\n";
    let legacy = [(
        "legacy/001_init.sql",
        "create table a (id int);\ncreate table b (id int);",
    )];
    let revision = parse_with(text, &legacy).unwrap();
    let section = revision.up();
    let once = section.statements_once().unwrap().into_owned();
    assert_eq!(section.statement_count(), 4);
    assert_eq!(once.len(), 4);
    assert_eq!(once, section.statements().unwrap());
    assert!(matches!(
        section.statements_once().unwrap(),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn includes_expand_in_place_with_their_own_lines() {
    let text = "-- revision: baseline\n-- parents:\n-- +up\nselect 0;\n-- +include legacy/001_init.sql\n-- +include ./legacy//002_enrich.sql\nselect 3;\n";
    let legacy = [
        (
            "legacy/001_init.sql",
            "create table a (id int);\n\ncreate table b (id int);",
        ),
        ("legacy/002_enrich.sql", "alter table a add column n int;\n"),
    ];
    let revision = parse_with(text, &legacy).unwrap();
    let found: Vec<_> = revision
        .up()
        .statements()
        .unwrap()
        .iter()
        .map(|s| (s.origin.to_string_lossy().into_owned(), s.line, s.index))
        .collect();
    assert_eq!(
        found,
        [
            ("20261125T2130_add_view_count.sql".to_owned(), 4, 0),
            ("legacy/001_init.sql".to_owned(), 1, 1),
            ("legacy/001_init.sql".to_owned(), 3, 2),
            ("legacy/002_enrich.sql".to_owned(), 1, 3),
            ("20261125T2130_add_view_count.sql".to_owned(), 7, 4),
        ]
    );
    let edited = [
        legacy[0],
        (
            "legacy/002_enrich.sql",
            "alter table a add column n bigint;\n",
        ),
    ];
    let after_edit = parse_with(text, &edited).unwrap();
    assert_ne!(revision.up_checksum(), after_edit.up_checksum());
    assert_eq!(revision.file_checksum(), after_edit.file_checksum());
}

#[test]
fn bad_and_missing_includes_are_errors_at_the_include_line() {
    let text = "-- revision: a\n-- parents:\n-- +up\n-- +include ../outside.sql\n-- +include /etc/passwd\n-- +include legacy/nope.sql\n-- +include\n-- +include legacy/nested.sql\n";
    let nested = [(
        "legacy/nested.sql",
        "select 1;\n-- +include legacy/other.sql\n",
    )];
    insta::assert_snapshot!(parse_with(text, &nested).unwrap_err(), @r"
    20261125T2130_add_view_count.sql:4: cannot include `../outside.sql`: `..` would leave the migrations directory
    20261125T2130_add_view_count.sql:5: cannot include `/etc/passwd`: the path must be relative to the migrations directory
    20261125T2130_add_view_count.sql:7: cannot include ``: no path after `-- +include`
    20261125T2130_add_view_count.sql:6: cannot include `legacy/nope.sql`: no such file in the migrations directory
    legacy/nested.sql:2: `-- +include` inside an included file; includes do not nest
    ");
}

#[test]
fn statements_that_cannot_run_in_the_transaction_are_refused() {
    let text = "-- revision: idx\n-- parents: a\n-- +up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +down\nCOMMIT;\n";
    insta::assert_snapshot!(errors(text), @r"
    20261125T2130_add_view_count.sql:4: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and revision idx runs in one; put it in a revision of its own with `-- transaction: none`
    ");
    let down_only = text.replace(
        "CREATE INDEX CONCURRENTLY i ON t (a)",
        "CREATE INDEX i ON t (a)",
    );
    insta::assert_snapshot!(crate::set::DisplayLines(parse(&down_only).down_problems()), @"20261125T2130_add_view_count.sql:6: COMMIT would end the transaction revision idx runs in; remove it (each revision commits with its history row), or move the work to a revision with `-- transaction: none`");
    let none = text.replace("-- parents: a\n", "-- parents: a\n-- transaction: none\n");
    assert_eq!(parse(&none).up().statements().unwrap().len(), 1);
    assert!(parse(&none).down_problems().is_empty());
}

#[test]
fn a_down_section_that_cannot_run_loads_and_keeps_its_problems() {
    let text = "-- revision: idx\n-- parents: a\n-- +up\nCREATE TABLE t (a int);\n-- +down\nDROP INDEX CONCURRENTLY i;\nDROP TABLE t;\n";
    let revision = parse(text);
    assert_eq!(revision.down().unwrap().statements().unwrap().len(), 2);
    insta::assert_snapshot!(crate::set::DisplayLines(revision.down_problems()), @"20261125T2130_add_view_count.sql:6: DROP INDEX CONCURRENTLY cannot run inside a transaction block, and revision idx runs in one; put it in a revision of its own with `-- transaction: none`");
}

#[test]
fn a_blocker_in_an_included_file_is_reported_there() {
    let text = "-- revision: a\n-- parents:\n-- +up\n-- +include legacy/maintenance.sql\n";
    let legacy = [(
        "legacy/maintenance.sql",
        "select 1;\n-- tidy up\nvacuum analyze;\n",
    )];
    insta::assert_snapshot!(parse_with(text, &legacy).unwrap_err(), @"legacy/maintenance.sql:3: VACUUM cannot run inside a transaction block, and revision a runs in one; put it in a revision of its own with `-- transaction: none`");
}
