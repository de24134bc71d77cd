//! Reading the old tool's history table: which versions it says are applied.
//!
//! Each tool records its state its own way: one row per applied version (diesel, sqlx,
//! dbmate), a single current version (golang-migrate, with a `dirty` flag), an event log whose
//! last row per version decides (goose), or a log with baselines and undos (Flyway). All end up
//! here as versions, in the form `import` gives them; a dirty or failed state refuses.

use import::{Format, normalize_version};
use tokio_postgres::Client;

use crate::error::TakeoverError;
use crate::source::HistorySource;

/// What the old tool's table says is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceHistory {
    /// Versions applied one by one, with the checksum the tool recorded, if any.
    pub applied: Vec<AppliedVersion>,
    /// Every version up to and including this one (golang-migrate's current version, Flyway's
    /// baseline).
    pub up_to: Option<String>,
    /// What the table says that the takeover leaves alone, one line each.
    pub notes: Vec<String>,
    /// The table's schema and name, which verification leaves out of the live schema.
    pub table: (String, String),
}

/// One applied version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedVersion {
    /// The version, normalised as `import` writes versions.
    pub version: String,
    /// The checksum the tool recorded (sqlx: SHA-384 of the up file).
    pub checksum: Option<Vec<u8>>,
}

/// Reads `source`'s history table on `client`.
pub async fn read_history(
    client: &Client,
    source: HistorySource,
) -> Result<SourceHistory, TakeoverError> {
    let table = source.table();
    let Some((qualified, columns)) = locate(client, table).await? else {
        return Err(TakeoverError::NoHistoryTable {
            tool: source.to_string(),
            table,
        });
    };
    let has = |column: &str| columns.iter().any(|c| c == column);
    let wrong = |reason: &str| TakeoverError::WrongTable {
        tool: source.to_string(),
        table,
        reason: reason.to_owned(),
    };
    let history = match source {
        HistorySource::Tool(Format::Dbmate) if has("dirty") => Err(wrong(
            "it has golang-migrate's `dirty` column; try --from golang-migrate",
        )),
        HistorySource::Tool(Format::GolangMigrate) if !has("dirty") => Err(wrong(
            "it has no `dirty` column (dbmate's table has none); try --from dbmate",
        )),
        HistorySource::Tool(format) => read_tool(client, format, table).await,
        HistorySource::Alembic => {
            let rows = query(
                client,
                table,
                "SELECT version_num::text FROM alembic_version ORDER BY 1",
            )
            .await?;
            Ok(SourceHistory {
                applied: rows.iter().map(|row| plain(row.get(0))).collect(),
                ..SourceHistory::default()
            })
        }
    }?;
    Ok(SourceHistory {
        table: qualified,
        ..history
    })
}

async fn read_tool(
    client: &Client,
    format: Format,
    table: &'static str,
) -> Result<SourceHistory, TakeoverError> {
    let tool = format.to_string();
    let version = |text: Option<String>| {
        let text = text.unwrap_or_default();
        normalize_version(format, &text).unwrap_or(text)
    };
    let mut history = SourceHistory::default();
    match format {
        Format::Diesel | Format::Dbmate => {
            let sql = format!("SELECT version::text FROM {table} ORDER BY 1");
            for row in query(client, table, &sql).await? {
                history.applied.push(plain(Some(version(row.get(0)))));
            }
        }
        Format::Sqlx => {
            let sql =
                "SELECT version::text, success, checksum FROM _sqlx_migrations ORDER BY version";
            for row in query(client, table, sql).await? {
                let version = version(row.get(0));
                if !row.get::<_, bool>(1) {
                    return Err(TakeoverError::Failed { tool, version });
                }
                let checksum = row.get(2);
                history.applied.push(AppliedVersion { version, checksum });
            }
        }
        Format::GolangMigrate => {
            let sql = "SELECT version::text, dirty FROM schema_migrations";
            let rows = query(client, table, sql).await?;
            if let Some(row) = rows.first() {
                let current = version(row.get(0));
                if row.get::<_, bool>(1) {
                    return Err(TakeoverError::Dirty {
                        tool,
                        version: current,
                    });
                }
                history.up_to = Some(current);
            }
        }
        Format::Goose => read_goose(client, table, &mut history).await?,
        Format::Flyway => read_flyway(client, table, &mut history).await?,
        Format::Numbered => {}
    }
    Ok(history)
}

