//! The three catalogs the commands compare: the revisions replayed, the declared schema, and
//! a live database — each read the same way, the history schema left out.
//!
//! Every shadow database made here is discarded before the call returns, whether it succeeded
//! or not.

use std::path::Path;

use clipdex_core::{RevisionGraph, UpgradeTarget};
use runner::DatabaseUrl;
use schema::{Catalog, IntrospectOptions};
use tokio_postgres::Client;

use crate::declared::{DeclaredSchema, apply_schema_dir};
use crate::error::ShadowError;
use crate::server::ShadowServer;

impl ShadowServer {
    /// The catalog `target` makes: a fresh shadow database upgraded to it by the runner.
    pub async fn replay(
        &self,
        graph: &RevisionGraph,
        target: &UpgradeTarget,
    ) -> Result<Catalog, ShadowError> {
        self.replay_all(graph, std::slice::from_ref(target)).await
    }

    /// The catalog of every target applied in turn (the applied heads of a database, say).
    pub async fn replay_all(
        &self,
        graph: &RevisionGraph,
        targets: &[UpgradeTarget],
    ) -> Result<Catalog, ShadowError> {
        self.with_database("replay", async |database| {
            for target in targets {
                database.upgrade(graph, target).await?;
            }
            database.catalog().await
        })
        .await
    }

    /// The catalog of the declared schema in `schema_dir`.
    pub async fn declared(&self, schema_dir: &Path) -> Result<Catalog, ShadowError> {
        Ok(self.declared_by_file(schema_dir).await?.catalog)
    }

    /// The declared schema, with the catalog after each of its files.
    pub async fn declared_by_file(&self, schema_dir: &Path) -> Result<DeclaredSchema, ShadowError> {
        self.with_database("declared schema", async |database| {
            apply_schema_dir(database, schema_dir).await
        })
        .await
    }

    /// The catalog of the live database at `url` (no shadow database involved).
    pub async fn live(&self, url: &DatabaseUrl) -> Result<Catalog, ShadowError> {
        let client = crate::database::connect_to(url).await?;
        self.live_of(&client, &url.redacted()).await
    }

    /// The catalog of the live database `client` is connected to, read as every other catalog
    /// here is (the history schema left out); `what` names it in errors.
    pub async fn live_of(&self, client: &Client, what: &str) -> Result<Catalog, ShadowError> {
        let options = IntrospectOptions {
            excluded_schemas: vec![self.runner_config().history.schema.clone()],
        };
        schema::introspect(client, &options)
            .await
            .map_err(|source| ShadowError::Introspect {
                what: what.to_owned(),
                source,
            })
    }
}
