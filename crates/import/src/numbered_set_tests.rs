//! Tiny in-memory sets: one rule per test, error messages pinned as snapshots.

use super::*;

fn set(names: &[&str]) -> NumberedSet {
    NumberedSet::from_files(
        names
            .iter()
            .map(|name| SourceFile::new(format!("migrations/{name}"), format!("-- {name}\n"))),
    )
}

fn messages(set: &NumberedSet) -> String {
    set.problems()
        .iter()
        .map(|problem| format!("{problem}\n"))
        .collect()
}

#[test]
fn a_clean_set_is_ordered_by_number_and_has_no_problems() {
    let set = set(&["002_enrich.sql", "001_init.sql", "003_resolution.sql"]);
    assert_eq!(set.problems(), &[]);
    let order: Vec<_> = set.files().iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(
        order,
        ["001_init.sql", "002_enrich.sql", "003_resolution.sql"]
    );
    assert_eq!(set.files()[1].number, 2);
    assert_eq!(set.files()[1].slug, "enrich");
}

#[test]
fn two_branches_adding_the_same_number_are_reported() {
    let set = set(&[
        "001_init.sql",
        "002_enrich.sql",
        "003_resolution.sql",
        "004_search.sql",
        "005_episode_view_count.sql",
        "005_guest_socials.sql",
    ]);
    assert!(matches!(
        set.problems(),
        [SetProblem::DuplicateNumber { number: 5, paths }] if paths.len() == 2
    ));
    insta::assert_snapshot!(messages(&set), @"migrations/005_episode_view_count.sql, migrations/005_guest_socials.sql: 2 files share number 5; the loop runs them all in name order");
}

#[test]
fn gaps_are_reported_with_the_file_after_them() {
    let set = set(&["002_enrich.sql", "005_search.sql"]);
    insta::assert_snapshot!(messages(&set), @r"
    migrations/002_enrich.sql: no file numbered 1
    migrations/005_search.sql: no file numbered 3 to 4
    ");
}

#[test]
fn names_that_do_not_parse_are_reported_with_the_reason() {
    let set = set(&[
        "001_init.sql",
        "init.sql",
        "002.sql",
        "003_Add Guests.sql",
        "99999999999_huge.sql",
    ]);
    assert_eq!(set.files().len(), 1);
    insta::assert_snapshot!(messages(&set), @r"
    migrations/002.sql: name does not parse as NNN_slug.sql: there is no `_slug` after the number
    migrations/003_Add Guests.sql: name does not parse as NNN_slug.sql: the slug may only contain a-z, 0-9, `_` and `-`
    migrations/99999999999_huge.sql: name does not parse as NNN_slug.sql: its number is too large
    migrations/init.sql: name does not parse as NNN_slug.sql: it does not start with a number
    ");
}

#[test]
fn mixed_number_widths_that_change_the_loop_order_are_reported() {
    let set = set(&[
        "01_init.sql",
        "02_enrich.sql",
        "10_search.sql",
        "3_resolution.sql",
    ]);
    let order: Vec<_> = set.files().iter().map(|f| f.number).collect();
    assert_eq!(order, [1, 2, 3, 10]);
    insta::assert_snapshot!(messages(&set), @r"
    migrations/10_search.sql: runs before migrations/3_resolution.sql in the loop's name order although its number is higher; pad numbers to one width
    migrations/10_search.sql: no file numbered 4 to 9
    ");
}

#[test]
fn checksums_identify_contents_not_names() {
    let a = NumberedSet::from_files([SourceFile::new("001_a.sql", "select 1;\n")]);
    let b = NumberedSet::from_files([SourceFile::new("001_a.sql", "select 1;\r\n")]);
    let c = NumberedSet::from_files([SourceFile::new("001_a.sql", "select 2;\n")]);
    assert_eq!(a.files()[0].checksum, b.files()[0].checksum);
    assert_ne!(a.files()[0].checksum, c.files()[0].checksum);
}

#[test]
fn read_dir_reads_only_sql_files_directly_inside() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("001_init.sql"), "select 1;\n")?;
    std::fs::write(dir.path().join("README.md"), "not a migration\n")?;
    std::fs::create_dir(dir.path().join("legacy"))?;
    std::fs::write(dir.path().join("legacy/001_old.sql"), "select 0;\n")?;
    let set = NumberedSet::read_dir(dir.path())?;
    let names: Vec<_> = set.files().iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(names, ["001_init.sql"]);
    Ok(())
}

#[test]
fn an_unreadable_directory_names_the_directory() {
    let error = NumberedSet::read_dir(Path::new("/nonexistent/migrations")).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("/nonexistent/migrations: cannot read migrations: "),
        "{error}"
    );
}
