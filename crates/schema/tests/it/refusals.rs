//! What the diff refuses to write, or writes so that it cannot run unreviewed: a role the
//! database's server does not have, a cycle PostgreSQL cannot break, a type change with no
//! sound conversion.

use crate::support;

use schema::{DiffError, diff};
use support::{apply, catalog_of, database_from};

#[tokio::test]
async fn a_role_the_server_lacks_is_named_and_no_sql_is_written() {
    let roles = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/roles.sql"
    ))
    .unwrap();
    database_from(&roles).await.expect("the corpus roles exist");
    let a = database_from("CREATE TABLE t (id integer);").await.unwrap();
    let b = database_from("CREATE TABLE t (id integer);\nGRANT SELECT ON t TO corpus_reader;")
        .await
        .unwrap();
    let mut from = catalog_of(&a).await.unwrap();
    let to = catalog_of(&b).await.unwrap();
    assert!(diff(&from, &to).is_ok(), "the role exists on this server");
    // The same target, for a database on a server without the role.
    from.server.roles.remove("corpus_reader");
    let error = diff(&from, &to).expect_err("the role is missing");
    assert_eq!(
        error,
        DiffError::MissingRole {
            role: "corpus_reader".into(),
            object: "table public.t".into()
        }
    );
    assert!(
        error
            .to_string()
            .contains("role \"corpus_reader\" does not exist"),
        "{error}"
    );
}

#[tokio::test]
async fn a_cycle_postgresql_cannot_break_is_an_error_naming_its_objects() {
    // A view reading a function that returns the view's own rows: only CREATE OR REPLACE over
    // a placeholder view makes it, and the diff does not invent placeholders.
    let b = database_from(
        "CREATE VIEW v AS SELECT 1 AS x;
         CREATE FUNCTION f() RETURNS SETOF v LANGUAGE sql AS 'SELECT 1';
         CREATE OR REPLACE VIEW v AS SELECT x FROM f();",
    )
    .await
    .unwrap();
    let empty = database_from("").await.unwrap();
    let error = diff(
        &catalog_of(&empty).await.unwrap(),
        &catalog_of(&b).await.unwrap(),
    )
    .expect_err("unorderable");
    let DiffError::Unorderable { objects } = &error else {
        panic!("{error}");
    };
    assert!(objects.iter().any(|o| o == "view public.v"), "{objects:?}");
    assert!(
        objects.iter().any(|o| o == "function public.f()"),
        "{objects:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("the changes cannot be ordered: "),
        "{error}"
    );
}

#[tokio::test]
async fn a_type_change_without_a_conversion_fails_until_reviewed() {
    let a = database_from("CREATE TABLE t (stamp bigint);")
        .await
        .unwrap();
    let b = database_from("CREATE TABLE t (stamp timestamp);")
        .await
        .unwrap();
    let (from, to) = (catalog_of(&a).await.unwrap(), catalog_of(&b).await.unwrap());
    let changes = diff(&from, &to).expect("diffs");
    let sql = changes.to_sql();
    assert!(
        sql.contains(
            "-- review: PostgreSQL has no conversion from bigint to timestamp without time zone"
        ),
        "{sql}"
    );
    assert!(
        sql.contains("USING \"review: write this conversion\"(stamp)"),
        "{sql}"
    );
    // Even on an empty table, and leaving it as it was.
    let error = apply(&a, &changes)
        .await
        .expect_err("the placeholder fails");
    assert!(error.contains("review: write this conversion"), "{error}");
    assert_eq!(catalog_of(&a).await.unwrap(), from);
}
