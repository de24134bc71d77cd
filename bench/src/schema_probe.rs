//! The in-process side of the schema phase: `bench schema-probe URL_A URL_B` introspects both
//! databases with the `schema` crate, diffs them, and prints one line,
//! `probe <µs in all> <µs of the diff alone> <catalog queries per introspection> <changes>`.
//!
//! It runs as a child process so that the parent can take its peak RSS with `/usr/bin/time`
//! like every other measure, while the time it reports is the library's alone (connections
//! excluded). The parent side is [`crate::schema_bench`].
//!
//! Both databases are introspected at once, as `clipdex-migrate diff` does.

use std::time::{Duration, Instant};

/// What one probe measured.
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    /// Introspection of both databases plus the diff, connections excluded.
    pub elapsed: Duration,
    /// The diff alone.
    pub diff: Duration,
    /// Catalog queries of one introspection (`Catalog::stats.queries`).
    pub queries: usize,
    /// Changes in the diff.
    pub changes: usize,
}

/// Introspects both databases concurrently and diffs them.
pub fn introspect_and_diff(url_a: &str, url_b: &str) -> Result<Probe, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    runtime.block_on(async {
        let a = crate::schema_verify::connect(url_a).await?;
        let b = crate::schema_verify::connect(url_b).await?;
        let options = schema::IntrospectOptions::default();
        let start = Instant::now();
        let (from, to) = futures_util::future::try_join(
            schema::introspect(&a, &options),
            schema::introspect(&b, &options),
        )
        .await
        .map_err(|error| error.to_string())?;
        let introspected = start.elapsed();
        let diff = schema::diff(&from, &to).map_err(|error| error.to_string())?;
        let elapsed = start.elapsed();
        Ok(Probe {
            elapsed,
            diff: elapsed - introspected,
            queries: from.stats.queries,
            changes: diff.changes.len(),
        })
    })
}

/// The child's entry point: runs the probe and prints its line.
pub fn main(url_a: &str, url_b: &str) -> Result<(), String> {
    let probe = introspect_and_diff(url_a, url_b)?;
    println!(
        "probe {} {} {} {}",
        probe.elapsed.as_micros(),
        probe.diff.as_micros(),
        probe.queries,
        probe.changes
    );
    Ok(())
}

/// Reads the probe line back from the child's output.
pub fn parse(output: &str) -> Option<Probe> {
    let line = output
        .lines()
        .find_map(|line| line.strip_prefix("probe "))?;
    let mut fields = line.split_whitespace().map(str::parse::<u64>);
    let micros = fields.next()?.ok()?;
    let diff_micros = fields.next()?.ok()?;
    let queries = fields.next()?.ok()?;
    let changes = fields.next()?.ok()?;
    Some(Probe {
        elapsed: Duration::from_micros(micros),
        diff: Duration::from_micros(diff_micros),
        queries: usize::try_from(queries).ok()?,
        changes: usize::try_from(changes).ok()?,
    })
}
