//! Generated columns as each version has them: `STORED` everywhere, `VIRTUAL` from
//! PostgreSQL 18 on (read as such, created as such, and switched either way by dropping and
//! adding the column, since 18 cannot `DROP EXPRESSION` of a virtual column).

use crate::support;

use schema::diff;
use support::{apply, catalog_of, database_from};
use tokio_postgres::Client;

const VIRTUAL_B: &str = "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL, \
                         c int GENERATED ALWAYS AS (a + 1) STORED)";
const VIRTUAL_C: &str = "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED, \
                         c int GENERATED ALWAYS AS (a + 1) VIRTUAL)";

/// Each column of `t` with `pg_attribute.attgenerated` ('' plain, 's' stored, 'v' virtual).
async fn kinds(client: &Client) -> Vec<String> {
    let sql = "SELECT attname || ':' || attgenerated::text FROM pg_attribute \
               WHERE attrelid = 't'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum";
    let rows = client.query(sql, &[]).await.unwrap();
    rows.iter().map(|row| row.get(0)).collect()
}

#[tokio::test]
async fn virtual_generated_columns_are_created_and_switched_as_virtual() {
    let database = database_from("").await.expect("a database");
    let version: i32 = database
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .unwrap()
        .get(0);
    if version < 180000 {
        let refused = database.batch_execute(VIRTUAL_B).await;
        assert!(refused.is_err(), "PostgreSQL {version} accepted VIRTUAL");
        return;
    }
    for (sql, expected) in [
        (VIRTUAL_B, ["a:", "b:v", "c:s"]),
        (VIRTUAL_C, ["a:", "b:s", "c:v"]),
    ] {
        let target = database_from(sql).await.expect("the target");
        let changes = diff(
            &catalog_of(&database).await.unwrap(),
            &catalog_of(&target).await.unwrap(),
        )
        .expect("the diff");
        apply(&database, &changes)
            .await
            .unwrap_or_else(|error| panic!("{error}\n{}", changes.to_sql()));
        assert_eq!(kinds(&database).await, expected, "{}", changes.to_sql());
    }
}
