//! A concurrent index build's aftermath: checked after it runs, cleaned up before it runs again.
//!
//! `CREATE INDEX CONCURRENTLY` can finish without error yet leave an INVALID index (a build it
//! skipped with `IF NOT EXISTS`, a shard of a Citus table whose own index is INVALID), and a
//! failed or interrupted build leaves an INVALID index behind that blocks the retry. So after
//! a build the index is checked — on the coordinator, and on a Citus table's shards — and
//! before resuming at a build, what an earlier attempt left is dropped. On Citus, a build
//! whose index is valid everywhere is not run again: a second
//! `CREATE INDEX CONCURRENTLY IF NOT EXISTS` of a distributed table's existing index marks it
//! INVALID on the coordinator (a Citus bug), where PostgreSQL would only skip it.

use clipdex_core::{Revision, Statement, concurrent_index_build};
use tokio_postgres::types::Type;

use crate::apply::Context;
use crate::citus_index::{ShardIndexes, shard_indexes};
use crate::config::Scope;
use crate::error::{ApplyError, InvalidShardIndexes, RunError, StatementError};
use crate::history_error::query_error;
use crate::history_sql::quote_ident;

/// What to do with a concurrent index build the history says did not finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resume {
    /// Run it (after dropping what an earlier attempt left, if anything).
    Run,
    /// It finished on every node before the run was interrupted: record it, do not run it.
    Finished,
}

/// Checks the index `statement` built: INVALID on the coordinator, or on a Citus table's
/// shards, is an error at the statement.
pub(crate) async fn check_built(
    context: &Context<'_>,
    revision: &Revision,
    statement: &Statement,
) -> Result<(), RunError> {
    let Some(index) = concurrently_built_index(context, statement) else {
        return Ok(());
    };
    let at = |index: String| (revision.id().to_owned(), statement.origin.clone(), index);
    if index_is_valid(context, &index).await? == Some(false) {
        let (revision, file, index) = at(index);
        let line = statement.line;
        return Err(ApplyError::InvalidIndex {
            revision,
            file,
            line,
            index,
        }
        .into());
    }
    match shard_indexes(context.client, &index).await? {
        Some(ShardIndexes { table, invalid }) if !invalid.is_empty() => {
            let (revision, file, index) = at(index);
            let invalid = InvalidShardIndexes {
                revision,
                file,
                line: statement.line,
                index,
                table,
                placements: invalid,
            };
            Err(ApplyError::InvalidShardIndexes(Box::new(invalid)).into())
        }
        _ => Ok(()),
    }
}

/// Before resuming at `statement`: an interrupted or failed build (a crash, a dropped
/// connection, a unique violation) leaves an INVALID index, which would make `IF NOT EXISTS`
/// skip the build (and without it, the build fail with "already exists"). The history says
/// this statement did not finish, so the leftover is its own: drop it (on a Citus table the
/// coordinator's `DROP INDEX` drops every shard's), as the error would otherwise ask a person
/// to do.
pub(crate) async fn prepare_resume(
    context: &Context<'_>,
    statement: &Statement,
) -> Result<Resume, RunError> {
    let Some(index) = concurrently_built_index(context, statement) else {
        return Ok(Resume::Run);
    };
    let valid = index_is_valid(context, &index).await?;
    let shards = match valid {
        None => return Ok(Resume::Run),
        Some(_) => shard_indexes(context.client, &index).await?,
    };
    match (valid, shards) {
        (Some(true), Some(shards)) if shards.invalid.is_empty() => Ok(Resume::Finished),
        (Some(true), None) => Ok(Resume::Run),
        _ => {
            drop_leftover(context, &index).await?;
            Ok(Resume::Run)
        }
    }
}

async fn drop_leftover(context: &Context<'_>, index: &str) -> Result<(), RunError> {
    let drop = format!("DROP INDEX CONCURRENTLY IF EXISTS {index}");
    let doing = format!(
        "dropping the INVALID index {index} that an interrupted build left, before building it again"
    );
    let dropped = context.client.batch_execute(&drop).await;
    Ok(dropped.map_err(query_error(doing))?)
}

/// `Some(false)` when the named index exists and is INVALID; `None` when it does not exist.
async fn index_is_valid(context: &Context<'_>, index: &str) -> Result<Option<bool>, RunError> {
    let row = context
        .client
        .query_typed_opt(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)",
            &[(&index, Type::TEXT)],
        )
        .await
        .map_err(query_error(format!(
            "checking whether index {index} is valid"
        )))?;
    Ok(row.map(|row| row.get(0)))
}

/// A failed concurrent build leaves an INVALID index that blocks the retry: say so.
pub(crate) async fn with_invalid_index_hint(
    context: &Context<'_>,
    statement: &Statement,
    error: RunError,
) -> RunError {
    let RunError::Apply(ApplyError::Statement(mut failed)) = error else {
        return error;
    };
    if let Some(index) = concurrently_built_index(context, statement)
        && let Ok(Some(false)) = index_is_valid(context, &index).await
    {
        add_hint(
            &mut failed,
            &format!(
                "the failed build left the INVALID index {index} behind; the upgrade that resumes here drops it and builds it again"
            ),
        );
    }
    ApplyError::Statement(failed).into()
}

fn add_hint(error: &mut StatementError, hint: &str) {
    error.hint = Some(match error.hint.take() {
        Some(existing) => format!("{existing}; {hint}"),
        None => hint.to_owned(),
    });
}

/// The index a `CREATE INDEX CONCURRENTLY` statement names, to check its validity by. In a
/// schema scope an unqualified name is qualified with the schema: the statement ran with
/// `search_path` set to it, the checks run after it was reset.
fn concurrently_built_index(context: &Context<'_>, statement: &Statement) -> Option<String> {
    let index = concurrent_index_build(&statement.sql)?.index?;
    match &context.config.scope {
        Scope::Schema(schema) if !is_qualified(&index) => {
            Some(format!("{}.{index}", quote_ident(schema)))
        }
        _ => Some(index),
    }
}

/// Whether a name as written (`s.i`, `"s"."I"`, `"a.b"`) has a schema: a dot outside quotes.
fn is_qualified(name: &str) -> bool {
    let mut quoted = false;
    name.chars().any(|c| {
        if c == '"' {
            quoted = !quoted;
        }
        c == '.' && !quoted
    })
}
