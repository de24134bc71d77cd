//! Quoting follows the server's own keyword list: every word this server's `pg_get_keywords()`
//! says needs quoting is quoted once a catalog was read from it, whatever version it runs
//! (PostgreSQL 16 reserves `system_user`, 17 the `json_*` words: a built-in list of one
//! version's words would leave them bare, and the SQL would not parse).

use crate::support;

use schema::quote_ident;
use support::{apply, catalog_of, database_from};

#[tokio::test]
async fn every_keyword_the_server_reserves_is_quoted() {
    let database = database_from("").await.expect("a database");
    catalog_of(&database).await.expect("introspects");
    let rows = database
        .query(
            "SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'",
            &[],
        )
        .await
        .unwrap();
    let bare: Vec<String> = rows
        .iter()
        .map(|row| row.get::<_, String>(0))
        .filter(|word| quote_ident(word) == *word)
        .collect();
    assert!(bare.is_empty(), "left bare: {bare:?}");
}

#[tokio::test]
async fn a_table_named_after_each_reserved_word_is_created_by_the_diff() {
    let database = database_from("").await.expect("a database");
    let empty = catalog_of(&database).await.expect("introspects");
    let words: Vec<String> = database
        .query(
            "SELECT word FROM pg_get_keywords() WHERE catcode = 'R' ORDER BY word",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let columns: Vec<String> = words.iter().map(|word| format!("\"{word}\" int")).collect();
    let create = format!("CREATE TABLE reserved ({})", columns.join(", "));
    let target = database_from(&create).await.expect("the table");
    let changes =
        schema::diff(&empty, &catalog_of(&target).await.expect("introspects")).expect("the diff");
    apply(&database, &changes)
        .await
        .unwrap_or_else(|error| panic!("{error}\n{}", changes.to_sql()));
}
