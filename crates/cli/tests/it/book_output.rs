//! The `clipdex-migrate` output that chapter 10 shows, produced by the real binary on a fresh
//! database and compared byte for byte with `book/src/output/10-*.txt`.
//!
//! Each test is one scenario of the chapter, in a project directory of its own (a copy of the
//! repository's `migrations/`, plus revision files the test writes, with fixed ids, the way a
//! branch would add them) against a fresh `scratch` database given as `DATABASE_URL`. A
//! golden file is a terminal transcript: each command as typed, its stdout and stderr in the
//! order they were written, and `[exit N]` after a command that failed.
//!
//! What differs between runs is replaced by visible placeholders, and nothing else is
//! touched (see `support::transcript::normalise`): durations become `… ms` (or `… s`), the
//! server's timestamps `YYYY-MM-DDThh:mm:ss.ffffffZ`, process ids `pid …`, database URLs
//! `postgresql://postgres@localhost/clipdex`. The one revision the binary writes itself, with
//! `merge`, has a random id and a file name made from the clock; they become `<merge-id>` and
//! `migrations/YYYYMMDDThhmm_join_view_count_and_socials.sql`. The role is `postgres` on the
//! throwaway cluster; against a server of your own (`CLIPDEX_TEST_DATABASE_URL`) that logs in
//! as another role, that role's name is written as `postgres`. Nothing else is rewritten: ids,
//! file names, checksums and PostgreSQL's own messages are as the binary printed them.
//!
//! After a deliberate change to the output, `CLIPDEX_BLESS=1 cargo test -p cli --test
//! book_output` rewrites the golden files; review the diff like any other change to the book.

use crate::support;

use std::path::Path;

use support::transcript::{Transcript, check_golden, normalise};
use support::{BASELINE, Project, connect};

/// A branch's revision on the baseline: a play counter on episodes.
const EPISODE_VIEW_COUNT: (&str, &str) = (
    "20261201T0900_episode_view_count.sql",
    "\
-- revision: 3e7a1c9b52d0
-- parents: af9a37e3eebf
-- message: how often each episode was played

-- +up
ALTER TABLE episodes ADD COLUMN view_count bigint NOT NULL DEFAULT 0;

-- +down
ALTER TABLE episodes DROP COLUMN view_count;
",
);

/// Another branch's revision on the baseline, written the same week.
const GUEST_SOCIALS: (&str, &str) = (
    "20261201T0930_guest_socials.sql",
    "\
-- revision: b81f04d6ce27
-- parents: af9a37e3eebf
-- message: where to find a guest online, by network

-- +up
ALTER TABLE guests ADD COLUMN socials jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(socials) = 'object');

-- +down
ALTER TABLE guests DROP COLUMN socials;
",
);

/// A backfill with a typo: `p.episode` for `p.episode_id`.
const BACKFILL_WITH_A_TYPO: (&str, &str) = (
    "20261202T0900_backfill_view_count.sql",
    "\
-- revision: c40d5e2f9a61
-- parents: 3e7a1c9b52d0
-- message: backfill view_count from the play log

-- +up
UPDATE episodes AS e
SET view_count = (
    SELECT count(*)
    FROM episode_plays AS p
    WHERE p.episode = e.id
);

-- +down
UPDATE episodes SET view_count = 0;
",
);

/// A `transaction: none` revision whose second statement needs a schema that another team
/// creates outside the migrations.
const PLAYS_BY_DAY: (&str, &str) = (
    "20261202T0900_plays_by_day.sql",
    "\
-- revision: d5b2a8e71f03
-- parents: af9a37e3eebf
-- message: plays per day: an index on played_at, and the report that reads it
-- transaction: none

-- +up
CREATE INDEX CONCURRENTLY episode_plays_played_at_idx
    ON episode_plays (played_at);

CREATE VIEW reporting.plays_by_day AS
    SELECT date_trunc('day', played_at) AS day, count(*) AS plays
    FROM episode_plays
    WHERE played_at >= now() - interval '90 days'
    GROUP BY 1;

-- +down
DROP VIEW reporting.plays_by_day;

DROP INDEX CONCURRENTLY episode_plays_played_at_idx;
",
);

