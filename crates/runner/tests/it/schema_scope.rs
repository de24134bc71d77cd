//! A run scoped to one schema (a tenant of a fleet): unqualified DDL lands in that schema and
//! nowhere else, in both transaction modes; "non-empty" means that schema; one connection
//! migrates several schemas in turn; and the bulk read of many schemas' states equals reading
//! each one alone.

use runner::{HistoryLocation, Migrator, RunnerConfig, Scope};

use crate::common::{count, graph, ids, rev, try_upgrade, upgrade};

/// A tenant's config: history in the tenant's schema, statements scoped to it.
fn tenant(schema: &str) -> RunnerConfig {
    RunnerConfig {
        history: HistoryLocation {
            schema: schema.to_owned(),
            table: "clipdex_migrate_history".to_owned(),
        },
        scope: Scope::Schema(schema.to_owned()),
        ..RunnerConfig::default()
    }
}

fn tenant_revisions() -> Vec<crate::common::Rev> {
    vec![
        rev(
            "a",
            "aaaaaaaaaaaa",
            "",
            "CREATE TABLE accounts (id int PRIMARY KEY, name text);\n\
             CREATE FUNCTION account_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM accounts $$;",
        ),
        rev(
            "b",
            "bbbbbbbbbbbb",
            "aaaaaaaaaaaa",
            "-- A revision may change its own search_path: the next one must not inherit it.\n\
             SET search_path = public;",
        ),
        rev(
            "c",
            "cccccccccccc",
            "bbbbbbbbbbbb",
            "ALTER TABLE accounts ADD COLUMN email text DEFAULT 'unknown';\n\
             CREATE UNIQUE INDEX CONCURRENTLY accounts_email ON accounts (email);",
        )
        .none(),
    ]
}

#[tokio::test]
async fn each_revision_runs_in_the_tenant_schema_and_nowhere_else() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    admin
        .batch_execute(
            "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b;
             CREATE TABLE public.accounts (id int); -- a shared table of the same name",
        )
        .await
        .unwrap();
    let public_before = catalog_of(&admin, "public").await;
    let graph = graph(&tenant_revisions());
    let url = runner::DatabaseUrl::parse(db.url()).unwrap();
    let client = url.connect("schema scope test").await.unwrap();
    // One connection, reused for both tenants.
    let mut migrator = Migrator::new(client, tenant("tenant_a"));
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(
        ids(&report),
        ["aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"]
    );
    let mut migrator = Migrator::new(migrator.into_client(), tenant("tenant_b"));
    upgrade(&mut migrator, &graph, "head").await;

    for schema in ["tenant_a", "tenant_b"] {
        let objects = catalog_of(&admin, schema).await;
        for expected in [
            "accounts r",
            "accounts_email i valid",
            "account_count f",
            "clipdex_migrate_history r",
        ] {
            assert!(
                objects.contains(&expected.to_owned()),
                "{schema}: {objects:?}"
            );
        }
    }
    // The revision's own `SET search_path = public` lasted as long as its transaction.
    assert_eq!(catalog_of(&admin, "public").await, public_before);
    let columns: i64 = admin
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'accounts'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(columns, 1, "the shared table was altered");
    let default_history = "SELECT count(*) FROM pg_namespace WHERE nspname = 'clipdex_migrate'";
    assert_eq!(count(&admin, default_history).await, 0);
}

#[tokio::test]
async fn a_failed_concurrent_build_in_a_tenant_is_dropped_and_built_again_on_resume() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    admin
        .batch_execute("CREATE SCHEMA tenant_a; CREATE TABLE public.accounts_email (id int)")
        .await
        .unwrap();
    let graph = graph(&tenant_revisions());
    let url = runner::DatabaseUrl::parse(db.url()).unwrap();
    let client = url.connect("schema scope test").await.unwrap();
    let mut migrator = Migrator::new(client, tenant("tenant_a"));
    upgrade(&mut migrator, &graph, "bbbbbbbbbbbb").await;
    admin
        .batch_execute("INSERT INTO tenant_a.accounts VALUES (1, 'x'), (2, 'y')")
        .await
        .unwrap();
    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("could not create unique index"),
        "{error}"
    );
    assert_eq!(
        catalog_of(&admin, "tenant_a")
            .await
            .iter()
            .filter(|o| o.starts_with("accounts_email"))
            .collect::<Vec<_>>(),
        ["accounts_email i"],
        "the failed build leaves an INVALID index in the tenant's schema"
    );
    admin
        .batch_execute("UPDATE tenant_a.accounts SET email = id::text")
        .await
        .unwrap();
    let report = upgrade(&mut migrator, &graph, "head").await;
    assert_eq!(report.steps[0].resumed_from, Some(1));
    assert!(
        catalog_of(&admin, "tenant_a")
            .await
            .contains(&"accounts_email i valid".to_owned())
    );
    assert!(
        catalog_of(&admin, "public")
            .await
            .contains(&"accounts_email r".to_owned())
    );
}

