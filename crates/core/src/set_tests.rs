//! Loading whole directories: which files are revisions, includes on disk, every problem at once.

use std::fs;

use super::*;
use crate::load::{LoadedMigrations, MigrationProblem, SumCheck};
use crate::split_error::SplitError;

fn revision(id: &str, parents: &str, up: &str) -> String {
    format!("-- revision: {id}\n-- parents: {parents}\n\n-- +up\n{up}\n")
}

#[test]
fn read_dir_loads_top_level_revisions_and_their_includes() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    fs::create_dir(root.join("legacy"))?;
    fs::write(
        root.join("legacy/001_init.sql"),
        "create table episodes (id int);\n",
    )?;
    fs::write(root.join("legacy/999_unused.sql"), "not even sql ' \n")?;
    let baseline = revision("b0", "", "-- +include legacy/001_init.sql");
    fs::write(root.join("20261101T0000_baseline.sql"), baseline)?;
    fs::write(
        root.join("20261125T2130_view_count.sql"),
        revision("v1", "b0", "select 1;"),
    )?;
    fs::write(root.join("README.md"), "not a revision\n")?;
    fs::write(root.join(SUM_FILE_NAME), "# sums\n")?;
    let set = RevisionSet::read_dir(root)?;
    let ids: Vec<_> = set.revisions().iter().map(|r| r.id()).collect();
    assert_eq!(ids, ["b0", "v1"]);
    let used: Vec<_> = set.used_files().map(|(path, _)| path).collect();
    assert_eq!(
        used,
        [
            "20261101T0000_baseline.sql",
            "20261125T2130_view_count.sql",
            "legacy/001_init.sql"
        ]
    );
    let statement = &set.revisions()[0].up().statements().unwrap()[0];
    assert_eq!(statement.origin, root.join("legacy/001_init.sql"));
    assert_eq!(
        set.revisions()[1].path(),
        root.join("20261125T2130_view_count.sql")
    );
    assert_eq!(set.sum_file(), Some("# sums\n"));
    assert_eq!(set.sum_file_path(), root.join(SUM_FILE_NAME));
    Ok(())
}

#[test]
fn a_missing_include_on_disk_names_the_include_line() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let text = revision("b0", "", "-- +include legacy/001_init.sql");
    fs::write(dir.path().join("a.sql"), text)?;
    let error = RevisionSet::read_dir(dir.path()).unwrap_err().to_string();
    let expected = format!(
        "{}:5: cannot include `legacy/001_init.sql`: No such file",
        dir.path().join("a.sql").display()
    );
    assert!(error.starts_with(&expected), "{error}");
    Ok(())
}

#[test]
fn every_broken_file_is_reported_once_one_line_each() {
    let shared = "-- +include legacy/broken.sql";
    let files = [
        SourceFile::new("1_ok.sql", revision("a", "", "select 1;")),
        SourceFile::new("2_bad_header.sql", "-- revision: B\n-- parents:\n-- +up\n"),
        SourceFile::new("3_uses_broken.sql", revision("c", "a", shared)),
        SourceFile::new("4_uses_broken.sql", revision("d", "a", shared)),
        SourceFile::new("legacy/broken.sql", "select 'x;\n"),
    ];
    let error = RevisionSet::from_files(files).unwrap_err();
    assert_eq!(error.problems.len(), 2);
    insta::assert_snapshot!(error, @r"
    2_bad_header.sql:1: `-- revision:` id `B` contains `B`; ids use only 0-9, a-z and `_`
    legacy/broken.sql:1:8: unterminated string literal: the quote opened here never closes
    ");
}

#[test]
fn in_memory_sets_sort_revisions_by_file_name() {
    let set = RevisionSet::from_files([
        SourceFile::new("20261125T2130_b.sql", revision("zz", "aa", "select 2;")),
        SourceFile::new("20261101T0000_a.sql", revision("aa", "", "select 1;")),
    ])
    .unwrap();
    let ids: Vec<_> = set.revisions().iter().map(|r| r.id()).collect();
    assert_eq!(ids, ["aa", "zz"]);
    assert_eq!(set.sum_file(), None);
}

#[test]
fn an_unreadable_directory_is_one_problem() {
    let error = RevisionSet::read_dir(Path::new("/nonexistent/migrations")).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("/nonexistent/migrations: cannot read: "),
        "{error}"
    );
}

#[test]
fn a_directory_read_on_two_threads_loads_each_file_under_its_own_name()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let count = 150;
    for index in 0..count {
        let parents = if index == 0 {
            String::new()
        } else {
            format!("r{}", index - 1)
        };
        let up = format!("create table t{index} (id int);");
        let file = dir.path().join(format!("{index:05}_r{index}.sql"));
        fs::write(file, revision(&format!("r{index}"), &parents, &up))?;
    }
    let set = RevisionSet::read_dir(dir.path())?;
    assert_eq!(set.revisions().len(), count);
    assert_eq!(set.used_files().count(), count);
    for (index, revision) in set.revisions().iter().enumerate() {
        assert_eq!(revision.file_name(), format!("{index:05}_r{index}.sql"));
        assert_eq!(revision.id(), format!("r{index}"));
        let statement = &revision.up().statements().unwrap()[0];
        assert_eq!(statement.sql, format!("create table t{index} (id int)"));
    }
    Ok(())
}