/// The shipped migrations plus `revisions`, with the sum file rewritten as `revision` would.
fn project_with(revisions: &[(&str, &str)]) -> Project {
    let project = Project::clipdex();
    for (name, text) in revisions {
        project.write(name, text);
    }
    project.sum();
    project
}

/// The role the database is used as, where it is not the throwaway cluster's `postgres`.
async fn role_replacement(url: &str) -> Vec<(String, String)> {
    let client = connect(url).await;
    let role: String = client
        .query_one("SELECT current_user::text", &[])
        .await
        .unwrap()
        .get(0);
    if role == "postgres" {
        Vec::new()
    } else {
        vec![
            (format!("by {role}"), "by postgres".to_owned()),
            (format!("user {role}"), "user postgres".to_owned()),
        ]
    }
}

/// Normalises `transcript` (with the test's own `replacements` first) and checks it against
/// `book/src/output/<name>`.
#[track_caller]
fn golden(name: &str, transcript: &str, replacements: &[(String, String)]) {
    let pairs: Vec<(&str, &str)> = replacements
        .iter()
        .map(|(from, to)| (from.as_str(), to.as_str()))
        .collect();
    check_golden(name, &normalise(transcript, &pairs));
}

#[tokio::test]
async fn first_and_second_upgrade() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    let mut terminal = Transcript::new(project.path(), db.url());
    let role = role_replacement(db.url()).await;

    assert_eq!(terminal.run(&["upgrade"]), 0);
    golden("10-first-upgrade.txt", &terminal.take(), &role);
    assert_eq!(terminal.run(&["upgrade"]), 0);
    golden("10-second-upgrade.txt", &terminal.take(), &role);
}

#[tokio::test]
async fn history_and_a_downgrade() {
    let db = scratch::database().await.unwrap();
    let project = project_with(&[EPISODE_VIEW_COUNT]);
    let mut terminal = Transcript::new(project.path(), db.url());
    let role = role_replacement(db.url()).await;
    terminal.setup(&["upgrade"]);

    terminal.run(&["history"]);
    terminal.run(&["current"]);
    golden("10-history.txt", &terminal.take(), &role);

    assert_eq!(terminal.run(&["downgrade", "-1"]), 0);
    terminal.run(&["current"]);
    terminal.run(&["history", "--log"]);
    golden("10-downgrade.txt", &terminal.take(), &role);
}

