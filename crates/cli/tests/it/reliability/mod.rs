//! Shared by the reliability tests (bad input, concurrency, crashes, security): the
//! consistency oracle ([`oracle`], with [`model`] for history ⇔ catalog and [`privileges`]),
//! where interruptions landed ([`landing`]), the backend of a child found by its pid
//! ([`victim`]), a seeded random number generator whose seed a failure prints, the switches
//! that size a run, and the binary started as a child process that a test may kill.
#![allow(dead_code)] // each test uses part of it

pub mod landing;
pub mod model;
pub mod oracle;
pub mod privileges;
pub mod victim;

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The history tables, as the tests query them.
pub const HISTORY: &str = "clipdex_migrate.history";
pub const HISTORY_LOG: &str = "clipdex_migrate.history_log";
const HISTORY_META: &str = "clipdex_migrate.history_meta";

/// The history schema's tables and their rows as text (`history` then `history_log`, then
/// `history_meta`), in a stable order; an absent table is one line saying so.
pub async fn history_rows(client: &tokio_postgres::Client) -> Vec<String> {
    let mut lines = Vec::new();
    let schemas = "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace";
    let row = client.query_one(schemas, &[]).await.expect("schemas");
    lines.push(format!("schemas: {}", row.get::<_, String>(0)));
    for (table, order) in [
        (HISTORY, "revision"),
        (HISTORY_LOG, "id"),
        (HISTORY_META, "key"),
    ] {
        let exists = format!("SELECT to_regclass('{table}') IS NOT NULL");
        let row = client.query_one(&exists, &[]).await.expect("regclass");
        if !row.get::<_, bool>(0) {
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
    /// A generator from `CLIPDEX_SEED` when set, else from the clock; prints the seed. A seed
    /// that is not a number is an error, not a reason to draw another one.
    pub fn from_env_or_clock(test: &str) -> Xorshift {
        let seed = match std::env::var("CLIPDEX_SEED") {
            Ok(text) => text
                .parse()
                .unwrap_or_else(|_| panic!("CLIPDEX_SEED={text:?} is not a number")),
            Err(_) => {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
                now.map_or(1, |elapsed| elapsed.as_nanos() as u64)
            }
        };
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

/// The number of rounds the environment variable `name` asks for, else `default`. Zero, or
/// anything but a positive number, is an error: a test that runs no round proves nothing,
/// and must not pass.
pub fn rounds(name: &str, default: usize) -> usize {
    rounds_from(name, std::env::var(name).ok().as_deref(), default)
        .unwrap_or_else(|error| panic!("{error}"))
}

fn rounds_from(name: &str, value: Option<&str>, default: usize) -> Result<usize, String> {
    let Some(text) = value else {
        return Ok(default);
    };
    match text.trim().parse::<usize>() {
        Ok(0) => Err(format!(
            "{name}=0 selects no round: the test would prove nothing"
        )),
        Ok(count) => Ok(count),
        Err(_) => Err(format!(
            "{name}={text:?} is not a positive number of rounds"
        )),
    }
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
    let started = std::time::Instant::now();
    // Generous: a loaded machine may take long to finish a statement whose client is gone.
    while started.elapsed() < std::time::Duration::from_secs(60) {
        let row = client
            .query_one(others, &[])
            .await
            .expect("pg_stat_activity");
        if row.get::<_, i64>(0) == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("backends of a killed client were still connected after 60 s");
}

#[cfg(test)]
mod tests {
    use super::rounds_from;

    #[test]
    fn a_round_count_that_selects_nothing_is_an_error() {
        assert_eq!(rounds_from("N", None, 7), Ok(7));
        assert_eq!(rounds_from("N", Some("50"), 7), Ok(50));
        assert!(
            rounds_from("N", Some("0"), 7)
                .unwrap_err()
                .contains("N=0 selects no round")
        );
        for bad in ["", "-1", "ten", "1.5"] {
            assert!(rounds_from("N", Some(bad), 7).is_err(), "{bad:?}");
        }
    }
}
