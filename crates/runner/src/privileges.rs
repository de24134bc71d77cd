//! Which privilege is missing, on what, before PostgreSQL answers "permission denied".
//!
//! A migration role is often deliberately limited; "permission denied for database clipdex"
//! does not say that the history schema is what needed creating, nor what to GRANT. These
//! checks run under the lock, before the first write, using `has_*_privilege`.

use tokio_postgres::Client;
use tokio_postgres::types::Type;

use crate::config::HistoryLocation;
use crate::error::HistoryError;
use crate::history_error::query_error;
use crate::history_sql::HistoryNames;

/// What creating the history tables needs, as one probe.
const CREATE_PROBE: &str = "
SELECT current_database()::text,
       EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
       has_database_privilege(current_database(), 'CREATE'),
       CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)
            THEN has_schema_privilege($1, 'CREATE') END";

/// Refuses with [`HistoryError::MissingPrivilege`] when this role cannot create the history tables;
/// otherwise says whether the history schema already exists.
pub(crate) async fn check_can_create(
    client: &Client,
    location: &HistoryLocation,
) -> Result<bool, HistoryError> {
    let row = client
        .query_typed_one(CREATE_PROBE, &[(&location.schema, Type::TEXT)])
        .await
        .map_err(query_error("checking privileges"))?;
    let database: String = row.get(0);
    let (schema_exists, can_create_schema) = (row.get::<_, bool>(1), row.get::<_, bool>(2));
    let can_create_in_schema: Option<bool> = row.get(3);
    let schema = &location.schema;
    if !schema_exists && !can_create_schema {
        return Err(HistoryError::MissingPrivilege {
            privilege: "CREATE".into(),
            object: format!("database {database}"),
            purpose: format!("create schema {schema} for the history table"),
        });
    }
    if can_create_in_schema == Some(false) {
        return Err(HistoryError::MissingPrivilege {
            privilege: "CREATE".into(),
            object: format!("schema {schema}"),
            purpose: format!("create the history tables {location}"),
        });
    }
    Ok(schema_exists)
}

/// The privilege creation lacked, for an error that came from the server anyway.
pub(crate) async fn describe_create_needs(client: &Client, location: &HistoryLocation) -> String {
    match check_can_create(client, location).await {
        Err(HistoryError::MissingPrivilege {
            privilege,
            object,
            purpose,
        }) => format!("{privilege} on {object} to {purpose}"),
        _ => format!("CREATE on schema {} (or on the database)", location.schema),
    }
}

/// What writing the history tables needs, as one probe; tables are looked up only with
/// `USAGE` on their schema, since the lookup itself needs it.
const WRITE_PROBE: &str = "
WITH usage AS (SELECT has_schema_privilege($1, 'USAGE') AS granted)
SELECT granted,
       CASE WHEN granted THEN has_table_privilege($2, 'SELECT') END,
       CASE WHEN granted THEN has_table_privilege($2, 'INSERT') END,
       CASE WHEN granted THEN has_table_privilege($2, 'UPDATE') END,
       CASE WHEN granted THEN has_table_privilege($2, 'DELETE') END,
       CASE WHEN granted THEN has_table_privilege($3, 'INSERT') END
FROM usage";

/// Refuses with [`HistoryError::MissingPrivilege`] when this role cannot write the history tables.
pub(crate) async fn check_can_write(
    client: &Client,
    location: &HistoryLocation,
) -> Result<(), HistoryError> {
    let names = HistoryNames::new(location);
    let row = client
        .query_typed_one(
            WRITE_PROBE,
            &[
                (&location.schema, Type::TEXT),
                (&names.history, Type::TEXT),
                (&names.log, Type::TEXT),
            ],
        )
        .await
        .map_err(query_error("checking privileges on the history table"))?;
    let granted = |index: usize| row.get::<_, Option<bool>>(index).unwrap_or(false);
    let missing = |privilege: &str, object: String| HistoryError::MissingPrivilege {
        privilege: privilege.into(),
        object,
        purpose: "record migrations in the history table".into(),
    };
    if !granted(0) {
        return Err(missing("USAGE", format!("schema {}", location.schema)));
    }
    let table_privileges = ["SELECT", "INSERT", "UPDATE", "DELETE"];
    let lacking: Vec<&str> = (1..=4)
        .filter(|&index| !granted(index))
        .map(|index| table_privileges[index - 1])
        .collect();
    if !lacking.is_empty() {
        return Err(missing(
            &lacking.join(", "),
            format!("table {}", names.history),
        ));
    }
    if !granted(5) {
        return Err(missing("INSERT", format!("table {}", names.log)));
    }
    Ok(())
}

/// What reading the history needs: USAGE on its schema, then SELECT on the history table.
const READ_PROBE: &str = "
SELECT has_schema_privilege($1, 'USAGE'),
       CASE WHEN has_schema_privilege($1, 'USAGE') THEN has_table_privilege($2, 'SELECT') END";

/// For a read that PostgreSQL refused: [`HistoryError::MissingPrivilege`] naming what is missing,
/// or `None` when the probe finds nothing missing (then the server's error stands).
pub(crate) async fn missing_read_privilege(
    client: &Client,
    location: &HistoryLocation,
) -> Option<HistoryError> {
    let names = HistoryNames::new(location);
    let params: [(&(dyn tokio_postgres::types::ToSql + Sync), Type); 2] =
        [(&location.schema, Type::TEXT), (&names.history, Type::TEXT)];
    let row = client.query_typed_one(READ_PROBE, &params).await.ok()?;
    let missing = |privilege: &str, object: String| HistoryError::MissingPrivilege {
        privilege: privilege.into(),
        object,
        purpose: "read the history table".into(),
    };
    if !row.get::<_, bool>(0) {
        return Some(missing("USAGE", format!("schema {}", location.schema)));
    }
    (row.get::<_, Option<bool>>(1) == Some(false))
        .then(|| missing("SELECT", format!("table {}", names.history)))
}
