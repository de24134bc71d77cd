//! The `clipdex-migrate` output that chapter 11 shows, produced by the real binary and compared
//! byte for byte with `book/src/output/11-*.txt`.
//!
//! The scenarios are chapter 11's: `check` on post 10's revisions with post 11's `schema/` and
//! `queries/`, what `revision --autogenerate` writes there and what `check` says about that
//! draft, the lint without its acknowledgment, `check` on the repository itself, `drift` before
//! and after a change made by hand, `stamp --verify` on two databases built by post 9's loop
//! (one changed by hand, one not), and `diff` between two databases. Post 10's state is
//! `Project::clipdex()` (the baseline alone) with copies of the repository's `schema/` and
//! `queries/`; the repository's state is the repository itself, or a copy of it.
//!
//! Transcripts and their placeholders are chapter 10's (`support::transcript`): durations,
//! timestamps, process ids and database URLs are replaced, nothing else. What only these tests
//! know is replaced too: the revision `--autogenerate` writes has a random id and a file name
//! made from the clock, shown as `<generated-id>` and `YYYYMMDDThhmm_…`; the two databases
//! `diff` compares are named on its command line as `$DATABASE_URL` and `$BRANCH_URL`, the
//! way a reader types them.
//!
//! After a deliberate change to the output, `CLIPDEX_BLESS=1 cargo test -p cli --test
//! book_output_11` rewrites the golden files; review the diff like any other change to the book.

use crate::support;

use std::path::Path;

use support::transcript::{Transcript, check_golden, normalise};
use support::{BASELINE, Project, connect, legacy_loop, repository_root};

/// Post 9's incident fix, made by hand: a NOT NULL dropped, an index replaced under its name.
const HAND_MADE_CHANGE: &str = "
    ALTER TABLE episodes ALTER COLUMN published_at DROP NOT NULL;
    DROP INDEX episodes_published_at_idx;
    CREATE INDEX episodes_published_at_idx ON episodes (title);";

/// The message the chapter gives `revision --autogenerate`.
const AUTOGENERATE_MESSAGE: &str = "count plays per episode, index the guest page";

/// The repository's view_count revision, whose set-not-null acknowledgment one scenario removes.
const VIEW_COUNT_FILE: &str = "20261126T1000_episode_view_count.sql";

/// Post 10's revisions with post 11's declared schema and queries.
fn post_10_with_schema_and_queries() -> Project {
    let project = Project::clipdex();
    project.copy_from_repository("schema");
    project.copy_from_repository("queries");
    project
}

/// Normalises `transcript` (the test's own `replacements` first) and checks it against
/// `book/src/output/<name>`.
#[track_caller]
fn golden(name: &str, transcript: &str, replacements: &[(String, String)]) {
    let pairs: Vec<(&str, &str)> = replacements
        .iter()
        .map(|(from, to)| (from.as_str(), to.as_str()))
        .collect();
    check_golden(name, &normalise(transcript, &pairs));
}

/// The files `--autogenerate` wrote (the revisions besides the baseline), in graph order,
/// their texts, and the placeholders for their clock-made names and random ids.
fn generated_revisions(project: &Path) -> (Vec<String>, Vec<(String, String)>) {
    let migrations = project.join("migrations");
    let mut names: Vec<String> = std::fs::read_dir(&migrations)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql") && name != support::BASELINE_FILE)
        .collect();
    names.sort();
    let mut texts = Vec::new();
    let mut replacements = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let text = std::fs::read_to_string(migrations.join(name)).unwrap();
        let id = text
            .lines()
            .find_map(|line| line.strip_prefix("-- revision: "))
            .expect("a revision line")
            .to_owned();
        let (_, slug) = name.split_once('_').expect("a timestamped name");
        replacements.push((name.clone(), format!("YYYYMMDDThhmm_{slug}")));
        let placeholder = if n == 0 {
            "<generated-id>".to_owned()
        } else {
            format!("<generated-id-{}>", n + 1)
        };
        replacements.push((id, placeholder));
        texts.push(text);
    }
    (texts, replacements)
}

