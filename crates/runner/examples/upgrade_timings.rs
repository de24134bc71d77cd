//! Measures the runner on the scratch cluster: a fresh upgrade of the clipdex baseline, a
//! no-op upgrade, and a synthetic set of 200 small revisions (fresh, then no-op).
//!
//! `cargo run --release -p runner --example upgrade_timings` (numbers depend on the machine; the
//! cluster runs without durability, so they measure the runner and the protocol, not fsync).

use std::time::{Duration, Instant};

use clipdex_core::{RevisionGraph, RevisionSet, SourceFile};
use runner::{DatabaseUrl, Migrator, NoObserver, RunOptions, RunnerConfig};

const REPETITIONS: usize = 5;

fn baseline() -> RevisionGraph {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    RevisionGraph::build(&RevisionSet::read_dir(&dir).expect("migrations load")).expect("graph")
}

/// `count` revisions in a chain, each creating a table and inserting a row into it.
fn synthetic(count: usize) -> RevisionGraph {
    let files = (0..count).map(|index| {
        let parents = if index == 0 { String::new() } else { format!("r{:04}", index - 1) };
        let text = format!(
            "-- revision: r{index:04}\n-- parents: {parents}\n\n-- +up\nCREATE TABLE t{index} (id int PRIMARY KEY, note text);\nINSERT INTO t{index} VALUES (1, 'x');\n\n-- +down\nDROP TABLE t{index};\n"
        );
        SourceFile::new(format!("20260101T{index:04}_r.sql"), text)
    });
    RevisionGraph::build(&RevisionSet::from_files(files).expect("set")).expect("graph")
}

async fn migrator(db: &scratch::ScratchDatabase) -> Migrator {
    let url = DatabaseUrl::parse(db.url()).expect("url");
    let client = url
        .connect(&runner::default_application_name())
        .await
        .expect("connect");
    Migrator::new(client, RunnerConfig::default())
}

async fn timed_upgrade(migrator: &mut Migrator, graph: &RevisionGraph) -> (Duration, usize) {
    let started = Instant::now();
    let report = migrator
        .upgrade(
            graph,
            &clipdex_core::UpgradeTarget::Head,
            &RunOptions::default(),
            &mut NoObserver,
        )
        .await
        .expect("upgrade");
    (started.elapsed(), report.steps.len())
}

fn summary(label: &str, samples: &mut [Duration]) {
    samples.sort();
    let millis = |d: Duration| d.as_secs_f64() * 1000.0;
    let shown: Vec<String> = samples
        .iter()
        .map(|d| format!("{:.1}", millis(*d)))
        .collect();
    println!(
        "{label:<40} median {:>8.1} ms   all: {}",
        millis(samples[samples.len() / 2]),
        shown.join(", ")
    );
}

async fn measure(label: &str, graph: &RevisionGraph) {
    let (mut fresh, mut no_op) = (Vec::new(), Vec::new());
    for _ in 0..REPETITIONS {
        let db = scratch::database().await.expect("scratch database");
        let mut migrator = migrator(&db).await;
        let (elapsed, steps) = timed_upgrade(&mut migrator, graph).await;
        assert_eq!(steps, graph.len());
        fresh.push(elapsed);
        let (elapsed, steps) = timed_upgrade(&mut migrator, graph).await;
        assert_eq!(steps, 0);
        no_op.push(elapsed);
    }
    summary(&format!("{label}: fresh upgrade"), &mut fresh);
    summary(&format!("{label}: no-op upgrade"), &mut no_op);
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let _warm_up = scratch::database().await.expect("scratch database");
    measure("clipdex baseline (1 revision)", &baseline()).await;
    measure("synthetic, 200 revisions", &synthetic(200)).await;
}
