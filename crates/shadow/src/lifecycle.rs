//! A shadow database's life: made for one purpose, used, and dropped whatever happened, with
//! each step in the log.
//!
//! Every command that builds schemas does the same dance — create, work, drop even when the
//! work failed, report the work's error before the drop's — so it is written once here, and
//! the log (`info`) shows which database was made for what and how long it lived.

use std::time::Instant;

use crate::database::ShadowDatabase;
use crate::error::ShadowError;
use crate::server::ShadowServer;

impl ShadowServer {
    /// Runs `work` on a fresh shadow database made for `purpose` (`"replay"`, `"round trip"`),
    /// then drops the database, also when `work` failed; `work`'s error comes first.
    pub async fn with_database<T, E>(
        &self,
        purpose: &'static str,
        work: impl AsyncFnOnce(&ShadowDatabase) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<ShadowError>,
    {
        let started = Instant::now();
        let database = self.create().await?;
        let name = database.name().to_owned();
        tracing::info!(database = %name, purpose, "shadow database created");
        let worked = work(&database).await;
        let dropped = database.discard().await;
        let lived_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &dropped {
            Ok(()) => tracing::info!(database = %name, lived_ms, "shadow database dropped"),
            Err(error) => tracing::warn!(database = %name, %error, "shadow database not dropped"),
        }
        let value = worked?;
        dropped?;
        Ok(value)
    }
}
