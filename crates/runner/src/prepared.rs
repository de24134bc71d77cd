//! The history writes of a run, prepared once (in one round trip) and then only bound.
//!
//! Pipelined transactions send these by name with the extended protocol, so a revision's
//! history row costs no parse and no extra round trip. Their parameters come from the named
//! rows of [`history_row`](crate::history_row), in the order each field's comment gives.

use futures_util::future::try_join_all;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Statement};

use crate::config::HistoryLocation;
use crate::error::RunError;
use crate::history_error::query_error;
use crate::history_sql::{self as sql, HistoryNames, SINCE_BEGIN};

/// The prepared history writes.
pub(crate) struct Prepared {
    /// A complete row: revision, parents, checksum, operation, total, message. An upgrade's
    /// duration is the time since its transaction began; a stamp has none.
    pub insert_applied: Statement,
    /// A partial row of a `transaction: none` revision: revision, parents, checksum, total,
    /// message.
    pub insert_partial: Statement,
    /// An upgraded revision's complete row and its log entry, both timed since the transaction
    /// began: revision, parents, checksum, total, message.
    pub upgraded: Statement,
    /// A downgraded revision's row deleted and its log entry, timed since the transaction
    /// began: revision, checksum.
    pub downgraded: Statement,
    /// A log entry with its duration in seconds: revision, operation, checksum, reason, seconds.
    pub log: Statement,
    /// Progress of a `transaction: none` revision: revision, statements done.
    pub progress: Statement,
    /// Completion of a `transaction: none` revision: revision, seconds.
    pub complete: Statement,
    /// Why a `transaction: none` revision stopped: revision, error, seconds.
    pub failed: Statement,
    /// Forgets a revision: revision.
    pub delete: Statement,
}

impl Prepared {
    /// Prepares every write, all in one round trip.
    pub(crate) async fn prepare(
        client: &Client,
        location: &HistoryLocation,
    ) -> Result<Prepared, RunError> {
        let names = HistoryNames::new(location);
        let texts = texts(&names);
        let prepares = texts
            .iter()
            .map(|(text, types)| client.prepare_typed(text, types));
        let mut prepared = try_join_all(prepares)
            .await
            .map_err(query_error(format!(
                "preparing writes to the history table {location}"
            )))?
            .into_iter();
        let mut next = || prepared.next().expect("one statement per text");
        Ok(Prepared {
            insert_applied: next(),
            insert_partial: next(),
            upgraded: next(),
            downgraded: next(),
            log: next(),
            progress: next(),
            complete: next(),
            failed: next(),
            delete: next(),
        })
    }
}

/// The texts and parameter types, in the order of [`Prepared`]'s fields.
fn texts(names: &HistoryNames) -> Vec<(String, Vec<Type>)> {
    use Type as T;
    let applied_duration = format!("CASE WHEN $4 = 'upgrade' THEN {SINCE_BEGIN} END");
    let applied = ["$1", "$2", "$3", "$4", "'complete'", "$5", "$5", "$6"];
    let partial = ["$1", "$2", "$3", "'upgrade'", "'partial'", "0", "$4", "$5"];
    let upgraded = [
        "$1",
        "$2",
        "$3",
        "'upgrade'",
        "'complete'",
        "$4",
        "$4",
        "$5",
    ];
    let log = ["$1", "$2", "$3", "$4"];
    vec![
        (
            sql::insert_row(names, applied, &applied_duration),
            vec![T::TEXT, T::TEXT_ARRAY, T::TEXT, T::TEXT, T::INT4, T::TEXT],
        ),
        (
            sql::insert_row(names, partial, "NULL"),
            vec![T::TEXT, T::TEXT_ARRAY, T::TEXT, T::INT4, T::TEXT],
        ),
        (
            sql::with_log(
                names,
                &sql::insert_row(names, upgraded, SINCE_BEGIN),
                ["$1", "'upgrade'", "$3", "NULL"],
                SINCE_BEGIN,
            ),
            vec![T::TEXT, T::TEXT_ARRAY, T::TEXT, T::INT4, T::TEXT],
        ),
        (
            sql::with_log(
                names,
                &sql::delete_row(names, "$1"),
                ["$1", "'downgrade'", "$2", "NULL"],
                SINCE_BEGIN,
            ),
            vec![T::TEXT, T::TEXT],
        ),
        (
            sql::insert_log(names, log, &sql::seconds("$5")),
            vec![T::TEXT, T::TEXT, T::TEXT, T::TEXT, T::FLOAT8],
        ),
        (
            sql::update_progress(names, "$1", "$2"),
            vec![T::TEXT, T::INT4],
        ),
        (
            sql::update_complete(names, "$1", &sql::seconds("$2")),
            vec![T::TEXT, T::FLOAT8],
        ),
        (
            sql::update_failed(names, "$1", "$2", &sql::seconds("$3")),
            vec![T::TEXT, T::TEXT, T::FLOAT8],
        ),
        (sql::delete_row(names, "$1"), vec![T::TEXT]),
    ]
}
