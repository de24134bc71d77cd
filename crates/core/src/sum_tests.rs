//! The sum file: round trip, the total line that makes branches conflict, and every mismatch.

use crate::SourceFile;
use crate::testing::{Down, Spec, file};

use super::*;

const BASELINE: &str = "-- revision: b0\n-- parents:\n-- +up\n-- +include legacy/001_init.sql\n";

fn files() -> Vec<SourceFile> {
    vec![
        SourceFile::new("20261101T0000_baseline.sql", BASELINE),
        SourceFile::new("legacy/001_init.sql", "create table episodes (id int);\n"),
        file(&Spec("20261125T2130_view_count", "v1", "b0", Down::Section)),
    ]
}

fn set_with_sum(files: Vec<SourceFile>, sum: Option<&str>) -> RevisionSet {
    let sum = sum.map(|text| SourceFile::new(crate::set::SUM_FILE_NAME, text));
    RevisionSet::from_files(files.into_iter().chain(sum)).unwrap()
}

fn rendered(files: Vec<SourceFile>) -> String {
    SumFile::compute(&set_with_sum(files, None)).render()
}

fn verify(files: Vec<SourceFile>, sum: &str) -> String {
    SumFile::verify(&set_with_sum(files, Some(sum)))
        .unwrap_err()
        .to_string()
}

#[test]
fn the_sum_file_lists_revisions_and_includes_sorted_by_path() {
    let text = rendered(files());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("# clipdex-migrate revisions.sum"));
    assert!(lines[1].starts_with("total sha256:"));
    let paths: Vec<&str> = lines[2..]
        .iter()
        .map(|line| line.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "20261101T0000_baseline.sql",
            "20261125T2130_view_count.sql",
            "legacy/001_init.sql"
        ]
    );
    let init = Checksum::of(b"create table episodes (id int);\n");
    assert_eq!(lines[4], format!("legacy/001_init.sql {init}"));
}

#[test]
fn render_and_parse_round_trip_and_verify_passes() {
    let set = set_with_sum(files(), None);
    let computed = SumFile::compute(&set);
    let parsed = SumFile::parse(Path::new("revisions.sum"), &computed.render()).unwrap();
    assert_eq!(parsed, computed);
    assert_eq!(parsed.entries()[2].line, 5);
    let crlf = computed.render().replace('\n', "\r\n");
    assert_eq!(SumFile::verify(&set_with_sum(files(), Some(&crlf))), Ok(()));
    let bom = format!("\u{feff}{crlf}");
    assert_eq!(SumFile::verify(&set_with_sum(files(), Some(&bom))), Ok(()));
}

