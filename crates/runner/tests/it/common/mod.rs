//! Helpers shared by the runner's integration tests: tiny revision sets, migrators on scratch
//! databases, and catalog snapshots to prove what a run did or did not change.
#![allow(dead_code)]

use clipdex_core::{RevisionGraph, RevisionSet, SourceFile};
use runner::{Migrator, NoObserver, RunOptions, RunReport, RunnerConfig};
use scratch::ScratchDatabase;

/// One revision file of a test set.
#[derive(Clone)]
pub struct Rev {
    name: String,
    id: String,
    parents: String,
    none: bool,
    sequential: bool,
    up: String,
    down: Option<String>,
}

/// A revision in file `name`.sql with `id`, space-separated `parents`, and `up`.
pub fn rev(name: &str, id: &str, parents: &str, up: &str) -> Rev {
    Rev {
        name: name.to_owned(),
        id: id.to_owned(),
        parents: parents.to_owned(),
        none: false,
        sequential: false,
        up: up.to_owned(),
        down: None,
    }
}

impl Rev {
    /// With a `-- +down` section.
    pub fn down(mut self, down: &str) -> Rev {
        self.down = Some(down.to_owned());
        self
    }

    /// With `-- transaction: none`.
    pub fn none(mut self) -> Rev {
        self.none = true;
        self
    }

    /// With `-- citus: sequential`.
    pub fn citus_sequential(mut self) -> Rev {
        self.sequential = true;
        self
    }

    pub fn file(&self) -> SourceFile {
        let mode = if self.none { "none" } else { "per-revision" };
        let citus = if self.sequential {
            "-- citus: sequential\n"
        } else {
            ""
        };
        let mut text = format!(
            "-- revision: {}\n-- parents: {}\n-- message: test {}\n-- transaction: {mode}\n{citus}\n-- +up\n{}\n",
            self.id, self.parents, self.name, self.up
        );
        if let Some(down) = &self.down {
            text.push_str(&format!("\n-- +down\n{down}\n"));
        }
        SourceFile::new(format!("{}.sql", self.name), text)
    }
}

pub fn graph(revisions: &[Rev]) -> RevisionGraph {
    let set = RevisionSet::from_files(revisions.iter().map(Rev::file)).unwrap();
    RevisionGraph::build(&set).unwrap()
}

pub async fn migrator(db: &ScratchDatabase) -> Migrator {
    migrator_with(db, RunnerConfig::default()).await
}

pub async fn migrator_with(db: &ScratchDatabase, config: RunnerConfig) -> Migrator {
    let url = runner::DatabaseUrl::parse(db.url()).unwrap();
    let client = url
        .connect(&runner::default_application_name())
        .await
        .unwrap();
    Migrator::new(client, config)
}

pub async fn upgrade(migrator: &mut Migrator, graph: &RevisionGraph, target: &str) -> RunReport {
    try_upgrade(migrator, graph, target).await.unwrap()
}

pub async fn try_upgrade(
    migrator: &mut Migrator,
    graph: &RevisionGraph,
    target: &str,
) -> Result<RunReport, runner::RunError> {
    let target = target.parse().unwrap();
    migrator
        .upgrade(graph, &target, &RunOptions::default(), &mut NoObserver)
        .await
}

pub async fn downgrade(migrator: &mut Migrator, graph: &RevisionGraph, target: &str) -> RunReport {
    let target = target.parse().unwrap();
    migrator
        .downgrade(graph, &target, &RunOptions::default(), &mut NoObserver)
        .await
        .unwrap()
}

pub fn ids(report: &RunReport) -> Vec<&str> {
    report
        .steps
        .iter()
        .map(|step| step.revision.as_str())
        .collect()
}

/// Every user object outside the history schema, one sorted line each: relations, columns,
/// constraints, indexes, types, functions, extensions, schemas.
const CATALOG: &str = "
WITH ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'clipdex_migrate')
      AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
)
SELECT coalesce(string_agg(line, E'\\n' ORDER BY line), '') FROM (
    SELECT format('schema %s', nspname) AS line FROM ns
    UNION ALL SELECT format('rel %s.%s %s', ns.nspname, c.relname, c.relkind)
        FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
    UNION ALL SELECT format('col %s.%s.%s %s notnull=%s default=%s', ns.nspname, c.relname,
            a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
            pg_get_expr(d.adbin, d.adrelid))
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT format('con %s %s', co.conname, pg_get_constraintdef(co.oid))
        FROM pg_constraint co JOIN ns ON ns.oid = co.connamespace
    UNION ALL SELECT format('idx %s valid=%s', pg_get_indexdef(i.indexrelid), i.indisvalid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN ns ON ns.oid = c.relnamespace
    UNION ALL SELECT format('type %s.%s %s', ns.nspname, t.typname, t.typtype)
        FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
    UNION ALL SELECT format('fn %s.%s(%s)', ns.nspname, p.proname, pg_get_function_arguments(p.oid))
        FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
    UNION ALL SELECT format('ext %s', extname) FROM pg_extension
) lines";

pub async fn catalog(client: &tokio_postgres::Client) -> String {
    client.query_one(CATALOG, &[]).await.unwrap().get(0)
}

/// The history rows as comparable text (no times).
pub async fn history(client: &tokio_postgres::Client, schema: &str) -> Vec<String> {
    let table = format!("\"{}\".history", schema.replace('"', "\"\""));
    let exists: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
        .await
        .unwrap()
        .get(0);
    if !exists {
        return Vec::new();
    }
    let sql = format!(
        "SELECT format('%s %s %s %s %s %s/%s %s', revision, parents, up_checksum, operation, state, \
         statements_done, statements_total, message) FROM {table} ORDER BY applied_at, revision"
    );
    let rows = client.query(&sql, &[]).await.unwrap();
    rows.iter().map(|row| row.get(0)).collect()
}

pub async fn count(client: &tokio_postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}
