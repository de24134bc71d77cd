//! Clusters owned by one test: stop, start again, crash, TCP, and their own configuration.

use std::path::Path;

use localpg::{Cluster, ClusterOptions, LocalPgError};

async fn connect(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    Ok(client)
}

fn process_exists(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[tokio::test]
async fn a_stopped_cluster_refuses_connections_and_starts_again_with_its_data()
-> Result<(), LocalPgError> {
    let mut cluster = Cluster::start(&ClusterOptions::default())?;
    let db = cluster.create_database().await?;
    let client = db.connect().await?;
    client
        .batch_execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        .await
        .unwrap();
    drop(client);

    cluster.stop()?;
    assert_eq!(cluster.postmaster_pid(), None);
    assert!(
        connect(db.url()).await.is_err(),
        "a stopped server accepted a connection"
    );

    cluster.start_again()?;
    let client = db.connect().await?;
    let n: i32 = client
        .query_one("SELECT n FROM kept", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 42);
    Ok(())
}

#[tokio::test]
async fn a_killed_cluster_is_gone_for_clients_and_recovers_on_start_again()
-> Result<(), LocalPgError> {
    let mut cluster = Cluster::start(&ClusterOptions::default())?;
    let db = cluster.create_database().await?;
    let client = db.connect().await?;
    // Without synchronous commit, only checkpointed data is sure to survive a crash.
    client
        .batch_execute("CREATE TABLE survived (n int); INSERT INTO survived VALUES (7)")
        .await
        .unwrap();
    client.batch_execute("CHECKPOINT").await.unwrap();
    let postmaster = cluster.postmaster_pid().expect("the server runs");

    cluster.kill()?;
    assert!(
        !process_exists(postmaster),
        "the postmaster {postmaster} survived kill()"
    );
    let error = client.query_one("SELECT 1", &[]).await.unwrap_err();
    assert!(
        error.is_closed() || error.as_db_error().is_none(),
        "unexpected: {error}"
    );
    assert!(
        connect(db.url()).await.is_err(),
        "a killed server accepted a connection"
    );

    cluster.start_again()?;
    let client = db.connect().await?;
    let n: i32 = client
        .query_one("SELECT n FROM survived", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 7);
    let log = std::fs::read_to_string(cluster.log_file()).unwrap();
    assert!(
        log.contains("not properly shut down"),
        "no crash recovery in the log:\n{log}"
    );
    Ok(())
}

#[tokio::test]
async fn a_tcp_cluster_answers_on_loopback_and_on_its_socket() -> Result<(), LocalPgError> {
    let cluster = Cluster::start(&ClusterOptions::default().tcp())?;
    let tcp_url = cluster
        .tcp_url("postgres")
        .expect("listen_tcp gives a TCP URL");
    assert_eq!(
        tcp_url,
        format!(
            "postgresql://postgres@127.0.0.1:{}/postgres",
            cluster.port()
        )
    );
    let over_tcp = connect(&tcp_url).await.unwrap();
    let address: Option<String> = over_tcp
        .query_one("SELECT host(inet_client_addr())", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(address.as_deref(), Some("127.0.0.1"));
    let over_socket = connect(&cluster.url("postgres")).await.unwrap();
    let address: Option<String> = over_socket
        .query_one("SELECT host(inet_client_addr())", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        address, None,
        "a unix socket connection has no client address"
    );

    let socket_only = Cluster::start(&ClusterOptions::default())?;
    assert_eq!(socket_only.tcp_url("postgres"), None);
    Ok(())
}

#[tokio::test]
async fn settings_and_files_reach_the_server() -> Result<(), LocalPgError> {
    let options = ClusterOptions::default()
        .setting("work_mem", "7MB")
        .setting("application_name", "it's quoted")
        .file("extra/note.txt", "kept in the data dir");
    let cluster = Cluster::start(&options)?;
    let client = connect(&cluster.url("postgres")).await.unwrap();
    let query = "SELECT current_setting('work_mem'), current_setting('application_name'), \
                 pg_read_file('extra/note.txt')";
    let row = client.query_one(query, &[]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), "7MB");
    assert_eq!(row.get::<_, String>(1), "it's quoted");
    assert_eq!(row.get::<_, String>(2), "kept in the data dir");
    let note = std::fs::metadata(cluster.data_dir().join("extra/note.txt")).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&note.permissions()) & 0o777,
        0o600
    );

    drop(client);
    let dir = cluster.socket_dir().to_path_buf();
    drop(cluster);
    assert!(
        !dir.exists(),
        "{} (with a new subdirectory) was left behind",
        dir.display()
    );
    Ok(())
}

#[tokio::test]
async fn a_custom_pg_hba_conf_is_obeyed() -> Result<(), LocalPgError> {
    let hba = "local all all trust\nhost all all 127.0.0.1/32 reject\n";
    let cluster = Cluster::start(&ClusterOptions::default().tcp().hba(hba))?;
    connect(&cluster.url("postgres"))
        .await
        .expect("local connections are trusted");
    let refused = connect(&cluster.tcp_url("postgres").unwrap())
        .await
        .unwrap_err();
    let message = refused
        .as_db_error()
        .map(|error| error.message().to_string());
    let rejected = message.is_some_and(|m| m.contains("pg_hba.conf rejects"));
    assert!(rejected, "{refused:?}");
    Ok(())
}

#[test]
fn a_server_that_cannot_start_says_why_and_leaves_nothing_behind() {
    let error =
        Cluster::start(&ClusterOptions::default().setting("no_such_setting", "1")).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("did not start: the server exited"),
        "{message}"
    );
    assert!(
        message.contains("no_such_setting"),
        "the log tail should name the setting:\n{message}"
    );
    let LocalPgError::ServerStart { data_dir, .. } = error else {
        panic!("expected ServerStart, got {message}");
    };
    assert!(
        !data_dir.parent().unwrap().exists(),
        "{} was left behind",
        data_dir.display()
    );
}

#[test]
fn dropping_a_cluster_stops_its_server_and_deletes_its_directory() -> Result<(), LocalPgError> {
    let cluster = Cluster::start(&ClusterOptions::default())?;
    let (dir, postmaster) = (
        cluster.socket_dir().to_path_buf(),
        cluster.postmaster_pid().unwrap(),
    );
    assert!(dir.join("data/PG_VERSION").is_file());
    assert!(process_exists(postmaster));
    drop(cluster);
    assert!(!dir.exists(), "{} is still there", dir.display());
    // The watchdog waited for (and reaped) the postmaster before deleting the directory.
    assert!(
        !process_exists(postmaster),
        "postmaster {postmaster} outlived its cluster"
    );
    Ok(())
}
