//! Shared by the reliability tests (bad input, concurrency, crashes, security): what the
//! database looks like as comparable data, a seeded random number generator whose seed a
//! failure prints, and the binary started as a child process that a test may kill.
#![allow(dead_code)] // each test binary uses part of it

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The history tables' default location, as the tests query it.
pub const HISTORY: &str = "clipdex_migrate.history";
/// The event log beside it.
pub const HISTORY_LOG: &str = "clipdex_migrate.history_log";

/// Everything a migration run could change: the catalog as `schema` reads it (which leaves
/// the history schema out), plus the history tables' existence and every row of them.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub catalog: schema::Catalog,
    pub history: Vec<String>,
}

impl PartialEq for Snapshot {
    fn eq(&self, other: &Self) -> bool {
        self.catalog == other.catalog && self.history == other.history
    }
}

/// The snapshot of the database at `url`.
pub async fn snapshot(url: &str) -> Snapshot {
    let client = crate::support::connect(url).await;
    let catalog = schema::introspect(&client, &schema::IntrospectOptions::default())
        .await
        .expect("introspect the catalog");
    let history = history_rows(&client).await;
    Snapshot { catalog, history }
}

/// The history schema's tables and their rows as text (`history` then `history_log`), in a
/// stable order; an absent table is one line saying so.
pub async fn history_rows(client: &tokio_postgres::Client) -> Vec<String> {
    let mut lines = Vec::new();
    let schemas = "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace";
    let row = client.query_one(schemas, &[]).await.expect("schemas");
    lines.push(format!("schemas: {}", row.get::<_, String>(0)));
    for (table, order) in [
        (HISTORY, "revision"),
        (HISTORY_LOG, "id"),
        ("clipdex_migrate.history_meta", "key"),
    ] {
        let exists = format!("SELECT to_regclass('{table}') IS NOT NULL");
        if !client
            .query_one(&exists, &[])
            .await
            .expect("regclass")
            .get::<_, bool>(0)
        {
            lines.push(format!("{table}: absent"));
            continue;
        }
        let rows = format!("SELECT t::text FROM {table} t ORDER BY {order}");
        for row in client.query(&rows, &[]).await.expect("history rows") {
            lines.push(format!("{table}: {}", row.get::<_, String>(0)));
        }
    }
    lines
}

/// xorshift64*: tiny, seeded, and good enough to pick kill points; the seed is printed by
/// every test that uses it so that a failure can be replayed with the same seed.
#[derive(Debug, Clone)]
pub struct Xorshift(u64);

impl Xorshift {
    /// A generator from `CLIPDEX_SEED` when set, else from the clock; prints the seed.
    pub fn from_env_or_clock(test: &str) -> Xorshift {
        let seed = std::env::var("CLIPDEX_SEED")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
                now.map_or(1, |elapsed| elapsed.as_nanos() as u64)
            });
        eprintln!("{test}: CLIPDEX_SEED={seed} (set it to replay this run)");
        Xorshift(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

/// A count from the environment variable `name`, else `default`.
pub fn count_from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

/// Starts `clipdex-migrate` in `cwd` with `args`, output captured, in an environment that
/// names no database of the developer's.
pub fn spawn(cwd: &Path, args: &[&str]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clipdex-migrate"));
    command.args(args).current_dir(cwd);
    for variable in crate::support::DEVELOPER_VARIABLES {
        command.env_remove(variable);
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command.spawn().expect("start clipdex-migrate")
}

/// Waits for `child` and collects what it printed.
pub fn finish(child: Child) -> crate::support::Run {
    let output = child.wait_with_output().expect("wait for clipdex-migrate");
    crate::support::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Polls until no backend other than the caller's is connected to the database: after a
/// client is killed, its backend may still be finishing what the client had sent.
pub async fn wait_for_backends_to_end(client: &tokio_postgres::Client) {
    let others = "SELECT count(*) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid()";
    for _ in 0..2_000 {
        let row = client
            .query_one(others, &[])
            .await
            .expect("pg_stat_activity");
        if row.get::<_, i64>(0) == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("backends of a killed client were still connected after 10 s");
}
