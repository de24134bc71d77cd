//! Writes one workload in every tool's format, from the same [`Step`]s.
//!
//! - `clipdex/`: clipdex-migrate revision files and their `revisions.sum`, computed by
//!   `clipdex_core` itself, so the set loads exactly as the real tool loads it;
//! - `alembic/`: `alembic.ini`, `env.py` and `versions/` with one `op.execute` per statement;
//! - `sqlx/`: reversible sqlx-cli migrations (`<version>_<slug>.up.sql` / `.down.sql`);
//! - `dbmate/`: `-- migrate:up` / `-- migrate:down` files;
//! - `numbered/`: `NNNNN_slug.sql` for `scripts/psql-loop.sh`;
//! - `floor.sql`: every up statement, concatenated, for one `psql -1 -f`;
//! - `floor-per-revision.sql`: the same, each revision in its own `BEGIN … COMMIT` sent as one
//!   request, for one `psql -f`.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use clipdex_core::{RevisionSet, SumFile};

use crate::workload::Step;

/// Where clipdex-migrate's revision files are in a workload directory.
pub fn clipdex_dir(workload: &Path) -> PathBuf {
    workload.join("clipdex")
}

/// Writes every format of `steps` into `dir`, replacing what was there.
pub fn write_workload(dir: &Path, steps: &[Step]) -> io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    write_clipdex(&clipdex_dir(dir), steps)?;
    write_alembic(&dir.join("alembic"), steps)?;
    write_sqlx(&dir.join("sqlx"), steps)?;
    write_dbmate(&dir.join("dbmate"), steps)?;
    write_numbered(&dir.join("numbered"), steps)?;
    let floor: String = steps.iter().map(|step| lines(&step.up)).collect();
    fs::write(dir.join("floor.sql"), floor)?;
    let per_revision: String = steps.iter().map(|step| one_request(&step.up)).collect();
    fs::write(dir.join(FLOOR_PER_REVISION), per_revision)
}

/// The per-revision floor's script, beside `floor.sql`.
pub const FLOOR_PER_REVISION: &str = "floor-per-revision.sql";

/// A revision's statements (each ending in `;`) as one transaction that psql sends as one
/// request: `\;` ends a statement without sending the buffer, the last `;` sends it all.
fn one_request(statements: &[String]) -> String {
    let mut request = String::from("BEGIN \\;\n");
    for sql in statements {
        let body = sql.strip_suffix(';').unwrap_or(sql);
        request.push_str(body);
        request.push_str(" \\;\n");
    }
    request.push_str("COMMIT;\n");
    request
}

/// The statements of a section, one per line, with a trailing newline.
fn lines(statements: &[String]) -> String {
    statements.iter().map(|sql| format!("{sql}\n")).collect()
}

/// The 1-based, zero-padded number of step `index`, for file names and versions.
fn number(index: usize) -> String {
    format!("{:05}", index + 1)
}

pub(crate) fn write_clipdex(dir: &Path, steps: &[Step]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for (index, step) in steps.iter().enumerate() {
        let text = format!(
            "-- revision: {}\n-- parents: {}\n-- message: {}\n\n-- +up\n{}\n-- +down\n{}",
            step.id,
            step.parent.as_deref().unwrap_or(""),
            step.slug.replace('_', " "),
            lines(&step.up),
            lines(&step.down),
        );
        fs::write(
            dir.join(format!("{}_{}.sql", number(index), step.slug)),
            text,
        )?;
    }
    let set = RevisionSet::read_dir(dir).map_err(|error| {
        io::Error::other(format!("the generated revisions do not load: {error}"))
    })?;
    fs::write(
        dir.join(clipdex_core::set::SUM_FILE_NAME),
        SumFile::compute(&set).render(),
    )
}

const ALEMBIC_INI: &str = "[alembic]\nscript_location = %(here)s\n";

/// A minimal `env.py`: online mode only, the URL from `BENCH_DATABASE_URL`, no logging setup.
/// Alembic's default of one transaction around all pending revisions is kept.
const ALEMBIC_ENV: &str = r#"import os

