//! The application API: the repository's migrations, embedded or read from a directory, run on
//! the application's own connection or from a URL, with the CLI's lock, history and errors.

use std::path::{Path, PathBuf};

use runner::{
    Database, MigrationProblem, Migrations, RunError, StateError, UpgradeOptions, embed_migrations,
};

const BASELINE: &str = "af9a37e3eebf";

fn embedded() -> Migrations {
    Migrations::embedded(embed_migrations!("../../migrations")).expect("valid migrations")
}

fn repository_migrations() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations")
}

/// Every revision of the repository, in the order an upgrade from nothing applies them: the
/// baseline first, then what later posts added.
fn repository_revisions() -> Vec<String> {
    let set = clipdex_core::RevisionSet::read_dir(&repository_migrations()).expect("the files");
    let graph = clipdex_core::RevisionGraph::build(&set).expect("their graph");
    let order = graph.topological_order();
    order
        .iter()
        .map(|revision| revision.id().to_owned())
        .collect()
}

/// The same ids, sorted as `applied` returns them.
fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

async fn applied(client: &tokio_postgres::Client) -> Vec<String> {
    let query = "SELECT revision FROM clipdex_migrate.history ORDER BY revision";
    let rows = client.query(query, &[]).await.expect("history rows");
    rows.iter().map(|row| row.get(0)).collect()
}

#[tokio::test]
async fn embedded_migrations_upgrade_the_applications_client_once() {
    let db = scratch::database().await.unwrap();
    let mut client = db.connect().await.unwrap();
    let migrations = embedded();

    let first = migrations
        .upgrade(&mut client, &UpgradeOptions::default())
        .await
        .unwrap();
    let ran: Vec<String> = first.steps.iter().map(|s| s.revision.clone()).collect();
    assert_eq!(ran, repository_revisions());
    assert_eq!(ran[0], BASELINE);
    assert_eq!(first.steps[0].file, Path::new("20261126T0900_baseline.sql"));
    assert_eq!(applied(&client).await, sorted(repository_revisions()));
    // The client is usable afterwards, on the migrated schema, with the lock released.
    let rows = client
        .query("SELECT * FROM search_episodes('x')", &[])
        .await;
    assert_eq!(rows.unwrap().len(), 0);
    let unlocked =
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()";
    let count: i64 = client.query_one(unlocked, &[]).await.unwrap().get(0);
    assert_eq!(count, 0);

    let second = migrations
        .upgrade(Database::Client(&mut client), &UpgradeOptions::default())
        .await
        .unwrap();
    assert!(second.steps.is_empty());
}

#[tokio::test]
async fn a_directory_read_at_run_time_upgrades_from_a_url_and_starts_serialise() {
    let db = scratch::database().await.unwrap();
    let migrations = Migrations::from_dir(repository_migrations()).unwrap();
    let options = UpgradeOptions::default();
    let url = db.url().to_owned();
    let (one, two) = tokio::join!(
        migrations.upgrade(url.as_str(), &options),
        migrations.upgrade(&url, &options)
    );
    let mut steps = [one.unwrap().steps.len(), two.unwrap().steps.len()];
    steps.sort();
    assert_eq!(
        steps,
        [0, repository_revisions().len()],
        "one start applies, the other waits and finds nothing"
    );
    let client = db.connect().await.unwrap();
    assert_eq!(applied(&client).await, sorted(repository_revisions()));
}

#[tokio::test]
async fn a_database_built_without_history_is_refused_as_the_cli_refuses_it() {
    let db = scratch::database().await.unwrap();
    let mut client = db.connect().await.unwrap();
    client
        .batch_execute("CREATE TABLE podcasts (id int)")
        .await
        .unwrap();
    let error = embedded()
        .upgrade(&mut client, &UpgradeOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, RunError::State(StateError::NonEmptyDatabase { .. })),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("clipdex-migrate stamp af9a37e3eebf"),
        "{error}"
    );
}

