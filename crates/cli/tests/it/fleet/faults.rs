//! The faults a fleet run must survive, at CI size (100 tenant schemas): a tenant whose data
//! fails a revision, `fail-fast`, `kill -9` mid-run, two runs at once, an unreachable target,
//! a pattern that matches nothing.

use std::time::{Duration, Instant};

use crate::reliability;
use crate::support::connect;

use super::tenants::{
    Moment, NOT_NULL_LINE, REVISIONS, consistent, create_tenants, fleet, project, schema_fleet,
    tenant,
};

/// Tenants in the fault tests: 100, or `CLIPDEX_FLEET_TENANTS` (up to 1,000; see TESTING.md).
fn tenant_count() -> usize {
    reliability::rounds("CLIPDEX_FLEET_TENANTS", 100).clamp(2, 1000)
}

/// Every tenant at the first revision, `bad` with an account without an email, which fails
/// the second revision's `SET NOT NULL`.
async fn tenants_with_a_bad_one(
    count: usize,
    bad: &str,
) -> (scratch::ScratchDatabase, crate::support::Project) {
    let db = scratch::database().await.unwrap();
    create_tenants(db.url(), count).await;
    let project = project(&schema_fleet(db.url()));
    fleet(&project, &["upgrade", REVISIONS[0].1, "--quiet"]).expect_code(0);
    let client = connect(db.url()).await;
    client
        .batch_execute(&format!("INSERT INTO {bad}.accounts VALUES (1, NULL)"))
        .await
        .unwrap();
    (db, project)
}

#[tokio::test]
async fn one_tenant_of_a_hundred_fails_the_others_succeed_and_a_rerun_applies_only_it() {
    let count = tenant_count();
    let bad = count / 2;
    let bad_name = format!("tenant_{bad:03}");
    let (db, project) = tenants_with_a_bad_one(count, &bad_name).await;
    let run = fleet(&project, &["upgrade", "--on-error", "continue", "--json"]);
    run.expect_code(9);
    let report = run.json();
    assert_eq!(report["summary"]["succeeded"], count - 1, "{run}");
    assert_eq!(report["summary"]["failed"], 1);
    let failed: Vec<&serde_json::Value> = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|target| target["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    let error = &failed[0]["error"];
    assert_eq!(failed[0]["target"], bad_name.as_str());
    assert_eq!(error["file"], "migrations/002_email_required.sql");
    assert_eq!(error["line"], NOT_NULL_LINE);
    assert_eq!(error["exit_code"], 5);
    assert_eq!(error["revision"], REVISIONS[1].1);
    assert_eq!(
        error["statement"],
        "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL"
    );
    assert!(
        error["message"].as_str().unwrap().contains("null values"),
        "{error}"
    );

    let status = fleet(&project, &["status", "--json"]);
    status.expect_code(0);
    let status = status.json();
    assert_eq!(status["summary"]["at_head"], count - 1);
    assert_eq!(status["summary"]["failed"], 1);
    let failed = &status["targets"][bad];
    assert_eq!(failed["state"], "failed");
    assert_eq!(failed["applied"][0], REVISIONS[0].1);
    assert_eq!(failed["pending"], 2);
    let recorded = failed["failure"]["error"].as_str().unwrap();
    assert!(recorded.contains("002_email_required.sql:8:"), "{recorded}");

    let client = connect(db.url()).await;
    client
        .batch_execute(&format!(
            "UPDATE {bad_name}.accounts SET email = 'fixed@example.com'"
        ))
        .await
        .unwrap();
    let rerun = fleet(&project, &["upgrade", "--json"]);
    rerun.expect_code(0);
    let rerun = rerun.json();
    assert_eq!(rerun["summary"]["succeeded"], 1);
    assert_eq!(rerun["summary"]["up_to_date"], count - 1);
    let ran: Vec<&serde_json::Value> = rerun["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|target| target["status"] == "succeeded")
        .collect();
    assert_eq!(ran[0]["target"], bad_name.as_str());
    assert_eq!(ran[0]["revisions"].as_array().unwrap().len(), 2);
    for n in 0..count {
        let tenant = tenant(&client, &format!("tenant_{n:03}")).await;
        assert_eq!(tenant.complete.len(), 3);
        consistent(&tenant, Moment::Finished).unwrap();
    }
}

#[tokio::test]
async fn fail_fast_starts_no_target_after_the_failure_and_lists_the_ones_never_started() {
    let (db, project) = tenants_with_a_bad_one(20, "tenant_005").await;
    let run = fleet(&project, &["upgrade", "--jobs", "1"]);
    run.expect_code(9);
    let never: Vec<String> = (6..20).map(|n| format!("tenant_{n:03}")).collect();
    let line = format!(
        "not started (fail-fast after tenant_005 failed; 14 targets): {}",
        never.join(", ")
    );
    assert!(run.stdout.lines().any(|l| l == line), "{run}");
    assert!(
        run.stdout
            .contains("fleet upgrade tenants: 5 succeeded, 0 up to date, 1 failed, 14 not started (20 targets, 1 at a time, "),
        "{run}"
    );
    let json = fleet(&project, &["upgrade", "--jobs", "1", "--json"]);
    json.expect_code(9);
    let json = json.json();
    assert_eq!(json["halted"]["reason"], "fail_fast");
    assert_eq!(json["halted"]["target"], "tenant_005");
    let client = connect(db.url()).await;
    for name in &never {
        assert_eq!(tenant(&client, name).await.complete, [REVISIONS[0].1]);
    }
}

#[tokio::test]
async fn a_fleet_run_killed_mid_run_leaves_every_tenant_consistent_and_a_rerun_finishes() {
    let count = tenant_count();
    let db = scratch::database().await.unwrap();
    let tenants = create_tenants(db.url(), count).await;
    let project = project(&schema_fleet(db.url()));
    let client = connect(db.url()).await;
    let mut child = reliability::spawn(project.path(), &["fleet", "upgrade", "--jobs", "2"]);
    // Wait until some tenants are done, then kill: the run is then mid-way.
    let started = Instant::now();
    loop {
        let done = at_head(&client, &tenants).await;
        if done >= 5 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the run does not progress"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().expect("kill -9");
    let killed = child.wait().expect("wait for the killed run");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&killed),
        Some(9)
    );
    reliability::wait_for_backends_to_end(&client).await;
    let done = at_head(&client, &tenants).await;
    assert!(
        done < count,
        "the kill landed after the run ended ({done} at head)"
    );
    for name in &tenants {
        consistent(&tenant(&client, name).await, Moment::Interrupted)
            .unwrap_or_else(|problem| panic!("{name} after the kill: {problem}"));
    }
    let rerun = fleet(&project, &["upgrade", "--json"]);
    rerun.expect_code(0);
    let rerun = rerun.json();
    assert_eq!(rerun["summary"]["up_to_date"], done, "{rerun}");
    assert_eq!(rerun["summary"]["succeeded"], count - done);
    for name in &tenants {
        let tenant = tenant(&client, name).await;
        assert_eq!(tenant.complete.len(), 3, "{name}");
        consistent(&tenant, Moment::Finished).unwrap_or_else(|problem| panic!("{name}: {problem}"));
    }
    eprintln!("kill -9: {done} of {count} tenants at head when the run was killed");
}

/// How many tenants have every revision complete.
async fn at_head(client: &tokio_postgres::Client, tenants: &[String]) -> usize {
    let mut done = 0;
    for name in tenants {
        let sql =
            format!("SELECT count(*) FROM {name}.clipdex_migrate_history WHERE state = 'complete'");
        match client.query_one(&sql, &[]).await {
            Ok(row) if row.get::<_, i64>(0) == 3 => done += 1,
            _ => {}
        }
    }
    done
}

#[tokio::test]
async fn two_fleet_runs_at_once_apply_each_revision_exactly_once_per_tenant() {
    let count = tenant_count();
    let db = scratch::database().await.unwrap();
    let tenants = create_tenants(db.url(), count).await;
    let project = project(&schema_fleet(db.url()));
    let args = ["fleet", "upgrade", "--jobs", "3", "--json"];
    let first = reliability::spawn(project.path(), &args);
    let second = reliability::spawn(project.path(), &args);
    let runs = [reliability::finish(first), reliability::finish(second)];
    let mut applied = 0;
    for run in &runs {
        run.expect_code(0);
        let targets = run.json()["targets"].clone();
        let revisions = targets
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["revisions"].as_array().unwrap().len());
        applied += revisions.sum::<usize>();
    }
    assert_eq!(
        applied,
        3 * count,
        "between them, the runs applied each revision once"
    );
    let client = connect(db.url()).await;
    for name in &tenants {
        let tenant = tenant(&client, name).await;
        assert_eq!(tenant.logged.len(), 3, "{name}");
        consistent(&tenant, Moment::Finished).unwrap_or_else(|problem| panic!("{name}: {problem}"));
    }
}