#[tokio::test]
async fn objects_of_other_schemas_do_not_make_a_tenant_non_empty_but_its_own_do() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    admin
        .batch_execute(
            "CREATE SCHEMA fresh; CREATE SCHEMA adopted; CREATE TABLE adopted.accounts (id int);
             CREATE TABLE public.elsewhere (id int);",
        )
        .await
        .unwrap();
    let graph = graph(&tenant_revisions()[..1]);
    let url = runner::DatabaseUrl::parse(db.url()).unwrap();
    let client = url.connect("schema scope test").await.unwrap();
    let mut migrator = Migrator::new(client, tenant("fresh"));
    upgrade(&mut migrator, &graph, "head").await;
    let mut migrator = Migrator::new(migrator.into_client(), tenant("adopted"));
    let error = try_upgrade(&mut migrator, &graph, "head")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            runner::RunError::State(runner::StateError::NonEmptyDatabase { .. })
        ),
        "{error}"
    );
}

#[tokio::test]
async fn the_bulk_read_of_many_schemas_equals_reading_each_alone() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    let schemas: Vec<String> = (0..7).map(|n| format!("t{n}")).collect();
    for schema in &schemas {
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .await
            .unwrap();
    }
    admin
        .batch_execute("CREATE TABLE t6.x (id int)")
        .await
        .unwrap();
    let revisions = tenant_revisions();
    let graph = graph(&revisions);
    let url = runner::DatabaseUrl::parse(db.url()).unwrap();
    let mut client = url.connect("bulk").await.unwrap();
    // t0 at base, t1 at a, t2 and t3 at head, t4 with a partial revision, t5 at head, t6 has
    // an object and no history.
    for (schema, target) in [
        ("t1", "aaaaaaaaaaaa"),
        ("t2", "head"),
        ("t3", "head"),
        ("t5", "head"),
    ] {
        let mut migrator = Migrator::new(client, tenant(schema));
        upgrade(&mut migrator, &graph, target).await;
        client = migrator.into_client();
    }
    let mut migrator = Migrator::new(client, tenant("t4"));
    upgrade(&mut migrator, &graph, "bbbbbbbbbbbb").await;
    admin
        .batch_execute("CREATE TABLE t4.accounts_email (x int)")
        .await
        .unwrap();
    assert!(try_upgrade(&mut migrator, &graph, "head").await.is_err());
    let client = migrator.into_client();

    let mut configs: Vec<RunnerConfig> = schemas.iter().map(|s| tenant(s)).collect();
    configs.push(RunnerConfig::default());
    let bulk = runner::read_states(&client, &configs).await.unwrap();
    let mut client = Some(client);
    for (config, state) in configs.iter().zip(&bulk) {
        let migrator = Migrator::new(client.take().unwrap(), config.clone());
        assert_eq!(
            &migrator.read_state().await.unwrap(),
            state,
            "{:?}",
            config.history
        );
        client = Some(migrator.into_client());
    }
    assert_eq!(bulk[0].rows.len(), 0);
    assert_eq!(bulk[1].rows.len(), 1);
    assert_eq!(bulk[2].rows.len(), 3);
    assert!(bulk[4].partial().is_some());
    assert!(!bulk[0].has_user_objects && bulk[6].has_user_objects);
    assert!(
        bulk[7].has_user_objects,
        "the database holds the tenants' tables"
    );
}

/// `name kind [valid]` of every relation and function in `schema`.
async fn catalog_of(client: &tokio_postgres::Client, schema: &str) -> Vec<String> {
    let rows = client
        .query(
            "SELECT c.relname || ' ' || c.relkind::text || CASE WHEN i.indisvalid THEN ' valid' ELSE '' END
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_index i ON i.indexrelid = c.oid
             WHERE n.nspname = $1
             UNION ALL
             SELECT p.proname || ' f' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = $1
             ORDER BY 1",
            &[&schema],
        )
        .await
        .unwrap();
    rows.iter().map(|row| row.get(0)).collect()
}
