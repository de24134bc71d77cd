//! Measures what the crate's speed choices rest on: starting a cluster from the initdb cache
//! versus running initdb, and `CREATE DATABASE` with each strategy.
//!
//! `cargo run -p localpg --example server_timings [repetitions]`. Each cluster start runs in a child
//! process (this example again, with `start-once`), so that `CLIPDEX_SCRATCH_INITDB_CACHE` can
//! differ between runs.

use std::process::Command;
use std::time::{Duration, Instant};

use localpg::{Cluster, ClusterOptions, INITDB_CACHE_ENV, LocalPgError};

const STRATEGIES: [(&str, &str); 4] = [
    ("template0, WAL_LOG (default)", "TEMPLATE template0"),
    (
        "template0, FILE_COPY",
        "TEMPLATE template0 STRATEGY FILE_COPY",
    ),
    ("template1, WAL_LOG", "TEMPLATE template1"),
    (
        "template1, FILE_COPY",
        "TEMPLATE template1 STRATEGY FILE_COPY",
    ),
];

fn main() -> Result<(), LocalPgError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("start-once") {
        let started = Instant::now();
        let cluster = Cluster::start(&ClusterOptions::default())?;
        println!("{}", started.elapsed().as_micros());
        drop(cluster);
        return Ok(());
    }
    let repetitions: usize = args.first().and_then(|n| n.parse().ok()).unwrap_or(5);
    for (label, cache) in [
        ("with the initdb cache", "on"),
        ("without (initdb each time)", "off"),
    ] {
        let times: Vec<Duration> = (0..repetitions).map(|_| start_in_child(cache)).collect();
        report(&format!("Cluster::start {label}"), &times);
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(create_database_timings(repetitions * 4))
}

fn start_in_child(cache: &str) -> Duration {
    let output = Command::new(std::env::current_exe().expect("own path"))
        .arg("start-once")
        .env(INITDB_CACHE_ENV, cache)
        .output()
        .expect("running start-once");
    let text = String::from_utf8_lossy(&output.stdout);
    let micros = text
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("start-once printed {text:?}"));
    Duration::from_micros(micros)
}

async fn create_database_timings(repetitions: usize) -> Result<(), LocalPgError> {
    let cluster = Cluster::start(&ClusterOptions::default())?;
    let (admin, connection) =
        tokio_postgres::connect(&cluster.url("postgres"), tokio_postgres::NoTls)
            .await
            .expect("connecting");
    tokio::spawn(connection);
    let (creates, drops) = interleaved(&admin, repetitions).await;
    for ((label, _), times) in STRATEGIES.iter().zip(&creates) {
        report(&format!("CREATE DATABASE {label}"), times);
    }
    report("DROP DATABASE", &drops);
    let mut whole = Vec::new();
    for _ in 0..repetitions {
        let started = Instant::now();
        let db = cluster.create_database().await?;
        whole.push(started.elapsed());
        drop(db);
    }
    report("Cluster::create_database (connect + create)", &whole);
    for (label, clause) in [STRATEGIES[1], STRATEGIES[0]] {
        report(
            &format!("busy: CREATE DATABASE {label}"),
            &under_load(&cluster, clause, repetitions).await,
        );
    }
    Ok(())
}

/// CREATE and DROP DATABASE times per strategy, interleaved, so that a slow moment of the
/// machine hits every strategy alike.
async fn interleaved(
    admin: &tokio_postgres::Client,
    repetitions: usize,
) -> (Vec<Vec<Duration>>, Vec<Duration>) {
    let mut creates = vec![Vec::new(); STRATEGIES.len()];
    let mut drops = Vec::new();
    for round in 0..repetitions {
        for (index, (_, clause)) in STRATEGIES.iter().enumerate() {
            let name = format!("timing_{round}_{index}");
            let started = Instant::now();
            let create = format!("CREATE DATABASE {name} {clause}");
            admin.batch_execute(&create).await.expect("create");
            creates[index].push(started.elapsed());
            let started = Instant::now();
            admin
                .batch_execute(&format!("DROP DATABASE {name}"))
                .await
                .expect("drop");
            drops.push(started.elapsed());
        }
    }
    (creates, drops)
}

/// CREATE DATABASE times while 8 tasks at a time create databases and fill them with rows,
/// as a test suite does (FILE_COPY's checkpoints then have dirty buffers to write).
async fn under_load(cluster: &Cluster, clause: &'static str, repetitions: usize) -> Vec<Duration> {
    let url = cluster.url("postgres");
    let tasks: Vec<_> = (0..8)
        .map(|task| {
            let url = url.clone();
            tokio::spawn(async move {
                let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(connection);
                let mut times = Vec::new();
                for round in 0..repetitions {
                    let name = format!("busy_{}_{task}_{round}", clause.len());
                    let started = Instant::now();
                    client
                        .batch_execute(&format!("CREATE DATABASE {name} {clause}"))
                        .await
                        .unwrap();
                    times.push(started.elapsed());
                    let db_url = format!("{}/{name}", url.rsplit_once('/').unwrap().0);
                    let (db, connection) = tokio_postgres::connect(&db_url, tokio_postgres::NoTls)
                        .await
                        .unwrap();
                    tokio::spawn(connection);
                    db.batch_execute(
                        "CREATE TABLE t AS SELECT g, md5(g::text) FROM generate_series(1, 20000) g",
                    )
                    .await
                    .unwrap();
                }
                times
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all
}

fn report(what: &str, times: &[Duration]) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = sorted.iter().map(|d| ms(*d)).sum::<f64>() / sorted.len() as f64;
    println!(
        "{what:<48} n={:<3} median {:>7.1} ms  mean {:>7.1} ms  min {:>7.1}  max {:>7.1}",
        sorted.len(),
        ms(sorted[sorted.len() / 2]),
        mean,
        ms(sorted[0]),
        ms(sorted[sorted.len() - 1])
    );
}
