//! What the runner's Citus support does on a server without Citus: nothing. Objects that an
//! extension owns are not the user's schema on any server; `-- citus: sequential` sets nothing
//! where the `citus` extension is not created.

use runner::{RunError, StateError};

use crate::common::{graph, migrator, rev, try_upgrade, upgrade};

#[tokio::test]
async fn objects_an_extension_owns_do_not_make_a_database_non_empty() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    // pg_trgm puts functions, operators and a type into public.
    migrator
        .client()
        .batch_execute("CREATE EXTENSION pg_trgm")
        .await
        .unwrap();
    let set = graph(&[rev("a", "aaaa0001", "", "CREATE TABLE t (id int)")]);
    let report = upgrade(&mut migrator, &set, "head").await;
    assert_eq!(report.steps.len(), 1);
}

#[tokio::test]
async fn a_type_or_a_function_of_the_user_still_makes_it_non_empty() {
    let set = graph(&[rev("a", "aaaa0001", "", "CREATE TABLE t (id int)")]);
    for object in [
        "CREATE TYPE mood AS ENUM ('ok')",
        "CREATE TYPE pair AS (a int, b int)",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE VIEW v AS SELECT 1 AS one",
        "CREATE SEQUENCE s",
    ] {
        let db = scratch::database().await.unwrap();
        let mut migrator = migrator(&db).await;
        let setup = format!("CREATE EXTENSION pg_trgm; {object}");
        migrator.client().batch_execute(&setup).await.unwrap();
        let error = try_upgrade(&mut migrator, &set, "head").await.unwrap_err();
        assert!(
            matches!(error, RunError::State(StateError::NonEmptyDatabase { .. })),
            "{object}: {error}"
        );
    }
}

#[tokio::test]
async fn the_citus_header_sets_nothing_where_citus_is_not_created() {
    let db = scratch::database().await.unwrap();
    let mut migrator = migrator(&db).await;
    let seen = "CREATE TABLE seen AS SELECT current_setting('citus.multi_shard_modify_mode', true) AS mode";
    let set = graph(&[
        rev("a", "aaaa0001", "", seen).citus_sequential(),
        rev(
            "b",
            "bbbb0002",
            "aaaa0001",
            "INSERT INTO seen SELECT current_setting('citus.multi_shard_modify_mode', true)",
        )
        .none()
        .citus_sequential(),
    ]);
    upgrade(&mut migrator, &set, "head").await;
    let modes = migrator
        .client()
        .query("SELECT mode FROM seen", &[])
        .await
        .unwrap();
    let modes: Vec<Option<String>> = modes.iter().map(|row| row.get(0)).collect();
    assert_eq!(modes, [None, None]);
}