/// The file as git leaves it when both sides changed the lines between a common beginning and
/// a common end: ours and theirs between conflict markers.
fn conflicted(ours: &str, theirs: &str, their_branch: &str) -> String {
    let (ours, theirs): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let same = |(a, b): &(&&str, &&str)| a == b;
    let head = ours.iter().zip(&theirs).take_while(same).count();
    let (our_rest, their_rest) = (ours[head..].iter().rev(), theirs[head..].iter().rev());
    let tail = our_rest.zip(their_rest).take_while(same).count();
    let marker = format!(">>>>>>> {their_branch}");
    let mut lines = ours[..head].to_vec();
    lines.push("<<<<<<< HEAD");
    lines.extend(&ours[head..ours.len() - tail]);
    lines.push("=======");
    lines.extend(&theirs[head..theirs.len() - tail]);
    lines.push(&marker);
    lines.extend(&ours[ours.len() - tail..]);
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// Both branches merged in git: both revision files, and the sum file in conflict.
fn merged_branches() -> Project {
    let sum_of = |revision: (&str, &str)| {
        let branch = project_with(&[revision]);
        std::fs::read_to_string(branch.migrations().join("revisions.sum")).unwrap()
    };
    let (ours, theirs) = (sum_of(EPISODE_VIEW_COUNT), sum_of(GUEST_SOCIALS));
    let project = project_with(&[EPISODE_VIEW_COUNT, GUEST_SOCIALS]);
    project.write(
        "revisions.sum",
        &conflicted(&ours, &theirs, "guest-socials"),
    );
    project
}

#[tokio::test]
async fn two_heads_and_their_merge() {
    let db = scratch::database().await.unwrap();
    let project = merged_branches();
    let mut terminal = Transcript::new(project.path(), db.url());
    let role = role_replacement(db.url()).await;

    assert_eq!(terminal.run(&["heads"]), 3);
    golden("10-sum-conflict.txt", &terminal.take(), &role);

    terminal.run(&["sum"]);
    terminal.run(&["heads"]);
    assert_eq!(terminal.run(&["upgrade"]), 4);
    golden("10-two-heads.txt", &terminal.take(), &role);

    assert_eq!(terminal.run(&["merge", "-m", MERGE_MESSAGE]), 0);
    let merge = merge_replacements(project.path());
    terminal.run(&["heads"]);
    assert_eq!(terminal.run(&["upgrade"]), 0);
    golden("10-merge.txt", &terminal.take(), &[merge, role].concat());
}

const MERGE_MESSAGE: &str = "join view_count and socials";

/// The merge revision's random id and clock-made file name, and their placeholders.
fn merge_replacements(project: &Path) -> Vec<(String, String)> {
    let migrations = project.join("migrations");
    let name = std::fs::read_dir(&migrations)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with("_join_view_count_and_socials.sql"))
        .expect("the merge revision's file");
    let text = std::fs::read_to_string(migrations.join(&name)).unwrap();
    let id = text
        .lines()
        .find_map(|line| line.strip_prefix("-- revision: "))
        .expect("a revision line")
        .to_owned();
    vec![
        (
            name,
            "YYYYMMDDThhmm_join_view_count_and_socials.sql".to_owned(),
        ),
        (id, "<merge-id>".to_owned()),
    ]
}

#[tokio::test]
async fn an_edited_applied_revision() {
    let db = scratch::database().await.unwrap();
    let project = project_with(&[EPISODE_VIEW_COUNT]);
    let mut terminal = Transcript::new(project.path(), db.url());
    let role = role_replacement(db.url()).await;
    terminal.setup(&["upgrade"]);

    let (name, text) = EPISODE_VIEW_COUNT;
    let edited = text.replace("DEFAULT 0;", "DEFAULT 0 CHECK (view_count >= 0);");
    project.write(name, &edited);
    assert_eq!(terminal.run(&["upgrade"]), 3);
    terminal.run(&["sum"]);
    assert_eq!(terminal.run(&["upgrade"]), 4);
    golden("10-edited-revision.txt", &terminal.take(), &role);
}

#[tokio::test]
async fn a_failing_statement() {
    let db = scratch::database().await.unwrap();
    let project = project_with(&[EPISODE_VIEW_COUNT, BACKFILL_WITH_A_TYPO]);
    let mut terminal = Transcript::new(project.path(), db.url());
    let role = role_replacement(db.url()).await;

    assert_eq!(terminal.run(&["upgrade"]), 5);
    terminal.run(&["current"]);
    golden("10-failed-statement.txt", &terminal.take(), &role);
}

#[tokio::test]
async fn a_none_revision_stops_and_resumes() {
    let db = scratch::database().await.unwrap();
    let project = project_with(&[PLAYS_BY_DAY]);
    let mut terminal = Transcript::new(project.path(), db.url());
    let role = role_replacement(db.url()).await;

    assert_eq!(terminal.run(&["upgrade"]), 5);
    terminal.run(&["current"]);
    golden("10-partial.txt", &terminal.take(), &role);

    let client = connect(db.url()).await;
    client
        .batch_execute("CREATE SCHEMA reporting")
        .await
        .unwrap();
    assert_eq!(terminal.run(&["upgrade"]), 0);
    terminal.run(&["history"]);
    golden("10-resumed.txt", &terminal.take(), &role);
}

