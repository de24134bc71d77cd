//! Schema-per-tenant: every tenant migrated in its own schema and nowhere else, the ones at
//! head found in bulk, status read in bulk, downgrades, and `--target`.

use fleet::{FleetError, FleetOptions, Outcome};

use crate::support::{
    AT_HEAD, create_schemas, named, ran_with_work, schema_fleet, tenant_graph, tenant_summary,
    upgrade,
};

#[tokio::test]
async fn every_tenant_is_migrated_in_its_own_schema_and_a_rerun_finds_them_in_bulk() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    let tenants = create_schemas(&admin, 20).await;
    admin
        .batch_execute("CREATE SCHEMA other; CREATE TABLE public.accounts (id int)")
        .await
        .unwrap();
    let graph = tenant_graph();
    let fleet = schema_fleet(&db, "tenant_*");
    let report = upgrade(&fleet, &graph, &FleetOptions::default()).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(named(&report, ran_with_work), tenants);
    for tenant in &tenants {
        assert_eq!(tenant_summary(&admin, tenant).await, AT_HEAD, "{tenant}");
    }
    assert_eq!(
        tenant_summary(&admin, "other").await,
        "history=0 logged=0 columns=0 index=0"
    );
    let public_columns = crate::support::count(
        &admin,
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .await;
    assert_eq!(public_columns, 1, "only the shared table's own column");

    admin
        .batch_execute("CREATE SCHEMA tenant_020")
        .await
        .unwrap();
    let again = upgrade(&fleet, &graph, &FleetOptions::default()).await;
    assert_eq!(named(&again, ran_with_work), ["tenant_020"]);
    let at_head = named(&again, |o| matches!(o, Outcome::NothingToDo));
    assert_eq!(at_head, tenants, "found at head in bulk, without running");
}

#[tokio::test]
async fn status_says_where_each_tenant_is_without_running_anything() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    create_schemas(&admin, 4).await;
    let graph = tenant_graph();
    let fleet = schema_fleet(&db, "tenant_*");
    let first_two = ["tenant_000".parse().unwrap(), "tenant_001".parse().unwrap()];
    let discovered = fleet.discover(&first_two).await.unwrap();
    let job = crate::support::upgrade_job(&graph);
    let options = FleetOptions::default();
    fleet::run(
        &fleet,
        discovered,
        &job,
        &options,
        &mut fleet::NoFleetObserver,
    )
    .await;
    let status = fleet::read_status(&fleet, fleet.discover(&[]).await.unwrap(), 2).await;
    let applied: Vec<(String, usize)> = status
        .iter()
        .map(|(target, state)| {
            let rows = state.as_ref().unwrap().history.rows.len();
            (target.name.clone(), rows)
        })
        .collect();
    assert_eq!(
        applied,
        [
            ("tenant_000".to_owned(), 3),
            ("tenant_001".to_owned(), 3),
            ("tenant_002".to_owned(), 0),
            ("tenant_003".to_owned(), 0)
        ]
    );
    assert_eq!(
        tenant_summary(&admin, "tenant_003").await,
        "history=0 logged=0 columns=0 index=0"
    );
}

#[tokio::test]
async fn a_downgrade_runs_on_every_tenant_and_targets_narrow_a_run() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    create_schemas(&admin, 5).await;
    let graph = tenant_graph();
    let fleet = schema_fleet(&db, "tenant_*");
    upgrade(&fleet, &graph, &FleetOptions::default()).await;
    let only = ["tenant_001".parse().unwrap(), "tenant_004".parse().unwrap()];
    let discovered = fleet.discover(&only).await.unwrap();
    let job = fleet::Downgrade {
        graph: &graph,
        target: "-1".parse().unwrap(),
        options: runner::RunOptions::default(),
    };
    let report = fleet::run(
        &fleet,
        discovered,
        &job,
        &FleetOptions::default(),
        &mut fleet::NoFleetObserver,
    )
    .await;
    assert_eq!(named(&report, ran_with_work), ["tenant_001", "tenant_004"]);
    for (tenant, expected) in [
        ("tenant_000", AT_HEAD),
        ("tenant_001", "history=2 logged=3 columns=3 index=0"),
        ("tenant_004", "history=2 logged=3 columns=3 index=0"),
    ] {
        assert_eq!(tenant_summary(&admin, tenant).await, expected, "{tenant}");
    }
}

#[tokio::test]
async fn a_selection_or_a_target_pattern_that_matches_nothing_is_an_error() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    create_schemas(&admin, 2).await;
    let nothing = schema_fleet(&db, "tenants_*")
        .discover(&[])
        .await
        .unwrap_err();
    assert!(matches!(nothing, FleetError::NoTargets { .. }), "{nothing}");
    assert!(
        nothing
            .to_string()
            .contains("schemas = \"tenants_*\" matches no schema"),
        "{nothing}"
    );
    let fleet = schema_fleet(&db, "tenant_*");
    let only = ["tenant_000".parse().unwrap(), "tenant_9*".parse().unwrap()];
    let error = fleet.discover(&only).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "fleet `tenants`: --target tenant_9* matches none of its 2 targets"
    );
}

/// An application spawns its fleet run as a task: the run must be `Send`.
#[test]
fn a_run_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let graph = tenant_graph();
    let job = crate::support::upgrade_job(&graph);
    let fleet = fleet::Fleet {
        name: "f".into(),
        source: fleet::Source::Urls(Vec::new()),
        runner: runner::RunnerConfig::default(),
    };
    let options = FleetOptions::default();
    let future = async {
        let discovered = fleet.discover(&[]).await.unwrap();
        let mut observer = fleet::NoFleetObserver;
        fleet::run(&fleet, discovered, &job, &options, &mut observer).await
    };
    assert_send(&future);
}

#[tokio::test]
async fn what_a_revision_leaves_in_its_session_never_reaches_the_next_tenant() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    create_schemas(&admin, 3).await;
    let graph = crate::support::graph(&[(
        "001_session.sql",
        "bbbbbbbbbbb1",
        "",
        "per-revision",
        "DO $$ BEGIN IF coalesce(current_setting('app.marker', true), '') <> '' THEN RAISE EXCEPTION 'a setting of another tenant leaked'; END IF; END $$;\n\
         SET app.marker = 'set';\n\
         CREATE TEMP TABLE scratch (id int);\n\
         CREATE TABLE marked (id int);",
        "DROP TABLE marked;",
    )]);
    let fleet = schema_fleet(&db, "tenant_*");
    let options = FleetOptions {
        jobs: 1,
        ..FleetOptions::default()
    };
    let report = upgrade(&fleet, &graph, &options).await;
    assert!(
        report.succeeded(),
        "{:?}",
        report.failures().collect::<Vec<_>>()
    );
    assert_eq!(named(&report, ran_with_work).len(), 3);
}