#[tokio::test]
async fn an_unreachable_url_is_one_failed_target_with_a_clear_error() {
    let first = scratch::database().await.unwrap();
    let second = scratch::database().await.unwrap();
    let config = format!(
        "[fleets.listed]\nurls = [\"{}\", \"postgresql://app:sentinel-pw@127.0.0.1:1/tenant_x\", \"{}\"]\n",
        first.url(),
        second.url()
    );
    let project = project(&config);
    let run = fleet(&project, &["upgrade", "--on-error", "continue", "--json"]);
    run.expect_code(9);
    assert!(!run.stdout.contains("sentinel-pw") && !run.stderr.contains("sentinel-pw"));
    let report = run.json();
    assert_eq!(report["summary"]["succeeded"], 2, "{run}");
    let target = &report["targets"][1];
    assert_eq!(target["target"], "127.0.0.1:1/tenant_x");
    assert_eq!(target["status"], "failed");
    assert_eq!(target["error"]["kind"], "unreachable");
    let message = target["error"]["message"].as_str().unwrap();
    assert!(message.contains("127.0.0.1:1/tenant_x"), "{message}");
    let text = fleet(&project, &["upgrade"]);
    text.expect_code(9);
    assert!(
        text.stdout.contains("failed  127.0.0.1:1/tenant_x: "),
        "{text}"
    );
}

#[tokio::test]
async fn a_pattern_that_matches_nothing_is_an_error_that_says_so() {
    let db = scratch::database().await.unwrap();
    create_tenants(db.url(), 3).await;
    let config = format!(
        "[fleets.tenants]\nschemas = \"tenants_*\"\nurl = \"{}\"\n",
        db.url()
    );
    let project = project(&config);
    let run = fleet(&project, &["upgrade"]);
    run.expect_code(2);
    assert_eq!(run.error_lines().len(), 1, "{run}");
    assert!(
        run.error_lines()[0].starts_with(
            "error: fleet `tenants`: schemas = \"tenants_*\" matches no schema in postgresql://"
        ),
        "{run}"
    );
    let project = project_on(&db);
    let run = fleet(&project, &["status", "--target", "tenant_9*", "--json"]);
    run.expect_code(2);
    assert_eq!(
        run.json()["error"]["message"],
        "fleet `tenants`: --target tenant_9* matches none of its 3 targets"
    );
}

fn project_on(db: &scratch::ScratchDatabase) -> crate::support::Project {
    project(&schema_fleet(db.url()))
}
