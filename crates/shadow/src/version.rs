//! PostgreSQL's major version, of a shadow server and of the database it stands in for.
//!
//! A schema replayed on PostgreSQL 15 and compared with a live PostgreSQL 18 database may
//! differ where neither is wrong (18 catalogues NOT NULL constraints, reserves new words,
//! deparses some expressions otherwise), and a check that passes on one major version says
//! little about another. So a shadow server of another major version than the target's is
//! refused, unless the caller allows it ([`ShadowConfig::allow_version_mismatch`]).
//!
//! [`ShadowConfig::allow_version_mismatch`]: crate::ShadowConfig::allow_version_mismatch

use tokio_postgres::Client;

use crate::error::{ShadowError, describe_pg};

/// The major version of the server `client` is connected to (13, 18, …).
pub async fn major_version(client: &Client) -> Result<u32, ShadowError> {
    let row = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .map_err(|error| ShadowError::Database {
            action: "reading the server's version".to_owned(),
            reason: describe_pg(&error),
        })?;
    let number: i32 = row.get(0);
    Ok(u32::try_from(number / 10_000).unwrap_or_default())
}
