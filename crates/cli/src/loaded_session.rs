//! Loading the migrations while the server starts the connection's backend.
//!
//! Reading and hashing every revision file is most of a no-op run's own work, and the server
//! forking and setting up a backend for the new connection is most of its waiting. So the
//! connection is started first — the socket opened and the startup message sent, as far as it
//! goes without waiting — and the files are read while the server answers. No thread is
//! started for it: one more thread costs more than it saves on a thousand small files.
//!
//! What the user sees keeps the order of doing one after the other: a problem in the files is
//! reported before anything about the database, and the development cluster is never started
//! for files that may be invalid.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use clipdex_core::{LoadedMigrations, SumCheck};

use crate::context::Context;
use crate::error::CliError;
use crate::target_db::{self, Chosen, Session};

/// The checked migrations (as [`Context::load`] gives them) and a session on the target
/// database.
pub async fn load_and_open(
    context: &Context,
    sum: SumCheck,
) -> Result<(LoadedMigrations, Session), CliError> {
    let chosen = match target_db::choose(context) {
        Ok(chosen @ (Chosen::Text { .. } | Chosen::Libpq { .. })) => chosen,
        // Nothing to connect to yet, or a cluster to start: the files come first, as alone.
        _ => {
            let loaded = context.load(sum)?;
            return Ok((loaded, target_db::open(context).await?));
        }
    };
    let mut connecting = pin!(target_db::open_chosen(context, chosen));
    let mut started = poll_fn(|cx| Poll::Ready(connecting.as_mut().poll(cx))).await;
    if started.is_pending() {
        // A new socket is writable only once the runtime has polled it: one turn of the
        // runtime, and the startup message goes out.
        tokio::task::yield_now().await;
        started = poll_fn(|cx| Poll::Ready(connecting.as_mut().poll(cx))).await;
    }
    // Invalid files return here, dropping the connection being made.
    let loaded = context.load(sum)?;
    let session = match started {
        Poll::Ready(session) => session?,
        Poll::Pending => connecting.await?,
    };
    Ok((loaded, session))
}
