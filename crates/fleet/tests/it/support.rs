//! Tenant schemas and databases on scratch databases, a small revision set, and runs.
#![allow(dead_code)]

use clipdex_core::{RevisionGraph, RevisionSet, SourceFile, UpgradeTarget};
use fleet::{
    Discovered, Fleet, FleetOptions, FleetReport, NoFleetObserver, Selection, Source,
    TENANT_HISTORY_TABLE, Upgrade,
};
use runner::{DatabaseUrl, RunError, RunOptions, RunReport, RunnerConfig};
use scratch::ScratchDatabase;
use tokio_postgres::Client;

/// Three revisions for every tenant: a table, a column with a NOT NULL check on the data,
/// and a `transaction: none` index build.
pub fn tenant_graph() -> RevisionGraph {
    graph(&[
        (
            "001_accounts.sql",
            "aaaaaaaaaaa1",
            "",
            "per-revision",
            "CREATE TABLE accounts (id int PRIMARY KEY, email text);\nCREATE TABLE notes (id int);",
            "DROP TABLE notes;\nDROP TABLE accounts;",
        ),
        (
            "002_email_required.sql",
            "aaaaaaaaaaa2",
            "aaaaaaaaaaa1",
            "per-revision",
            "UPDATE accounts SET email = lower(email);\nALTER TABLE accounts ALTER COLUMN email SET NOT NULL;",
            "ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;",
        ),
        (
            "003_email_index.sql",
            "aaaaaaaaaaa3",
            "aaaaaaaaaaa2",
            "none",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email ON accounts (email);\nALTER TABLE notes ADD COLUMN body text;",
            "ALTER TABLE notes DROP COLUMN body;\nDROP INDEX CONCURRENTLY IF EXISTS accounts_email;",
        ),
    ])
}

/// A graph from `(file, id, parents, transaction, up, down)`.
pub fn graph(revisions: &[(&str, &str, &str, &str, &str, &str)]) -> RevisionGraph {
    let files = revisions.iter().map(|(file, id, parents, mode, up, down)| {
        let text = format!(
            "-- revision: {id}\n-- parents: {parents}\n-- message: {file}\n-- transaction: {mode}\n\n-- +up\n{up}\n\n-- +down\n{down}\n"
        );
        SourceFile::new(*file, text)
    });
    let set = RevisionSet::from_files(files).unwrap();
    RevisionGraph::build(&set).unwrap()
}

/// `tenant_000` … as schemas of `db`.
pub async fn create_schemas(client: &Client, count: usize) -> Vec<String> {
    let names: Vec<String> = (0..count).map(tenant_name).collect();
    let sql: String = names
        .iter()
        .map(|name| format!("CREATE SCHEMA {name};"))
        .collect();
    client.batch_execute(&sql).await.unwrap();
    names
}

pub fn tenant_name(n: usize) -> String {
    format!("tenant_{n:03}")
}

/// The fleet of `db`'s schemas that `pattern` matches.
pub fn schema_fleet(db: &ScratchDatabase, pattern: &str) -> Fleet {
    Fleet {
        name: "tenants".to_owned(),
        source: Source::Schemas {
            database: DatabaseUrl::parse(db.url()).unwrap(),
            selection: Selection::Pattern(pattern.parse().unwrap()),
            history_table: TENANT_HISTORY_TABLE.to_owned(),
        },
        runner: RunnerConfig::default(),
    }
}

pub fn upgrade_job(graph: &RevisionGraph) -> Upgrade<'_> {
    Upgrade {
        graph,
        target: UpgradeTarget::Head,
        options: RunOptions::default(),
    }
}

pub async fn upgrade(
    fleet: &Fleet,
    graph: &RevisionGraph,
    options: &FleetOptions,
) -> FleetReport<RunReport, RunError> {
    let discovered: Discovered = fleet.discover(&[]).await.unwrap();
    fleet::run(
        fleet,
        discovered,
        &upgrade_job(graph),
        options,
        &mut NoFleetObserver,
    )
    .await
}

/// The names of the targets whose outcome `which` picks.
pub fn named<D, E>(
    report: &FleetReport<D, E>,
    which: impl Fn(&fleet::Outcome<D, E>) -> bool,
) -> Vec<String> {
    report
        .targets
        .iter()
        .filter(|target| which(&target.outcome))
        .map(|target| target.target.name.clone())
        .collect()
}

pub fn ran_with_work(outcome: &fleet::Outcome<RunReport, RunError>) -> bool {
    matches!(outcome, fleet::Outcome::Ran(report) if !report.steps.is_empty())
}

pub async fn count(client: &Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// Per tenant schema: `history rows / upgrade log entries / tables with the expected shape`.
pub async fn tenant_summary(client: &Client, schema: &str) -> String {
    let history = format!("{schema}.{TENANT_HISTORY_TABLE}");
    let exists: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&history])
        .await
        .unwrap()
        .get(0);
    let (rows, logged) = if exists {
        let rows = count(
            client,
            &format!("SELECT count(*) FROM {history} WHERE state = 'complete'"),
        )
        .await;
        let logged = count(
            client,
            &format!("SELECT count(*) FROM {history}_log WHERE operation = 'upgrade'"),
        )
        .await;
        (rows, logged)
    } else {
        (0, 0)
    };
    let columns = count(
        client,
        &format!(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name IN ('accounts', 'notes')"
        ),
    )
    .await;
    let index = count(
        client,
        &format!("SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'accounts_email'"),
    )
    .await;
    format!("history={rows} logged={logged} columns={columns} index={index}")
}

/// What a tenant at head looks like in [`tenant_summary`].
pub const AT_HEAD: &str = "history=3 logged=3 columns=4 index=1";
