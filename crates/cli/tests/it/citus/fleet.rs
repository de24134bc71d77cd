//! A fleet of tenant schemas on a coordinator with `citus.enable_schema_based_sharding` on:
//! each tenant a distributed schema, its tables (its history among them) single-shard tables
//! colocated on one worker; upgrade, no-op, downgrade, status and drift over them; a tenant
//! schema that existed before the setting left as it is until the user distributes it; the
//! fleet's own ledger never distributed.

use super::support::strings;
use crate::fleet::tenants::{REVISIONS, create_tenants, fleet, project, schema_fleet};
use crate::support::connect;

/// The tables each tenant ends with: its two and its history's three.
const TENANT_TABLES: [&str; 5] = [
    "accounts",
    "clipdex_migrate_history",
    "clipdex_migrate_history_log",
    "clipdex_migrate_history_meta",
    "settings",
];

/// A distributed database whose new schemas are distributed schemas.
async fn sharded_database() -> scratch::citus::CitusDatabase {
    let db = scratch::citus::database().await.unwrap();
    let client = db.connect().await.unwrap();
    let on = format!(
        "ALTER DATABASE \"{}\" SET citus.enable_schema_based_sharding = on",
        db.name()
    );
    client.batch_execute(&on).await.unwrap();
    db
}

/// The distributed schemas, as the coordinator's `citus_schemas` lists them.
async fn citus_schemas(db: &scratch::citus::CitusDatabase) -> Vec<String> {
    let client = db.connect().await.unwrap();
    let sql = "SELECT schema_name::text FROM citus_schemas ORDER BY 1";
    strings(&client, sql).await
}

/// Per tenant: `tenant tables=<n> nodes=<n> type=<citus_table_type>` from `citus_tables` and
/// `citus_shards` on the coordinator.
async fn placement_per_tenant(db: &scratch::citus::CitusDatabase) -> Vec<String> {
    let client = db.connect().await.unwrap();
    let sql = "
SELECT tenant || ' tables=' || count(DISTINCT t.table_name) || ' nodes=' || count(DISTINCT s.nodename)
       || ' type=' || string_agg(DISTINCT t.citus_table_type, ',')
FROM citus_tables t JOIN citus_shards s ON s.table_name = t.table_name,
     LATERAL split_part(t.table_name::text, '.', 1) AS tenant
WHERE t.table_name::text LIKE 'tenant\\_%' GROUP BY tenant ORDER BY tenant";
    strings(&client, sql).await
}

/// What the workers hold: each worker's `pg_dist_schema`, and every tenant table with a
/// shard on it (`tenant.table`, the shard's id dropped), over all workers, sorted.
async fn on_workers(db: &scratch::citus::CitusDatabase) -> (Vec<Vec<String>>, Vec<String>) {
    let (mut schemas, mut shards) = (Vec::new(), Vec::new());
    for n in 0..db.worker_urls().len() {
        let client = db.connect_worker(n).await.unwrap();
        let sql = "SELECT schemaid::regnamespace::text FROM pg_dist_schema ORDER BY 1";
        schemas.push(strings(&client, sql).await);
        // Shards are hidden from catalog queries unless asked for.
        client
            .batch_execute("SET citus.override_table_visibility TO off")
            .await
            .unwrap();
        let sql = "SELECT n.nspname || '.' || regexp_replace(c.relname, '_[0-9]+$', '')
                   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relkind = 'r' AND n.nspname LIKE 'tenant\\_%' AND c.relname ~ '_[0-9]+$'";
        shards.extend(strings(&client, sql).await);
    }
    shards.sort();
    (schemas, shards)
}

/// The node `tenant`'s tables are on, as `citus_shards` says (one, or the test fails).
async fn node_of(client: &tokio_postgres::Client, tenant: &str) -> String {
    let sql = format!(
        "SELECT DISTINCT nodename || ':' || nodeport FROM citus_shards WHERE table_name::text LIKE '{tenant}.%'"
    );
    let nodes = strings(client, &sql).await;
    assert_eq!(nodes.len(), 1, "{tenant} on one node: {nodes:?}");
    nodes[0].clone()
}

