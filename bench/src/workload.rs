//! The generated migration workload: N small revisions as plain SQL.
//!
//! Every tool's files are written from this one list, so every tool runs exactly the same
//! statements. The mix cycles through five kinds of change (create a table, add a column,
//! create an index, insert and update a few rows, a PL/pgSQL function with a dollar-quoted
//! body), one table per five revisions; it is deterministic, so the first 100 revisions of the
//! 1,000-revision workload are the 100-revision workload.

use std::collections::HashSet;

/// One revision: identity, place in the linear chain, and its SQL both ways.
#[derive(Debug, Clone)]
pub struct Step {
    /// 12 lowercase hex digits, like an Alembic or clipdex-migrate revision id.
    pub id: String,
    /// The previous revision's id; `None` for the first.
    pub parent: Option<String>,
    /// A file-name-friendly description, e.g. `create_bench_t00003`.
    pub slug: String,
    /// One statement per entry, each ending in `;`.
    pub up: Vec<String>,
    /// The statements that undo `up`.
    pub down: Vec<String>,
}

/// What the database must hold once every revision of a workload ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// Revisions.
    pub revisions: usize,
    /// Tables named `bench_t…`.
    pub tables: usize,
    /// Indexes named `bench_t…_name_idx`.
    pub indexes: usize,
    /// Functions named `bench_t…_total`.
    pub functions: usize,
}

/// The first `n` revisions of the workload.
pub fn generate(n: usize) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::with_capacity(n);
    let mut seen = HashSet::new();
    for index in 0..n {
        let id = revision_id(index);
        assert!(seen.insert(id.clone()), "revision id collision at {index}");
        let (slug, up, down) = change(index);
        steps.push(Step {
            parent: steps.last().map(|step| step.id.clone()),
            id,
            slug,
            up,
            down,
        });
    }
    steps
}

/// The objects `generate(n)` creates.
pub fn expected(n: usize) -> Expected {
    let of_kind = |kind: usize| (0..n).filter(|index| index % KINDS == kind).count();
    Expected {
        revisions: n,
        tables: of_kind(0),
        indexes: of_kind(2),
        functions: of_kind(4),
    }
}

const KINDS: usize = 5;

/// A deterministic, well-spread 48-bit id (splitmix64 of the index).
fn revision_id(index: usize) -> String {
    let mut z = (index as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    format!("{:012x}", z & 0xffff_ffff_ffff)
}

type Change = (String, Vec<String>, Vec<String>);

fn change(index: usize) -> Change {
    let table = format!("bench_t{:05}", index / KINDS);
    match index % KINDS {
        0 => create_table(&table),
        1 => add_column(&table),
        2 => create_index(&table),
        3 => insert_rows(&table),
        _ => create_function(&table),
    }
}

fn create_table(table: &str) -> Change {
    let up = format!(
        "CREATE TABLE {table} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    \
         name text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now()\n);"
    );
    let down = format!("DROP TABLE {table};");
    (format!("create_{table}"), vec![up], vec![down])
}

fn add_column(table: &str) -> Change {
    let up = format!("ALTER TABLE {table} ADD COLUMN score integer NOT NULL DEFAULT 0;");
    let down = format!("ALTER TABLE {table} DROP COLUMN score;");
    (format!("add_{table}_score"), vec![up], vec![down])
}

fn create_index(table: &str) -> Change {
    let up = format!("CREATE INDEX {table}_name_idx ON {table} (name, score);");
    let down = format!("DROP INDEX {table}_name_idx;");
    (format!("index_{table}_name"), vec![up], vec![down])
}

fn insert_rows(table: &str) -> Change {
    let insert = format!(
        "INSERT INTO {table} (name, score) VALUES ('alpha', 1), ('beta', 2), ('gamma', 3);"
    );
    let update = format!("UPDATE {table} SET score = score + 10 WHERE name = 'beta';");
    let down = format!("DELETE FROM {table} WHERE name IN ('alpha', 'beta', 'gamma');");
    (format!("seed_{table}"), vec![insert, update], vec![down])
}

fn create_function(table: &str) -> Change {
    let up = format!(
        "CREATE FUNCTION {table}_total(p_min integer) RETURNS bigint\n\
         LANGUAGE plpgsql STABLE AS $$\n\
         DECLARE\n    result bigint;\n\
         BEGIN\n    \
         -- a semicolon; a 'quote' and a $tag$ inside the body must not end the statement\n    \
         SELECT count(*) INTO result FROM {table} WHERE score >= p_min;\n    \
         RETURN result;\n\
         END;\n$$;"
    );
    let down = format!("DROP FUNCTION {table}_total(integer);");
    (format!("function_{table}_total"), vec![up], vec![down])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_is_linear_and_deterministic() {
        let steps = generate(12);
        assert_eq!(steps[0].parent, None);
        assert_eq!(steps[5].parent.as_deref(), Some(steps[4].id.as_str()));
        assert_eq!(generate(3)[2].id, steps[2].id);
        assert_eq!(
            expected(12),
            Expected {
                revisions: 12,
                tables: 3,
                indexes: 2,
                functions: 2
            }
        );
    }
}
