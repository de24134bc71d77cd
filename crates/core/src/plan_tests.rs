//! Plans on tiny graphs (linear, branch, merge, two roots) for every target and safety check.

use crate::testing::{Down, Spec, graph};
use crate::{RevisionSet, SourceFile};

use super::*;

const LINEAR: [Spec<'static>; 3] = [
    Spec("1_a", "aaaa", "", Down::Section),
    Spec("2_b", "bbbb", "aaaa", Down::Section),
    Spec("3_c", "cccc", "bbbb", Down::Section),
];

const BRANCHED: [Spec<'static>; 3] = [
    Spec("1_root", "root", "", Down::Section),
    Spec("2_left", "left", "root", Down::Section),
    Spec("3_right", "right", "root", Down::Section),
];

const MERGED: [Spec<'static>; 4] = [
    Spec("1_root", "root", "", Down::Section),
    Spec("2_left", "left", "root", Down::Section),
    Spec("3_right", "right", "root", Down::Section),
    Spec("4_merge", "merge", "left right", Down::Section),
];

fn state(graph: &RevisionGraph, ids: &[&str]) -> AppliedState {
    let applied = ids.iter().map(|id| {
        let up_checksum = graph
            .get(id)
            .map_or(Checksum::of(id.as_bytes()), Revision::up_checksum);
        AppliedRevision {
            id: (*id).to_owned(),
            up_checksum,
        }
    });
    AppliedState {
        applied: applied.collect(),
        accepted_edits: Vec::new(),
    }
}

fn up(graph: &RevisionGraph, applied: &[&str], target: &str) -> Result<Vec<String>, String> {
    let target: UpgradeTarget = target.parse().map_err(|error| format!("{error}"))?;
    let plan = Plan::upgrade(
        graph,
        &state(graph, applied),
        &target,
        &PlanOptions::default(),
    );
    plan.map(|plan| plan.ids().iter().map(|id| id.to_string()).collect())
        .map_err(|error| error.to_string())
}

fn down(graph: &RevisionGraph, applied: &[&str], target: &str) -> Result<Vec<String>, String> {
    let target: DowngradeTarget = target.parse().map_err(|error| format!("{error}"))?;
    let plan = Plan::downgrade(
        graph,
        &state(graph, applied),
        &target,
        &PlanOptions::default(),
    );
    plan.map(|plan| plan.ids().iter().map(|id| id.to_string()).collect())
        .map_err(|error| error.to_string())
}

#[test]
fn upgrading_a_linear_history_applies_what_is_missing_in_order() {
    let graph = graph(&LINEAR);
    assert_eq!(up(&graph, &[], "head").unwrap(), ["aaaa", "bbbb", "cccc"]);
    assert_eq!(up(&graph, &["aaaa"], "head").unwrap(), ["bbbb", "cccc"]);
    assert_eq!(up(&graph, &[], "bbbb").unwrap(), ["aaaa", "bbbb"]);
    assert_eq!(up(&graph, &[], "heads").unwrap(), ["aaaa", "bbbb", "cccc"]);
}

#[test]
fn an_up_to_date_database_is_an_error_unless_allowed() {
    let graph = graph(&LINEAR);
    let all = ["aaaa", "bbbb", "cccc"];
    insta::assert_snapshot!(up(&graph, &all, "head").unwrap_err(), @"nothing to upgrade: the database is already at `head`");
    let options = PlanOptions {
        allow_empty: true,
        ..PlanOptions::default()
    };
    let plan = Plan::upgrade(&graph, &state(&graph, &all), &UpgradeTarget::Head, &options).unwrap();
    assert!(plan.is_empty());
    assert_eq!(plan.direction, Direction::Upgrade);
}

#[test]
fn two_heads_make_head_ambiguous_but_heads_applies_both() {
    let graph = graph(&BRANCHED);
    insta::assert_snapshot!(up(&graph, &[], "head").unwrap_err(), @"2_left.sql, 3_right.sql: 2 heads (left, right); run `clipdex-migrate merge left right` to join them, or upgrade to `heads`");
    assert_eq!(up(&graph, &[], "heads").unwrap(), ["root", "left", "right"]);
    // A branch applied on one environment is not out of order for the other branch.
    assert_eq!(up(&graph, &["root", "left"], "heads").unwrap(), ["right"]);
    assert_eq!(up(&graph, &[], "righ").unwrap(), ["root", "right"]);
}

