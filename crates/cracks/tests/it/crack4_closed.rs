//! Crack 4, closed: the schema is compared with what the code expects and with what is live.
//!
//! Post 9's `crack4_no_drift_check` showed two failures that no deploy step noticed: a query
//! for a column no migration created, found when a user opened the page, and a change made by
//! hand on the live database, kept by every later deploy. Here the same situations meet the
//! libraries behind `clipdex-migrate check`, `drift` and `stamp --verify`, on shadow databases:
//!
//! - `check` prepares the application's queries (`queries/`) against the revisions' head, so
//!   the missing column is a finding, by file and line, before anything is deployed;
//! - `check` compares the head with the declared schema (`schema/`), so a column or an index
//!   that the application expects and no revision creates is a finding too;
//! - drift compares the live catalog with the applied revisions replayed, and the diff between
//!   them is the SQL that repairs the hand-made change;
//! - `stamp --verify` refuses to adopt a legacy database that was changed by hand, and adopts
//!   an untouched one, whose plays the view_count backfill then counts.
//!
//! "Post 10's revisions" is the baseline alone; "the repository" adds post 11's two revisions.

use crate::book_sql::book_sql;
use crate::migrate;

use std::path::Path;

use check::{CheckKind, CheckOptions, CheckReport, run_checks};
use clipdex_core::{LoadedMigrations, SumCheck, UpgradeTarget};
use cracks::tracked::RevisionDir;
use cracks::{numbered_migrations, run_loop, workspace_root};
use migrate::{BASELINE, TestResult, graph, ids, migrator, upgrade};
use runner::{Migrator, NoObserver};
use shadow::{ShadowConfig, ShadowServer};
use stamp::{StampError, StampOptions, StampReport, stamp_verified};

/// Runs `checks` on the revisions in `migrations` with the repository's `schema/` and
/// `queries/`, as `clipdex-migrate check --only …` does.
async fn check(migrations: &Path, checks: &[CheckKind]) -> TestResult<CheckReport> {
    let loaded = LoadedMigrations::read_dir(migrations, SumCheck::Report)?;
    let options = CheckOptions {
        schema_dir: workspace_root().join("schema"),
        queries_dir: workspace_root().join("queries"),
        checks: checks.iter().copied().collect(),
        ..CheckOptions::default()
    };
    let shadow = ShadowServer::new(ShadowConfig::default());
    Ok(run_checks(&loaded, &shadow, &options).await?)
}

/// The findings as the CLI prints them, paths relative to the repository.
fn findings(report: &CheckReport) -> Vec<String> {
    let root = format!("{}/", workspace_root().display());
    let lines = report.findings.iter();
    lines
        .map(|finding| finding.to_string().replace(&root, ""))
        .collect()
}

// ANCHOR: query_caught
#[tokio::test]
async fn a_query_for_a_column_no_revision_creates_fails_check_before_anything_runs() -> TestResult {
    // Post 10's revisions, and the queries the application runs now. No database is deployed:
    // the queries are prepared on a shadow database that the revisions built.
    let post_10 = RevisionDir::baseline()?;
    let report = check(post_10.path(), &[CheckKind::Queries]).await?;
    let missing = "does not prepare against the head schema: \
                   column e.view_count does not exist (SQLSTATE 42703)";
    assert_eq!(
        findings(&report),
        [
            format!(
                "queries/episode_list.sql:3: [queries] `SELECT e.id, e.title, e.published_at, \
                 e.duration, e.view_count, p.title AS podcast_title` {missing}"
            ),
            format!("queries/record_play.sql:9: [queries] `WITH play AS (` {missing}"),
        ]
    );

    // With the revision that adds the column, every query prepares.
    let repository = RevisionDir::repository()?;
    let report = check(repository.path(), &[CheckKind::Queries]).await?;
    assert_eq!(findings(&report), Vec::<String>::new());
    Ok(())
}
// ANCHOR_END: query_caught

// ANCHOR: schema_caught
#[tokio::test]
async fn what_schema_declares_and_no_revision_creates_fails_check() -> TestResult {
    let post_10 = RevisionDir::baseline()?;
    let report = check(post_10.path(), &[CheckKind::Schema]).await?;
    assert_eq!(
        findings(&report),
        [
            "schema/01_catalog.sql: [schema] declares column episodes.view_count, \
             which no revision creates",
            "schema/02_people.sql: [schema] declares index episode_guests_guest_id_idx, \
             which no revision creates",
            "schema/01_catalog.sql: [schema] declares index episodes_view_count_idx, \
             which no revision creates",
        ]
    );
    // The report carries the SQL a new revision would start from.
    let up = &report.diffs[0].sql;
    for statement in [
        "ALTER TABLE public.episodes ADD COLUMN view_count bigint DEFAULT 0 NOT NULL;",
        "CREATE INDEX episode_guests_guest_id_idx ON public.episode_guests USING btree (guest_id);",
        "CREATE INDEX episodes_view_count_idx ON public.episodes \
         USING btree (view_count DESC, published_at DESC);",
    ] {
        assert!(up.contains(statement), "{up}");
    }

    // The repository's revisions build exactly the declared schema.
    let repository = RevisionDir::repository()?;
    let report = check(repository.path(), &[CheckKind::Schema]).await?;
    assert_eq!(findings(&report), Vec::<String>::new());
    Ok(())
}
// ANCHOR_END: schema_caught

#[tokio::test]
async fn the_repository_passes_every_check() -> TestResult {
    let repository = RevisionDir::repository()?;
    let report = check(repository.path(), &CheckKind::ALL).await?;
    assert_eq!(findings(&report), Vec::<String>::new());
    assert_eq!(report.ran, CheckKind::ALL);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert!(report.irreversible.is_empty(), "{:?}", report.irreversible);
    Ok(())
}

