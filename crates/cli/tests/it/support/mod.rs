//! Test support: the real `clipdex-migrate` binary run in a project directory of its own, the
//! repository's baseline (or all of the repository) copied there, a catalog snapshot that
//! proves a refused command left the database alone. The book's transcripts come from
//! `book/scenarios/` (`book_scenarios`).
#![allow(dead_code)] // each test binary uses part of it

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The id of the repository's baseline revision.
pub const BASELINE: &str = "af9a37e3eebf";

/// What one run of the binary printed, and its exit code.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout parsed as the one JSON document `--json` promises.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not one JSON document ({error}):\n{self}"))
    }

    /// The `error: …` lines of stderr.
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|line| line.starts_with("error: "))
            .collect()
    }

    /// The `warning: …` lines of stderr.
    pub fn warning_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|line| line.starts_with("warning: "))
            .collect()
    }

    /// Panics with the whole output unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "unexpected exit code:\n{self}");
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The baseline revision's file in the repository's `migrations/`.
pub const BASELINE_FILE: &str = "20261126T0900_baseline.sql";

/// A project directory: `migrations/` (clipdex's baseline, or empty) and what a test adds.
pub struct Project {
    pub dir: TempDir,
}

impl Project {
    /// A project with clipdex's migrations as post 10 shipped them: the baseline revision, the
    /// legacy files it includes, and a sum file for just those. The scenarios build on it the
    /// way a branch builds on the baseline, so the revisions later posts add to the repository
    /// stay out of them (`Project::repository` has those).
    pub fn clipdex() -> Project {
        let project = Project::empty();
        let source = repository_root().join("migrations");
        copy_dir(&source.join("legacy"), &project.migrations().join("legacy"));
        fs::copy(
            source.join(BASELINE_FILE),
            project.migrations().join(BASELINE_FILE),
        )
        .expect("copy the baseline");
        project.sum();
        project
    }

    /// A project with a copy of the repository as it is: every revision of `migrations/`,
    /// the declared schema `schema/`, the application's queries `queries/`.
    pub fn repository() -> Project {
        let project = Project::empty();
        for dir in ["migrations", "schema", "queries"] {
            project.copy_from_repository(dir);
        }
        project
    }

    /// Copies the repository's directory `relative` (`schema`, `queries`) into the project.
    pub fn copy_from_repository(&self, relative: &str) {
        copy_dir(
            &repository_root().join(relative),
            &self.path().join(relative),
        );
    }

