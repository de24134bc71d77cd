//! A tenant whose data makes a revision fail: `continue` runs every other tenant, `fail-fast`
//! starts no new one, a failed wave stops the next; the failure is recorded, and a rerun of
//! `--only failed` after the data is fixed runs that tenant alone.

use fleet::{FleetOptions, Halt, OnError, Only, Outcome};
use runner::RunError;

use crate::support::{
    AT_HEAD, create_schemas, named, ran_with_work, schema_fleet, tenant_graph, tenant_summary,
    upgrade,
};

/// `count` tenants at the first revision, `bad` with an account without email, which makes
/// the second revision's `SET NOT NULL` fail.
async fn fleet_with_a_bad_tenant(
    count: usize,
    bad: &str,
) -> (
    scratch::ScratchDatabase,
    tokio_postgres::Client,
    fleet::Fleet,
) {
    let db = scratch::database().await.unwrap();
    let admin = db.connect().await.unwrap();
    create_schemas(&admin, count).await;
    let fleet = schema_fleet(&db, "tenant_*");
    let graph = tenant_graph();
    let first = fleet::Upgrade {
        graph: &graph,
        target: "aaaaaaaaaaa1".parse().unwrap(),
        options: runner::RunOptions::default(),
    };
    let discovered = fleet.discover(&[]).await.unwrap();
    let options = FleetOptions::default();
    let report = fleet::run(
        &fleet,
        discovered,
        &first,
        &options,
        &mut fleet::NoFleetObserver,
    )
    .await;
    assert!(report.succeeded());
    admin
        .batch_execute(&format!("INSERT INTO {bad}.accounts VALUES (1, NULL)"))
        .await
        .unwrap();
    (db, admin, fleet)
}

#[tokio::test]
async fn with_continue_every_other_tenant_succeeds_and_only_the_failed_one_runs_again() {
    let (_db, admin, fleet) = fleet_with_a_bad_tenant(30, "tenant_015").await;
    let graph = tenant_graph();
    let options = FleetOptions {
        on_error: OnError::Continue,
        ..FleetOptions::default()
    };
    let report = upgrade(&fleet, &graph, &options).await;
    assert!(!report.succeeded());
    assert_eq!(named(&report, ran_with_work).len(), 29);
    let failures: Vec<(&str, &RunError)> = report
        .failures()
        .map(|(target, error)| (target.name.as_str(), error))
        .collect();
    assert_eq!(failures.len(), 1);
    let (tenant, error) = failures[0];
    assert_eq!(tenant, "tenant_015");
    let statement = error.statement().expect("a statement failed");
    assert_eq!(statement.file.to_str(), Some("002_email_required.sql"));
    assert_eq!(statement.line, 8);
    assert_eq!(statement.sqlstate, "23502");
    assert_eq!(
        tenant_summary(&admin, "tenant_015").await,
        "history=1 logged=1 columns=3 index=0",
        "the failed revision rolled back"
    );

    let status = fleet::read_status(&fleet, fleet.discover(&[]).await.unwrap(), 2).await;
    let failed: Vec<&str> = status
        .iter()
        .filter(|(_, state)| state.as_ref().unwrap().failed())
        .map(|(target, _)| target.name.as_str())
        .collect();
    assert_eq!(failed, ["tenant_015"], "the ledger remembers the failure");
    let recorded = status[15].1.as_ref().unwrap().failure.clone().unwrap();
    assert_eq!(recorded.revision.as_deref(), Some("aaaaaaaaaaa2"));
    assert!(
        recorded.error.contains("002_email_required.sql:8"),
        "{}",
        recorded.error
    );

    admin
        .batch_execute("UPDATE tenant_015.accounts SET email = 'fixed@example.com'")
        .await
        .unwrap();
    let only_failed = FleetOptions {
        only: Some(Only::Failed),
        ..FleetOptions::default()
    };
    let rerun = upgrade(&fleet, &graph, &only_failed).await;
    assert!(rerun.succeeded(), "{rerun:?}");
    assert_eq!(named(&rerun, ran_with_work), ["tenant_015"]);
    assert_eq!(tenant_summary(&admin, "tenant_015").await, AT_HEAD);
    let status = fleet::read_status(&fleet, fleet.discover(&[]).await.unwrap(), 2).await;
    assert!(
        status
            .iter()
            .all(|(_, state)| !state.as_ref().unwrap().failed())
    );
}

#[tokio::test]
async fn with_fail_fast_no_target_starts_after_the_failure() {
    let (_db, admin, fleet) = fleet_with_a_bad_tenant(12, "tenant_005").await;
    let graph = tenant_graph();
    let options = FleetOptions {
        jobs: 1,
        ..FleetOptions::default()
    };
    let report = upgrade(&fleet, &graph, &options).await;
    assert_eq!(
        report.halted,
        Some(Halt::FailFast {
            target: "tenant_005".into()
        })
    );
    let ran: Vec<String> = (0..5).map(crate::support::tenant_name).collect();
    assert_eq!(named(&report, ran_with_work), ran);
    let never: Vec<String> = (6..12).map(crate::support::tenant_name).collect();
    assert_eq!(named(&report, |o| matches!(o, Outcome::NotStarted)), never);
    for tenant in &never {
        assert_eq!(
            tenant_summary(&admin, tenant).await,
            "history=1 logged=1 columns=3 index=0"
        );
    }
}

#[tokio::test]
async fn a_wave_with_a_failure_stops_the_waves_after_it() {
    let (_db, _admin, fleet) = fleet_with_a_bad_tenant(20, "tenant_003").await;
    let graph = tenant_graph();
    let options = FleetOptions {
        on_error: OnError::Continue,
        waves: "1,25%,100%".parse().unwrap(),
        ..FleetOptions::default()
    };
    let report = upgrade(&fleet, &graph, &options).await;
    assert_eq!(report.waves, 3);
    assert_eq!(report.halted, Some(Halt::WaveFailed { wave: 2 }));
    let waves: Vec<Option<usize>> = report.targets.iter().map(|t| t.wave).collect();
    assert_eq!(waves[0], Some(1));
    assert_eq!(waves[1..5], [Some(2); 4]);
    assert_eq!(waves[5..], [Some(3); 15]);
    assert_eq!(
        named(&report, ran_with_work).len(),
        4,
        "the canary and wave 2 but one"
    );
    assert_eq!(
        named(&report, |o| matches!(o, Outcome::NotStarted)).len(),
        15
    );
}
