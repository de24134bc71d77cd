//! The correctness corpus: for every `corpus/<pair>/{a.sql,b.sql}`, in both directions, the
//! diff applied to a real database must produce exactly the other side's catalog.
//!
//! One test runs every pair (a few at a time, each on its own fresh databases) and reports
//! every failing pair by name and direction with the diff's SQL, rather than stopping at the
//! first. `CORPUS_FILTER=substring` narrows the run while working on one pair. A pair whose
//! `a.sql` starts with `-- requires: PostgreSQL N (…)` uses a feature of that version: on an
//! older server it is listed as not run, by name.

use crate::support;

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use schema::{Catalog, diff};
use support::{apply, catalog_of, database_from};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");

fn pairs() -> Vec<PathBuf> {
    let filter = std::env::var("CORPUS_FILTER").unwrap_or_default();
    let mut pairs: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .expect("the corpus directory exists")
        .map(|entry| entry.expect("readable corpus entry").path())
        .filter(|path| path.is_dir())
        .filter(|path| path.to_string_lossy().contains(&filter))
        .collect();
    pairs.sort();
    pairs
}

/// Creates the roles the pairs name (see `corpus/roles.sql`).
async fn create_roles() {
    let sql =
        std::fs::read_to_string(format!("{CORPUS}/roles.sql")).expect("roles.sql is readable");
    database_from(&sql)
        .await
        .expect("the corpus roles are created");
}

/// The server's major version.
async fn server_major() -> u32 {
    let database = database_from("").await.expect("a database");
    let row = database
        .query_one(
            "SELECT current_setting('server_version_num')::int / 10000",
            &[],
        )
        .await
        .expect("the version");
    u32::try_from(row.get::<_, i32>(0)).expect("a positive version")
}

/// The major version a pair needs, from its `-- requires: PostgreSQL N` line.
fn required_major(dir: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(dir.join("a.sql")).ok()?;
    let rest = text
        .lines()
        .next()?
        .strip_prefix("-- requires: PostgreSQL ")?;
    rest.split_whitespace().next()?.parse().ok()
}

#[tokio::test]
async fn every_pair_migrates_both_ways() {
    create_roles().await;
    let major = server_major().await;
    let (pairs, newer): (Vec<PathBuf>, Vec<PathBuf>) = pairs()
        .into_iter()
        .partition(|dir| required_major(dir).is_none_or(|needed| needed <= major));
    for dir in &newer {
        eprintln!("not run on PostgreSQL {major}: {}", dir.display());
    }
    if std::env::var("CORPUS_FILTER").is_err() {
        assert!(
            pairs.len() + newer.len() >= 300,
            "the corpus has only {} pairs",
            pairs.len() + newer.len()
        );
    }
    // A filter that selects nothing would pass having checked nothing.
    assert!(!pairs.is_empty(), "CORPUS_FILTER selects no pair");
    let failures: Vec<String> = futures_util::stream::iter(pairs.iter().map(|p| check_pair(p)))
        .buffer_unordered(4)
        .collect::<Vec<Vec<String>>>()
        .await
        .into_iter()
        .flatten()
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} pairs failed:\n\n{}",
        failures.len(),
        pairs.len(),
        failures.join("\n\n")
    );
}

async fn check_pair(dir: &Path) -> Vec<String> {
    let name = dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    match check_pair_directions(dir, &name).await {
        Ok(failures) => failures,
        Err(error) => vec![format!("{name}: {error}")],
    }
}

async fn check_pair_directions(dir: &Path, name: &str) -> Result<Vec<String>, String> {
    let read = |file: &str| {
        std::fs::read_to_string(dir.join(file)).map_err(|e| format!("reading {file}: {e}"))
    };
    let a = database_from(&read("a.sql")?)
        .await
        .map_err(|e| format!("a.sql: {e}"))?;
    let b = database_from(&read("b.sql")?)
        .await
        .map_err(|e| format!("b.sql: {e}"))?;
    let catalog_a = catalog_of(&a).await?;
    let catalog_b = catalog_of(&b).await?;
    let mut failures = Vec::new();
    if catalog_a == catalog_b {
        failures.push(format!(
            "{name}: a.sql and b.sql give equal catalogs: the pair tests nothing"
        ));
    }
    for (side, catalog) in [("A", &catalog_a), ("B", &catalog_b)] {
        let same = diff(catalog, catalog).map_err(|e| e.to_string())?;
        if !same.is_empty() {
            failures.push(format!(
                "{name}: {side} diffed against itself is not empty:\n{}",
                same.to_sql()
            ));
        }
    }
    // Each database is migrated towards the other side's catalog, read before either changed.
    for (direction, client, from, to) in [
        ("A→B", &a, &catalog_a, &catalog_b),
        ("B→A", &b, &catalog_b, &catalog_a),
    ] {
        if let Err(error) = check_direction(client, from, to).await {
            failures.push(format!("{name} {direction}: {error}"));
        }
    }
    Ok(failures)
}

async fn check_direction(
    client: &tokio_postgres::Client,
    from: &Catalog,
    to: &Catalog,
) -> Result<(), String> {
    let changes = diff(from, to).map_err(|e| format!("the diff failed: {e}"))?;
    let sql = changes.to_sql();
    if std::env::var("CORPUS_PRINT").is_ok() {
        println!("{sql}");
    }
    if changes.is_empty() {
        return Err("the diff is empty".to_owned());
    }
    apply(client, &changes)
        .await
        .map_err(|e| format!("applying the diff failed: {e}\n--- diff ---\n{sql}"))?;
    let after = catalog_of(client).await?;
    let rest = diff(&after, to).map_err(|e| e.to_string())?;
    if !rest.is_empty() {
        return Err(format!(
            "after applying, the diff to the target is not empty:\n{}--- diff applied ---\n{sql}",
            rest.to_sql()
        ));
    }
    if after != *to {
        return Err(format!(
            "after applying, the catalogs differ where the diff sees nothing:\n{}--- diff applied ---\n{sql}",
            explain(&after, to)
        ));
    }
    Ok(())
}

/// The entries of two catalogs that differ, for a failure message.
fn explain(left: &Catalog, right: &Catalog) -> String {
    let mut out = String::new();
    compare(&mut out, "schemas", &left.schemas, &right.schemas);
    compare(&mut out, "extensions", &left.extensions, &right.extensions);
    compare(&mut out, "enums", &left.enums, &right.enums);
    compare(&mut out, "domains", &left.domains, &right.domains);
    compare(&mut out, "composites", &left.composites, &right.composites);
    compare(&mut out, "sequences", &left.sequences, &right.sequences);
    compare(&mut out, "tables", &left.tables, &right.tables);
    compare(&mut out, "views", &left.views, &right.views);
    compare(&mut out, "indexes", &left.indexes, &right.indexes);
    compare(&mut out, "functions", &left.functions, &right.functions);
    compare(&mut out, "triggers", &left.triggers, &right.triggers);
    out
}

fn compare<K: Ord + Debug, V: PartialEq + Debug>(
    out: &mut String,
    kind: &str,
    left: &std::collections::BTreeMap<K, V>,
    right: &std::collections::BTreeMap<K, V>,
) {
    for (key, value) in left {
        match right.get(key) {
            Some(other) if other == value => {}
            other => out.push_str(&format!(
                "{kind} {key:?}:\n  got {value:?}\n  want {other:?}\n"
            )),
        }
    }
    for key in right.keys().filter(|key| !left.contains_key(key)) {
        out.push_str(&format!("{kind} {key:?}: missing\n"));
    }
}