/// goose logs every up and down; a version's last row says whether it is applied. Version 0
/// is goose's own first row.
async fn read_goose(
    client: &Client,
    table: &'static str,
    history: &mut SourceHistory,
) -> Result<(), TakeoverError> {
    let sql = "SELECT version_id::text, is_applied FROM goose_db_version ORDER BY id";
    let mut state: Vec<(String, bool)> = Vec::new();
    for row in query(client, table, sql).await? {
        let version: String = row.get::<_, Option<String>>(0).unwrap_or_default();
        let applied: bool = row.get(1);
        state.retain(|(seen, _)| *seen != version);
        state.push((version, applied));
    }
    let mut applied: Vec<(i64, String)> = state
        .into_iter()
        .filter(|(version, applied)| *applied && version != "0")
        .map(|(version, _)| (version.parse().unwrap_or(0), version))
        .collect();
    applied.sort();
    history.applied = applied.into_iter().map(|(_, v)| plain(Some(v))).collect();
    Ok(())
}

/// Flyway's log: versioned scripts, a baseline (every version up to it counts as applied),
/// undos and deletes (unapplied again); a failed row refuses.
async fn read_flyway(
    client: &Client,
    table: &'static str,
    history: &mut SourceHistory,
) -> Result<(), TakeoverError> {
    let sql =
        "SELECT version, type, script, success FROM flyway_schema_history ORDER BY installed_rank";
    let mut applied: Vec<String> = Vec::new();
    for row in query(client, table, sql).await? {
        let (raw, kind, script): (Option<String>, String, String) =
            (row.get(0), row.get(1), row.get(2));
        let version = raw
            .as_deref()
            .and_then(|v| normalize_version(Format::Flyway, v));
        if !row.get::<_, bool>(3) {
            let version = version.unwrap_or(script);
            return Err(TakeoverError::Failed {
                tool: "flyway".into(),
                version,
            });
        }
        let Some(version) = version else {
            if kind != "SCHEMA" {
                history.notes.push(format!("{script}: a repeatable migration Flyway applied; it was not imported, so its objects must be in a revision of your own (--verify compares)"));
            }
            continue;
        };
        match kind.as_str() {
            "BASELINE" => history.up_to = Some(version),
            "DELETE" => applied.retain(|v| *v != version),
            kind if kind.starts_with("UNDO") => applied.retain(|v| *v != version),
            _ => applied.push(version),
        }
    }
    history.applied = applied.into_iter().map(|v| plain(Some(v))).collect();
    Ok(())
}

fn plain(version: Option<String>) -> AppliedVersion {
    AppliedVersion {
        version: version.unwrap_or_default(),
        checksum: None,
    }
}

/// The table's schema and name as the search path finds it, and its columns; `None` when
/// there is no such table.
async fn locate(
    client: &Client,
    table: &'static str,
) -> Result<Option<((String, String), Vec<String>)>, TakeoverError> {
    let sql = "SELECT n.nspname::text, c.relname::text, array(SELECT attname::text FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)";
    let rows = client
        .query(sql, &[&table])
        .await
        .map_err(|source| TakeoverError::Query { table, source })?;
    Ok(rows
        .first()
        .map(|row| ((row.get(0), row.get(1)), row.get(2))))
}

async fn query(
    client: &Client,
    table: &'static str,
    sql: &str,
) -> Result<Vec<tokio_postgres::Row>, TakeoverError> {
    client
        .query(sql, &[])
        .await
        .map_err(|source| TakeoverError::Query { table, source })
}