#[test]
fn a_merge_is_applied_after_both_its_parents() {
    let graph = graph(&MERGED);
    assert_eq!(
        up(&graph, &[], "head").unwrap(),
        ["root", "left", "right", "merge"]
    );
    assert_eq!(
        up(&graph, &["root", "left"], "head").unwrap(),
        ["right", "merge"]
    );
}

#[test]
fn two_roots_are_both_applied() {
    let graph = graph(&[
        Spec("1", "r1", "", Down::Section),
        Spec("2", "r2", "", Down::Section),
        Spec("3", "m", "r1 r2", Down::Section),
    ]);
    assert_eq!(up(&graph, &["r2"], "head").unwrap(), ["r1", "m"]);
    assert_eq!(
        down(&graph, &["r1", "r2", "m"], "base").unwrap(),
        ["m", "r2", "r1"]
    );
}

#[test]
fn an_empty_directory_has_no_head() {
    let graph = graph(&[]);
    insta::assert_snapshot!(up(&graph, &[], "head").unwrap_err(), @"no revisions: the migrations directory has no revision files; create one with `clipdex-migrate revision`");
    insta::assert_snapshot!(up(&graph, &[], "nope").unwrap_err(), @"unknown revision `nope`: no revision id is or starts with it");
}

#[test]
fn downgrading_steps_back_from_the_single_applied_head() {
    let graph = graph(&LINEAR);
    let all = ["aaaa", "bbbb", "cccc"];
    assert_eq!(down(&graph, &all, "-1").unwrap(), ["cccc"]);
    assert_eq!(down(&graph, &all, "-3").unwrap(), ["cccc", "bbbb", "aaaa"]);
    assert_eq!(down(&graph, &["aaaa", "bbbb"], "-1").unwrap(), ["bbbb"]);
    insta::assert_snapshot!(down(&graph, &["aaaa"], "-2").unwrap_err(), @"cannot go back 2 revision(s): only 1 applied; use `base` to unapply them all");
}

#[test]
fn stepping_back_past_a_merge_asks_for_a_revision() {
    let graph = graph(&MERGED);
    let all = ["root", "left", "right", "merge"];
    assert_eq!(down(&graph, &all, "-1").unwrap(), ["merge"]);
    insta::assert_snapshot!(down(&graph, &all, "-2").unwrap_err(), @"cannot go back 2 revision(s): the applied revisions have 2 heads here (left (2_left.sql), right (3_right.sql)); downgrade to a revision id instead");
}

#[test]
fn downgrading_to_a_revision_keeps_it_and_unapplies_its_descendants() {
    let graph = graph(&MERGED);
    let all = ["root", "left", "right", "merge"];
    assert_eq!(down(&graph, &all, "left").unwrap(), ["merge"]);
    assert_eq!(
        down(&graph, &all, "root").unwrap(),
        ["merge", "right", "left"]
    );
    assert_eq!(down(&graph, &["root", "left"], "root").unwrap(), ["left"]);
    insta::assert_snapshot!(down(&graph, &["root"], "left").unwrap_err(), @"2_left.sql:1: cannot downgrade to left: it is not applied");
    assert_eq!(
        down(&graph, &all, "base").unwrap(),
        ["merge", "right", "left", "root"]
    );
}

