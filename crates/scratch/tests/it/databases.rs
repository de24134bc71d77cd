//! `scratch::database()` on this process's shared throwaway cluster: fresh, empty, distinct
//! databases, from many tasks at once, reachable by tokio-postgres and by `psql`.

use std::collections::HashSet;
use std::process::Command;

use scratch::ScratchError;

#[tokio::test]
async fn a_fresh_database_is_empty_and_named_in_its_url() -> Result<(), ScratchError> {
    let db = scratch::database().await?;
    let client = db.connect().await?;
    let row = client
        .query_one(
            "SELECT current_database(), \
                    (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast'))",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), db.name());
    assert_eq!(
        row.get::<_, i64>(1),
        0,
        "a fresh database has no user relations"
    );
    assert!(
        db.url().ends_with(&format!("/{}", db.name())),
        "{}",
        db.url()
    );
    Ok(())
}

#[tokio::test]
async fn databases_are_distinct_and_writes_do_not_leak_between_them() -> Result<(), ScratchError> {
    let (first, second) = (scratch::database().await?, scratch::database().await?);
    assert_ne!(first.name(), second.name());
    let one = first.connect().await?;
    one.batch_execute("CREATE TABLE only_here (id int); INSERT INTO only_here VALUES (1)")
        .await
        .unwrap();
    let other = second.connect().await?;
    let found = other
        .query_opt("SELECT 1 FROM pg_class WHERE relname = 'only_here'", &[])
        .await
        .unwrap();
    assert!(
        found.is_none(),
        "a table created in {} is visible in {}",
        first.name(),
        second.name()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tasks_get_databases_concurrently() -> Result<(), ScratchError> {
    let tasks: Vec<_> = (0..24)
        .map(|n| {
            tokio::spawn(async move {
                let db = scratch::database().await?;
                let client = db.connect().await?;
                let value: i32 = client
                    .query_one("SELECT $1::int", &[&n])
                    .await
                    .unwrap()
                    .get(0);
                assert_eq!(value, n);
                Ok::<_, ScratchError>(db.name().to_string())
            })
        })
        .collect();
    let mut names = HashSet::new();
    for task in tasks {
        names.insert(task.await.expect("the task panicked")?);
    }
    assert_eq!(names.len(), 24, "every task got its own database");
    Ok(())
}

#[tokio::test]
async fn psql_connects_with_the_same_url() -> Result<(), ScratchError> {
    let db = scratch::database().await?;
    db.connect()
        .await?
        .batch_execute("CREATE TABLE visible_to_psql (word text); INSERT INTO visible_to_psql VALUES ('hello')")
        .await
        .unwrap();
    let psql = scratch::client_tool("psql")?;
    let output = Command::new(&psql)
        .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db.url()])
        .args([
            "-c",
            "SELECT current_database() || ' ' || word FROM visible_to_psql",
        ])
        .output()
        .expect("running psql");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "psql -d {} failed: {stderr}",
        db.url()
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("{} hello", db.name())
    );
    Ok(())
}

#[test]
fn the_server_and_client_tools_are_found() -> Result<(), ScratchError> {
    let dir = scratch::pg_bin_dir()?;
    for tool in ["initdb", "pg_ctl", "postgres"] {
        assert!(dir.join(tool).is_file(), "{} has no {tool}", dir.display());
    }
    for tool in ["psql", "pg_dump"] {
        let found = scratch::client_tool(tool)?;
        assert!(
            found.ends_with(tool) && found.is_file(),
            "{}",
            found.display()
        );
    }
    Ok(())
}
