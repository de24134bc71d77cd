//! `upgrade`, `current` and `history` load the revisions without scanning their SQL; the
//! revisions a run would run are scanned before anything runs. Here the sum file matches a
//! broken pending revision (written by hand, or by an older version), so only that scan can
//! refuse it: as one `error:` line at its file and line, exit 3, with the database as it was,
//! from a run and from a dry run alike.

use crate::support;

use clipdex_core::{RevisionSet, SqlText, SumFile};
use support::{Project, catalog};

/// Revision a applied on a fresh database, then a pending revision b whose up section is
/// `up`, with a sum file that matches it.
async fn applied_then_pending(up: &str) -> (Project, scratch::ScratchDatabase) {
    let project = Project::empty();
    project.root_revision_a();
    project.sum();
    let db = scratch::database().await.unwrap();
    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    project.revision(
        "20260102T0000_b.sql",
        "bbbb00000001",
        "aaaa00000001",
        up,
        None,
    );
    let set = RevisionSet::read_dir_with(&project.migrations(), SqlText::ReadWhenNeeded).unwrap();
    project.write("revisions.sum", &SumFile::compute(&set).render());
    (project, db)
}

/// Runs `args` and checks that it fails with exit 3 and one error line, leaving the database
/// as it was; returns the error line.
async fn refused(project: &Project, db: &scratch::ScratchDatabase, args: &[&str]) -> String {
    let before = catalog(db.url()).await;
    let run = project.run_on(db.url(), args);
    run.expect_code(3);
    assert_eq!(
        catalog(db.url()).await,
        before,
        "the database changed:\n{run}"
    );
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "expected one error line:\n{run}");
    errors[0].to_owned()
}

#[tokio::test]
async fn an_unterminated_string_in_a_pending_revision_is_refused_before_anything_runs() {
    let (project, db) =
        applied_then_pending("CREATE TABLE b (note text DEFAULT 'open);\nCREATE TABLE c ();").await;
    for args in [&["upgrade"][..], &["upgrade", "--dry-run"]] {
        let error = refused(&project, &db, args).await;
        assert!(
            error.starts_with("error: migrations/20260102T0000_b.sql:6:35: unterminated string"),
            "{args:?}: {error}"
        );
    }
}

#[tokio::test]
async fn a_statement_its_transaction_cannot_hold_is_refused_before_anything_runs() {
    let up = "CREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY b_id ON b (id);";
    let (project, db) = applied_then_pending(up).await;
    for args in [&["upgrade"][..], &["upgrade", "--dry-run"]] {
        let error = refused(&project, &db, args).await;
        assert!(
            error.starts_with("error: migrations/20260102T0000_b.sql:7: CREATE INDEX CONCURRENTLY cannot run inside a transaction block"),
            "{args:?}: {error}"
        );
    }
}
