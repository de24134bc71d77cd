//! The realistic schema: the clipdex podcast index, diffed against itself, built from
//! nothing, and torn down to nothing.

use crate::support;

use schema::diff;
use support::{apply, assert_same, catalog_of, database_from};

const CLIPDEX: &str = include_str!("../fixtures/clipdex.sql");

#[tokio::test]
async fn clipdex_diffed_against_itself_is_empty() {
    let database = database_from(CLIPDEX).await.expect("clipdex.sql applies");
    let catalog = catalog_of(&database).await.expect("introspects");
    assert!(
        catalog.tables.len() >= 7,
        "introspection found {} tables",
        catalog.tables.len()
    );
    let changes = diff(&catalog, &catalog).expect("diffs");
    assert!(
        changes.is_empty(),
        "unexpected changes:\n{}",
        changes.to_sql()
    );
}

#[tokio::test]
async fn clipdex_is_created_exactly_from_an_empty_database() {
    let target = database_from(CLIPDEX).await.expect("clipdex.sql applies");
    let target = catalog_of(&target).await.expect("introspects");
    let empty = database_from("").await.expect("empty database");
    let changes = diff(&catalog_of(&empty).await.expect("introspects"), &target).expect("diffs");
    assert!(
        !changes.is_destructive(),
        "creating destroys nothing:\n{}",
        changes.to_sql()
    );
    apply(&empty, &changes)
        .await
        .unwrap_or_else(|e| panic!("{e}\n--- diff ---\n{}", changes.to_sql()));
    let built = catalog_of(&empty).await.expect("introspects");
    assert_same(&built, &target);
}

#[tokio::test]
async fn clipdex_is_dropped_entirely_towards_an_empty_database() {
    let database = database_from(CLIPDEX).await.expect("clipdex.sql applies");
    let clipdex = catalog_of(&database).await.expect("introspects");
    let empty = database_from("").await.expect("empty database");
    let empty = catalog_of(&empty).await.expect("introspects");
    let changes = diff(&clipdex, &empty).expect("diffs");
    assert!(changes.is_destructive(), "dropping tables is destructive");
    apply(&database, &changes)
        .await
        .unwrap_or_else(|e| panic!("{e}\n--- diff ---\n{}", changes.to_sql()));
    assert_same(&catalog_of(&database).await.expect("introspects"), &empty);
}

#[tokio::test]
async fn introspection_sends_the_same_queries_whatever_the_size() {
    let empty = database_from("").await.expect("empty database");
    let clipdex = database_from(CLIPDEX).await.expect("clipdex.sql applies");
    let small = catalog_of(&empty).await.expect("introspects").stats.queries;
    let large = catalog_of(&clipdex)
        .await
        .expect("introspects")
        .stats
        .queries;
    assert_eq!(small, large);
    assert_eq!(large, 22);
}
