//! Crack 2: numbers do not order work done on two branches.
//!
//! Two branches each take the next free number, 005, and both merge. The loop sorts by file
//! name, runs both files and reports success; only reading the set as a whole, as
//! `cracks::numbered` does, shows that two files claim the same place in the history.

use std::error::Error;

use crate::book_sql::book_sql;
use cracks::{MigrationDir, numbered_migrations, run_loop, workspace_root};
use import::numbered_set::{NumberedSet, SetProblem};

type TestResult = Result<(), Box<dyn Error>>;

// ANCHOR: two_005s
#[tokio::test]
async fn two_branches_number_005_and_only_the_set_model_notices() -> TestResult {
    let migrations = MigrationDir::with_all_shipped()?;
    // Branch A: a play counter on episodes. Branch B, the same week: guests' profiles elsewhere.
    for file in ["005_episode_view_count.sql", "005_guest_socials.sql"] {
        migrations.add(file, &book_sql(&format!("09/{file}")))?;
    }
    let db = scratch::database().await?;

    // The loop applies both files and succeeds.
    let run = run_loop(migrations.path(), db.url())?;
    assert!(run.status.success(), "the loop failed:\n{}", run.stderr);
    let client = db.connect().await?;
    let added = client
        .query(
            "SELECT table_name::text, column_name::text
             FROM information_schema.columns
             WHERE (table_name, column_name) IN (('episodes', 'view_count'), ('guests', 'socials'))
             ORDER BY table_name",
            &[],
        )
        .await?;
    let added: Vec<(String, String)> = added.iter().map(|row| (row.get(0), row.get(1))).collect();
    assert_eq!(
        added,
        [
            ("episodes".to_owned(), "view_count".to_owned()),
            ("guests".to_owned(), "socials".to_owned()),
        ]
    );

    // Read as a set, the same directory has a problem: two files numbered 5.
    let set = NumberedSet::read_dir(migrations.path())?;
    let duplicate = set
        .problems()
        .iter()
        .find(|problem| matches!(problem, SetProblem::DuplicateNumber { number: 5, .. }))
        .unwrap_or_else(|| panic!("no DuplicateNumber for 5 in {:?}", set.problems()));
    let message = duplicate.to_string();
    assert!(message.contains("005_episode_view_count.sql"), "{message}");
    assert!(message.contains("005_guest_socials.sql"), "{message}");
    Ok(())
}
// ANCHOR_END: two_005s

/// The shipped set itself is clean, so the problem above comes from the two branches alone.
#[test]
fn the_shipped_set_has_no_problems() -> TestResult {
    let set = NumberedSet::read_dir(&workspace_root().join(numbered_migrations()))?;
    assert!(set.problems().is_empty(), "{:?}", set.problems());
    let names: Vec<&str> = set
        .files()
        .iter()
        .map(|file| file.file_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "001_init.sql",
            "002_enrich.sql",
            "003_resolution.sql",
            "004_search.sql"
        ]
    );
    Ok(())
}
