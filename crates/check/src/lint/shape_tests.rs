//! Statement shapes from tokens: what each DDL form the lint knows reads as, and look-alikes
//! in comments and strings that must read as nothing.

use super::*;

fn table(name: &str) -> TableName {
    TableName {
        schema: None,
        name: name.to_owned(),
    }
}

fn actions(sql: &str) -> Vec<AlterAction> {
    match shape_of(sql) {
        Shape::AlterTable { actions, .. } => actions,
        other => panic!("not ALTER TABLE: {other:?}"),
    }
}

#[test]
fn indexes_name_their_table_and_whether_they_are_concurrent() {
    let shape =
        shape_of("CREATE UNIQUE INDEX IF NOT EXISTS i ON ONLY app.\"Episodes\" USING btree (a)");
    let expected = TableName {
        schema: Some("app".into()),
        name: "Episodes".into(),
    };
    assert_eq!(
        shape,
        Shape::CreateIndex {
            table: expected,
            concurrently: false
        }
    );
    let shape = shape_of("create index concurrently on episodes ((lower(title)))");
    assert_eq!(
        shape,
        Shape::CreateIndex {
            table: table("episodes"),
            concurrently: true
        }
    );
}

#[test]
fn alter_table_actions_are_split_at_top_level_commas() {
    let found = actions(
        "ALTER TABLE ONLY episodes ADD COLUMN n int NOT NULL, ADD COLUMN m numeric(10, 2) DEFAULT 0 NOT NULL, ALTER COLUMN t SET NOT NULL",
    );
    assert_eq!(
        found,
        [
            AlterAction::AddColumn {
                column: "n".into(),
                not_null: true,
                fills_rows: false
            },
            AlterAction::AddColumn {
                column: "m".into(),
                not_null: true,
                fills_rows: true
            },
            AlterAction::SetNotNull { column: "t".into() },
        ]
    );
}

#[test]
fn serial_identity_and_generated_columns_fill_existing_rows() {
    for sql in [
        "ALTER TABLE t ADD id bigserial NOT NULL",
        "ALTER TABLE t ADD id bigint GENERATED ALWAYS AS IDENTITY NOT NULL",
        "ALTER TABLE t ADD COLUMN IF NOT EXISTS s text GENERATED ALWAYS AS (upper(x)) STORED NOT NULL",
    ] {
        let [AlterAction::AddColumn { fills_rows, .. }] = &actions(sql)[..] else {
            panic!("{sql}")
        };
        assert!(fills_rows, "{sql}");
    }
}

#[test]
fn a_check_with_not_null_inside_parentheses_is_not_a_not_null_column() {
    let found = actions("ALTER TABLE t ADD COLUMN c int CHECK (c IS NOT NULL)");
    assert_eq!(
        found,
        [AlterAction::AddColumn {
            column: "c".into(),
            not_null: false,
            fills_rows: false
        }]
    );
}

#[test]
fn foreign_keys_and_type_changes() {
    assert_eq!(
        actions("ALTER TABLE q ADD CONSTRAINT q_e FOREIGN KEY (e) REFERENCES episodes NOT VALID"),
        [AlterAction::AddForeignKey { not_valid: true }]
    );
    assert_eq!(
        actions("ALTER TABLE q ADD FOREIGN KEY (e) REFERENCES episodes"),
        [AlterAction::AddForeignKey { not_valid: false }]
    );
    assert_eq!(
        actions("ALTER TABLE q ADD CONSTRAINT u UNIQUE (e)"),
        [AlterAction::Other]
    );
    assert_eq!(
        actions("ALTER TABLE e ALTER title SET DATA TYPE varchar(200) COLLATE \"C\""),
        [AlterAction::AlterType {
            column: "title".into(),
            new_type: "varchar ( 200 )".into(),
            using: false
        }]
    );
    assert_eq!(
        actions("ALTER TABLE e ALTER COLUMN n TYPE bigint USING n::bigint"),
        [AlterAction::AlterType {
            column: "n".into(),
            new_type: "bigint".into(),
            using: true
        }]
    );
}

#[test]
fn lock_timeout_settings() {
    let set = |sql| shape_of(sql);
    assert_eq!(
        set("SET lock_timeout = '5s'"),
        Shape::SetLockTimeout {
            local: false,
            enabled: true
        }
    );
    assert_eq!(
        set("set local lock_timeout to 500"),
        Shape::SetLockTimeout {
            local: true,
            enabled: true
        }
    );
    assert_eq!(
        set("SET lock_timeout = 0"),
        Shape::SetLockTimeout {
            local: false,
            enabled: false
        }
    );
    assert_eq!(
        set("SET lock_timeout TO DEFAULT"),
        Shape::SetLockTimeout {
            local: false,
            enabled: false
        }
    );
    assert_eq!(
        set("RESET lock_timeout"),
        Shape::SetLockTimeout {
            local: false,
            enabled: false
        }
    );
    assert_eq!(set("SET statement_timeout = '5s'"), Shape::Other);
}

#[test]
fn other_table_locks() {
    let shape = shape_of("DROP TABLE IF EXISTS a, public.b");
    let Shape::LocksTable { tables, command } = shape else {
        panic!("{shape:?}")
    };
    assert_eq!(command, "DROP TABLE");
    assert_eq!(
        tables[1],
        TableName {
            schema: Some("public".into()),
            name: "b".into()
        }
    );
    let shape =
        shape_of("CREATE TRIGGER t BEFORE UPDATE ON episodes FOR EACH ROW EXECUTE FUNCTION f()");
    assert_eq!(
        shape,
        Shape::LocksTable {
            tables: vec![table("episodes")],
            command: "CREATE TRIGGER"
        }
    );
    assert_eq!(
        shape_of("CREATE TABLE IF NOT EXISTS x (id int)"),
        Shape::CreateTable { table: table("x") }
    );
}

#[test]
fn look_alikes_in_comments_and_strings_are_not_statements() {
    assert_eq!(
        shape_of(
            "-- ALTER TABLE episodes ALTER x SET NOT NULL\nSELECT 'CREATE INDEX ON episodes (x)'"
        ),
        Shape::Other
    );
    assert_eq!(
        shape_of("/* create index on t (x) */ select 1"),
        Shape::Other
    );
    let found = actions("ALTER TABLE t ADD COLUMN note text DEFAULT 'NOT NULL' /* NOT NULL */");
    assert_eq!(
        found,
        [AlterAction::AddColumn {
            column: "note".into(),
            not_null: false,
            fills_rows: true
        }]
    );
}
