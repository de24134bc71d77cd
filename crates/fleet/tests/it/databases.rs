//! Database-per-tenant: databases by pattern or by URL, each with its own history table as a
//! single target has it; an unreachable URL is one failed target, not a failed run.

use fleet::{Fleet, FleetError, FleetOptions, Selection, Source};
use runner::{DatabaseUrl, RunnerConfig};

use crate::support::{named, ran_with_work, tenant_graph, upgrade};

/// Databases made for one test, dropped at its end (on a shared server too).
struct Databases {
    admin: tokio_postgres::Client,
    names: Vec<String>,
}

impl Databases {
    async fn create(admin: tokio_postgres::Client, prefix: &str, count: usize) -> Databases {
        let names: Vec<String> = (0..count).map(|n| format!("{prefix}_{n:02}")).collect();
        for name in &names {
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
        }
        Databases { admin, names }
    }

    async fn drop_all(self) {
        for name in &self.names {
            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            self.admin.batch_execute(&sql).await.unwrap();
        }
    }
}

async fn history_rows(url: &DatabaseUrl) -> i64 {
    let client = url.connect("test").await.unwrap();
    let row = client
        .query_one("SELECT count(*) FROM clipdex_migrate.history", &[])
        .await
        .unwrap();
    row.get(0)
}

#[tokio::test]
async fn tenant_databases_by_pattern_each_get_their_own_history() {
    let db = scratch::database().await.unwrap();
    let prefix = format!("fleet_{}", std::process::id());
    let databases = Databases::create(db.connect().await.unwrap(), &prefix, 5).await;
    let server = DatabaseUrl::parse(db.url()).unwrap();
    let fleet = Fleet {
        name: "dbs".into(),
        source: Source::Databases {
            server: server.clone(),
            selection: Selection::Pattern(format!("{prefix}_%").parse().unwrap()),
        },
        runner: RunnerConfig::default(),
    };
    let graph = tenant_graph();
    let options = FleetOptions {
        jobs: 2,
        waves: "1".parse().unwrap(),
        ..FleetOptions::default()
    };
    let report = upgrade(&fleet, &graph, &options).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(named(&report, ran_with_work), databases.names);
    for name in &databases.names {
        assert_eq!(history_rows(&server.with_database(name)).await, 3, "{name}");
    }
    let again = upgrade(&fleet, &graph, &FleetOptions::default()).await;
    assert!(named(&again, ran_with_work).is_empty());
    databases.drop_all().await;
}

#[tokio::test]
async fn an_unreachable_url_is_one_failed_target_and_the_others_run() {
    let mut dbs = Vec::new();
    for _ in 0..3 {
        dbs.push(scratch::database().await.unwrap());
    }
    let mut urls: Vec<DatabaseUrl> = dbs
        .iter()
        .map(|db| DatabaseUrl::parse(db.url()).unwrap())
        .collect();
    urls.insert(
        1,
        DatabaseUrl::parse("postgresql://nobody:secret@127.0.0.1:1/nowhere").unwrap(),
    );
    let fleet = Fleet {
        name: "listed".into(),
        source: Source::Urls(urls),
        runner: RunnerConfig::default(),
    };
    let graph = tenant_graph();
    let options = FleetOptions {
        on_error: fleet::OnError::Continue,
        ..FleetOptions::default()
    };
    let report = upgrade(&fleet, &graph, &options).await;
    assert_eq!(named(&report, ran_with_work).len(), 3);
    let failures: Vec<_> = report.failures().collect();
    assert_eq!(failures.len(), 1);
    let (target, error) = failures[0];
    assert_eq!(target.name, "127.0.0.1:1/nowhere");
    assert_eq!(error.kind(), clipdex_core::ErrorKind::Unreachable);
    assert!(!error.to_string().contains("secret"), "{error}");
    for db in &dbs {
        assert_eq!(
            history_rows(&DatabaseUrl::parse(db.url()).unwrap()).await,
            3
        );
    }
}

#[tokio::test]
async fn a_database_pattern_that_matches_nothing_is_an_error_naming_it() {
    let db = scratch::database().await.unwrap();
    let fleet = Fleet {
        name: "dbs".into(),
        source: Source::Databases {
            server: DatabaseUrl::parse(db.url()).unwrap(),
            selection: Selection::Pattern("no_such_tenant_%".parse().unwrap()),
        },
        runner: RunnerConfig::default(),
    };
    let error = fleet.discover(&[]).await.unwrap_err();
    assert!(matches!(error, FleetError::NoTargets { .. }));
    assert!(
        error.to_string().starts_with(
            "fleet `dbs`: databases = \"no_such_tenant_%\" matches no database in postgresql://"
        ),
        "{error}"
    );
}
