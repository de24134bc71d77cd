//! Runs at the same time: two fleet runs and single-target runs on the same tenants apply
//! each revision exactly once, and a tenant whose lock is held waits behind the others
//! instead of holding up a worker.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fleet::{FleetObserver, FleetOptions, Outcome};
use runner::{Migrator, NoObserver, RunError, RunOptions, RunReport};

use crate::support::{
    AT_HEAD, create_schemas, schema_fleet, tenant_graph, tenant_summary, upgrade, upgrade_job,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_fleet_runs_and_single_target_runs_apply_each_revision_exactly_once() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    let tenants = create_schemas(&admin, 30).await;
    let graph = tenant_graph();
    let fleet = schema_fleet(&db, "tenant_*");
    let options = FleetOptions {
        jobs: 3,
        ..FleetOptions::default()
    };
    let url = runner::DatabaseUrl::parse(db.url()).unwrap();
    let discovered = fleet.discover(&[]).await.unwrap();
    let single_targets: Vec<_> = discovered.targets()[10..14].to_vec();
    let singles = async {
        let mut applied = 0;
        for target in &single_targets {
            let client = url.connect("single target").await.unwrap();
            let mut migrator = Migrator::new(client, target.config.clone());
            let head = "head".parse().unwrap();
            let report = migrator
                .upgrade(&graph, &head, &RunOptions::default(), &mut NoObserver)
                .await
                .unwrap();
            applied += report.steps.len();
        }
        applied
    };
    let (first, second, singles) = tokio::join!(
        upgrade(&fleet, &graph, &options),
        upgrade(&fleet, &graph, &options),
        singles
    );
    assert!(first.succeeded() && second.succeeded());
    let steps = |report: &fleet::FleetReport<RunReport, RunError>| -> usize {
        let ran = report.targets.iter().map(|t| match &t.outcome {
            Outcome::Ran(report) => report.steps.len(),
            _ => 0,
        });
        ran.sum()
    };
    assert_eq!(steps(&first) + steps(&second) + singles, 3 * tenants.len());
    for tenant in &tenants {
        assert_eq!(tenant_summary(&admin, tenant).await, AT_HEAD, "{tenant}");
    }
}

/// Records the order targets finish in.
#[derive(Default)]
struct Order(Arc<Mutex<Vec<String>>>);

impl FleetObserver<RunReport, RunError> for Order {
    fn target_finished(
        &mut self,
        target: &fleet::Target,
        _outcome: &Outcome<RunReport, RunError>,
        _took: Duration,
    ) {
        self.0.lock().unwrap().push(target.name.clone());
    }
}

#[tokio::test]
async fn a_tenant_whose_lock_is_held_is_tried_again_after_the_others() {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    create_schemas(&admin, 8).await;
    let graph = tenant_graph();
    let fleet = schema_fleet(&db, "tenant_*");
    let discovered = fleet.discover(&[]).await.unwrap();
    let held = &discovered.targets()[1];
    let key = runner::lock::lock_key(&held.config.history);
    let holder = db.connect().await.unwrap();
    holder
        .execute("SELECT pg_advisory_lock($1)", &[&key])
        .await
        .unwrap();
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut observer = Order(Arc::clone(&order));
    let options = FleetOptions {
        jobs: 1,
        ..FleetOptions::default()
    };
    let job = upgrade_job(&graph);
    let run = fleet::run(&fleet, discovered, &job, &options, &mut observer);
    let release = async {
        while order.lock().unwrap().len() < 7 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        holder
            .execute("SELECT pg_advisory_unlock($1)", &[&key])
            .await
            .unwrap();
    };
    let (report, ()) = tokio::join!(run, release);
    assert!(report.succeeded(), "{report:?}");
    let order = order.lock().unwrap().clone();
    assert_eq!(
        order.last().map(String::as_str),
        Some("tenant_001"),
        "{order:?}"
    );
    assert_eq!(tenant_summary(&admin, "tenant_001").await, AT_HEAD);
}