#[tokio::test]
async fn a_bad_url_is_a_typed_error_without_the_password() {
    let error = embedded()
        .upgrade(
            "postgresql://app:s3cr3t@/db?sslmode=bogus",
            &UpgradeOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, RunError::Url(_)), "{error}");
    assert!(!error.to_string().contains("s3cr3t"), "{error}");
}

#[test]
fn an_edited_file_fails_the_sum_check_like_the_cli() {
    let source = repository_migrations();
    let dir = tempfile::tempdir().unwrap();
    // Every file, so that the one edit below is the only difference from the sum file.
    for subdir in ["", "legacy"] {
        std::fs::create_dir_all(dir.path().join(subdir)).unwrap();
        for entry in std::fs::read_dir(source.join(subdir)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                let file = Path::new(subdir).join(entry.file_name());
                std::fs::copy(source.join(&file), dir.path().join(&file)).unwrap();
            }
        }
    }
    let edited = dir.path().join("legacy/002_enrich.sql");
    let text = std::fs::read_to_string(&edited).unwrap() + "\n-- an edit\n";
    std::fs::write(&edited, text).unwrap();
    let error = Migrations::from_dir(dir.path()).unwrap_err();
    assert!(
        matches!(error.problems.as_slice(), [MigrationProblem::Sum(_), ..]),
        "{error}"
    );
    assert!(
        error.to_string().contains("legacy/002_enrich.sql"),
        "{error}"
    );
}

#[test]
fn an_embedded_set_is_checked_like_a_directory_sum_file_included() {
    static WITHOUT_SUM: runner::EmbeddedMigrations =
        runner::EmbeddedMigrations::new(&[runner::EmbeddedFile::new(
            "20260101T0000_a.sql",
            b"-- revision: aaaa00000001\n-- parents:\n-- message: a\n\n-- +up\nSELECT 1;\n",
        )]);
    let error = Migrations::embedded(WITHOUT_SUM).unwrap_err();
    assert!(
        matches!(error.problems.as_slice(), [MigrationProblem::Sum(_)]),
        "{error}"
    );
    assert!(error.to_string().contains("no sum file"), "{error}");
}

#[tokio::test]
async fn an_application_asks_its_state_plans_a_dry_run_and_downgrades() {
    let db = scratch::database().await.unwrap();
    let mut client = db.connect().await.unwrap();
    let migrations = embedded();
    let config = runner::RunnerConfig::default();
    let all = repository_revisions();

    let before = migrations.state(&mut client, &config).await.unwrap();
    assert!(!before.history_exists && before.applied.is_empty());
    assert_eq!(before.pending, all);
    assert!(!before.is_up_to_date());

    let plan = migrations
        .plan_upgrade(db.url(), &UpgradeOptions::default())
        .await
        .unwrap();
    assert_eq!(plan.ids(), all, "the plan names every revision");
    let after_plan = migrations.state(db.url(), &config).await.unwrap();
    assert_eq!(after_plan, before, "a dry run changes nothing");

    migrations
        .upgrade(&mut client, &UpgradeOptions::default())
        .await
        .unwrap();
    let at_head = migrations.state(&mut client, &config).await.unwrap();
    assert!(at_head.is_up_to_date(), "{at_head:?}");
    assert_eq!(at_head.applied, all);

    let back_one = runner::DowngradeOptions::to("-1".parse().unwrap());
    let planned = migrations.plan_downgrade(&mut client, &back_one).await;
    assert_eq!(planned.unwrap().ids(), [all.last().unwrap().as_str()]);
    let report = migrations.downgrade(&mut client, &back_one).await.unwrap();
    assert_eq!(report.steps.len(), 1);
    let after = migrations.state(&mut client, &config).await.unwrap();
    assert_eq!(after.pending, [all.last().unwrap().clone()]);
    assert_eq!(after.applied, all[..all.len() - 1]);
}
