//! The solution to the appendix's Citus exercise (`book/exercises/b/`), applied on a real
//! Citus cluster: the platform revision without `-- citus: sequential`, its statements
//! reordered so that Citus accepts them.

use crate::book_exercises::{solution, starting_point};
use crate::support::Project;

/// clipdex with the appendix's Citus revisions, the declared schema's Citus file, and Citus
/// shadow databases; the platform revision is `platform`.
fn citus_clipdex(platform: &str) -> Project {
    let project = Project::repository();
    let distribute = "20270110T0900_distribute_episode_plays.sql";
    project.write(distribute, &starting_point(&format!("b/{distribute}")));
    project.write("20270110T0930_play_platform.sql", platform);
    project.file(
        "schema/05_distributed_plays.sql",
        &starting_point("b/05_distributed_plays.sql"),
    );
    project.file(
        "clipdex-migrate.toml",
        "migrations_dir = \"migrations\"\nshadow_extensions = [\"citus\"]\n",
    );
    project.sum();
    project
}

/// B.2: without the header and with the type first, the revision upgrades a Citus cluster
/// and `check` passes, lint included; the appendix's order without the header does not.
#[tokio::test]
async fn exercise_b_2_the_platform_revision_without_the_header() {
    let reordered = solution("b/20270110T0930_play_platform.sql");
    assert!(
        !reordered.lines().any(|line| line.starts_with("-- citus:")),
        "the solution must do without the header"
    );
    let db = scratch::citus::database().await.unwrap();
    let project = citus_clipdex(&reordered);
    project.run_on(db.url(), &["upgrade"]).expect_code(0);
    let check = project.run_on(db.url(), &["check"]);
    check.expect_code(0);

    let headerless =
        starting_point("b/20270110T0930_play_platform.sql").replace("-- citus: sequential\n", "");
    let other = scratch::citus::database().await.unwrap();
    let refused = citus_clipdex(&headerless).run_on(other.url(), &["check"]);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused.stdout.contains("[lint:citus-sequential-mode]"),
        "{refused}"
    );
}
