//! A run never holds more than `jobs + 1` connections to the server, and its workers keep
//! theirs from one tenant to the next: counted in `pg_stat_activity` while the run goes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use fleet::FleetOptions;

use crate::support::{create_schemas, schema_fleet, tenant_graph, upgrade};

/// The most connections of this process to `db` seen while `run` ran, and how many distinct
/// backends served them.
async fn sampled<F: std::future::Future>(
    db: &scratch::ScratchDatabase,
    run: F,
) -> (i64, i64, F::Output) {
    let sampler = db.connect().await.unwrap();
    let done = AtomicBool::new(false);
    let name = runner::default_application_name();
    let sample = async {
        let (mut most, mut backends) = (0, std::collections::BTreeSet::new());
        while !done.load(Ordering::Relaxed) {
            let rows = sampler
                .query(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND backend_type = 'client backend'",
                    &[&name],
                )
                .await
                .unwrap();
            most = most.max(rows.len() as i64);
            backends.extend(rows.iter().map(|row| row.get::<_, i32>(0)));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        (most, backends.len() as i64)
    };
    let run = async {
        let output = run.await;
        done.store(true, Ordering::Relaxed);
        output
    };
    let ((most, backends), output) = tokio::join!(sample, run);
    (most, backends, output)
}

/// Waits until no connection of this process is left on `db` (at most 5 s).
async fn settle(db: &scratch::ScratchDatabase) {
    let client = db.connect().await.unwrap();
    let name = runner::default_application_name();
    for _ in 0..500 {
        let row = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND backend_type = 'client backend'",
                &[&name],
            )
            .await
            .unwrap();
        if row.get::<_, i64>(0) == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("connections of an earlier run are still open");
}

#[tokio::test]
async fn a_run_holds_at_most_jobs_plus_one_connections_and_reuses_them() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    create_schemas(&admin, 60).await;
    let graph = tenant_graph();
    let fleet = schema_fleet(&db, "tenant_*");
    for jobs in [4, 1] {
        // The connections of the run before are closed, but their backends may take a moment.
        settle(&db).await;
        let options = FleetOptions {
            jobs,
            ..FleetOptions::default()
        };
        let (most, backends, report) = sampled(&db, upgrade(&fleet, &graph, &options)).await;
        assert!(report.succeeded());
        let jobs = jobs as i64;
        assert!(most <= jobs + 1, "{most} connections with {jobs} jobs");
        assert!(
            most >= jobs,
            "the sampler saw {most} connections: it did not sample the run"
        );
        // The discovering connection and one per worker, whatever the number of tenants.
        assert!(
            backends <= jobs + 1,
            "{backends} backends served 60 tenants with {jobs} jobs"
        );
        let downgrade = fleet::Downgrade {
            graph: &graph,
            target: "base".parse().unwrap(),
            options: runner::RunOptions::default(),
        };
        let discovered = fleet.discover(&[]).await.unwrap();
        let mut observer = fleet::NoFleetObserver;
        let report = fleet::run(&fleet, discovered, &downgrade, &options, &mut observer).await;
        assert!(report.succeeded(), "{report:?}");
    }
}

#[tokio::test]
async fn a_run_at_head_reads_every_tenant_on_one_connection_and_opens_no_other() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    create_schemas(&admin, 60).await;
    let graph = tenant_graph();
    let fleet = schema_fleet(&db, "tenant_*");
    assert!(
        upgrade(&fleet, &graph, &FleetOptions::default())
            .await
            .succeeded()
    );
    settle(&db).await;
    let (_, backends, report) =
        sampled(&db, upgrade(&fleet, &graph, &FleetOptions::default())).await;
    let at_head = report
        .targets
        .iter()
        .filter(|t| matches!(t.outcome, fleet::Outcome::NothingToDo))
        .count();
    assert_eq!(at_head, 60);
    assert!(
        backends <= 1,
        "{backends} connections for a run with nothing to do"
    );
}
