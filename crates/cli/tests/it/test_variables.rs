//! A variable meant for tests never steers the shipped tool: with `CLIPDEX_TEST_DATABASE_URL`
//! naming a server that does not exist, `check` and `drift` still build their shadow databases
//! where the tool's own order says — here, on the throwaway server it starts itself.

use crate::support;

use support::{Project, connect, run_in};

/// A server nothing listens on; were it used, every shadow database would fail to connect.
const NOT_A_SERVER: &str = "postgresql://postgres@127.0.0.1:1/not_a_test_server";

/// With the test variable set to [`NOT_A_SERVER`].
const TEST_VARIABLE: [(&str, &str); 1] = [("CLIPDEX_TEST_DATABASE_URL", NOT_A_SERVER)];

/// Asserts that `json["shadow"]` names the tool's own throwaway server.
fn assert_own_throwaway(json: &serde_json::Value) {
    let shadow = json["shadow"].as_str().unwrap_or_default();
    assert!(shadow.ends_with("(a throwaway server)"), "{json}");
    assert!(!shadow.contains("not_a_test_server"), "{json}");
}

#[test]
fn check_builds_its_shadow_databases_on_its_own_throwaway_server() {
    let project = Project::repository();
    let run = run_in(project.path(), &["check", "--json"], &TEST_VARIABLE);
    run.expect_code(0);
    assert_own_throwaway(&run.json());
}

#[tokio::test]
async fn drift_falls_back_to_its_own_throwaway_server_when_the_target_refuses() {
    let db = scratch::database().await.unwrap();
    // The target database's owner may not create databases: drift's shadow databases must go
    // elsewhere, and that elsewhere is the tool's choice, not the test's.
    let role = format!("owner_{}", db.name());
    let admin = connect(db.url()).await;
    let statements = format!(
        "CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; \
         ALTER DATABASE \"{}\" OWNER TO \"{role}\"",
        db.name()
    );
    admin.batch_execute(&statements).await.unwrap();
    let url = db.url().replacen("postgres@", &format!("{role}@"), 1);
    let project = Project::clipdex();
    project.run_on(&url, &["upgrade", "-q"]).expect_code(0);

    let args = ["--database-url", &url, "drift", "--json"];
    let run = run_in(project.path(), &args, &TEST_VARIABLE);
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("cannot create shadow databases on postgresql://"),
        "{run}"
    );
    let json = run.json();
    assert_eq!(json["drift"], false, "{run}");
    assert_own_throwaway(&json);
}