/// Moves `tenant`'s schema to the worker it is not on (`citus_schema_move`, writes blocked
/// meanwhile), and checks that its history went with its tables.
async fn move_to_the_other_worker(db: &scratch::citus::CitusDatabase, tenant: &str) {
    let cluster = scratch::citus::cluster().unwrap();
    let client = db.connect().await.unwrap();
    let before = node_of(&client, tenant).await;
    let name = |node: &localpg::Cluster| node.socket_dir().to_string_lossy().into_owned();
    let other = cluster
        .workers()
        .iter()
        .find(|worker| before != format!("{}:{}", name(worker), worker.port()))
        .unwrap();
    // The move connects to the coordinator by its own name for itself: its socket directory.
    let (coordinator, host) = (name(cluster.coordinator()), name(other));
    let sql = format!(
        "SET citus.local_hostname TO '{coordinator}';
         SELECT citus_schema_move('{tenant}', '{host}', {}, shard_transfer_mode := 'block_writes')",
        other.port()
    );
    client.batch_execute(&sql).await.unwrap();
    assert_eq!(
        node_of(&client, tenant).await,
        format!("{host}:{}", other.port())
    );
}

/// `succeeded`, `up_to_date` and `failed` of a run's JSON summary.
fn counts(run: &crate::support::Run) -> [u64; 3] {
    let summary = &run.json()["summary"];
    ["succeeded", "up_to_date", "failed"].map(|key| summary[key].as_u64().unwrap())
}

#[tokio::test]
async fn ten_distributed_tenants_upgrade_once_stay_distributed_and_downgrade() {
    let db = sharded_database().await;
    let tenants = create_tenants(db.url(), 10).await;
    assert_eq!(citus_schemas(&db).await, tenants, "created distributed");
    let project = project(&schema_fleet(db.url()));

    let upgrade = fleet(&project, &["upgrade", "--json"]);
    upgrade.expect_code(0);
    assert_eq!(counts(&upgrade), [10, 0, 0], "{upgrade}");
    let again = fleet(&project, &["upgrade", "--json"]);
    again.expect_code(0);
    assert_eq!(counts(&again), [0, 10, 0], "a no-op: {again}");

    // Every tenant is still a distributed schema, and each of its tables a single-shard table
    // of that schema, all on one node: its history goes where its tables go.
    assert_eq!(citus_schemas(&db).await, tenants);
    let one_node: Vec<String> = tenants
        .iter()
        .map(|tenant| format!("{tenant} tables=5 nodes=1 type=schema"))
        .collect();
    assert_eq!(placement_per_tenant(&db).await, one_node);
    let (worker_schemas, shards) = on_workers(&db).await;
    for schemas in &worker_schemas {
        assert_eq!(
            schemas, &tenants,
            "the workers know each distributed schema"
        );
    }
    let every_table: Vec<String> = tenants
        .iter()
        .flat_map(|tenant| TENANT_TABLES.map(|table| format!("{tenant}.{table}")))
        .collect();
    assert_eq!(
        shards, every_table,
        "one shard of each table, on some worker"
    );
    let client = db.connect().await.unwrap();
    for tenant in &tenants {
        let sql = format!("SELECT key FROM {tenant}.settings");
        assert_eq!(strings(&client, &sql).await, ["email_required"], "{tenant}");
    }

    let status = fleet(&project, &["status", "--json"]).json();
    assert_eq!(status["summary"]["at_head"], 10, "{status}");
    move_to_the_other_worker(&db, "tenant_000").await;
    let down = fleet(&project, &["downgrade", "-1", "--json"]);
    down.expect_code(0);
    assert_eq!(counts(&down), [10, 0, 0], "{down}");
    let status = fleet(&project, &["status", "--json"]).json();
    assert_eq!(status["summary"]["behind"], 10, "{status}");
    fleet(&project, &["downgrade", "base", "-q"]).expect_code(0);
    fleet(&project, &["upgrade", "-q"]).expect_code(0);
    assert_eq!(placement_per_tenant(&db).await, one_node, "back up");
}