/// The SQL that turns the hand-made change back into what the revisions make. It invents no
/// data: rows left without a published_at while the NOT NULL was gone are for a person to fix.
const REPAIR: &str = "\
DROP INDEX public.episodes_published_at_idx;

-- note: fails if existing rows hold NULLs: backfill them first
ALTER TABLE public.episodes ALTER COLUMN published_at SET NOT NULL;

CREATE INDEX episodes_published_at_idx ON public.episodes USING btree (published_at DESC);
";

// ANCHOR: drift_caught
#[tokio::test]
async fn a_hand_made_change_is_drift_with_the_sql_that_repairs_it() -> TestResult {
    let migrations = RevisionDir::repository()?;
    let db = scratch::database().await?;
    let mut migrator = migrator(&db).await?;
    upgrade(&mut migrator, migrations.path(), "head").await?;
    migrator
        .client()
        .batch_execute(&book_sql("09/incident_fix.sql"))
        .await?;

    // What the history says the database is (every revision up to the head), replayed on a
    // shadow database, against what it is.
    let shadow = ShadowServer::new(ShadowConfig::default());
    let graph = graph(migrations.path())?;
    let recorded = shadow.replay(&graph, &UpgradeTarget::Head).await?;
    let live = shadow
        .live_of(migrator.client(), "the live database")
        .await?;
    let repair = schema::diff(&live, &recorded)?;
    assert_eq!(repair.to_sql(), REPAIR);

    // The SQL does what it says: run on the live database, it leaves no drift.
    migrator.client().batch_execute(&repair.to_sql()).await?;
    let live = shadow
        .live_of(migrator.client(), "the live database")
        .await?;
    assert!(schema::diff(&live, &recorded)?.is_empty());
    assert!(live == recorded);
    Ok(())
}
// ANCHOR_END: drift_caught

/// A podcast with two episodes, played three times and once, as the player logged it.
const PLAYS: &str = "
    INSERT INTO podcasts (feed_url, title)
    VALUES ('https://feeds.example.org/table-talk', 'Table Talk');
    INSERT INTO episodes (podcast_id, guid, title, published_at, audio_url)
    SELECT p.id, e.guid, e.guid, now(), 'https://cdn.example.org/' || e.guid || '.mp3'
    FROM podcasts AS p, (VALUES ('knife-skills'), ('minimum-wage')) AS e (guid);
    INSERT INTO episode_plays (episode_id, client)
    SELECT e.id, 'web'
    FROM episodes AS e, generate_series(1, CASE e.guid WHEN 'knife-skills' THEN 3 ELSE 1 END);";

/// `clipdex-migrate stamp af9a37e3eebf --verify`: the baseline, stamped only if the live
/// schema is the one it makes.
async fn stamp_baseline_verified(
    migrator: &mut Migrator,
    migrations: &Path,
) -> TestResult<Result<StampReport, StampError>> {
    let graph = graph(migrations)?;
    let shadow = ShadowServer::new(ShadowConfig::default());
    let baseline = UpgradeTarget::Revision(BASELINE.to_owned());
    let options = StampOptions::default();
    let mut observer = NoObserver;
    let stamped = stamp_verified(
        migrator,
        &graph,
        &baseline,
        &options,
        &shadow,
        &mut observer,
    );
    Ok(stamped.await)
}

// ANCHOR: adopt_verified
#[tokio::test]
async fn a_legacy_database_is_adopted_only_if_it_is_the_baselines_schema() -> TestResult {
    let migrations = RevisionDir::repository()?;

    // Built by post 9's loop, then changed by hand: refused, with the SQL, and nothing recorded.
    let altered = scratch::database().await?;
    assert!(
        run_loop(numbered_migrations(), altered.url())?
            .status
            .success()
    );
    let mut altered = migrator(&altered).await?;
    altered
        .client()
        .batch_execute(&book_sql("09/incident_fix.sql"))
        .await?;
    let refused = stamp_baseline_verified(&mut altered, migrations.path()).await?;
    let Err(StampError::SchemaDiffers(differs)) = refused else {
        panic!("a database changed by hand was stamped");
    };
    assert_eq!(differs.sql, REPAIR);
    assert!(!altered.read_state().await?.history_exists);

    // Built by the loop and left alone: adopted, and upgraded by post 11's revisions.
    let untouched = scratch::database().await?;
    assert!(
        run_loop(numbered_migrations(), untouched.url())?
            .status
            .success()
    );
    let mut untouched = migrator(&untouched).await?;
    untouched.client().batch_execute(PLAYS).await?;
    let stamped = stamp_baseline_verified(&mut untouched, migrations.path()).await?;
    assert_eq!(stamped?.stamped, [BASELINE]);
    let up = upgrade(&mut untouched, migrations.path(), "head").await?;
    assert_eq!(ids(&up), ["47c32d68e5ff", "dde229109556"]);

    // The backfill counted the plays the loop's database already had.
    let counts = "SELECT guid, view_count FROM episodes ORDER BY guid";
    let rows = untouched.client().query(counts, &[]).await?;
    let counts: Vec<(String, i64)> = rows.iter().map(|row| (row.get(0), row.get(1))).collect();
    let expected = [
        ("knife-skills".to_owned(), 3),
        ("minimum-wage".to_owned(), 1),
    ];
    assert_eq!(counts, expected);
    Ok(())
}
// ANCHOR_END: adopt_verified
