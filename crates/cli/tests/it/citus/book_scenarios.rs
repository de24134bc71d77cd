//! The book's scenarios that run on a Citus cluster (`# server: citus`): each on a fresh
//! distributed database of `scratch::citus`, its coordinator's copy as `DATABASE_URL` and its
//! first worker's as `WORKER_URL`, compared with its golden file as the plain ones are
//! (`book_scenarios`, which also checks that every scenario belongs to exactly one group).

use scenario::{CITUS_COORDINATOR_VARIABLE, CITUS_WORKER_VARIABLE, Scenario, Server};

use crate::book_scenarios::{CITUS_SCENARIOS, run_and_compare};
use crate::support::repository_root;

async fn matches_its_golden_file(name: &str) {
    let scenario = Scenario::load(&repository_root(), name).unwrap();
    assert_eq!(
        scenario.server(),
        Server::Citus,
        "{name} is not a Citus scenario"
    );
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

macro_rules! citus_scenarios {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                matches_its_golden_file($name).await;
            }
        )*

        /// The tests above are exactly the scenarios `book_scenarios` counts as Citus's.
        #[test]
        fn every_citus_scenario_has_a_test() {
            assert_eq!([$($name),*], CITUS_SCENARIOS);
        }
    };
}

citus_scenarios! {
    appendix_b_citus_check => "b-citus-check",
    appendix_b_citus_upgrade => "b-citus-upgrade",
}
