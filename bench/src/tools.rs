//! The migration tools under test: how each is invoked against a database and a workload,
//! and how the bench proves that it really applied every revision.
//!
//! A benchmark of a tool that silently did nothing is worthless, so every fresh apply is
//! followed by a check of the objects the workload creates (tables, indexes, functions) and of
//! the tool's own history (rows in its history table, or Alembic's head).

use std::path::{Path, PathBuf};

use crate::measure::Invocation;
use crate::server::Server;
use crate::workload::Expected;
use crate::write::FLOOR_PER_REVISION;

/// Which tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Every up statement in one file, one `psql -1 -f`: the server's work and nothing else.
    Floor,
    /// The same statements with one transaction per revision, each revision sent as one
    /// request (`psql -f`, statements joined by `\;`): the floor of any tool that commits
    /// revision by revision, as clipdex-migrate does, before it keeps any history.
    FloorPerRevision,
    /// `target/release/clipdex-migrate upgrade`.
    Clipdex,
    /// `sqlx migrate run`.
    Sqlx,
    /// `dbmate migrate`.
    Dbmate,
    /// `alembic upgrade head`.
    Alembic,
    /// `scripts/psql-loop.sh`: one `psql -f` per file.
    PsqlLoop,
}

/// Every kind, in report order.
pub const ALL: [Kind; 7] = [
    Kind::Floor,
    Kind::FloorPerRevision,
    Kind::Clipdex,
    Kind::Sqlx,
    Kind::Dbmate,
    Kind::Alembic,
    Kind::PsqlLoop,
];

impl Kind {
    /// The name used in reports and on the command line.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Floor => "floor",
            Kind::FloorPerRevision => "floor-per-revision",
            Kind::Clipdex => "clipdex-migrate",
            Kind::Sqlx => "sqlx-cli",
            Kind::Dbmate => "dbmate",
            Kind::Alembic => "alembic",
            Kind::PsqlLoop => "psql-loop",
        }
    }

    /// Whether the tool records what it applied (so that a second run is a no-op).
    pub fn tracks_history(self) -> bool {
        !matches!(self, Kind::Floor | Kind::FloorPerRevision | Kind::PsqlLoop)
    }
}

/// A tool with the program that runs it.
#[derive(Debug, Clone)]
pub struct Tool {
    /// Which tool.
    pub kind: Kind,
    /// Its executable (`psql` for the floor, the script for the loop).
    pub program: PathBuf,
    /// The directory of the server's `psql`, put first on PATH for the loop.
    pub pg_bin: PathBuf,
}

impl Tool {
    /// The command that applies every pending revision of the workload in `dir`.
    pub fn upgrade(&self, server: &Server, db: &str, dir: &Path) -> Invocation {
        let base = Invocation::new(&self.program);
        match self.kind {
            Kind::Floor => psql_script(base, &["-1"], server.url(db), &dir.join("floor.sql")),
            Kind::FloorPerRevision => {
                psql_script(base, &[], server.url(db), &dir.join(FLOOR_PER_REVISION))
            }
            Kind::Clipdex => self.clipdex(server, db, dir).arg("upgrade"),
            Kind::Sqlx => self.sqlx(server, db, dir, "run"),
            Kind::Dbmate => self.dbmate(server, db, dir, "migrate"),
            Kind::Alembic => self.alembic(server, db, dir, &["upgrade", "head"]),
            Kind::PsqlLoop => Invocation::new("bash")
                .arg(&self.program)
                .arg(dir.join("numbered"))
                .env("DATABASE_URL", server.url(db))
                .env("PATH", self.path_with_pg_bin()),
        }
    }

    /// The read-only status commands that a user runs to see where a database stands.
    pub fn status(&self, server: &Server, db: &str, dir: &Path) -> Vec<(String, Invocation)> {
        let named = |name: &str, invocation| (format!("{} {name}", self.kind.label()), invocation);
        match self.kind {
            Kind::Clipdex => vec![
                named("current", self.clipdex(server, db, dir).arg("current")),
                named("history", self.clipdex(server, db, dir).arg("history")),
            ],
            Kind::Sqlx => vec![named("migrate info", self.sqlx(server, db, dir, "info"))],
            Kind::Dbmate => vec![named("status", self.dbmate(server, db, dir, "status"))],
            Kind::Alembic => vec![
                named("current", self.alembic(server, db, dir, &["current"])),
                named("history", self.alembic(server, db, dir, &["history"])),
            ],
            Kind::Floor | Kind::FloorPerRevision | Kind::PsqlLoop => Vec::new(),
        }
    }

