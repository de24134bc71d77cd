//! `check` on a Citus project: its shadow databases are single-node Citus databases, on the
//! coordinator's server or one named for them, and the lint names Citus's hazards.

use super::support::{LISTEN_SOURCE_FILE, edit, listening};

#[tokio::test]
async fn check_passes_on_the_coordinators_server_or_with_shadow_extensions_alone() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    let on_target = project.run_on(db.url(), &["check"]);
    on_target.expect_code(0);
    assert!(
        on_target.stdout.starts_with("check passed: "),
        "{on_target}"
    );

    // No target: the configuration says what shadow databases need, and a server that loads
    // Citus is named for them.
    let server = scratch::citus::cluster()
        .unwrap()
        .coordinator()
        .url("postgres");
    project.file("clipdex-migrate.toml", "shadow_extensions = [\"citus\"]\n");
    let alone = project.run(&["--shadow-url", &server, "check"]);
    alone.expect_code(0);
    project.file("clipdex-migrate.toml", "");
    let unaware = project.run(&["--shadow-url", &server, "check"]);
    unaware.expect_code(1);
    assert!(
        unaware
            .stdout
            .contains("function create_reference_table(unknown) does not exist"),
        "without it, Citus's functions are missing:\n{unaware}"
    );
}

#[tokio::test]
async fn check_names_a_missing_header_and_an_index_built_if_not_exists() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    edit(&project, LISTEN_SOURCE_FILE, "-- citus: sequential\n", "");
    edit(
        &project,
        "20270104T0930_listens_episode_index.sql",
        "CREATE INDEX CONCURRENTLY listens_episode_idx",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS listens_episode_idx",
    );
    let run = project.run_on(db.url(), &["check"]);
    run.expect_code(1);
    let lint: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.contains("[lint:citus-"))
        .collect();
    assert!(
        lint.iter().any(
            |line| line.starts_with(&format!("migrations/{LISTEN_SOURCE_FILE}:"))
                && line.contains(
                    "this type command comes after the UPDATE of distributed table listeners"
                )
        ),
        "{run}"
    );
    assert!(
        lint.iter().any(|line| line
            .starts_with("migrations/20270104T0930_listens_episode_index.sql:")
            && line
                .contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS on distributed table listens")),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("cannot run type command because there was a parallel operation"),
        "the replay fails there too:\n{run}"
    );
}

#[tokio::test]
async fn autogenerate_writes_the_distribution_of_a_table_the_declared_schema_distributes() {
    let db = scratch::citus::database().await.unwrap();
    let project = listening();
    project.file(
        "schema/plays.sql",
        "CREATE TABLE plays (podcast_id bigint NOT NULL, id bigint NOT NULL, PRIMARY KEY (podcast_id, id));\nSELECT create_distributed_table('plays', 'podcast_id', colocate_with => 'listeners');\n",
    );
    let run = project.run_on(db.url(), &["revision", "-m", "plays", "--autogenerate"]);
    run.expect_code(0);
    let path = project.path().join(run.stdout.trim());
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.contains("SELECT create_distributed_table('public.plays', 'podcast_id', colocate_with := 'public.listeners');"),
        "{written}"
    );
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);
    let checked = project.run_on(db.url(), &["check"]);
    checked.expect_code(0);
}