#[tokio::test]
async fn check_on_post_10_then_autogenerate_and_check_the_draft() {
    let db = scratch::database().await.unwrap();
    let project = post_10_with_schema_and_queries();
    let mut terminal = Transcript::new(project.path(), db.url());

    assert_eq!(terminal.run(&["check"]), 1);
    golden("11-check-post-10.txt", &terminal.take(), &[]);

    let autogenerate = ["revision", "--autogenerate", "-m", AUTOGENERATE_MESSAGE];
    assert_eq!(terminal.run(&autogenerate), 0);
    let (texts, generated) = generated_revisions(project.path());
    let [first, online] = &texts[..] else {
        panic!("two revisions: the column, then the indexes built online: {texts:#?}");
    };
    assert!(
        first.contains(&format!("-- parents: {BASELINE}\n")),
        "{first}"
    );
    assert!(online.contains("-- transaction: none\n"), "{online}");
    golden("11-autogenerate.txt", &terminal.take(), &generated);
    golden("11-autogenerated-revision.txt", first, &generated);
    golden("11-autogenerated-online-revision.txt", online, &generated);

    // The drafts make the schema and the queries agree, and take their locks with care.
    assert_eq!(terminal.run(&["check"]), 0);
    golden("11-check-draft.txt", &terminal.take(), &generated);
}

#[tokio::test]
async fn the_lint_without_its_acknowledgment() {
    let db = scratch::database().await.unwrap();
    let project = Project::repository();
    let file = project.migrations().join(VIEW_COUNT_FILE);
    let text = std::fs::read_to_string(&file).unwrap();
    let unacknowledged: String = text
        .lines()
        .filter(|line| !line.starts_with("-- check: allow"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(unacknowledged, text, "the revision acknowledges a hazard");
    std::fs::write(&file, unacknowledged).unwrap();
    let mut terminal = Transcript::new(project.path(), db.url());

    assert_eq!(terminal.run(&["check", "--only", "lint"]), 1);
    golden("11-check-unacknowledged.txt", &terminal.take(), &[]);
}

#[tokio::test]
async fn check_on_the_repository() {
    let db = scratch::database().await.unwrap();
    let root = repository_root();
    let mut terminal = Transcript::new(&root, db.url());

    assert_eq!(terminal.run(&["check"]), 0);
    golden("11-check-passing.txt", &terminal.take(), &[]);
}

#[tokio::test]
async fn drift_before_and_after_a_change_by_hand() {
    let db = scratch::database().await.unwrap();
    let project = Project::repository();
    let mut terminal = Transcript::new(project.path(), db.url());
    terminal.setup(&["upgrade"]);

    assert_eq!(terminal.run(&["drift"]), 0);
    connect(db.url())
        .await
        .batch_execute(HAND_MADE_CHANGE)
        .await
        .unwrap();
    assert_eq!(terminal.run(&["drift"]), 1);
    golden("11-drift.txt", &terminal.take(), &[]);
}

#[tokio::test]
async fn stamp_verify_refuses_a_legacy_database_changed_by_hand() {
    let db = scratch::database().await.unwrap();
    legacy_loop(db.url());
    connect(db.url())
        .await
        .batch_execute(HAND_MADE_CHANGE)
        .await
        .unwrap();
    let project = Project::repository();
    let mut terminal = Transcript::new(project.path(), db.url());

    assert_eq!(terminal.run(&["stamp", BASELINE, "--verify"]), 4);
    terminal.run(&["current"]);
    golden("11-stamp-verify-refused.txt", &terminal.take(), &[]);
}

#[tokio::test]
async fn stamp_verify_adopts_an_untouched_legacy_database() {
    let db = scratch::database().await.unwrap();
    legacy_loop(db.url());
    let project = Project::repository();
    let mut terminal = Transcript::new(project.path(), db.url());

    assert_eq!(terminal.run(&["stamp", BASELINE, "--verify"]), 0);
    assert_eq!(terminal.run(&["upgrade"]), 0);
    assert_eq!(terminal.run(&["drift"]), 0);
    golden("11-stamp-verify.txt", &terminal.take(), &[]);
}

#[tokio::test]
async fn diff_between_two_databases() {
    let ours = scratch::database().await.unwrap();
    let branch = scratch::database().await.unwrap();
    let project = Project::repository();
    for db in [&ours, &branch] {
        Transcript::new(project.path(), db.url()).setup(&["upgrade"]);
    }
    // A branch renamed a column on its own database; the catalog only sees one go, one come.
    connect(branch.url())
        .await
        .batch_execute("ALTER TABLE guests RENAME COLUMN website TO homepage")
        .await
        .unwrap();
    let mut terminal = Transcript::new(project.path(), ours.url());

    let diff = ["diff", "--from", ours.url(), "--to", branch.url()];
    assert_eq!(terminal.run(&diff), 0);
    // Longer first, so that one URL's replacement never cuts into the other's.
    let mut urls = [
        (ours.url().to_owned(), "$DATABASE_URL".to_owned()),
        (branch.url().to_owned(), "$BRANCH_URL".to_owned()),
    ];
    urls.sort_by_key(|(url, _)| std::cmp::Reverse(url.len()));
    golden("11-diff.txt", &terminal.take(), &urls);
}
