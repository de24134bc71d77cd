//! Stamping on a real database: adopt an existing schema, then upgrade from there.

use clipdex_core::{PlanError, RevisionGraph, RevisionSet, SourceFile};
use runner::{
    DatabaseUrl, Migrator, NoObserver, Operation, RunError, RunOptions, RunnerConfig, StateError,
};
use stamp::{StampError, StampOptions, stamp};

fn file(name: &str, id: &str, parents: &str, up: &str) -> SourceFile {
    let text = format!(
        "-- revision: {id}\n-- parents: {parents}\n\n-- +up\n{up}\n\n-- +down\nSELECT 1;\n"
    );
    SourceFile::new(format!("{name}.sql"), text)
}

fn graph(first_table: &str) -> RevisionGraph {
    let files = [
        file(
            "20260101T0000_a",
            "aaaa0001",
            "",
            &format!("CREATE TABLE {first_table} (id int);"),
        ),
        file(
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "CREATE TABLE b (id int);",
        ),
        file(
            "20260101T0002_c",
            "cccc0003",
            "bbbb0002",
            "CREATE TABLE c (id int);",
        ),
    ];
    RevisionGraph::build(&RevisionSet::from_files(files).unwrap()).unwrap()
}

async fn migrator(db: &scratch::ScratchDatabase) -> Migrator {
    let client = DatabaseUrl::parse(db.url())
        .unwrap()
        .connect("stamp-test")
        .await
        .unwrap();
    Migrator::new(client, RunnerConfig::default())
}

async fn stamp_at(
    migrator: &mut Migrator,
    graph: &RevisionGraph,
    target: &str,
) -> Result<Vec<String>, StampError> {
    let target = target.parse().unwrap();
    let report = stamp(
        migrator,
        graph,
        &target,
        &StampOptions::default(),
        &mut NoObserver,
    )
    .await?;
    Ok(report.stamped)
}

#[tokio::test]
async fn a_stamped_database_upgrades_from_the_stamp() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    migrator
        .client()
        .batch_execute("CREATE TABLE a (id int); CREATE TABLE b (id int)")
        .await
        .unwrap();
    let graph = graph("a");
    assert_eq!(
        stamp_at(&mut migrator, &graph, "bbbb").await.unwrap(),
        ["aaaa0001", "bbbb0002"]
    );
    assert!(
        stamp_at(&mut migrator, &graph, "bbbb0002")
            .await
            .unwrap()
            .is_empty(),
        "already stamped"
    );

    assert_recorded_as_stamped(&migrator, &["aaaa0001", "bbbb0002"]).await;

    let report = migrator
        .upgrade(
            &graph,
            &"head".parse().unwrap(),
            &RunOptions::default(),
            &mut NoObserver,
        )
        .await
        .unwrap();
    let applied: Vec<&str> = report
        .steps
        .iter()
        .map(|step| step.revision.as_str())
        .collect();
    assert_eq!(applied, ["cccc0003"]);
    assert!(
        lock_is_free(&migrator).await,
        "stamp and upgrade release the lock"
    );
}

async fn lock_is_free(migrator: &Migrator) -> bool {
    // pg_locks shows every database of the cluster; other tests run beside this one.
    let sql = "SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))";
    migrator.client().query_one(sql, &[]).await.unwrap().get(0)
}

async fn assert_recorded_as_stamped(migrator: &Migrator, expected: &[&str]) {
    let state = migrator.read_state().await.unwrap();
    let stamped =
        |row: &runner::HistoryRow| row.operation == Operation::Stamp && row.duration.is_none();
    assert!(state.rows.iter().all(stamped), "{:?}", state.rows);
    let ids: Vec<&str> = state.rows.iter().map(|row| row.revision.as_str()).collect();
    assert_eq!(ids, expected);
    let log = migrator.read_log().await.unwrap();
    assert!(log.iter().all(|entry| entry.operation == "stamp") && log.len() == expected.len());
}

#[tokio::test]
async fn stamp_refuses_an_edited_applied_revision_like_upgrade() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    stamp_at(&mut migrator, &graph("a"), "aaaa0001")
        .await
        .unwrap();
    let error = stamp_at(&mut migrator, &graph("renamed"), "head")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StampError::Run(RunError::Plan(PlanError::EditedRevision { .. }))
        ),
        "{error}"
    );
    assert_eq!(error.kind(), runner::ErrorKind::Refused);
    assert_eq!(
        migrator.read_state().await.unwrap().rows.len(),
        1,
        "nothing stamped"
    );
}

#[tokio::test]
async fn stamp_refuses_while_a_revision_is_half_applied() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    stamp_at(&mut migrator, &graph("a"), "aaaa0001")
        .await
        .unwrap();
    let partial = "UPDATE clipdex_migrate.history SET state = 'partial', statements_done = 0, statements_total = 1";
    migrator.client().batch_execute(partial).await.unwrap();
    let error = stamp_at(&mut migrator, &graph("a"), "head")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StampError::Run(RunError::State(StateError::PartialRevision { .. }))
        ),
        "{error}"
    );
    assert!(
        lock_is_free(&migrator).await,
        "a refused stamp releases the lock"
    );
}

fn shadow_beside(db: &scratch::ScratchDatabase) -> shadow::ShadowServer {
    shadow::ShadowServer::new(shadow::ShadowConfig {
        shadow_url: Some(DatabaseUrl::parse(db.url()).unwrap()),
        ..shadow::ShadowConfig::default()
    })
}

#[tokio::test]
async fn a_verified_stamp_records_a_database_whose_schema_is_the_targets() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let sql = "CREATE TABLE a (id int); CREATE TABLE b (id int)";
    migrator.client().batch_execute(sql).await.unwrap();
    let target = "bbbb".parse().unwrap();
    let report = stamp::stamp_verified(
        &mut migrator,
        &graph("a"),
        &target,
        &StampOptions::default(),
        &shadow_beside(&db),
        &mut NoObserver,
    )
    .await
    .unwrap();
    assert_eq!(report.stamped, ["aaaa0001", "bbbb0002"]);
}

#[tokio::test]
async fn a_verified_stamp_refuses_a_differing_database_with_the_sql_and_touches_nothing() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let sql = "CREATE TABLE a (id int, extra text); CREATE TABLE b (id int)";
    migrator.client().batch_execute(sql).await.unwrap();
    let target = "bbbb0002".parse().unwrap();
    let error = stamp::stamp_verified(
        &mut migrator,
        &graph("a"),
        &target,
        &StampOptions::default(),
        &shadow_beside(&db),
        &mut NoObserver,
    )
    .await
    .unwrap_err();
    let StampError::SchemaDiffers(differs) = &error else {
        panic!("{error}")
    };
    assert_eq!(differs.changes, 1);
    assert!(
        differs
            .sql
            .contains("ALTER TABLE public.a DROP COLUMN extra;"),
        "{}",
        differs.sql
    );
    assert!(
        error
            .to_string()
            .starts_with("the live schema is not the schema of bbbb0002"),
        "{error}"
    );
    assert_eq!(error.kind(), runner::ErrorKind::Refused);
    let state = migrator.read_state().await.unwrap();
    assert!(
        !state.history_exists,
        "a refused stamp creates no history table"
    );
}
