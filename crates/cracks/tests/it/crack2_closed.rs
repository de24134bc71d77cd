//! Crack 2, closed: revisions name their parents, so two branches make two heads, not two 005s.
//!
//! Chapter 9's two branches, as revisions: each adds one on the baseline. The graph has two
//! heads and `upgrade` to `head` refuses to pick one; a merge revision whose parents are both
//! joins them, and every database then applies each branch exactly once, in an order its
//! history records. Both branches also rewrite the same line of `revisions.sum`, which is what
//! makes git stop the merge of the two branches and ask for that merge revision. (That every
//! command of the CLI warns about two heads is `crates/cli/tests/heads.rs`.)

use crate::book_sql::{SOCIALS, VIEW_COUNT, VIEW_COUNT_FILE, book_sql, view_count_revision};
use crate::migrate;

use clipdex_core::{AppliedState, Plan, PlanError, PlanOptions, RevisionSet, SumFile, SumProblem};
use cracks::tracked::RevisionDir;
use migrate::{BASELINE, TestResult, applied_order, graph, ids, migrator, upgrade};
use runner::RunError;

/// The socials branch's revision, in `book/sql/10/`.
const SOCIALS_FILE: &str = "20261201T0930_guest_socials.sql";

fn both_branches() -> TestResult<RevisionDir> {
    let migrations = RevisionDir::baseline()?;
    // Branch A: the repository's view_count revision. Branch B, the same week: guests' socials.
    migrations.add(VIEW_COUNT_FILE, &view_count_revision())?;
    migrations.add(SOCIALS_FILE, &book_sql(&format!("10/{SOCIALS_FILE}")))?;
    Ok(migrations)
}

// ANCHOR: two_heads
#[tokio::test]
async fn two_branches_on_one_parent_make_two_heads_and_upgrade_will_not_pick_one() -> TestResult {
    let migrations = both_branches()?;
    let graph = graph(migrations.path())?;
    let heads: Vec<&str> = graph.heads().iter().map(|head| head.id()).collect();
    assert_eq!(heads, [VIEW_COUNT, SOCIALS]);

    // Planning alone, with no database: `head` is ambiguous, and the error says so.
    let (nothing_applied, head) = (AppliedState::default(), "head".parse()?);
    let plan = Plan::upgrade(&graph, &nothing_applied, &head, &PlanOptions::default());
    let Err(PlanError::MultipleHeads { heads }) = plan else {
        panic!("expected MultipleHeads, got {plan:?}");
    };
    assert_eq!(heads.len(), 2);

    // On a database, the refusal comes before anything runs.
    let db = scratch::database().await?;
    let mut migrator = migrator(&db).await?;
    let refused = upgrade(&mut migrator, migrations.path(), "head").await;
    let refused = refused.expect_err("two heads");
    let message = refused.to_string();
    assert!(
        matches!(
            refused.downcast_ref::<RunError>(),
            Some(RunError::Plan(PlanError::MultipleHeads { .. }))
        ),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "run `clipdex-migrate merge {VIEW_COUNT} {SOCIALS}`"
        )),
        "{message}"
    );
    assert!(!migrator.read_state().await?.history_exists);
    Ok(())
}
// ANCHOR_END: two_heads