#[tokio::test]
async fn drift_on_distributed_tenants_is_clean_and_then_names_the_change() {
    let db = sharded_database().await;
    create_tenants(db.url(), 3).await;
    let project = project(&schema_fleet(db.url()));
    fleet(&project, &["upgrade", "-q"]).expect_code(0);
    // No --shadow-url: the shadow is a single-node Citus database on the coordinator's server.
    let clean = fleet(&project, &["drift", "--json"]);
    clean.expect_code(0);
    assert_eq!(clean.json()["summary"]["no_drift"], 3, "{clean}");

    let client = db.connect().await.unwrap();
    client
        .batch_execute("CREATE INDEX by_hand ON tenant_001.settings (value)")
        .await
        .unwrap();
    let drift = fleet(&project, &["drift"]);
    drift.expect_code(1);
    assert_eq!(
        drift.stdout,
        "tenant_001  drifted: 1 change(s)\n    DROP INDEX tenant_001.by_hand;\n\
         fleet drift tenants: 2 without drift, 1 drifted, 0 not checked (3 targets, against applied)\n",
        "{drift}"
    );
}

#[tokio::test]
async fn a_tenant_schema_from_before_the_setting_is_left_alone_until_it_is_distributed() {
    let db = sharded_database().await;
    let client = db.connect().await.unwrap();
    client
        .batch_execute(
            "SET citus.enable_schema_based_sharding TO off;
             CREATE SCHEMA tenant_old;
             CREATE TABLE tenant_old.accounts (id int PRIMARY KEY, email text);
             CREATE TABLE tenant_old.settings (key text PRIMARY KEY, value int);",
        )
        .await
        .unwrap();
    create_tenants(db.url(), 1).await;
    let project = project(&schema_fleet(db.url()));
    let first = REVISIONS[0].1;
    let stamp = fleet(&project, &["stamp", first, "--target", "tenant_old"]);
    stamp.expect_code(0);
    fleet(&project, &["upgrade", "-q"]).expect_code(0);
    // Its history was created beside its local tables, and Citus was not told otherwise.
    assert_eq!(citus_schemas(&db).await, ["tenant_000"]);
    let sql = "SELECT logicalrelid::text FROM pg_dist_partition WHERE logicalrelid::text LIKE 'tenant_old.%'";
    assert_eq!(strings(&client, sql).await, Vec::<String>::new());

    client
        .batch_execute("SELECT citus_schema_distribute('tenant_old')")
        .await
        .unwrap();
    let placed = placement_per_tenant(&db).await;
    assert_eq!(placed[1], "tenant_old tables=5 nodes=1 type=schema");
    let status = fleet(&project, &["status", "--json"]).json();
    assert_eq!(status["summary"]["at_head"], 2, "{status}");
    fleet(&project, &["drift"]).expect_code(0);
}

#[tokio::test]
async fn schemas_the_fleet_creates_are_distributed_and_its_ledger_is_not() {
    let db = sharded_database().await;
    let config = format!(
        "[fleets.tenants]\nschemas_query = \"SELECT unnest(ARRAY['tenant_a', 'tenant_b'])\"\nurl = \"{}\"\n",
        db.url()
    );
    let project = project(&config);
    fleet(&project, &["upgrade", REVISIONS[0].1, "-q"]).expect_code(0);
    assert_eq!(citus_schemas(&db).await, ["tenant_a", "tenant_b"]);

    let client = connect(db.url()).await;
    client
        .batch_execute("INSERT INTO tenant_b.accounts VALUES (1, NULL)")
        .await
        .unwrap();
    let failed = fleet(&project, &["upgrade", "--json"]);
    failed.expect_code(9);
    assert_eq!(counts(&failed), [1, 0, 1], "{failed}");
    // The failure is recorded in the history schema, which stays a plain local schema.
    assert_eq!(citus_schemas(&db).await, ["tenant_a", "tenant_b"]);
    let sql = "SELECT logicalrelid::text FROM pg_dist_partition WHERE logicalrelid::text LIKE 'clipdex_migrate.%'";
    assert_eq!(strings(&client, sql).await, Vec::<String>::new());
    let status = fleet(&project, &["status", "--json"]).json();
    assert_eq!(status["summary"]["failed"], 1, "{status}");
}
