//! Whether a schema tool's output is right, before its time counts: applied in one
//! transaction to a copy of database A, it must leave the copy's catalog equal to B's.
//!
//! Both are read with `schema::introspect`, which compares columns by name, so the order that
//! `ADD COLUMN` leaves columns in does not count against a tool (a dump would); owners and
//! privileges, policies and every other object the model holds do.

use crate::server::Server;

/// Applies `sql` to a copy of `a` and compares the copy with `b`; the copy is dropped after.
pub fn verify(server: &mut Server, a: &str, b: &str, sql: &str) -> Result<(), String> {
    let copy = server.copy_database(a)?;
    let result = apply_and_compare(server, &copy, b, sql);
    server.drop_database(&copy)?;
    result
}

fn apply_and_compare(server: &Server, copy: &str, b: &str, sql: &str) -> Result<(), String> {
    let script = format!("BEGIN;\n{sql}\nCOMMIT;\n");
    server
        .query(copy, &script)
        .map_err(|error| format!("its output does not apply: {error}"))?;
    let (after, wanted) = catalogs(&server.url(copy), &server.url(b))?;
    if after == wanted {
        return Ok(());
    }
    let rest = schema::diff(&after, &wanted).map_err(|error| error.to_string())?;
    let first: Vec<&str> = rest
        .changes
        .iter()
        .take(3)
        .map(|c| c.sql.as_str())
        .collect();
    Err(format!(
        "applied, its output leaves {} difference(s) from B, e.g. {}",
        rest.changes.len(),
        first.join("; ")
    ))
}

/// The catalogs of two databases.
pub fn catalogs(url_a: &str, url_b: &str) -> Result<(schema::Catalog, schema::Catalog), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    runtime.block_on(async {
        let a = connect(url_a).await?;
        let b = connect(url_b).await?;
        let options = schema::IntrospectOptions::default();
        let read = futures_util::future::try_join(
            schema::introspect(&a, &options),
            schema::introspect(&b, &options),
        );
        read.await.map_err(|error| error.to_string())
    })
}

/// A connection to `url`, driven on the current runtime.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client, String> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|error| error.to_string())?;
    tokio::spawn(async move { connection.await.ok() });
    Ok(client)
}

#[cfg(test)]
mod tests {
    use crate::{schema_gen, wire_count};

    /// The bench's own pair: read with as many statements as an empty database (counted on
    /// the wire: the catalog queries, and the transaction around them), and the diff,
    /// applied to A, gives B.
    #[test]
    fn the_generated_pair_takes_a_constant_number_of_queries_and_diffs_right() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let pair = schema_gen::generate(crate::schema_bench::TABLES);
            let reader = format!(
                "DO $$ BEGIN CREATE ROLE {} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
                schema_gen::READER
            );
            let mut catalogs = Vec::new();
            let mut sent = Vec::new();
            let mut databases = Vec::new();
            for sql in [String::new(), pair.a.clone(), pair.b.clone()] {
                let database = scratch::database().await.unwrap();
                let (client, statements) = wire_count::connect(database.url()).await.unwrap();
                client.batch_execute(&reader).await.unwrap();
                client.batch_execute(&sql).await.unwrap();
                let options = schema::IntrospectOptions::default();
                let before = statements.count();
                catalogs.push(schema::introspect(&client, &options).await.unwrap());
                sent.push(statements.count() - before);
                databases.push((database, client));
            }
            let [_, a, b] = &catalogs[..] else { unreachable!() };
            assert_eq!(a.tables.len(), 1000);
            // 22 catalog queries and the server's keywords, with BEGIN (and the version and
            // role) and COMMIT.
            assert_eq!(sent, [25, 25, 25], "statements sent by introspection");
            assert_eq!(a.stats.queries, 22);

            let diff = schema::diff(a, b).unwrap();
            let client = &databases[1].1;
            client.batch_execute(&format!("BEGIN;\n{}COMMIT;", diff.to_sql())).await.unwrap();
            let after = schema::introspect(client, &schema::IntrospectOptions::default()).await.unwrap();
            assert!(after == *b, "A migrated is B");
        });
    }
}
