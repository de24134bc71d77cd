//! Shadow databases on real PostgreSQL: the three catalogs, the source order with its
//! fallback, file:line errors from `schema/`, databases that never outlive their use, and
//! (`extensions`) the target's extensions given to each.

use std::path::Path;

use clipdex_core::{RevisionGraph, RevisionSet, SourceFile, UpgradeTarget};
use runner::{DatabaseUrl, Migrator, NoObserver, RunOptions, RunnerConfig};
use schema::QualifiedName;
use shadow::{ShadowConfig, ShadowError, ShadowOrigin, ShadowServer};

#[path = "shadow/extensions.rs"]
mod extensions;

fn graph(files: &[(&str, &str, &str, &str)]) -> RevisionGraph {
    let files = files.iter().map(|(name, id, parents, up)| {
        let text = format!("-- revision: {id}\n-- parents: {parents}\n\n-- +up\n{up}\n");
        SourceFile::new(format!("{name}.sql"), text)
    });
    RevisionGraph::build(&RevisionSet::from_files(files).unwrap()).unwrap()
}

fn two_tables() -> RevisionGraph {
    graph(&[
        (
            "20260101T0000_a",
            "aaaa0001",
            "",
            "CREATE TABLE a (id int PRIMARY KEY);",
        ),
        (
            "20260101T0001_b",
            "bbbb0002",
            "aaaa0001",
            "CREATE TABLE b (id int, a_id int REFERENCES a);",
        ),
    ])
}

/// A server whose shadow databases go where `db` lives (any database works as admin URL).
fn server_beside(db: &scratch::ScratchDatabase) -> ShadowServer {
    ShadowServer::new(ShadowConfig {
        shadow_url: Some(DatabaseUrl::parse(db.url()).unwrap()),
        ..ShadowConfig::default()
    })
}