    fn clipdex(&self, server: &Server, db: &str, dir: &Path) -> Invocation {
        Invocation::new(&self.program)
            .arg("--database-url")
            .arg(server.url(db))
            .arg("--migrations-dir")
            .arg(crate::write::clipdex_dir(dir))
    }

    fn sqlx(&self, server: &Server, db: &str, dir: &Path, command: &str) -> Invocation {
        Invocation::new(&self.program)
            .args(["migrate", command, "--no-dotenv", "--source"])
            .arg(dir.join("sqlx"))
            .arg("--database-url")
            .arg(server.sqlx_url(db))
    }

    fn dbmate(&self, server: &Server, db: &str, dir: &Path, command: &str) -> Invocation {
        Invocation::new(&self.program)
            .arg("--url")
            .arg(server.dbmate_url(db))
            .arg("--migrations-dir")
            .arg(dir.join("dbmate"))
            .args(["--no-dump-schema", command])
    }

    fn alembic(&self, server: &Server, db: &str, dir: &Path, command: &[&str]) -> Invocation {
        Invocation::new(&self.program)
            .arg("-c")
            .arg(dir.join("alembic/alembic.ini"))
            .args(command)
            .env("BENCH_DATABASE_URL", server.sqlalchemy_url("psycopg", db))
    }

    fn path_with_pg_bin(&self) -> String {
        let path = std::env::var("PATH").unwrap_or_default();
        format!("{}:{path}", self.pg_bin.display())
    }

    /// Checks that `db` holds everything the workload creates and that the tool's history
    /// records every revision (`head` is the last revision's id).
    pub fn verify(
        &self,
        server: &Server,
        db: &str,
        expected: Expected,
        head: &str,
    ) -> Result<(), String> {
        verify_objects(server, db, expected)?;
        let (found, wanted) = match self.kind {
            Kind::Floor | Kind::FloorPerRevision | Kind::PsqlLoop => return Ok(()),
            Kind::Clipdex => (
                server.query_with(db, CLIPDEX_HISTORY, &[("head", head)])?,
                format!("{} true", expected.revisions),
            ),
            Kind::Sqlx => (server.query(db, SQLX_ROWS)?, revisions(expected)),
            Kind::Dbmate => (server.query(db, DBMATE_ROWS)?, revisions(expected)),
            Kind::Alembic => (server.query(db, ALEMBIC_HEAD)?, head.to_owned()),
        };
        if found == wanted {
            Ok(())
        } else {
            Err(format!(
                "{}: its history says {found:?}, expected {wanted:?}",
                self.kind.label()
            ))
        }
    }
}

/// `psql` running `script` against `url`, stopping at its first error; `options` come after
/// `-X -q` (the floor's `-1`).
fn psql_script(psql: Invocation, options: &[&str], url: String, script: &Path) -> Invocation {
    psql.args(["-X", "-q"])
        .args(options.iter().copied())
        .args(["-v", "ON_ERROR_STOP=1", "-d"])
        .arg(url)
        .arg("-f")
        .arg(script)
}

/// The number of revisions, as the history queries print it.
fn revisions(expected: Expected) -> String {
    expected.revisions.to_string()
}

/// Completed upgrade rows in the history table, and whether the head is among them.
const CLIPDEX_HISTORY: &str = "SELECT count(*) || ' ' || coalesce(bool_or(revision = :'head'), false) \
     FROM clipdex_migrate.history WHERE state = 'complete' AND operation = 'upgrade'";
const SQLX_ROWS: &str = "SELECT count(*) FROM _sqlx_migrations WHERE success";
const DBMATE_ROWS: &str = "SELECT count(*) FROM schema_migrations";
const ALEMBIC_HEAD: &str = "SELECT string_agg(version_num, ' ') FROM alembic_version";

fn verify_objects(server: &Server, db: &str, expected: Expected) -> Result<(), String> {
    let sql = "SELECT (SELECT count(*) FROM pg_class WHERE relkind = 'r' \
               AND relname LIKE 'bench\\_t%') || ' ' || \
               (SELECT count(*) FROM pg_class WHERE relkind = 'i' \
               AND relname LIKE 'bench\\_t%\\_name\\_idx') || ' ' || \
               (SELECT count(*) FROM pg_proc WHERE proname LIKE 'bench\\_t%\\_total')";
    let found = server.query(db, sql)?;
    let wanted = format!(
        "{} {} {}",
        expected.tables, expected.indexes, expected.functions
    );
    if found == wanted {
        Ok(())
    } else {
        Err(format!(
            "the database holds {found} tables/indexes/functions, the workload makes {wanted}"
        ))
    }
}