#[test]
fn downgrade_steps_run_the_down_section() {
    let graph = graph(&LINEAR);
    let state = state(&graph, &["aaaa", "bbbb"]);
    let plan = Plan::downgrade(
        &graph,
        &state,
        &DowngradeTarget::Base,
        &PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(plan.direction, Direction::Downgrade);
    assert_eq!(Some(plan.steps[0].section), plan.steps[0].revision.down());
    assert_eq!(
        plan.steps[0].section.statements().unwrap()[0].sql,
        "drop table t_bbbb"
    );
}

#[test]
fn downgrading_through_an_irreversible_revision_is_refused() {
    let graph = graph(&[
        Spec("1_a", "aaaa", "", Down::Missing),
        Spec("2_b", "bbbb", "aaaa", Down::Missing),
        Spec("3_c", "cccc", "bbbb", Down::Section),
    ]);
    let all = ["aaaa", "bbbb", "cccc"];
    assert_eq!(down(&graph, &all, "-1").unwrap(), ["cccc"]);
    insta::assert_snapshot!(down(&graph, &all, "base").unwrap_err(), @"2_b.sql:1: revision bbbb has no `-- +down` section, so it cannot be unapplied; downgrade to bbbb or a later revision instead");
}

#[test]
fn downgrading_through_a_down_section_that_cannot_run_is_refused_at_its_line() {
    let blocked = "-- revision: bbbb\n-- parents: aaaa\n\n-- +up\ncreate table t_bbbb ();\n-- +down\ndrop table t_bbbb;\ncreate index concurrently i on t_aaaa ();\n";
    let files = [
        crate::testing::file(&Spec("1_a", "aaaa", "", Down::Section)),
        SourceFile::new("2_b.sql", blocked),
        crate::testing::file(&Spec("3_c", "cccc", "bbbb", Down::Section)),
    ];
    let graph = RevisionGraph::build(&RevisionSet::from_files(files).unwrap()).unwrap();
    let all = ["aaaa", "bbbb", "cccc"];
    assert_eq!(
        up(&graph, &[], "head").unwrap(),
        all,
        "upgrades never run it"
    );
    assert_eq!(down(&graph, &all, "-1").unwrap(), ["cccc"]);
    insta::assert_snapshot!(down(&graph, &all, "base").unwrap_err(), @"2_b.sql:8: the down section of revision bbbb runs CREATE INDEX CONCURRENTLY, which its transaction cannot hold, so downgrading through it is refused; edit that down section (down sections may change after their revision was applied)");
}

#[test]
fn an_edited_applied_revision_is_refused_unless_accepted() {
    let graph = graph(&LINEAR);
    let mut state = state(&graph, &["aaaa", "bbbb"]);
    state.applied[1].up_checksum = Checksum::of(b"create table t_bbbb (id int);\n");
    let plan = |state: &AppliedState, options: &PlanOptions| {
        Plan::upgrade(&graph, state, &UpgradeTarget::Head, options).map(|plan| plan.ids())
    };
    let error = plan(&state, &PlanOptions::default()).unwrap_err();
    assert!(matches!(&error, PlanError::EditedRevision { id, .. } if id == "bbbb"));
    insta::assert_snapshot!(error, @"2_b.sql:4: revision bbbb was applied with up checksum sha256:40f66dd27c18e3f790821ad00762680239b25d793960cae2129831b7203ef0e0, but its up section now has sha256:8ab55972d9d2a5bdc8b70219985e10206dd0557faaded6d9cb47ed967c0ef676; applied revisions are append-only: revert the edit and put the change in a new revision");
    let allowed = PlanOptions {
        allow_edited: true,
        ..PlanOptions::default()
    };
    assert_eq!(plan(&state, &allowed).unwrap(), ["cccc"]);
    let now = graph.get("bbbb").unwrap().up_checksum();
    state.accepted_edits.push(AcceptedEdit {
        id: "bbbb".into(),
        up_checksum: now,
    });
    assert_eq!(plan(&state, &PlanOptions::default()).unwrap(), ["cccc"]);
}

#[test]
fn a_revision_the_files_do_not_have_is_refused_unless_allowed() {
    let graph = graph(&LINEAR);
    let state = state(&graph, &["aaaa", "f00d"]);
    let error = Plan::upgrade(
        &graph,
        &state,
        &UpgradeTarget::Head,
        &PlanOptions::default(),
    )
    .unwrap_err();
    insta::assert_snapshot!(error, @"revision f00d is applied in the database, but no file in the migrations directory declares it; check out the branch that added it");
    let allowed = PlanOptions {
        allow_unknown_applied: true,
        ..PlanOptions::default()
    };
    let plan = Plan::upgrade(&graph, &state, &UpgradeTarget::Head, &allowed).unwrap();
    assert_eq!(plan.ids(), ["bbbb", "cccc"]);
}

#[test]
fn a_pending_revision_under_an_applied_one_is_out_of_order() {
    let graph = graph(&LINEAR);
    let state = state(&graph, &["aaaa", "cccc"]);
    let error = Plan::upgrade(
        &graph,
        &state,
        &UpgradeTarget::Head,
        &PlanOptions::default(),
    )
    .unwrap_err();
    insta::assert_snapshot!(error, @"2_b.sql:2: revision bbbb is not applied, but cccc (3_c.sql), which builds on it, is; applying it now would run it after its descendants: check its `-- parents:`");
    let allowed = PlanOptions {
        allow_out_of_order: true,
        ..PlanOptions::default()
    };
    let plan = Plan::upgrade(&graph, &state, &UpgradeTarget::Head, &allowed).unwrap();
    assert_eq!(plan.ids(), ["bbbb"]);
}