/// Builds a database the way post 9 did: `scripts/psql-loop.sh migrations/legacy`.
fn run_the_legacy_loop(database_url: &str) {
    let bin_dir = scratch::pg_bin_dir().ok();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut search: Vec<_> = bin_dir.into_iter().collect();
    search.extend(std::env::split_paths(&path));
    let output = std::process::Command::new("bash")
        .args(["scripts/psql-loop.sh", "migrations/legacy"])
        .current_dir(support::repository_root())
        .env("PATH", std::env::join_paths(search).unwrap())
        .env("DATABASE_URL", database_url)
        .env("PGAPPNAME", "psql-loop")
        .output()
        .expect("run the psql loop");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the loop failed:\n{stderr}");
}

#[tokio::test]
async fn stamping_a_legacy_database() {
    let db = scratch::database().await.unwrap();
    run_the_legacy_loop(db.url());
    let project = project_with(&[EPISODE_VIEW_COUNT]);
    let mut terminal = Transcript::new(project.path(), db.url());
    let role = role_replacement(db.url()).await;

    assert_eq!(terminal.run(&["upgrade"]), 4);
    assert_eq!(terminal.run(&["stamp", BASELINE]), 0);
    assert_eq!(terminal.run(&["upgrade"]), 0);
    golden("10-stamp.txt", &terminal.take(), &role);
}

/// Another deploy's migration lock, held from a second session for as long as it lives.
async fn hold_the_lock(url: &str) -> tokio_postgres::Client {
    let mut config: tokio_postgres::Config = url.parse().unwrap();
    config.application_name(runner::default_application_name());
    let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let key = runner::lock::lock_key(&runner::HistoryLocation::default());
    let lock = "SELECT pg_advisory_lock($1)";
    client.execute(lock, &[&key]).await.unwrap();
    client
}

#[tokio::test]
async fn waiting_for_the_lock() {
    let db = scratch::database().await.unwrap();
    let project = Project::clipdex();
    std::fs::write(
        project.path().join("clipdex-migrate.toml"),
        "[timeouts]\nlock_wait = \"500ms\"\n",
    )
    .unwrap();
    let mut terminal = Transcript::new(project.path(), db.url());
    let role = role_replacement(db.url()).await;

    let _other_deploy = hold_the_lock(db.url()).await;
    assert_eq!(terminal.run(&["upgrade"]), 6);
    golden("10-lock-wait.txt", &terminal.take(), &role);
}

#[test]
fn an_offline_script() {
    let project = project_with(&[EPISODE_VIEW_COUNT]);
    let unused = "postgresql://nobody@localhost/nothing";
    let mut terminal = Transcript::new(project.path(), unused);
    assert_eq!(terminal.run(&["upgrade", "--sql", "--from", BASELINE]), 0);
    golden("10-upgrade-sql.txt", &terminal.take(), &[]);
}

#[test]
fn the_placeholders_replace_only_what_varies() {
    let printed = "applied af9a37e3eebf  migrations/x.sql  (27 ms)\n\
        af9a37e3eebf  upgrade  2026-11-26T00:35:18.368035Z  3 ms  by postgres\n\
        held by clipdex-migrate/0.1.0 pid 4242 (connected since 2026-11-26T00:35:18Z)\n\
        gave up after 0.5 s waiting; 5 statements, 2 heads\n\
        database postgresql://postgres@%2Ftmp%2Fx:5432/test_17?sslmode=prefer, 10000ms\n";
    let expected = "applied af9a37e3eebf  migrations/x.sql  (… ms)\n\
        af9a37e3eebf  upgrade  YYYY-MM-DDThh:mm:ss.ffffffZ  … ms  by postgres\n\
        held by clipdex-migrate/0.1.0 pid … (connected since YYYY-MM-DDThh:mm:ssZ)\n\
        gave up after … s waiting; 5 statements, 2 heads\n\
        database postgresql://postgres@localhost/clipdex, 10000ms\n";
    assert_eq!(normalise(printed, &[]), expected);
}
