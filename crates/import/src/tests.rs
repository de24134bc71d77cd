//! Each format read from a directory written here, the ids and texts written for it, and the
//! bad inputs that must stop an import at the file to fix.

use std::fs;
use std::path::Path;

use clipdex_core::{RevisionGraph, RevisionSet, SourceFile, TransactionMode};

use crate::{Format, ImportError, NoteKind, read, render, revision_id};

fn dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

fn versions(format: Format, dir: &Path) -> Vec<String> {
    read(format, dir)
        .unwrap()
        .migrations
        .into_iter()
        .map(|m| m.version)
        .collect()
}

/// The error's text with the temp directory cut off.
fn error(format: Format, dir: &Path) -> String {
    let error = read(format, dir).unwrap_err();
    error
        .to_string()
        .replace(&format!("{}/", dir.display()), "")
}

#[test]
fn diesel_orders_by_version_without_dashes_and_reads_metadata() {
    let source = dir(&[
        (
            "20170804200817_create users/up.sql",
            b"CREATE TABLE users (id int);\n",
        ),
        (
            "2017-08-31-230457_posts/up.sql",
            b"CREATE TABLE posts (id int);\n",
        ),
        ("2017-08-31-230457_posts/down.sql", b"DROP TABLE posts;\n"),
        (
            "20170901000000_index/up.sql",
            b"CREATE INDEX CONCURRENTLY i ON posts (id);\n",
        ),
        (
            "20170901000000_index/metadata.toml",
            b"run_in_transaction = false\n",
        ),
        ("README.md", b"not a migration"),
    ]);
    let source_read = read(Format::Diesel, source.path()).unwrap();
    let found: Vec<(&str, &str)> = source_read
        .migrations
        .iter()
        .map(|m| (m.version.as_str(), m.name.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("20170804200817", "create users"),
            ("20170831230457", "posts"),
            ("20170901000000", "index")
        ]
    );
    assert!(source_read.migrations[0].down.is_none());
    assert_eq!(
        source_read.migrations[2].transaction,
        crate::SourceTransaction::None
    );
    assert_eq!(
        revision_id(Format::Diesel, "20170831230457"),
        "diesel_20170831230457"
    );
}

#[test]
fn flyway_orders_versions_as_numbers_and_refuses_repeatables() {
    let source = dir(&[
        ("V10__ten.sql", b"select 10;\n"),
        ("V2__two.sql", b"select 2;\n"),
        ("V1_1__one_one.sql", b"select 11;\n"),
        ("V1__one.sql", b"select 1;\n"),
        ("U2__two.sql", b"select -2;\n"),
    ]);
    assert_eq!(
        versions(Format::Flyway, source.path()),
        ["1", "1.1", "2", "10"]
    );
    assert_eq!(revision_id(Format::Flyway, "1.1"), "flyway_1_1");
    fs::write(source.path().join("R__views.sql"), "select 1;\n").unwrap();
    insta::assert_snapshot!(error(Format::Flyway, source.path()), @"R__views.sql: a repeatable migration cannot be imported: Flyway runs it again whenever it changes, and a revision runs once; move it out of the directory, import the rest, and add its SQL as a revision of your own");
}

#[test]
fn goose_annotations_become_empty_lines_and_are_reported() {
    let text = "-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n-- +goose StatementEnd\n\n-- +goose Down\nDROP FUNCTION f();\n";
    let source = dir(&[("00001_f.sql", text.as_bytes())]);
    let migration = &read(Format::Goose, source.path()).unwrap().migrations[0];
    assert_eq!(
        migration.up.text,
        "\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n\n\n"
    );
    assert_eq!(migration.up.first_line, 3);
    assert_eq!(
        migration.down.as_ref().unwrap().text,
        "DROP FUNCTION f();\n"
    );
    let kinds: Vec<(Option<u32>, NoteKind)> =
        migration.notes.iter().map(|n| (n.line, n.kind)).collect();
    assert_eq!(
        kinds,
        [
            (Some(1), NoteKind::Translated),
            (Some(3), NoteKind::Dropped),
            (Some(5), NoteKind::Dropped)
        ]
    );
    fs::write(source.path().join("00002_go.go"), "package migrations\n").unwrap();
    insta::assert_snapshot!(error(Format::Goose, source.path()), @"00002_go.go: a Go migration cannot be imported: it is Go code, not SQL; write what it does as a revision of your own, and import the SQL migrations around it separately");
}

