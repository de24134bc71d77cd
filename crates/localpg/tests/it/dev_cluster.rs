//! The development cluster, through the library and through the `localpg` binary, each in a
//! directory of its own (`CLIPDEX_DEV_DIR` for the binary), destroyed even when a test fails.

use std::path::PathBuf;
use std::process::{Command, Output};

use localpg::{DEV_DIR_ENV, DevCluster, LocalPgError};

/// A fresh directory for one development cluster; destroys the cluster in it on drop.
struct DevDir {
    dir: PathBuf,
}

impl DevDir {
    fn new(name: &str) -> Self {
        let root = if PathBuf::from("/dev/shm").is_dir() {
            "/dev/shm".into()
        } else {
            std::env::temp_dir()
        };
        let dir = root.join(format!("cdx-devtest-{}-{name}", std::process::id()));
        Self { dir }
    }
}

impl Drop for DevDir {
    fn drop(&mut self) {
        if let Err(error) = DevCluster::in_dir(&self.dir).destroy() {
            eprintln!(
                "could not destroy the development cluster in {}: {error}",
                self.dir.display()
            );
        }
    }
}

async fn connect(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    Ok(client)
}

async fn has_table(url: &str, table: &str) -> bool {
    let client = connect(url).await.unwrap();
    client
        .query_opt("SELECT 1 FROM pg_class WHERE relname = $1", &[&table])
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn ensure_running_reset_stop_and_destroy() -> Result<(), LocalPgError> {
    let dev_dir = DevDir::new("lib");
    let cluster = DevCluster::in_dir(&dev_dir.dir);
    assert!(!cluster.is_running());

    let url = cluster.ensure_running().await?;
    assert_eq!(url, cluster.url());
    assert!(url.ends_with("/clipdex"), "{url}");
    assert!(cluster.is_running());
    connect(&url)
        .await
        .unwrap()
        .batch_execute("CREATE TABLE kept (n int)")
        .await
        .unwrap();
    assert_eq!(
        cluster.ensure_running().await?,
        url,
        "a second call changes nothing"
    );
    assert!(has_table(&url, "kept").await);

    cluster.stop()?;
    assert!(!cluster.is_running());
    assert!(
        connect(&url).await.is_err(),
        "a stopped cluster accepted a connection"
    );
    cluster.ensure_running().await?;
    assert!(has_table(&url, "kept").await, "the data survives a stop");

    assert_eq!(cluster.reset().await?, url);
    assert!(
        !has_table(&url, "kept").await,
        "reset gives an empty database"
    );

    cluster.destroy()?;
    assert!(!cluster.is_running());
    assert!(
        !dev_dir.dir.exists(),
        "destroy leaves {}",
        dev_dir.dir.display()
    );
    Ok(())
}

/// Through the binary, with `CLIPDEX_DEV_DIR` removed from its environment, so that the test
/// runs the same whether or not this process was given one.
#[test]
fn clusters_are_per_project_root() {
    let base = DevDir::new("roots");
    let (one, other) = (base.dir.join("one"), base.dir.join("other"));
    for root in [&one, &other] {
        std::fs::create_dir_all(root.join("nested")).unwrap();
        std::fs::write(root.join("Taskfile.yml"), "").unwrap();
    }
    let status = |cwd: &std::path::Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_localpg"))
            .arg("status")
            .current_dir(cwd)
            .env_remove(DEV_DIR_ENV)
            .output()
            .expect("running the localpg binary");
        assert!(
            output.status.success(),
            "localpg status in {}",
            cwd.display()
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let here = status(&one);
    assert_eq!(status(&one.join("nested")), here, "one root, one cluster");
    assert_ne!(status(&other), here, "each root its own cluster");
    assert!(here.starts_with("stopped postgresql://"), "{here}");
    assert!(here.contains("clipdex-dev-"), "{here}");
    std::fs::remove_dir_all(&base.dir).unwrap();
}

fn localpg_binary(dev_dir: &DevDir, command: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_localpg"))
        .arg(command)
        .env(DEV_DIR_ENV, &dev_dir.dir)
        .output()
        .expect("running the localpg binary")
}

/// Runs `localpg <command>`, expects success, returns its stdout.
fn localpg_ok(dev_dir: &DevDir, command: &str) -> String {
    let output = localpg_binary(dev_dir, command);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "localpg {command}: {}: {stderr}",
        output.status
    );
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn the_binary_starts_a_server_that_outlives_it() {
    let dev_dir = DevDir::new("bin");
    let up = localpg_ok(&dev_dir, "up");
    assert_eq!(
        up.lines().count(),
        1,
        "`localpg up` prints one line: {up:?}"
    );
    let url = up.trim().to_string();
    assert_eq!(url, DevCluster::in_dir(&dev_dir.dir).url());
    // The `localpg` process has exited; its server has not.
    connect(&url)
        .await
        .unwrap()
        .batch_execute("CREATE TABLE t (n int)")
        .await
        .unwrap();
    assert_eq!(localpg_ok(&dev_dir, "url").trim(), url);
    assert_eq!(
        localpg_ok(&dev_dir, "status").trim(),
        format!("running {url}")
    );

    assert_eq!(localpg_ok(&dev_dir, "reset").trim(), url);
    assert!(!has_table(&url, "t").await);

    assert_eq!(localpg_ok(&dev_dir, "down"), "");
    assert_eq!(
        localpg_ok(&dev_dir, "status").trim(),
        format!("stopped {url}")
    );
    assert_eq!(localpg_ok(&dev_dir, "destroy"), "");
    assert!(!dev_dir.dir.exists());
}

#[test]
fn the_binary_explains_its_usage_and_reports_errors_on_one_line() {
    let dev_dir = DevDir::new("usage");
    let output = localpg_binary(&dev_dir, "sideways");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("usage: localpg up|url|down|reset|destroy|status")
    );

    let output = Command::new(env!("CARGO_BIN_EXE_localpg"))
        .arg("up")
        .env(DEV_DIR_ENV, &dev_dir.dir)
        .env(localpg::BINDIR_ENV, "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "localpg up: no PostgreSQL server binaries: CLIPDEX_PG_BINDIR=/nonexistent"
        ),
        "{stderr}"
    );
}