from alembic import context
from sqlalchemy import create_engine, pool

engine = create_engine(os.environ["BENCH_DATABASE_URL"], poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"#;

fn write_alembic(dir: &Path, steps: &[Step]) -> io::Result<()> {
    let versions = dir.join("versions");
    fs::create_dir_all(&versions)?;
    fs::write(dir.join("alembic.ini"), ALEMBIC_INI)?;
    fs::write(dir.join("env.py"), ALEMBIC_ENV)?;
    for step in steps {
        let file = versions.join(format!("{}_{}.py", step.id, step.slug));
        fs::write(file, alembic_script(step))?;
    }
    Ok(())
}

pub(crate) fn alembic_script(step: &Step) -> String {
    let down_revision = match &step.parent {
        Some(parent) => python_string(parent),
        None => "None".to_owned(),
    };
    let mut text = format!(
        "\"\"\"{}\"\"\"\nfrom alembic import op\n\nrevision = {}\ndown_revision = {down_revision}\n\
         branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n",
        step.slug,
        python_string(&step.id),
    );
    for sql in &step.up {
        let _ = writeln!(text, "    op.execute({})", python_string(sql));
    }
    text.push_str("\n\ndef downgrade():\n");
    for sql in &step.down {
        let _ = writeln!(text, "    op.execute({})", python_string(sql));
    }
    text
}

/// A double-quoted Python string literal.
fn python_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

fn write_sqlx(dir: &Path, steps: &[Step]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for (index, step) in steps.iter().enumerate() {
        let stem = format!("{}_{}", number(index), step.slug);
        fs::write(dir.join(format!("{stem}.up.sql")), lines(&step.up))?;
        fs::write(dir.join(format!("{stem}.down.sql")), lines(&step.down))?;
    }
    Ok(())
}

fn write_dbmate(dir: &Path, steps: &[Step]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for (index, step) in steps.iter().enumerate() {
        let text = format!(
            "-- migrate:up\n{}\n-- migrate:down\n{}",
            lines(&step.up),
            lines(&step.down)
        );
        fs::write(
            dir.join(format!("{}_{}.sql", number(index), step.slug)),
            text,
        )?;
    }
    Ok(())
}

fn write_numbered(dir: &Path, steps: &[Step]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for (index, step) in steps.iter().enumerate() {
        let file = dir.join(format!("{}_{}.sql", number(index), step.slug));
        fs::write(file, lines(&step.up))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::one_request;

    /// Statements of one request share `statement_timestamp()`, however long the one between
    /// them runs; statements of one transaction share `transaction_timestamp()`. So two
    /// revisions of the per-revision floor, run by psql, must show two of each.
    #[test]
    fn each_revision_of_the_per_revision_floor_is_one_request_and_one_transaction() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let database = scratch::database().await.unwrap();
            let client = database.connect().await.unwrap();
            client
                .batch_execute("CREATE TABLE seen (sent timestamptz, began timestamptz)")
                .await
                .unwrap();
            let insert =
                "INSERT INTO seen VALUES (statement_timestamp(), transaction_timestamp());";
            let revision = [insert, "SELECT pg_sleep(0.05);", insert].map(str::to_owned);
            let dir = tempfile::tempdir().unwrap();
            let script = dir.path().join("floor.sql");
            std::fs::write(&script, one_request(&revision).repeat(2)).unwrap();
            let psql = scratch::client_tool("psql").unwrap();
            let status = std::process::Command::new(psql)
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
                .arg(database.url())
                .arg("-f")
                .arg(&script)
                .status()
                .unwrap();
            assert!(status.success(), "psql: {status}");
            let row = client
                .query_one(
                    "SELECT count(DISTINCT sent), count(DISTINCT began), count(*) FROM seen",
                    &[],
                )
                .await
                .unwrap();
            let counts: (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
            assert_eq!(counts, (2, 2, 4), "requests, transactions and rows");
        });
    }
}
