//! Objects an extension owns (`pg_depend.deptype = 'e'`) are the extension's, not the user's
//! schema, wherever they live: `pg_buffercache` puts a view and a function in `public`, as
//! Citus puts its `citus_tables` and `citus_schemas` views there.

use crate::support;

use schema::diff;
use support::{apply, catalog_of, database_from};

#[tokio::test]
async fn an_extensions_views_and_functions_in_public_are_left_out() {
    let database = database_from("CREATE EXTENSION pg_buffercache WITH SCHEMA public;")
        .await
        .expect("pg_buffercache is installed with the server");
    let catalog = catalog_of(&database).await.expect("introspects");
    assert!(catalog.extensions.contains_key("pg_buffercache"));
    assert!(catalog.views.is_empty(), "{:?}", catalog.views.keys());
    assert!(
        catalog.functions.is_empty(),
        "{:?}",
        catalog.functions.keys()
    );
    assert!(
        catalog
            .dependencies
            .iter()
            .all(|d| d.dependent != d.referenced),
        "no edge inside the extension"
    );

    let empty = database_from("").await.unwrap();
    let changes = diff(&catalog_of(&empty).await.unwrap(), &catalog).expect("diffs");
    let sql: Vec<&str> = changes.changes.iter().map(|c| c.sql.as_str()).collect();
    assert_eq!(sql, ["CREATE EXTENSION pg_buffercache WITH SCHEMA public"]);
    apply(&empty, &changes).await.expect("applies");
    assert_eq!(catalog_of(&empty).await.unwrap(), catalog);
}
