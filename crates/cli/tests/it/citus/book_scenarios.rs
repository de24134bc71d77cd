//! The book's scenarios that run on a Citus cluster (`# server: citus`): each on a fresh
//! distributed database of `scratch::citus`, its coordinator's copy as `DATABASE_URL` and its
//! first worker's as `WORKER_URL`, compared with its golden file as the plain ones are
//! (`book_scenarios`, which also checks that every scenario belongs to exactly one group).

use scenario::{CITUS_COORDINATOR_VARIABLE, CITUS_WORKER_VARIABLE, Server};

use crate::book_scenarios::{CITUS_SCENARIOS, golden_file_tests, load_for, run_and_compare};

async fn matches_its_golden_file(name: &str) {
    let scenario = load_for(name, Server::Citus);
    let db = scratch::citus::database().await.unwrap();
    let databases = vec![
        (CITUS_COORDINATOR_VARIABLE.to_owned(), db.url().to_owned()),
        (
            CITUS_WORKER_VARIABLE.to_owned(),
            db.worker_urls()[0].clone(),
        ),
    ];
    run_and_compare(scenario, databases).await;
}

golden_file_tests! {
    matches_its_golden_file =>
    appendix_b_citus_check => "b-citus-check",
    appendix_b_citus_upgrade => "b-citus-upgrade",
}

/// The tests above are exactly the scenarios `book_scenarios` counts as Citus's.
#[test]
fn every_citus_scenario_has_a_test() {
    assert_eq!(TESTED, CITUS_SCENARIOS);
}