#[test]
fn dbmate_sections_and_options() {
    let text = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n";
    let source = dir(&[("20200101000000_index.sql", text.as_bytes())]);
    let migration = &read(Format::Dbmate, source.path()).unwrap().migrations[0];
    assert_eq!(
        migration.up.text,
        "CREATE INDEX CONCURRENTLY i ON t (a);\n\n"
    );
    assert_eq!(migration.down.as_ref().unwrap().first_line, 5);
    assert_eq!(migration.transaction, crate::SourceTransaction::None);
    assert_eq!(
        migration.notes.len(),
        2,
        "translated, and the down's differing option: {:?}",
        migration.notes
    );
}

#[test]
fn sqlx_keeps_its_checksum_of_the_up_file() {
    let source = dir(&[
        ("1_a.up.sql", b"select 1;\n"),
        ("1_a.down.sql", b"select 2;\n"),
        ("2_b.sql", b"-- no-transaction\nvacuum;\n"),
    ]);
    let found = read(Format::Sqlx, source.path()).unwrap();
    // SHA-384 of "select 1;\n", as `sha384sum` prints it.
    assert_eq!(
        found.migrations[0].recorded_checksum.as_deref(),
        Some(
            "732dd6fa554ee7cf2b12caa7de486d35b60326cbb0fadccc7c537fb9750917e293550610ebffcbd185284ce99600a267"
        )
    );
    assert_eq!(
        found.migrations[1].transaction,
        crate::SourceTransaction::None
    );
}

#[test]
fn bad_inputs_name_their_file() {
    let duplicate = dir(&[("1_a.sql", b"select 1;\n"), ("001_b.sql", b"select 2;\n")]);
    insta::assert_snapshot!(error(Format::Sqlx, duplicate.path()), @"1_a.sql: version 1 is also the version of 001_b.sql; sqlx versions must be unique");
    let orphan = dir(&[
        ("1_a.up.sql", b"select 1;\n"),
        ("2_b.down.sql", b"select 2;\n"),
    ]);
    insta::assert_snapshot!(error(Format::GolangMigrate, orphan.path()), @"2_b.down.sql: a down migration without its up migration (2_b.up.sql is missing)");
    let latin1 = dir(&[("1_a.sql", b"-- caf\xe9\nselect 1;\n")]);
    insta::assert_snapshot!(error(Format::Sqlx, latin1.path()), @"1_a.sql:1: not UTF-8: byte 0xe9 is not valid here; save the file as UTF-8 and import again");
    let gap = dir(&[("001_a.sql", b"select 1;\n"), ("003_c.sql", b"select 3;\n")]);
    insta::assert_snapshot!(error(Format::Numbered, gap.path()), @"003_c.sql: no file numbered 2");
    let dbmate = dir(&[(
        "20200101_a.sql",
        b"-- migrate:up\nselect 1;\n-- migrate:down\nselect 2;\n",
    )]);
    insta::assert_snapshot!(error(Format::Sqlx, dbmate.path()), @"20200101_a.sql: not a sqlx migration: line 1 is another tool's section marker, which sqlx would run as a comment, both sections with it; it looks like dbmate's: try --from dbmate");
    insta::assert_snapshot!(error(Format::Goose, dbmate.path()), @"20200101_a.sql: not a goose migration: no `-- +goose Up` line; it looks like dbmate's: try --from dbmate");
    let diesel = dir(&[("20200101000000_a/down.sql", b"select 2;\n")]);
    insta::assert_snapshot!(error(Format::Diesel, diesel.path()), @"20200101000000_a/down.sql: a down migration without its up migration (20200101000000_a/up.sql is missing)");
}

