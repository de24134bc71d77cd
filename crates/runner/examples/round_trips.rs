//! Counts the round trips of a run by timing it through a link with a fixed latency.
//!
//! A proxy in front of a TCP cluster delays every client→server chunk by [`LATENCY`] (and
//! keeps their order), so each round trip costs about that much. Upgrading a chain of N and of
//! 2N one-statement revisions and dividing the difference by N·LATENCY gives the round trips
//! per revision; the no-op upgrade gives a run's fixed cost.
//!
//! `cargo run --release -p runner --example round_trips`

use std::time::{Duration, Instant};

use clipdex_core::{RevisionGraph, RevisionSet, SourceFile, UpgradeTarget};
use runner::{DatabaseUrl, Migrator, NoObserver, RunOptions, RunnerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LATENCY: Duration = Duration::from_millis(20);

fn chain(count: usize) -> RevisionGraph {
    let files = (0..count).map(|index| {
        let parents = if index == 0 { String::new() } else { format!("r{:04}", index - 1) };
        let text = format!("-- revision: r{index:04}\n-- parents: {parents}\n\n-- +up\nCREATE TABLE t{index} (id int);\n");
        SourceFile::new(format!("20260101T{index:04}_r.sql"), text)
    });
    RevisionGraph::build(&RevisionSet::from_files(files).expect("set")).expect("graph")
}

/// Accepts connections on a free port and forwards them to `upstream` with the latency.
async fn proxy(upstream: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = TcpStream::connect(("127.0.0.1", upstream))
                .await
                .expect("upstream");
            // Nagle would hold a chunk back until the previous one is acknowledged.
            let _ = (client.set_nodelay(true), server.set_nodelay(true));
            let (client_read, client_write) = client.into_split();
            let (server_read, server_write) = server.into_split();
            tokio::spawn(delayed(client_read, server_write, LATENCY));
            tokio::spawn(delayed(server_read, client_write, Duration::ZERO));
        }
    });
    port
}

/// Copies `from` to `to`, each chunk delivered `latency` after it was read.
async fn delayed(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    latency: Duration,
) {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    tokio::spawn(async move {
        while let Some((due, chunk)) = receiver.recv().await {
            tokio::time::sleep_until(due.into()).await;
            if to.write_all(&chunk).await.is_err() {
                return;
            }
        }
    });
    let mut buffer = vec![0u8; 64 * 1024];
    while let Ok(read) = from.read(&mut buffer).await {
        if read == 0
            || sender
                .send((Instant::now() + latency, buffer[..read].to_vec()))
                .is_err()
        {
            return;
        }
    }
}

async fn upgrade_seconds(port: u16, database: &str, graph: &RevisionGraph) -> f64 {
    let url = format!("postgresql://postgres@127.0.0.1:{port}/{database}?sslmode=disable");
    let client = DatabaseUrl::parse(&url)
        .expect("url")
        .connect("round-trips")
        .await
        .expect("connect");
    let mut migrator = Migrator::new(client, RunnerConfig::default());
    let started = Instant::now();
    migrator
        .upgrade(
            graph,
            &UpgradeTarget::Head,
            &RunOptions::default(),
            &mut NoObserver,
        )
        .await
        .expect("upgrade");
    started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let cluster =
        scratch::Cluster::start(&scratch::ClusterOptions::default().tcp()).expect("cluster");
    let port = proxy(cluster.port()).await;
    let latency = LATENCY.as_secs_f64();
    let (small, large) = (chain(10), chain(20));
    let (a, b) = (
        cluster.create_database().await.expect("db"),
        cluster.create_database().await.expect("db"),
    );
    let ten = upgrade_seconds(port, a.name(), &small).await;
    let twenty = upgrade_seconds(port, b.name(), &large).await;
    let no_op = upgrade_seconds(port, b.name(), &large).await;
    println!(
        "fresh upgrade, 10 revisions: {:.0} ms = {:.1} latencies",
        ten * 1e3,
        ten / latency
    );
    println!(
        "fresh upgrade, 20 revisions: {:.0} ms = {:.1} latencies",
        twenty * 1e3,
        twenty / latency
    );
    println!(
        "round trips per transactional revision: {:.2}",
        (twenty - ten) / 10.0 / latency
    );
    println!(
        "no-op upgrade: {:.0} ms = {:.1} round trips (incl. connect-free fixed cost)",
        no_op * 1e3,
        no_op / latency
    );
}
