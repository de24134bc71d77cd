//! Every console transcript in the book, produced by running its scenario
//! (`book/scenarios/NAME.sh`) exactly as `cargo xtask scenario NAME` runs it for a reader, and
//! compared byte for byte with `book/src/output/NAME.txt`, which the chapter includes.
//!
//! A scenario runs the `clipdex-migrate` this test binary was built with, in a temporary copy
//! of the repository's project files, against fresh `scratch` databases. What differs between
//! runs is replaced by visible placeholders and nothing else (`scenario::normalise`): durations
//! `… ms`, the server's timestamps `YYYY-MM-DDThh:mm:ss.ffffffZ`, process ids `pid …`, database
//! URLs `postgresql://postgres@localhost/clipdex`, and what a scenario `redact`s itself (the
//! random id and clock-made name of a revision a command writes in front of the reader).
//!
//! A scenario that says `# server: citus` needs a Citus cluster: it is run by the Citus group
//! (`citus::book_scenarios`, `cargo test -p cli --features citus citus::`), and the test
//! below checks that every scenario is run by exactly one of the two groups.
//!
//! After a deliberate change to the output, `CLIPDEX_BLESS=overwrite cargo test -p cli
//! book_scenarios::` rewrites the golden files (`CLIPDEX_BLESS=1` writes only missing ones);
//! review the diff like any other change to the book.

use std::path::Path;

use scenario::{Scenario, Server, Setup};

use crate::support::repository_root;

/// Runs the scenario `name` on fresh `scratch` databases and compares its transcript with the
/// chapter's golden file.
async fn matches_its_golden_file(name: &str) {
    let scenario = load_for(name, Server::Postgres);
    let mut databases = Vec::new();
    for variable in scenario.databases() {
        databases.push((variable, scratch::database().await.unwrap()));
    }
    let urls = databases
        .iter()
        .map(|(variable, db)| (variable.clone(), db.url().to_owned()))
        .collect();
    run_and_compare(scenario, urls).await;
}

/// The scenario `name`, which must run on `server`: a group runs its own server's scenarios.
pub fn load_for(name: &str, server: Server) -> Scenario {
    let scenario = Scenario::load(&repository_root(), name).unwrap();
    assert_eq!(
        scenario.server(),
        server,
        "{name} runs on another server: its test belongs to that server's group"
    );
    scenario
}

/// Runs `scenario` with `databases` as `(variable, url)` and compares its transcript with the
/// chapter's golden file.
pub async fn run_and_compare(scenario: Scenario, databases: Vec<(String, String)>) {
    let root = repository_root();
    let binary_dir = Path::new(env!("CARGO_BIN_EXE_clipdex-migrate")).parent();
    let setup = Setup::new(
        &root,
        binary_dir.map(Path::to_owned),
        scratch::pg_bin_dir().ok(),
        databases,
    );
    // The scenario blocks on its processes; the runtime's other tests go on meanwhile.
    let transcript =
        tokio::task::spawn_blocking(move || scenario.run(&setup).map(|t| (scenario, t)))
            .await
            .unwrap();
    let (scenario, transcript) = transcript.unwrap_or_else(|error| panic!("{error}"));
    if let Err(error) = scenario::check_golden(&root, &scenario, &transcript) {
        panic!("{error}");
    }
}

/// The scenarios that run on a Citus cluster, each tested by `citus::book_scenarios`.
pub const CITUS_SCENARIOS: &[&str] = &["b-citus-check", "b-citus-upgrade"];

/// One test per scenario, each running `$run(name)`, and `TESTED`, the names they run.
macro_rules! golden_file_tests {
    ($run:path => $($test:ident => $name:literal,)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                $run($name).await;
            }
        )*

        /// The scenarios the tests above run.
        pub const TESTED: &[&str] = &[$($name),*];
    };
}
#[cfg(feature = "citus")]
pub(crate) use golden_file_tests;

/// Every scenario file is run by exactly one group, the one for its server: a test below for
/// plain PostgreSQL, `citus::book_scenarios` for `CITUS_SCENARIOS`. No scenario goes untested,
/// and none is tested twice.
#[test]
fn every_scenario_is_run_by_exactly_one_group() {
    let root = repository_root();
    let shipped = scenario::names(&root).unwrap();
    let mut problems = Vec::new();
    for name in &shipped {
        let server = Scenario::load(&root, name).unwrap().server();
        let groups: Vec<Server> = [
            (TESTED.contains(&name.as_str()), Server::Postgres),
            (CITUS_SCENARIOS.contains(&name.as_str()), Server::Citus),
        ]
        .into_iter()
        .filter_map(|(listed, group)| listed.then_some(group))
        .collect();
        if groups != [server] {
            problems.push(format!(
                "{name} (server {}) is run by {groups:?}",
                server.name()
            ));
        }
    }
    for name in TESTED.iter().chain(CITUS_SCENARIOS) {
        if !shipped.iter().any(|shipped| shipped == name) {
            problems.push(format!(
                "{name} is tested but no scenario file has that name"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "book/scenarios/ and the groups disagree:\n{}",
        problems.join("\n")
    );
}

golden_file_tests! {
    matches_its_golden_file =>
    appendix_b_fleet_drift => "b-fleet-drift",
    appendix_b_fleet_upgrade => "b-fleet-upgrade",
    chapter_09_second_run => "09-second-run",
    chapter_10_downgrade => "10-downgrade",
    chapter_10_edited_revision => "10-edited-revision",
    chapter_10_failed_statement => "10-failed-statement",
    chapter_10_first_upgrade => "10-first-upgrade",
    chapter_10_history => "10-history",
    chapter_10_import_takeover => "10-import-takeover",
    chapter_10_lock_wait => "10-lock-wait",
    chapter_10_merge => "10-merge",
    chapter_10_partial => "10-partial",
    chapter_10_resumed => "10-resumed",
    chapter_10_second_upgrade => "10-second-upgrade",
    chapter_10_stamp => "10-stamp",
    chapter_10_sum_conflict => "10-sum-conflict",
    chapter_10_two_heads => "10-two-heads",
    chapter_10_upgrade_sql => "10-upgrade-sql",
    chapter_11_autogenerate => "11-autogenerate",
    chapter_11_autogenerated_online_revision => "11-autogenerated-online-revision",
    chapter_11_autogenerated_revision => "11-autogenerated-revision",
    chapter_11_check_draft => "11-check-draft",
    chapter_11_check_passing => "11-check-passing",
    chapter_11_check_post_10 => "11-check-post-10",
    chapter_11_check_unacknowledged => "11-check-unacknowledged",
    chapter_11_diff => "11-diff",
    chapter_11_drift => "11-drift",
    chapter_11_stamp_verify => "11-stamp-verify",
    chapter_11_stamp_verify_refused => "11-stamp-verify-refused",
}
