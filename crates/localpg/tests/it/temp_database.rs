//! Temporary databases: created through either form of connection string, dropped by `Drop`
//! (even with a connection still open) or by `discard`, and kept when they go with the server.

use localpg::{
    AfterUse, Cluster, ClusterOptions, CopyStrategy, CreateError, LocalPgError, NewDatabase,
    PlainConnector, TempDatabase,
};

const DROPPED_AFTER_USE: NewDatabase<'static> = NewDatabase {
    prefix: "tmp",
    strategy: CopyStrategy::ServerDefault,
    after_use: AfterUse::Drop,
};

/// Whether database `name` exists, asked through a database of its own.
async fn exists(cluster: &Cluster, name: &str) -> bool {
    let admin = cluster.create_database().await.unwrap();
    let client = admin.connect().await.unwrap();
    let query = "SELECT count(*) FROM pg_database WHERE datname = $1";
    let count: i64 = client.query_one(query, &[&name]).await.unwrap().get(0);
    count == 1
}

#[tokio::test]
async fn a_dropped_database_is_gone_from_its_server_in_either_url_form() -> Result<(), LocalPgError>
{
    let cluster = Cluster::start(&ClusterOptions::default())?;
    let key_value = format!(
        "host={} port={} user=postgres dbname=postgres",
        cluster.socket_dir().display(),
        cluster.port()
    );
    for admin_url in [cluster.url("postgres"), key_value] {
        let db = TempDatabase::create(PlainConnector::new(&admin_url), &DROPPED_AFTER_USE).await?;
        let name = db.name().to_string();
        assert!(name.starts_with("tmp_"), "{name}");
        let client = db.connect().await?;
        let current: String = client
            .query_one("SELECT current_database()", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(current, name, "via {admin_url}");
        assert!(exists(&cluster, &name).await);
        assert!(
            !format!("{db:?}").contains("postgres@") && !format!("{db:?}").contains("host="),
            "Debug shows no URL: {db:?}"
        );
        drop(db); // with the connection still open: WITH (FORCE)
        assert!(
            !exists(&cluster, &name).await,
            "dropping the TempDatabase drops {name}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn discard_drops_now_and_keep_with_server_keeps() -> Result<(), LocalPgError> {
    let cluster = Cluster::start(&ClusterOptions::default())?;
    let kept = cluster.create_database().await?;
    let kept_name = kept.name().to_string();
    drop(kept);
    assert!(
        exists(&cluster, &kept_name).await,
        "a database that goes with its server stays until then"
    );

    let db = TempDatabase::create(cluster.connector(), &DROPPED_AFTER_USE).await?;
    let name = db.name().to_string();
    db.discard().await.unwrap();
    assert!(!exists(&cluster, &name).await, "discard dropped {name}");
    Ok(())
}

#[tokio::test]
async fn an_unreachable_server_is_a_connect_error() {
    let cluster = Cluster::start(&ClusterOptions::default()).unwrap();
    let nowhere = cluster.socket_dir().join("nowhere");
    let connector = PlainConnector::new(format!("host={} user=postgres", nowhere.display()));
    let error = TempDatabase::create(connector, &DROPPED_AFTER_USE)
        .await
        .unwrap_err();
    assert!(matches!(error, CreateError::Connect(_)), "{error:?}");
    assert!(error.to_string().starts_with("connecting to "), "{error}");
}
