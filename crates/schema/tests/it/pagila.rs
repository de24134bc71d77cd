//! A real schema nobody here wrote, Pagila (see `fixtures/pagila/README.md`): built from an
//! empty database by the diff, and taken back to an empty one, catalog-equal both ways.

use crate::support;

use schema::diff;
use support::{apply, assert_same, catalog_of, database_from};

const PAGILA: &str = include_str!("../fixtures/pagila/pagila-schema.sql");

#[tokio::test]
async fn pagila_is_built_from_an_empty_database_and_taken_back() {
    let pagila = database_from(PAGILA)
        .await
        .expect("pagila-schema.sql applies");
    let target = catalog_of(&pagila).await.expect("introspects");
    assert!(target.aggregates.len() == 1 && target.tables.len() >= 20);
    let empty = database_from("").await.expect("empty database");
    let nothing = catalog_of(&empty).await.expect("introspects");

    let build = diff(&nothing, &target).expect("diffs");
    apply(&empty, &build)
        .await
        .unwrap_or_else(|e| panic!("building: {e}\n--- diff ---\n{}", build.to_sql()));
    assert_same(&catalog_of(&empty).await.expect("introspects"), &target);

    let tear_down = diff(&target, &nothing).expect("diffs");
    apply(&pagila, &tear_down)
        .await
        .unwrap_or_else(|e| panic!("tearing down: {e}\n--- diff ---\n{}", tear_down.to_sql()));
    assert_same(&catalog_of(&pagila).await.expect("introspects"), &nothing);
}
