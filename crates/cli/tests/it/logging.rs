//! The `-v` log of a real run: the lock, each revision with its duration, each statement of a
//! `transaction: none` revision with its own; and `-vv`, which adds what the driver logs
//! through `log` (here, a NOTICE the server sends while a revision runs). Without `-v`,
//! stderr stays empty.

use crate::support;

use support::{BASELINE, Project, Run};

/// A revision after the baseline whose first statement makes the server send a NOTICE, run
/// outside a transaction so that each statement is timed on its own.
const NOTICE_REVISION: &str = "-- revision: 10600001
-- parents: af9a37e3eebf
-- message: say hello
-- transaction: none

-- +up
DO $$ BEGIN RAISE NOTICE 'hello from a revision'; END $$;
CREATE TABLE logged (id int);

-- +down
DROP TABLE logged;
";

const NOTICE_FILE: &str = "migrations/20261201T0000_say_hello.sql";

fn project() -> Project {
    let project = Project::clipdex();
    project.write("20261201T0000_say_hello.sql", NOTICE_REVISION);
    project.sum();
    project
}

/// The stderr lines that carry `needle`.
fn lines_with<'r>(run: &'r Run, needle: &str) -> Vec<&'r str> {
    run.stderr.lines().filter(|l| l.contains(needle)).collect()
}

#[tokio::test]
async fn without_v_the_log_says_nothing() {
    let db = scratch::database().await.unwrap();
    let run = project().run_on(db.url(), &["upgrade"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "", "{run}");
}

#[tokio::test]
async fn v_logs_the_lock_each_revision_and_each_statement_with_durations() {
    let db = scratch::database().await.unwrap();
    let run = project().run_on(db.url(), &["-v", "upgrade"]);
    run.expect_code(0);

    let acquired = lines_with(&run, "migration lock acquired");
    assert_eq!(acquired.len(), 1, "{run}");
    assert!(acquired[0].contains("waited_ms="), "{run}");
    assert_eq!(lines_with(&run, "history tables created").len(), 1, "{run}");

    for (revision, statements) in [(BASELINE, 30), ("10600001", 2)] {
        let started = lines_with(&run, "revision started");
        let started = started.iter().find(|l| l.contains(revision));
        let started = started.unwrap_or_else(|| panic!("no start of {revision}:\n{run}"));
        assert!(
            started.contains(&format!("statements={statements}")),
            "{run}"
        );
        let finished = lines_with(&run, "revision finished");
        let finished = finished.iter().find(|l| l.contains(revision));
        let finished = finished.unwrap_or_else(|| panic!("no end of {revision}:\n{run}"));
        assert!(finished.contains("duration_ms="), "{run}");
    }

    // Each statement of the `transaction: none` revision: sent, then finished with its time.
    for (line, index) in [(7, 1), (8, 2)] {
        let at = format!("at={NOTICE_FILE}:{line} statement={index}");
        let sent = lines_with(&run, "statement sent");
        assert!(sent.iter().any(|l| l.contains(&at)), "{at}:\n{run}");
        let finished = lines_with(&run, "statement finished");
        let finished = finished.iter().find(|l| l.contains(&at));
        let finished = finished.unwrap_or_else(|| panic!("{at} not finished:\n{run}"));
        assert!(finished.contains("duration_ms="), "{run}");
    }
    assert!(
        lines_with(&run, "hello from a revision").is_empty(),
        "the driver's log is -vv's:\n{run}"
    );
}

#[tokio::test]
async fn vv_adds_what_the_driver_logs_through_log() {
    let db = scratch::database().await.unwrap();
    let run = project().run_on(db.url(), &["-vv", "upgrade"]);
    run.expect_code(0);
    let notice = lines_with(&run, "NOTICE: hello from a revision");
    assert_eq!(notice.len(), 1, "{run}");
    assert!(notice[0].contains("tokio_postgres"), "{run}");
    assert!(!lines_with(&run, "revision finished").is_empty(), "{run}");
}