#[test]
fn a_revision_holds_the_source_bytes_under_a_header_and_loads() {
    let text = "CREATE TABLE t (a int);  -- trailing comment, no final newline";
    let source = dir(&[
        ("3_t.up.sql", text.as_bytes()),
        ("3_t.down.sql", b"DROP TABLE t;\n"),
    ]);
    let found = read(Format::GolangMigrate, source.path()).unwrap();
    let rendered = render(
        Format::GolangMigrate,
        source.path(),
        &found.migrations[0],
        Some("migrate_2"),
    )
    .unwrap();
    assert_eq!(rendered.file_name, "migrate_3_t.sql");
    insta::assert_snapshot!(rendered.text, @r#"
    -- revision: migrate_3
    -- parents: migrate_2
    -- message: t
    -- transaction: per-revision

    -- Imported from golang-migrate 3: 3_t.up.sql, 3_t.down.sql.

    -- +up
    CREATE TABLE t (a int);  -- trailing comment, no final newline
    -- +down
    DROP TABLE t;
    "#);
    let set =
        RevisionSet::from_files([SourceFile::new(&rendered.file_name, rendered.text.as_str())])
            .unwrap();
    assert_eq!(
        set.revisions()[0].transaction(),
        TransactionMode::PerRevision
    );
    let provenance = crate::provenance(&rendered.text).unwrap();
    assert_eq!(
        (provenance.format, provenance.version.as_str()),
        (Format::GolangMigrate, "3")
    );
}

#[test]
fn importing_again_writes_nothing_and_a_grown_source_adds_only_the_new() {
    let source = dir(&[
        ("1_a.up.sql", b"select 1;\n"),
        ("2_b.up.sql", b"select 2;\n"),
    ]);
    let target = tempfile::tempdir().unwrap();
    let import = |target: &Path| -> Result<Vec<String>, ImportError> {
        let set = RevisionSet::read_dir(target).unwrap();
        let graph = RevisionGraph::build(&set).unwrap();
        let plan = crate::plan(
            &read(Format::GolangMigrate, source.path())?,
            target,
            &set,
            &graph,
        )?;
        plan.write()?;
        Ok(plan.new.into_iter().map(|new| new.id).collect())
    };
    assert_eq!(import(target.path()).unwrap(), ["migrate_1", "migrate_2"]);
    let first: Vec<_> = fs::read_dir(target.path())
        .unwrap()
        .map(|e| fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(import(target.path()).unwrap(), Vec::<String>::new());
    fs::write(source.path().join("3_c.up.sql"), "select 3;\n").unwrap();
    assert_eq!(import(target.path()).unwrap(), ["migrate_3"]);
    let third = fs::read_to_string(target.path().join("migrate_3_c.sql")).unwrap();
    assert!(third.contains("-- parents: migrate_2\n"), "{third}");
    for bytes in first {
        assert!(
            fs::read_dir(target.path())
                .unwrap()
                .any(|e| fs::read(e.unwrap().path()).unwrap() == bytes),
            "an earlier revision was rewritten"
        );
    }
    fs::write(source.path().join("2_b.up.sql"), "select 22;\n").unwrap();
    let changed = import(target.path()).unwrap_err().to_string();
    assert!(
        changed.contains("2_b.up.sql: changed since it was imported as"),
        "{changed}"
    );
    fs::write(source.path().join("2_b.up.sql"), "select 2;\n").unwrap();
    fs::write(source.path().join("0_early.up.sql"), "select 0;\n").unwrap();
    let early = import(target.path()).unwrap_err().to_string();
    assert!(early.contains("0_early.up.sql: version 0 sorts before 1, which is already imported as revision migrate_1"), "{early}");
}