// ANCHOR: merge
#[tokio::test]
async fn a_merge_revision_joins_the_heads_and_each_branch_runs_once_everywhere() -> TestResult {
    let migrations = both_branches()?;
    let (staging, production) = (scratch::database().await?, scratch::database().await?);
    let mut staging = migrator(&staging).await?;
    let mut production = migrator(&production).await?;

    // Staging deployed the socials branch before anything was merged.
    let early = upgrade(&mut staging, migrations.path(), SOCIALS).await?;
    assert_eq!(ids(&early), [BASELINE, SOCIALS]);

    let join = "20261203T1000_join_branches.sql";
    migrations.add(join, &book_sql(&format!("10/{join}")))?;
    let heads = graph(migrations.path())?.heads().len();
    assert_eq!(heads, 1);

    // Each database runs what it lacks, and nothing twice.
    let staging_run = upgrade(&mut staging, migrations.path(), "head").await?;
    assert_eq!(ids(&staging_run), [VIEW_COUNT, "0d4c6a8e1f57"]);
    let production_run = upgrade(&mut production, migrations.path(), "head").await?;
    assert_eq!(
        ids(&production_run),
        [BASELINE, VIEW_COUNT, SOCIALS, "0d4c6a8e1f57"]
    );
    for migrator in [&mut staging, &mut production] {
        let again = upgrade(migrator, migrations.path(), "head").await?;
        assert!(again.steps.is_empty());
    }

    // Each history says in which order that database ran the two branches.
    assert_eq!(
        applied_order(&staging).await?,
        [BASELINE, SOCIALS, VIEW_COUNT, "0d4c6a8e1f57"]
    );
    assert_eq!(
        applied_order(&production).await?,
        [BASELINE, VIEW_COUNT, SOCIALS, "0d4c6a8e1f57"]
    );
    Ok(())
}
// ANCHOR_END: merge

/// The sum file each branch commits: the baseline's files plus the branch's revision.
fn branch_sum(file_name: &str, text: &str) -> TestResult<String> {
    let branch = RevisionDir::baseline()?;
    branch.add(file_name, text)?;
    Ok(SumFile::compute(&RevisionSet::read_dir(branch.path())?).render())
}

/// The file as git leaves it when both sides changed the lines between a common beginning and a
/// common end: ours and theirs between conflict markers.
fn conflicted(ours: &str, theirs: &str, their_branch: &str) -> String {
    let (ours, theirs): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let same = |(a, b): &(&&str, &&str)| a == b;
    let head = ours.iter().zip(&theirs).take_while(same).count();
    let (our_rest, their_rest) = (ours[head..].iter().rev(), theirs[head..].iter().rev());
    let tail = our_rest.zip(their_rest).take_while(same).count();
    let mut lines = ours[..head].to_vec();
    lines.push("<<<<<<< HEAD");
    lines.extend(&ours[head..ours.len() - tail]);
    lines.push("=======");
    lines.extend(&theirs[head..theirs.len() - tail]);
    let marker = format!(">>>>>>> {their_branch}");
    lines.push(&marker);
    lines.extend(&ours[ours.len() - tail..]);
    lines.iter().map(|line| format!("{line}\n")).collect()
}

// ANCHOR: sum_conflict
#[test]
fn both_branches_rewrite_the_sum_files_total_so_git_stops_the_merge() -> TestResult {
    let baseline = RevisionDir::baseline()?;
    let main = SumFile::compute(&RevisionSet::read_dir(baseline.path())?).render();
    let view_count = branch_sum(VIEW_COUNT_FILE, &view_count_revision())?;
    let socials = branch_sum(SOCIALS_FILE, &book_sql(&format!("10/{SOCIALS_FILE}")))?;

    // Line 2 is the total: each branch changed it, each differently, so git cannot merge them.
    let total = |sum: &str| sum.lines().nth(1).map(str::to_owned);
    assert!(total(&main).is_some_and(|line| line.starts_with("total sha256:")));
    assert_ne!(total(&view_count), total(&main));
    assert_ne!(total(&socials), total(&main));
    assert_ne!(total(&view_count), total(&socials));

    // What git leaves behind is refused, with what to do next.
    let merged = conflicted(&view_count, &socials, "guest-socials");
    let path = baseline.path().join("revisions.sum");
    let error = SumFile::parse(&path, &merged).expect_err("conflict markers");
    let [SumProblem::ConflictMarkers { line: 2, .. }] = &error.problems[..] else {
        panic!("{error}");
    };
    let message = error.to_string();
    assert!(
        message.contains("join them with `clipdex-migrate merge`"),
        "{message}"
    );
    Ok(())
}
// ANCHOR_END: sum_conflict