#[test]
fn a_listing_put_out_of_order_by_hand_is_checked_in_path_order() {
    let sum = rendered(files());
    let mut lines: Vec<&str> = sum.lines().collect();
    lines[2..].reverse();
    let reordered = lines.join("\n") + "\n";
    assert_eq!(
        SumFile::verify(&set_with_sum(files(), Some(&reordered))),
        Ok(())
    );
    // A change is still found at its own line after the reordering.
    let mut edited = files();
    edited[1] = SourceFile::new("legacy/001_init.sql", "select 2;\n");
    let message = verify(edited, &reordered);
    assert!(
        message
            .starts_with("legacy/001_init.sql: changed since it was summed (revisions.sum:3 has"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
}

#[test]
fn two_branches_adding_revisions_both_change_the_total_line() {
    let base = rendered(files());
    let mut left = files();
    left.push(file(&Spec("20261201T0900_left", "l1", "v1", Down::Section)));
    let mut right = files();
    right.push(file(&Spec(
        "20261202T1000_right",
        "r1",
        "v1",
        Down::Section,
    )));
    let total = |text: &str| text.lines().nth(1).unwrap().to_owned();
    let (base, left, right) = (
        total(&base),
        total(&rendered(left)),
        total(&rendered(right)),
    );
    assert_ne!(base, left);
    assert_ne!(base, right);
    assert_ne!(left, right);
}

#[test]
fn a_missing_sum_file_says_how_to_create_it() {
    let error = SumFile::verify(&set_with_sum(files(), None)).unwrap_err();
    insta::assert_snapshot!(error, @"revisions.sum: no sum file; run `clipdex-migrate sum` to write it, and commit it with the revisions");
}

#[test]
fn changed_unlisted_and_vanished_files_are_each_reported() {
    let sum = rendered(files());
    let mut edited = files();
    edited[1] = SourceFile::new(
        "legacy/001_init.sql",
        "create table episodes (id bigint);\n",
    );
    edited[2] = file(&Spec(
        "20261125T2130_view_count_renamed",
        "v1",
        "b0",
        Down::Section,
    ));
    let message = verify(edited, &sum);
    let message = message.replace(
        &Checksum::of(b"create table episodes (id int);\n").to_string(),
        "<old>",
    );
    let message = message.replace(
        &Checksum::of(b"create table episodes (id bigint);\n").to_string(),
        "<new>",
    );
    insta::assert_snapshot!(message, @r"
    20261125T2130_view_count_renamed.sql: not in revisions.sum; run `clipdex-migrate sum` to add it, or create revisions with `clipdex-migrate revision`, which keeps the sum file current
    legacy/001_init.sql: changed since it was summed (revisions.sum:5 has <old>, the file has <new>); committed revisions are append-only: revert the edit, or put the change in a new revision
    revisions.sum:4: lists `20261125T2130_view_count.sql`, which no revision uses (deleted, renamed, or no longer included); restore it, or run `clipdex-migrate sum` if that was intended
    ");
}

#[test]
fn a_hand_edited_list_breaks_the_total() {
    let sum = rendered(files());
    let without_last: String = sum
        .lines()
        .take(4)
        .map(|line| format!("{line}\n"))
        .collect();
    insta::assert_snapshot!(verify(files(), &without_last), @"revisions.sum:2: the total does not match the files listed below it; the sum file was edited by hand: run `clipdex-migrate sum` to rewrite it");
}

#[test]
fn conflict_markers_explain_the_branch_merge() {
    let sum = rendered(files());
    let conflicted = sum.replacen("total ", "<<<<<<< HEAD\ntotal ", 1).replacen(
        "\n2026",
        "\n=======\n>>>>>>> right\n2026",
        1,
    );
    insta::assert_snapshot!(verify(files(), &conflicted), @"revisions.sum:2: git conflict markers: two branches both added revisions; resolve it by running `clipdex-migrate sum`, then `clipdex-migrate heads` — if there are two heads, join them with `clipdex-migrate merge`");
}

#[test]
fn malformed_lines_name_the_line() {
    let parse = |text: &str| {
        SumFile::parse(Path::new("revisions.sum"), text)
            .unwrap_err()
            .to_string()
    };
    insta::assert_snapshot!(parse("# c\ntotal sha256:abc\n"), @r#"revisions.sum:2: malformed sha256 digest in "sha256:abc" (expected 64 lowercase hex digits); run `clipdex-migrate sum` to rewrite the file"#);
    insta::assert_snapshot!(parse("# c\njunk\n"), @"revisions.sum:2: expected `<path> sha256:<hex>`; run `clipdex-migrate sum` to rewrite the file");
    insta::assert_snapshot!(parse("# only a comment\n"), @"revisions.sum:1: no `total sha256:<hex>` line; run `clipdex-migrate sum` to rewrite the file");
}

#[test]
fn the_total_is_the_checksum_of_the_listing_whatever_the_paths_hold() {
    let checksum = Checksum::of(b"select 1;\n");
    let entry = |path: &str| SumEntry {
        path: path.to_owned(),
        checksum,
        line: FIRST_ENTRY_LINE,
    };
    let plain = [entry("legacy/001_init.sql"), entry("20261101T0000_a.sql")];
    // Normalising changes these listings: the total must still be taken of what is written.
    let carriage_return = [entry("a\r\nb.sql")];
    let byte_order_mark = [entry("\u{feff}a.sql")];
    for entries in [&plain[..], &carriage_return, &byte_order_mark] {
        assert_eq!(
            total_of(entries),
            Checksum::of(listing(entries).as_bytes()),
            "{entries:?}"
        );
    }
    assert_eq!(
        total_of(&plain),
        Checksum::of(
            format!("legacy/001_init.sql {checksum}\n20261101T0000_a.sql {checksum}\n").as_bytes()
        )
    );
}