    /// A project with an empty `migrations/`.
    pub fn empty() -> Project {
        let dir = tempfile::tempdir().expect("a temp dir");
        fs::create_dir(dir.path().join("migrations")).expect("migrations dir");
        Project { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn migrations(&self) -> PathBuf {
        self.dir.path().join("migrations")
    }

    /// Writes `migrations/<name>` with a header and an up (and optional down) section.
    pub fn revision(&self, name: &str, id: &str, parents: &str, up: &str, down: Option<&str>) {
        let down = down.map_or(String::new(), |down| format!("\n-- +down\n{down}\n"));
        let text = format!(
            "-- revision: {id}\n-- parents: {parents}\n-- message: {name}\n\n-- +up\n{up}\n{down}"
        );
        self.write(name, &text);
    }

    /// Writes the root revision `aaaa00000001` (`20260101T0000_a.sql`): it creates table `a`,
    /// and its down section drops it.
    pub fn root_revision_a(&self) {
        self.revision(
            "20260101T0000_a.sql",
            "aaaa00000001",
            "",
            "CREATE TABLE a (id int);",
            Some("DROP TABLE a;"),
        );
    }

    /// Writes `migrations/<name>`.
    pub fn write(&self, name: &str, text: &str) {
        fs::write(self.migrations().join(name), text).expect("write a migration file");
    }

    /// Writes `<relative>` in the project (`schema/clipdex.sql`, `queries/x.sql`), making
    /// its directory.
    pub fn file(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
        fs::write(path, text).expect("write a project file");
    }

    /// Runs the binary in the project with shadow databases beside `db` (`--shadow-url`).
    pub fn run_shadowed(&self, db: &scratch::ScratchDatabase, args: &[&str]) -> Run {
        let mut all = vec!["--shadow-url", db.url()];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Runs the binary in the project with the given arguments.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args, &[])
    }

    /// Runs the binary in the project against `url` (as `--database-url`).
    pub fn run_on(&self, url: &str, args: &[&str]) -> Run {
        let mut all = vec!["--database-url", url];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Rewrites `revisions.sum` with the binary (`sum` must succeed).
    pub fn sum(&self) {
        self.run(&["sum"]).expect_code(0);
    }
}

/// The developer's variables that would steer the binary: which database (and how libpq
/// completes its URL), the log, the development cluster.
pub const DEVELOPER_VARIABLES: &[&str] = &[
    "DATABASE_URL",
    "RUST_LOG",
    "CLIPDEX_DEV_DIR",
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGSYSCONFDIR",
    "PGOPTIONS",
    "PGAPPNAME",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGSSLCERT",
    "PGSSLKEY",
    "PGCONNECT_TIMEOUT",
    "PGTARGETSESSIONATTRS",
];

/// Runs the binary in `cwd` with `args` and extra environment `env`, in an environment that
/// names no database and no development cluster of the developer's.
pub fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clipdex-migrate"));
    command.args(args).current_dir(cwd);
    for variable in DEVELOPER_VARIABLES {
        command.env_remove(variable);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("run clipdex-migrate");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The workspace root.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

/// Connects with tokio-postgres on the current runtime.
pub async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    client
}

/// Everything a migration could change: relations with their columns, functions, types,
/// schemas, and the history rows if there is a history table.
pub async fn catalog(url: &str) -> String {
    let client = connect(url).await;
    let system = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
    let queries = [
        format!(
            "SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || coalesce((SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {system} ORDER BY 1"
        ),
        format!(
            "SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {system} ORDER BY 1"
        ),
        format!(
            "SELECT n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {system} ORDER BY 1"
        ),
        "SELECT nspname FROM pg_namespace n WHERE nspname NOT LIKE 'pg_%' ORDER BY 1".to_owned(),
        "SELECT extname FROM pg_extension ORDER BY 1".to_owned(),
    ];
    let mut snapshot = String::new();
    for query in queries {
        for row in client.query(&query, &[]).await.expect("catalog query") {
            snapshot.push_str(row.get::<_, &str>(0));
            snapshot.push('\n');
        }
    }
    let history = "SELECT to_regclass('clipdex_migrate.history') IS NOT NULL";
    if client
        .query_one(history, &[])
        .await
        .expect("history?")
        .get::<_, bool>(0)
    {
        let rows = "SELECT revision || ' ' || up_checksum || ' ' || state FROM clipdex_migrate.history ORDER BY 1";
        for row in client.query(rows, &[]).await.expect("history rows") {
            snapshot.push_str(row.get::<_, &str>(0));
            snapshot.push('\n');
        }
    }
    snapshot
}

/// Whether `table` exists in schema `public`.
pub async fn has_table(url: &str, table: &str) -> bool {
    let client = connect(url).await;
    let query = "SELECT to_regclass('public.' || $1) IS NOT NULL";
    client
        .query_one(query, &[&table])
        .await
        .expect("regclass")
        .get(0)
}

/// Builds the database at `url` the way post 9 did: `scripts/psql-loop.sh migrations/legacy`,
/// with the throwaway cluster's psql first on `PATH`.
pub fn legacy_loop(url: &str) {
    let bin_dir = scratch::pg_bin_dir().ok();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut search: Vec<PathBuf> = bin_dir.into_iter().collect();
    search.extend(std::env::split_paths(&path));
    let output = Command::new("bash")
        .args(["scripts/psql-loop.sh", "migrations/legacy"])
        .current_dir(repository_root())
        .env("PATH", std::env::join_paths(search).expect("a PATH"))
        .env("DATABASE_URL", url)
        .env("PGAPPNAME", "psql-loop")
        .output()
        .expect("run the psql loop");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the loop failed:\n{stderr}");
}