#[test]
fn problems_in_a_directory_read_on_two_threads_are_reported_once_each_in_file_order()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    fs::create_dir(dir.path().join("legacy"))?;
    fs::write(dir.path().join("legacy/broken.sql"), "select 'x;\n")?;
    let count = 150;
    for index in 0..count {
        let up = match index {
            // One broken include used from both halves of the files: its problem is reported once.
            10 | 140 => "-- +include legacy/broken.sql".to_owned(),
            20 | 120 | 130 => "select 'x;".to_owned(),
            _ => format!("create table t{index} (id int);"),
        };
        let file = dir.path().join(format!("{index:05}_r{index}.sql"));
        fs::write(file, revision(&format!("r{index}"), "", &up))?;
    }
    let error = RevisionSet::read_dir(dir.path()).unwrap_err();
    let files: Vec<_> = error
        .problems
        .iter()
        .map(|problem| problem.location().file.to_owned())
        .collect();
    let expected = [
        "legacy/broken.sql",
        "00020_r20.sql",
        "00120_r120.sql",
        "00130_r130.sql",
    ];
    let expected: Vec<_> = expected.map(|name| dir.path().join(name)).into();
    assert_eq!(files, expected, "{error}");
    Ok(())
}

#[test]
fn used_files_merge_revision_and_included_files_in_path_order_each_once() {
    let files = [
        ("10_a.sql", revision("aaaa", "", "SELECT 1;")),
        (
            "20_b.sql",
            revision("bbbb", "aaaa", "-- +include 05_common.psql"),
        ),
        ("30_c.sql", revision("cccc", "bbbb", "-- +include 10_a.sql")),
        (
            "40_d.sql",
            revision("dddd", "cccc", "-- +include zz/late.sql"),
        ),
        ("05_common.psql", "SELECT 5;\n".to_owned()),
        ("zz/late.sql", "SELECT 6;\n".to_owned()),
    ];
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("zz")).unwrap();
    for (path, text) in &files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    let set = RevisionSet::read_dir(dir.path()).unwrap();
    let used: Vec<(&str, Checksum)> = set.used_files().collect();
    let in_order = [
        "05_common.psql",
        "10_a.sql",
        "20_b.sql",
        "30_c.sql",
        "40_d.sql",
        "zz/late.sql",
    ];
    let expected: Vec<(&str, Checksum)> = in_order
        .into_iter()
        .map(|path| {
            let (_, text) = files.iter().find(|(name, _)| *name == path).unwrap();
            (path, Checksum::of(text.as_bytes()))
        })
        .collect();
    assert_eq!(used, expected);
}

#[test]
fn a_set_loaded_without_its_text_reads_each_file_again_and_refuses_a_changed_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("10_a.sql");
    let text = revision("aaaa", "", "SELECT 1;\nSELECT 2;");
    fs::write(&path, &text).unwrap();
    let kept = RevisionSet::read_dir(dir.path()).unwrap();
    let lean = RevisionSet::read_dir_with(dir.path(), SqlText::ReadWhenNeeded).unwrap();
    let (kept, lean) = (&kept.revisions()[0], &lean.revisions()[0]);
    assert_eq!(lean.up_checksum(), kept.up_checksum());
    assert_eq!(lean.file_checksum(), kept.file_checksum());
    assert!(!lean.up().is_scanned());
    assert!(lean.check_before_run().is_ok());
    assert_eq!(lean.up().statement_count(), 2);
    assert_eq!(lean.up().text().unwrap(), kept.up().text().unwrap());
    assert_eq!(
        lean.up().statements_once().unwrap(),
        kept.up().statements().unwrap()
    );

    fs::write(&path, text.replace("SELECT 2", "SELECT 3")).unwrap();
    let changed = RevisionError::ChangedSinceLoaded { path: path.clone() };
    assert_eq!(lean.check_before_run(), Err(changed.clone()));
    assert_eq!(lean.up().statements().unwrap_err(), changed);
    // A kept text is what runs, whatever the file says now.
    assert!(kept.check_before_run().is_ok());

    fs::remove_file(&path).unwrap();
    let error = lean.up().text().unwrap_err();
    assert!(matches!(error, RevisionError::Unreadable { .. }), "{error}");
}

#[test]
fn a_set_loaded_without_its_text_scans_a_revision_only_before_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("10_a.sql");
    fs::write(&path, revision("aaaa", "", "SELECT 1;\nSELECT 'open;")).unwrap();
    let unterminated = |error: &RevisionError| {
        matches!(
            error,
            RevisionError::Split(SplitError::UnterminatedString { path: at, line: 6, column: 8 })
                if *at == path
        )
    };
    let full = RevisionSet::read_dir(dir.path()).unwrap_err();
    assert!(unterminated(&full.problems[0]), "{:?}", full.problems);

    let lean = RevisionSet::read_dir_with(dir.path(), SqlText::ReadWhenNeeded).unwrap();
    let error = lean.revisions()[0].check_before_run().unwrap_err();
    assert!(unterminated(&error), "{error:?}");
    assert!(!lean.revisions()[0].up().is_scanned());
    // Cut without the check, the section fails as the check does.
    let error = lean.revisions()[0].up().statements_once().unwrap_err();
    assert!(unterminated(&error), "{error:?}");

    // A directory that does not load lean (here: no sum file) reports what a full load does.
    let loaded =
        LoadedMigrations::read_dir_with(dir.path(), SumCheck::Verify, SqlText::ReadWhenNeeded);
    let problems = loaded.unwrap_err().problems;
    assert!(
        matches!(&problems[0], MigrationProblem::Revision(error) if unterminated(error)),
        "{problems:?}"
    );
}
