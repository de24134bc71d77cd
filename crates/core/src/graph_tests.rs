//! Graph shapes (linear, branch, merge, two roots), every graph error, and id resolution.

use crate::testing::{Down, Spec, graph, set};

use super::*;

fn ids(revisions: &[&Revision]) -> Vec<String> {
    revisions
        .iter()
        .map(|revision| revision.id().to_owned())
        .collect()
}

fn build_error(specs: &[Spec<'_>]) -> String {
    RevisionGraph::build(&set(specs)).unwrap_err().to_string()
}

#[test]
fn a_linear_history_has_one_root_one_head_and_an_obvious_order() {
    let graph = graph(&[
        Spec("1_a", "aaaa", "", Down::Section),
        Spec("2_b", "bbbb", "aaaa", Down::Section),
        Spec("3_c", "cccc", "bbbb", Down::Section),
    ]);
    assert_eq!(ids(&graph.roots()), ["aaaa"]);
    assert_eq!(ids(&graph.heads()), ["cccc"]);
    assert_eq!(ids(&graph.topological_order()), ["aaaa", "bbbb", "cccc"]);
    assert_eq!(
        ids(&graph.ancestors("cccc", Inclusion::Exclusive).unwrap()),
        ["aaaa", "bbbb"]
    );
    assert_eq!(
        ids(&graph.ancestors("bbbb", Inclusion::Inclusive).unwrap()),
        ["aaaa", "bbbb"]
    );
    assert_eq!(
        ids(&graph.descendants("aaaa", Inclusion::Exclusive).unwrap()),
        ["bbbb", "cccc"]
    );
    assert_eq!(ids(&graph.parents("bbbb").unwrap()), ["aaaa"]);
    assert_eq!(ids(&graph.children("bbbb").unwrap()), ["cccc"]);
    assert!(!graph.is_merge("cccc"));
    assert_eq!(graph.ancestors("zzzz", Inclusion::Inclusive), None);
    assert_eq!(graph.len(), 3);
}

#[test]
fn branches_are_ordered_by_file_name_not_by_id() {
    // Two branches on the same parent: two heads. `zzzz`'s file is older, so it goes first.
    let graph = graph(&[
        Spec("20260101_root", "rrrr", "", Down::Section),
        Spec("20260301_later", "aaaa", "rrrr", Down::Section),
        Spec("20260201_earlier", "zzzz", "rrrr", Down::Section),
    ]);
    assert_eq!(ids(&graph.heads()), ["zzzz", "aaaa"]);
    assert_eq!(ids(&graph.topological_order()), ["rrrr", "zzzz", "aaaa"]);
    assert_eq!(ids(&graph.children("rrrr").unwrap()), ["zzzz", "aaaa"]);
}

#[test]
fn a_merge_joins_two_heads() {
    let graph = graph(&[
        Spec("1", "root", "", Down::Section),
        Spec("2", "left", "root", Down::Section),
        Spec("3", "right", "root", Down::Section),
        Spec("4", "merge", "left right", Down::Section),
    ]);
    assert!(graph.is_merge("merge"));
    assert_eq!(ids(&graph.heads()), ["merge"]);
    assert_eq!(
        ids(&graph.ancestors("merge", Inclusion::Exclusive).unwrap()),
        ["root", "left", "right"]
    );
    assert_eq!(
        ids(&graph.descendants("left", Inclusion::Inclusive).unwrap()),
        ["left", "merge"]
    );
}

#[test]
fn two_roots_are_both_roots() {
    let graph = graph(&[
        Spec("1", "r1", "", Down::Section),
        Spec("2", "r2", "", Down::Section),
        Spec("3", "m", "r2 r1", Down::Section),
    ]);
    assert_eq!(ids(&graph.roots()), ["r1", "r2"]);
    assert_eq!(ids(&graph.parents("m").unwrap()), ["r2", "r1"]);
}

#[test]
fn duplicate_ids_name_both_files() {
    let error = build_error(&[
        Spec("1_a", "same", "", Down::Section),
        Spec("2_b", "same", "", Down::Section),
    ]);
    insta::assert_snapshot!(error, @"2_b.sql:1: revision id `same` is already used by 1_a.sql:1; every revision needs its own id");
}

#[test]
fn missing_and_self_parents_point_at_the_parents_line() {
    let error = build_error(&[
        Spec("1_a", "aaaa", "gone", Down::Section),
        Spec("2_b", "bbbb", "aaaa bbbb", Down::Section),
    ]);
    insta::assert_snapshot!(error, @r"
    1_a.sql:2: parent `gone` of revision `aaaa` is not a revision in the migrations directory
    2_b.sql:2: revision `bbbb` lists itself in `-- parents:`
    ");
}

#[test]
fn cycles_are_listed_in_parent_order_from_their_earliest_file() {
    let error = build_error(&[
        Spec("1_root", "root", "", Down::Section),
        Spec("2_a", "aaaa", "cccc", Down::Section),
        Spec("3_b", "bbbb", "aaaa", Down::Section),
        Spec("4_c", "cccc", "bbbb", Down::Section),
        Spec("5_after", "dddd", "bbbb root", Down::Section),
    ]);
    insta::assert_snapshot!(error, @"2_a.sql:2: parents form a cycle: aaaa (2_a.sql) → cccc (4_c.sql) → bbbb (3_b.sql) → aaaa; each arrow points at a parent, and a revision cannot be its own ancestor");
}

#[test]
fn targets_resolve_by_whole_id_or_unique_prefix() {
    let graph = graph(&[
        Spec("1", "abc", "", Down::Section),
        Spec("2", "8c3f1a2b", "abc", Down::Section),
        Spec("3", "8c3f99", "abc", Down::Section),
        Spec("4", "4b1e0c9d", "abc", Down::Section),
    ]);
    assert_eq!(graph.resolve("abc").unwrap().id(), "abc");
    assert_eq!(graph.resolve("4b1e").unwrap().id(), "4b1e0c9d");
    assert_eq!(graph.resolve("8c3f1").unwrap().id(), "8c3f1a2b");
    let error = |target| graph.resolve(target).unwrap_err().to_string();
    insta::assert_snapshot!(error("8c3f"), @"revision prefix `8c3f` is ambiguous: it matches 8c3f1a2b (2.sql), 8c3f99 (3.sql); give more characters");
    insta::assert_snapshot!(error("4b1"), @"revision `4b1` is not an id, and a prefix needs at least 4 characters");
    insta::assert_snapshot!(error("ffff"), @"unknown revision `ffff`: no revision id is or starts with it");
}

#[test]
fn a_five_thousand_revision_graph_is_quick() {
    let specs: Vec<(String, String, String)> = (0..5_000)
        .map(|n| {
            // Every tenth revision is a merge of the two previous ones.
            let parents = match n {
                0 => String::new(),
                n if n % 10 == 0 => format!("r{} r{}", n - 1, n - 2),
                n => format!("r{}", n - 1),
            };
            (format!("{n:05}"), format!("r{n}"), parents)
        })
        .collect();
    let specs: Vec<Spec<'_>> = specs
        .iter()
        .map(|(file, id, parents)| Spec(file, id, parents, Down::Section))
        .collect();
    let started = std::time::Instant::now();
    let graph = graph(&specs);
    assert_eq!(ids(&graph.heads()), ["r4999"]);
    assert_eq!(
        graph
            .ancestors("r4999", Inclusion::Inclusive)
            .unwrap()
            .len(),
        5_000
    );
    assert_eq!(graph.topological_order()[4_999].id(), "r4999");
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}
