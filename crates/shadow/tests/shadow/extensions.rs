//! Shadow databases get what their target has: the extensions a person created there before
//! any revision ran, but not those the revisions create themselves.

use std::path::Path;

use clipdex_core::UpgradeTarget;
use runner::DatabaseUrl;
use shadow::{ShadowConfig, ShadowError, ShadowExtensions, ShadowServer};

use super::graph;

/// A project whose revisions use hstore without creating it, and create pg_trgm plainly.
fn uses_hstore_creates_pg_trgm() -> clipdex_core::RevisionGraph {
    graph(&[(
        "20260101T0000_a",
        "aaaa0001",
        "",
        "CREATE EXTENSION pg_trgm;\nCREATE TABLE settings (id int PRIMARY KEY, pairs hstore);",
    )])
}

#[tokio::test]
async fn the_targets_extensions_come_first_except_those_the_revisions_create() {
    let target = scratch::database().await.unwrap();
    let client = target.connect().await.unwrap();
    client
        .batch_execute("CREATE EXTENSION hstore; CREATE EXTENSION pg_trgm")
        .await
        .unwrap();
    let graph = uses_hstore_creates_pg_trgm();
    let server = ShadowServer::new(ShadowConfig {
        database_url: Some(DatabaseUrl::parse(target.url()).unwrap()),
        extensions: ShadowExtensions {
            required: Vec::new(),
            created_by_files: shadow::created_by_files(&graph, Path::new("no-schema-dir")),
        },
        ..ShadowConfig::default()
    });
    let catalog = server.replay(&graph, &UpgradeTarget::Head).await.unwrap();
    let extensions: Vec<&str> = catalog.extensions.keys().map(String::as_str).collect();
    assert_eq!(extensions, ["hstore", "pg_trgm"]);
}

#[tokio::test]
async fn required_extensions_come_without_a_target() {
    let anchor = scratch::database().await.unwrap();
    let server = ShadowServer::new(ShadowConfig {
        shadow_url: Some(DatabaseUrl::parse(anchor.url()).unwrap()),
        extensions: ShadowExtensions {
            required: vec!["hstore".into()],
            ..ShadowExtensions::default()
        },
        ..ShadowConfig::default()
    });
    let graph = uses_hstore_creates_pg_trgm();
    let catalog = server.replay(&graph, &UpgradeTarget::Head).await.unwrap();
    assert!(catalog.extensions.contains_key("hstore"));
}

#[tokio::test]
async fn an_extension_the_shadow_server_lacks_is_one_line_naming_it_and_the_way_out() {
    let anchor = scratch::database().await.unwrap();
    let server = ShadowServer::new(ShadowConfig {
        shadow_url: Some(DatabaseUrl::parse(anchor.url()).unwrap()),
        extensions: ShadowExtensions {
            required: vec!["citus".into()],
            ..ShadowExtensions::default()
        },
        ..ShadowConfig::default()
    });
    let error = server.create().await.unwrap_err();
    assert!(matches!(error, ShadowError::Extension { .. }), "{error}");
    let shown = error.to_string();
    assert!(!shown.contains('\n'), "{shown}");
    assert!(
        shown.starts_with("shadow databases on postgresql://")
            && shown.contains(" need extension citus, "),
        "{shown}"
    );
    assert!(
        shown.contains("name a server that has it with --shadow-url"),
        "{shown}"
    );
}
