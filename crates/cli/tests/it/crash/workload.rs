//! The chain the crash tests interrupt, with what each statement does (for the history ⇔
//! catalog check): transactional, `transaction: none`, transactional, `transaction: none`.
//!
//! Revision 2 is the one the promises of `transaction: none` are about: it fills a table big
//! enough that a concurrent index build on it takes a while, writes a ledger row between its
//! statements (so a statement re-run on resume shows as a second row), adds a constraint
//! `NOT VALID` and validates it. Every down section can run again after it was cut off, as a
//! `transaction: none` down section must (it records nothing until it is done).

use crate::reliability::model::{Effect, Revision, alone, run};
use crate::support::Project;

use Effect::*;

pub const REVISIONS: [Revision; 4] = [
    Revision {
        file: "20260101T0000_r1.sql",
        id: "c1a500000001",
        none: false,
        up: &[
            run(
                "CREATE TABLE ledger (entry text NOT NULL)",
                CreatesTable("ledger"),
            ),
            run("INSERT INTO ledger VALUES ('r1')", Inserts("ledger", 1)),
            run("CREATE TABLE r1_a (id int)", CreatesTable("r1_a")),
        ],
        down: &[
            run("DROP TABLE r1_a", Drops(&["r1_a"])),
            run("DROP TABLE ledger", Drops(&["ledger"])),
        ],
    },
    Revision {
        file: "20260102T0000_r2.sql",
        id: "c1a500000002",
        none: true,
        up: &[
            run(
                "CREATE TABLE r2_t (id int, note text)",
                CreatesTable("r2_t"),
            ),
            // Enough rows for the concurrent build below to be a window a kill can land in.
            run(
                "INSERT INTO r2_t SELECT g, 'row ' || g FROM generate_series(1, 50000) g",
                Inserts("r2_t", 50_000),
            ),
            run(
                "INSERT INTO ledger VALUES ('r2 filled')",
                Inserts("ledger", 1),
            ),
            alone(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS r2_i ON r2_t (id)",
                BuildsConcurrently("r2_i"),
            ),
            run(
                "INSERT INTO ledger VALUES ('r2 indexed')",
                Inserts("ledger", 1),
            ),
            run("SELECT pg_sleep(0.02)", Nothing),
            run(
                "ALTER TABLE r2_t ADD CONSTRAINT r2_t_positive CHECK (id > 0) NOT VALID",
                AddsUnvalidated("public.r2_t.r2_t_positive"),
            ),
            run(
                "INSERT INTO r2_t VALUES (50001, 'checked')",
                Inserts("r2_t", 1),
            ),
            run(
                "ALTER TABLE r2_t VALIDATE CONSTRAINT r2_t_positive",
                Validates("public.r2_t.r2_t_positive"),
            ),
        ],
        down: &[
            alone(
                "ALTER TABLE IF EXISTS r2_t DROP CONSTRAINT IF EXISTS r2_t_positive",
                DropsConstraint("public.r2_t.r2_t_positive"),
            ),
            alone(
                "DELETE FROM ledger WHERE entry LIKE 'r2 %'",
                Deletes("ledger", 2),
            ),
            alone(
                "DROP INDEX CONCURRENTLY IF EXISTS r2_i",
                DropsConcurrently("r2_i"),
            ),
            // The downgrade's last stretch: as for the upgrade's, far longer than a kill's
            // delay after its last point of progress.
            alone("SELECT pg_sleep(0.15)", Nothing),
            alone("DROP TABLE IF EXISTS r2_t", Drops(&["r2_t"])),
        ],
    },
    Revision {
        file: "20260103T0000_r3.sql",
        id: "c1a500000003",
        none: false,
        up: &[
            run("CREATE TABLE r3_a (id int)", CreatesTable("r3_a")),
            run(
                "INSERT INTO r3_a SELECT generate_series(1, 20000)",
                Inserts("r3_a", 20_000),
            ),
            run("INSERT INTO ledger VALUES ('r3')", Inserts("ledger", 1)),
            run("SELECT pg_sleep(0.02)", Nothing),
            run("CREATE INDEX r3_a_id ON r3_a (id)", Creates("r3_a_id")),
        ],
        down: &[
            run(
                "DELETE FROM ledger WHERE entry = 'r3'",
                Deletes("ledger", 1),
            ),
            run("SELECT pg_sleep(0.04)", Nothing),
            run("DROP TABLE r3_a", Drops(&["r3_a", "r3_a_id"])),
        ],
    },
    Revision {
        file: "20260104T0000_r4.sql",
        id: "c1a500000004",
        none: true,
        // Quick statements, with sleeps between them, so that each point of this revision's
        // progress is followed by work a kill can land in.
        up: &[
            run("SELECT pg_sleep(0.02)", Nothing),
            run("CREATE TABLE r4_t (id int)", CreatesTable("r4_t")),
            run(
                "INSERT INTO r4_t SELECT generate_series(1, 1000)",
                Inserts("r4_t", 1000),
            ),
            run("SELECT pg_sleep(0.02)", Nothing),
            alone("VACUUM r4_t", Nothing),
            run("INSERT INTO ledger VALUES ('r4')", Inserts("ledger", 1)),
            run("SELECT pg_sleep(0.02)", Nothing),
            run("CREATE TABLE r4_u (id int)", CreatesTable("r4_u")),
            // Far longer than the longest delay after a point of progress, and than the lag
            // of a loaded machine in seeing that point: a kill drawn at the last point lands
            // in the run, not after it.
            run("SELECT pg_sleep(0.15)", Nothing),
        ],
        down: &[
            alone(
                "DELETE FROM ledger WHERE entry = 'r4'",
                Deletes("ledger", 1),
            ),
            alone("DROP TABLE IF EXISTS r4_u", Drops(&["r4_u"])),
            alone("SELECT pg_sleep(0.04)", Nothing),
            alone("DROP TABLE IF EXISTS r4_t", Drops(&["r4_t"])),
        ],
    },
];

/// The revision a downgrade goes back to, and how many revisions then remain.
pub const DOWNGRADE_TARGET: &str = "c1a500000001";
pub const KEPT_BY_DOWNGRADE: usize = 1;

/// The revision with id `id`.
pub fn revision(id: &str) -> &'static Revision {
    REVISIONS
        .iter()
        .find(|revision| revision.id == id)
        .unwrap_or_else(|| panic!("no revision {id} in the workload"))
}

/// The points of progress an upgrade's history shows: each transactional revision recorded,
/// each statement of a `transaction: none` one.
pub fn upgrade_steps() -> usize {
    REVISIONS
        .iter()
        .map(|revision| if revision.none { revision.up.len() } else { 1 })
        .sum()
}

/// The points of progress a downgrade's history shows: each revision forgotten.
pub fn downgrade_steps() -> usize {
    REVISIONS.len() - KEPT_BY_DOWNGRADE
}

/// A project with the chain's files and their sum.
pub fn project() -> Project {
    let project = Project::empty();
    let mut parent = "";
    for revision in &REVISIONS {
        let transaction = if revision.none {
            "none"
        } else {
            "per-revision"
        };
        let section = |statements: &[crate::reliability::model::Statement]| {
            statements
                .iter()
                .map(|statement| format!("{};", statement.sql))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let text = format!(
            "-- revision: {}\n-- parents: {parent}\n-- transaction: {transaction}\n\n-- +up\n{}\n\n-- +down\n{}\n",
            revision.id,
            section(revision.up),
            section(revision.down),
        );
        project.write(revision.file, &text);
        parent = revision.id;
    }
    project.sum();
    project
}