fn table(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

#[tokio::test]
async fn a_replay_holds_the_revisions_tables_and_no_history_schema() {
    let anchor = scratch::database().await.unwrap();
    let server = server_beside(&anchor);
    let catalog = server
        .replay(&two_tables(), &UpgradeTarget::Head)
        .await
        .unwrap();
    assert!(catalog.tables.contains_key(&table("a")));
    assert!(catalog.tables.contains_key(&table("b")));
    assert!(
        !catalog.schemas.contains_key("clipdex_migrate"),
        "{:?}",
        catalog.schemas.keys()
    );
    let first = server
        .replay(&two_tables(), &UpgradeTarget::Revision("aaaa0001".into()))
        .await
        .unwrap();
    assert!(first.tables.contains_key(&table("a")));
    assert!(
        !first.tables.contains_key(&table("b")),
        "stops at the target"
    );
    assert_eq!(server.origin(), Some(ShadowOrigin::ShadowUrl));
}

#[tokio::test]
async fn a_live_database_reads_equal_to_its_replay_without_the_history() {
    let live = scratch::database().await.unwrap();
    let url = DatabaseUrl::parse(live.url()).unwrap();
    let client = url.connect("shadow-test").await.unwrap();
    let mut migrator = Migrator::new(client, RunnerConfig::default());
    let graph = two_tables();
    migrator
        .upgrade(
            &graph,
            &UpgradeTarget::Head,
            &RunOptions::default(),
            &mut NoObserver,
        )
        .await
        .unwrap();
    let server = server_beside(&live);
    let live_catalog = server.live(&url).await.unwrap();
    let replayed = server.replay(&graph, &UpgradeTarget::Head).await.unwrap();
    assert_eq!(live_catalog, replayed);
    migrator
        .client()
        .batch_execute("ALTER TABLE b ADD COLUMN x int")
        .await
        .unwrap();
    let changed = server.live(&url).await.unwrap();
    assert_ne!(changed, replayed, "a column added by hand shows");
}

#[tokio::test]
async fn the_declared_schema_runs_in_name_order_and_knows_each_files_objects() {
    let anchor = scratch::database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let schema_dir = dir.path().join("schema");
    std::fs::create_dir(&schema_dir).unwrap();
    std::fs::write(
        schema_dir.join("02_b.sql"),
        "CREATE TABLE b (a_id int REFERENCES a);\n",
    )
    .unwrap();
    std::fs::write(
        schema_dir.join("01_a.sql"),
        "-- a\nCREATE TABLE a (id int PRIMARY KEY);\n",
    )
    .unwrap();
    std::fs::write(schema_dir.join("notes.txt"), "not SQL").unwrap();
    let server = server_beside(&anchor);
    let declared = server.declared_by_file(&schema_dir).await.unwrap();
    let names: Vec<&Path> = declared.files.iter().map(|f| f.path.as_path()).collect();
    assert_eq!(
        names,
        [schema_dir.join("01_a.sql"), schema_dir.join("02_b.sql")]
    );
    assert!(
        declared.files[0]
            .catalog_after
            .tables
            .contains_key(&table("a"))
    );
    assert!(
        !declared.files[0]
            .catalog_after
            .tables
            .contains_key(&table("b"))
    );
    assert!(declared.catalog.tables.contains_key(&table("b")));
    assert_eq!(
        server.declared(&schema_dir).await.unwrap(),
        declared.catalog
    );
}

#[tokio::test]
async fn a_failing_declared_statement_is_named_by_file_line_and_column() {
    let anchor = scratch::database().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = "CREATE TABLE a (id int);\n\nCREATE TABLE b (\n  id intt\n);\n";
    std::fs::write(dir.path().join("clipdex.sql"), text).unwrap();
    let error = server_beside(&anchor)
        .declared(dir.path())
        .await
        .unwrap_err();
    let shown = error.to_string();
    let expected = format!(
        "{}:4:6: type \"intt\" does not exist (SQLSTATE 42704)",
        dir.path().join("clipdex.sql").display()
    );
    assert_eq!(shown, expected);
    assert!(matches!(error, ShadowError::Statement { line: 4, .. }));
}

#[tokio::test]
async fn shadow_databases_are_dropped_after_use_and_after_errors() {
    let cluster = scratch::Cluster::start(&scratch::ClusterOptions::default()).unwrap();
    let admin = DatabaseUrl::parse(&cluster.url("postgres")).unwrap();
    let server = ShadowServer::new(ShadowConfig {
        shadow_url: Some(admin.clone()),
        ..ShadowConfig::default()
    });
    let client = admin.connect("shadow-test").await.unwrap();
    let count = "SELECT count(*) FROM pg_database WHERE datname LIKE 'clipdex\\_shadow\\_%'";
    let shadows = || async { client.query_one(count, &[]).await.unwrap().get::<_, i64>(0) };

    server
        .replay(&two_tables(), &UpgradeTarget::Head)
        .await
        .unwrap();
    assert_eq!(shadows().await, 0, "after a replay");
    let broken = graph(&[(
        "20260101T0000_a",
        "aaaa0001",
        "",
        "CREATE TABLE a (id nope);",
    )]);
    let error = server
        .replay(&broken, &UpgradeTarget::Head)
        .await
        .unwrap_err();
    assert!(
        error.to_string().starts_with("20260101T0000_a.sql:5:"),
        "{error}"
    );
    assert_eq!(shadows().await, 0, "after a failed replay");

    let kept = server.create().await.unwrap();
    let name = kept.name().to_owned();
    assert!(name.starts_with("clipdex_shadow_"), "{name}");
    assert_eq!(shadows().await, 1, "while in use");
    drop(kept);
    assert_eq!(shadows().await, 0, "{name} dropped by Drop, not discard");
}

#[tokio::test]
async fn a_database_server_that_refuses_create_database_falls_back_with_a_notice() {
    let anchor = scratch::database().await.unwrap();
    let admin = anchor.connect().await.unwrap();
    let role = format!("shadow_nocreate_{}", std::process::id());
    admin
        .batch_execute(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN NOCREATEDB"
        ))
        .await
        .unwrap();
    let refused = DatabaseUrl::parse(&as_user(anchor.url(), &role)).unwrap();

    let server = ShadowServer::new(ShadowConfig {
        database_url: Some(refused.clone()),
        ..ShadowConfig::default()
    });
    let catalog = server
        .replay(&two_tables(), &UpgradeTarget::Head)
        .await
        .unwrap();
    assert!(catalog.tables.contains_key(&table("b")));
    assert_eq!(server.origin(), Some(ShadowOrigin::Throwaway));
    let notices = server.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].starts_with("cannot create shadow databases on postgresql://"),
        "{notices:?}"
    );
    assert!(
        notices[0].contains("permission denied to create database"),
        "{notices:?}"
    );

    let explicit = ShadowServer::new(ShadowConfig {
        shadow_url: Some(refused),
        ..ShadowConfig::default()
    });
    let error = explicit.create().await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("permission denied to create database"),
        "{error}"
    );
    assert!(
        explicit.take_notices().is_empty(),
        "an explicit URL is never fallen back from"
    );
}

#[tokio::test]
async fn the_target_databases_server_is_used_when_it_allows_create_database() {
    let anchor = scratch::database().await.unwrap();
    let server = ShadowServer::new(ShadowConfig {
        database_url: Some(DatabaseUrl::parse(anchor.url()).unwrap()),
        ..ShadowConfig::default()
    });
    server
        .replay(&two_tables(), &UpgradeTarget::Head)
        .await
        .unwrap();
    assert_eq!(server.origin(), Some(ShadowOrigin::DatabaseServer));
    assert!(server.take_notices().is_empty());
}

#[tokio::test]
async fn without_any_url_a_throwaway_server_is_used() {
    let server = ShadowServer::new(ShadowConfig::default());
    let catalog = server
        .replay(&two_tables(), &UpgradeTarget::Head)
        .await
        .unwrap();
    assert!(catalog.tables.contains_key(&table("a")));
    assert_eq!(server.origin(), Some(ShadowOrigin::Throwaway));
    let described = server.describe().unwrap();
    assert!(described.ends_with("(a throwaway server)"), "{described}");
}

/// `url` connecting as `user` instead (URL form `scheme://user@…`, or `key=value` form).
fn as_user(url: &str, user: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let rest = rest.split_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{user}@{rest}")
        }
        None => format!("{url} user={user}"),
    }
}
