//! The pure parts of the diff on hand-built catalogs: ordering, quoting, notes and hazards,
//! with the generated SQL pinned as inline snapshots.

use std::collections::BTreeMap;

#[path = "citus_tests.rs"]
mod citus;

use crate::diff::Diff;
use crate::ident::QualifiedName;
use crate::model::{
    Catalog, Column, Constraint, ConstraintKind, Dependencies, EnumType, Privileges, Role, Table,
    View, ViewColumn,
};

fn diff(from: &Catalog, to: &Catalog) -> Diff {
    crate::diff::diff(from, to).expect("two catalogs without roles always diff")
}

fn name(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn column(name: &str, data_type: &str) -> Column {
    Column {
        name: name.to_owned(),
        data_type: data_type.to_owned(),
        not_null: false,
        default: None,
        identity: None,
        identity_options: None,
        generated: None,
        generated_virtual: false,
        collation: None,
        privileges: Privileges::default(),
        comment: None,
    }
}

fn table(table: &str, columns: Vec<Column>) -> Table {
    Table {
        name: name(table),
        partition_key: None,
        partition: None,
        inherits: Vec::new(),
        unlogged: false,
        options: Vec::new(),
        column_order: columns.iter().map(|c| c.name.clone()).collect(),
        columns: columns.into_iter().map(|c| (c.name.clone(), c)).collect(),
        constraints: BTreeMap::new(),
        owner: Role::Current,
        privileges: Privileges::default(),
        row_security: Default::default(),
        replica_identity: Default::default(),
        comment: None,
    }
}

fn constraint(table: &mut Table, name: &str, kind: ConstraintKind, definition: &str) {
    let references = definition
        .split_once("REFERENCES public.")
        .map(|(_, rest)| self::name(rest.split('(').next().unwrap_or_default()));
    let constraint = Constraint {
        name: name.to_owned(),
        kind,
        definition: definition.to_owned(),
        references,
        columns: Vec::new(),
        attached: false,
        comment: None,
    };
    table.constraints.insert(name.to_owned(), constraint);
}

fn primary_key(table: &mut Table) {
    let name = format!("{}_pkey", table.name.name);
    constraint(table, &name, ConstraintKind::PrimaryKey, "PRIMARY KEY (id)");
}

fn catalog(tables: Vec<Table>) -> Catalog {
    Catalog {
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        ..Catalog::default()
    }
}

#[test]
fn a_catalog_diffed_against_itself_is_empty() {
    let mut podcasts = table("podcasts", vec![column("id", "bigint")]);
    primary_key(&mut podcasts);
    let catalog = catalog(vec![podcasts]);
    assert!(diff(&catalog, &catalog).is_empty());
}

#[test]
fn keys_come_inline_and_foreign_keys_after_every_table() {
    let mut episodes = table(
        "episodes",
        vec![column("id", "bigint"), column("podcast_id", "bigint")],
    );
    primary_key(&mut episodes);
    constraint(
        &mut episodes,
        "episodes_podcast_id_fkey",
        ConstraintKind::ForeignKey,
        "FOREIGN KEY (podcast_id) REFERENCES public.podcasts(id) ON DELETE CASCADE",
    );
    let mut podcasts = table(
        "podcasts",
        vec![column("id", "bigint"), column("user", "text")],
    );
    primary_key(&mut podcasts);
    let sql = diff(&Catalog::default(), &catalog(vec![episodes, podcasts])).to_sql();
    insta::assert_snapshot!(sql, @r#"
        CREATE TABLE public.episodes (
            id bigint,
            podcast_id bigint,
            CONSTRAINT episodes_pkey PRIMARY KEY (id)
        );

        CREATE TABLE public.podcasts (
            id bigint,
            "user" text,
            CONSTRAINT podcasts_pkey PRIMARY KEY (id)
        );

        ALTER TABLE public.episodes ADD CONSTRAINT episodes_podcast_id_fkey FOREIGN KEY (podcast_id) REFERENCES public.podcasts(id) ON DELETE CASCADE;
        "#);
}

#[test]
fn a_dropped_and_an_added_column_of_one_type_get_a_rename_note() {
    let from = catalog(vec![table(
        "guests",
        vec![column("id", "bigint"), column("full_name", "text")],
    )]);
    let to = catalog(vec![table(
        "guests",
        vec![column("id", "bigint"), column("Display Name", "text")],
    )]);
    insta::assert_snapshot!(diff(&from, &to).to_sql(), @r#"
        -- destructive: drops column public.guests.full_name and its data
        -- note: full_name and Display Name have the same type: if this is a rename, replace the DROP COLUMN and ADD COLUMN with ALTER TABLE public.guests RENAME COLUMN full_name TO "Display Name"
        ALTER TABLE public.guests DROP COLUMN full_name;

        -- note: full_name and Display Name have the same type: if this is a rename, replace the DROP COLUMN and ADD COLUMN with ALTER TABLE public.guests RENAME COLUMN full_name TO "Display Name"
        ALTER TABLE public.guests ADD COLUMN "Display Name" text;
        "#);
}

#[test]
fn a_dropped_and_a_created_table_with_the_same_columns_get_a_rename_note() {
    let from = catalog(vec![table("speakers", vec![column("id", "bigint")])]);
    let to = catalog(vec![table("people", vec![column("id", "bigint")])]);
    insta::assert_snapshot!(diff(&from, &to).to_sql(), @r#"
        -- destructive: drops table public.speakers and its data
        -- note: public.speakers and public.people have the same columns: if this is a rename, replace the DROP TABLE and CREATE TABLE with ALTER TABLE public.speakers RENAME TO people
        DROP TABLE public.speakers;

        -- note: public.speakers and public.people have the same columns: if this is a rename, replace the DROP TABLE and CREATE TABLE with ALTER TABLE public.speakers RENAME TO people
        CREATE TABLE public.people (
            id bigint
        );
        "#);
}

#[test]
fn a_new_not_null_column_without_default_asks_for_a_backfill() {
    let from = catalog(vec![table("episodes", vec![column("id", "bigint")])]);
    let mut slug = column("slug", "text");
    slug.not_null = true;
    let to = catalog(vec![table("episodes", vec![column("id", "bigint"), slug])]);
    insta::assert_snapshot!(diff(&from, &to).to_sql(), @r#"
        -- note: public.episodes.slug is NOT NULL without a default: this fails if the table has rows; existing rows need a backfill (add the column nullable, fill it, then SET NOT NULL)
        ALTER TABLE public.episodes ADD COLUMN slug text NOT NULL;
        "#);
}

#[test]
fn narrowing_is_destructive_and_widening_is_not() {
    let from = catalog(vec![table(
        "t",
        vec![column("n", "bigint"), column("s", "character varying(10)")],
    )]);
    let to = catalog(vec![table(
        "t",
        vec![column("n", "integer"), column("s", "text")],
    )]);
    let changes = diff(&from, &to);
    assert_eq!(
        changes
            .changes
            .iter()
            .filter(|c| c.hazard.is_some())
            .count(),
        1
    );
    insta::assert_snapshot!(changes.to_sql(), @r#"
        -- destructive: narrows public.t.n: bigint to integer fails on values out of range
        -- note: converted with USING n::integer: check the expression
        ALTER TABLE public.t ALTER COLUMN n TYPE integer USING n::integer;

        -- note: converted with USING s::text: every value fits
        ALTER TABLE public.t ALTER COLUMN s TYPE text USING s::text;
        "#);
}

#[test]
fn enum_values_are_added_in_place_next_to_a_neighbour() {
    let role = |labels: &[&str]| EnumType {
        name: name("guest_role"),
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        owner: Role::Current,
        privileges: Privileges::default(),
        comment: None,
    };
    let from = Catalog {
        enums: [(name("guest_role"), role(&["host", "guest"]))].into(),
        ..Catalog::default()
    };
    let to = Catalog {
        enums: [(
            name("guest_role"),
            role(&["producer", "host", "cohost", "guest"]),
        )]
        .into(),
        ..Catalog::default()
    };
    let changes = diff(&from, &to);
    assert_eq!(changes.batches().len(), 2);
    insta::assert_snapshot!(changes.to_sql(), @r#"
        -- note: a new enum value can only be used once this statement is committed
        ALTER TYPE public.guest_role ADD VALUE 'producer' BEFORE 'host';
        -- commit here: what follows may use the value added above

        -- note: a new enum value can only be used once this statement is committed
        ALTER TYPE public.guest_role ADD VALUE 'cohost' AFTER 'host';
        -- commit here: what follows may use the value added above
        "#);
}

#[test]
fn a_view_over_a_retyped_column_is_dropped_before_and_created_after() {
    let view = |data_type: &str| View {
        name: name("titles"),
        materialized: false,
        definition: " SELECT episodes.id\n   FROM public.episodes".to_owned(),
        options: Vec::new(),
        columns: vec![ViewColumn {
            name: "id".to_owned(),
            data_type: data_type.to_owned(),
            privileges: Privileges::default(),
            comment: None,
        }],
        dependencies: Dependencies {
            relations: [name("episodes")].into(),
            columns: [(name("episodes"), "id".to_owned())].into(),
            ..Dependencies::default()
        },
        owner: Role::Current,
        privileges: Privileges::default(),
        comment: None,
    };
    let mut from = catalog(vec![table("episodes", vec![column("id", "integer")])]);
    from.views.insert(name("titles"), view("integer"));
    let mut to = catalog(vec![table("episodes", vec![column("id", "bigint")])]);
    to.views.insert(name("titles"), view("bigint"));
    insta::assert_snapshot!(diff(&from, &to).to_sql(), @r#"
        DROP VIEW public.titles;

        -- note: converted with USING id::bigint: every value fits
        ALTER TABLE public.episodes ALTER COLUMN id TYPE bigint USING id::bigint;

        CREATE VIEW public.titles AS
        SELECT episodes.id
           FROM public.episodes;
        "#);
}
