//! Citus distribution in the diff, on hand-built catalogs.

use crate::model::{Catalog, ColocationGroup, Distribution};

use super::{catalog, column, diff, name, primary_key, table};

/// A catalog of `tables` (each with an `id` key and a `podcast_id` column), placed as given.
fn placed(tables: &[(&str, Option<Distribution>)]) -> Catalog {
    let built = tables.iter().map(|(t, _)| {
        let mut t = table(
            t,
            vec![column("id", "bigint"), column("podcast_id", "bigint")],
        );
        primary_key(&mut t);
        t
    });
    let mut catalog = catalog(built.collect());
    for (t, distribution) in tables {
        if let Some(distribution) = distribution {
            catalog.citus.insert(name(t), distribution.clone());
        }
    }
    catalog
}

/// The statements of the diff `from` → `to`.
fn statements(from: &Catalog, to: &Catalog) -> Vec<String> {
    diff(from, to)
        .changes
        .into_iter()
        .map(|change| change.sql)
        .collect()
}

fn hash(column: &str, group: &str) -> Option<Distribution> {
    Some(Distribution::Hash {
        column: column.to_owned(),
        colocation: ColocationGroup(name(group)),
    })
}

#[test]
fn a_table_that_should_be_distributed_and_is_not_is_distributed() {
    let live = placed(&[("listens", None)]);
    let replay = placed(&[("listens", hash("podcast_id", "listens"))]);
    insta::assert_snapshot!(diff(&live, &replay).to_sql(), @r"
    -- note: copies the table's rows to its shards while it blocks writes to it; on a large table, use create_distributed_table_concurrently in a `transaction: none` revision
    SELECT create_distributed_table('public.listens', 'podcast_id', colocate_with := 'none');
    ");
    insta::assert_snapshot!(diff(&replay, &live).to_sql(), @r"
    -- note: brings the rows back to the coordinator; a table with foreign keys to other Citus tables needs cascade_via_foreign_keys := true
    SELECT undistribute_table('public.listens');
    ");
}

#[test]
fn a_new_table_joins_its_group_through_a_placed_member_and_moves_nobody() {
    let from = placed(&[
        ("listeners", hash("podcast_id", "listeners")),
        ("listens", hash("podcast_id", "listeners")),
    ]);
    // `a_plays` sorts first, so it names the group on the new side.
    let to = placed(&[
        ("a_plays", hash("podcast_id", "a_plays")),
        ("listeners", hash("podcast_id", "a_plays")),
        ("listens", hash("podcast_id", "a_plays")),
    ]);
    let sql = diff(&from, &to).to_sql();
    assert!(
        sql.contains("SELECT create_distributed_table('public.a_plays', 'podcast_id', colocate_with := 'public.listeners');"),
        "{sql}"
    );
    assert_eq!(sql.matches("SELECT ").count(), 1, "{sql}");
}

#[test]
fn new_groups_start_with_none_and_their_members_follow_the_first() {
    let from = placed(&[("a", None), ("b", None), ("c", None)]);
    let to = placed(&[
        ("a", hash("podcast_id", "a")),
        ("b", hash("podcast_id", "a")),
        ("c", hash("id", "c")),
    ]);
    assert_eq!(
        statements(&from, &to),
        [
            "SELECT create_distributed_table('public.a', 'podcast_id', colocate_with := 'none')",
            "SELECT create_distributed_table('public.b', 'podcast_id', colocate_with := 'public.a')",
            "SELECT create_distributed_table('public.c', 'id', colocate_with := 'none')",
        ]
    );
}

#[test]
fn a_changed_column_or_group_alters_and_a_changed_kind_starts_over() {
    let from = placed(&[
        ("a", hash("podcast_id", "a")),
        ("b", hash("podcast_id", "b")),
        ("r", Some(Distribution::Reference)),
    ]);
    let to = placed(&[
        ("a", hash("id", "a")),
        ("b", hash("podcast_id", "b")),
        ("r", hash("id", "a")),
    ]);
    assert_eq!(
        statements(&from, &to),
        [
            "SELECT undistribute_table('public.r')",
            "SELECT alter_distributed_table('public.a', distribution_column := 'id', colocate_with := 'none')",
            "SELECT create_distributed_table('public.r', 'id', colocate_with := 'public.a')",
        ]
    );
}

#[test]
fn reference_tables_come_after_keys_and_before_foreign_keys() {
    let from = Catalog::default();
    let mut to = placed(&[("countries", Some(Distribution::Reference))]);
    let mut listeners = table(
        "listeners",
        vec![column("id", "bigint"), column("country", "bigint")],
    );
    primary_key(&mut listeners);
    super::constraint(
        &mut listeners,
        "listeners_country_fkey",
        crate::model::ConstraintKind::ForeignKey,
        "FOREIGN KEY (country) REFERENCES public.countries(id)",
    );
    to.tables.insert(name("listeners"), listeners);
    let sql = diff(&from, &to).to_sql();
    let distributed = sql.find("create_reference_table").expect("distributed");
    let created = sql.find("CREATE TABLE public.countries").expect("created");
    let foreign = sql
        .find("ADD CONSTRAINT listeners_country_fkey")
        .expect("foreign key");
    assert!(created < distributed && distributed < foreign, "{sql}");
}
