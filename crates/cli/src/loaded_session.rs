//! Loading the migrations while the database is opened and first asked.
//!
//! Reading and hashing every revision file is most of a no-op run's own work; the server
//! setting up a backend for the new connection, then answering the command's first queries
//! (the lock, the history), is most of its waiting. So the files are read on a thread of
//! their own while this one connects and asks, and the two meet when both are done.
//!
//! What the user sees keeps the order of doing one after the other: a problem in the files is
//! reported before anything about the database (and as soon as it is found, however long the
//! connection takes), the development cluster is never started for files that may be
//! invalid, and what runs meanwhile on the database says nothing and changes nothing. The
//! revisions' own SQL is scanned only for those a run plans, just before it starts (see
//! [`SqlText::ReadWhenNeeded`]); a file that does not scan cannot match a sum file that `sum`
//! wrote, so in a directory whose sum file is not forged such a file fails the load itself.

use std::future::Future;
use std::path::Path;

use clipdex_core::{InvalidMigrations, LoadedMigrations, SqlText, SumCheck};
use futures_util::future::{Either, select};
use tokio::sync::oneshot;

use crate::context::Context;
use crate::error::CliError;
use crate::migrations;
use crate::target_db::{self, Chosen, Session};

/// The checked migrations (as [`Context::load`] gives them), a session on the target
/// database, and what `first` asked of it (silently, with no change to the database) while
/// the files were read.
///
/// The migrations live until the process ends, as the command that loads them does: they
/// are never freed, which would cost a thousand revisions' allocations one by one at exit,
/// each from the reading thread's heap. They are loaded without their SQL
/// ([`SqlText::ReadWhenNeeded`]): the commands that open a session this way run a few
/// revisions or none, and read again only the files they run.
pub async fn load_and_open<T>(
    context: &Context,
    sum: SumCheck,
    first: impl AsyncFnOnce(&Session) -> Result<T, CliError>,
) -> Result<(&'static LoadedMigrations, Session, T), CliError> {
    let chosen = match target_db::choose(context) {
        Ok(chosen @ (Chosen::Text { .. } | Chosen::Libpq { .. })) => chosen,
        // Nothing to connect to yet, or a cluster to start: the files come first, as alone.
        _ => {
            let loaded = context.load_with(sum, SqlText::ReadWhenNeeded)?;
            let session = target_db::open(context).await?;
            let asked = first(&session).await?;
            return Ok((Box::leak(Box::new(loaded)), session, asked));
        }
    };
    let opening = async {
        let session = target_db::open_chosen(context, chosen).await?;
        let asked = first(&session).await?;
        Ok((session, asked))
    };
    let (loaded, opened) = alongside(&context.migrations_dir(), sum, opening).await?;
    migrations::warn_about_heads(loaded.graph(), &context.out);
    let (session, asked) = opened?;
    Ok((Box::leak(Box::new(loaded)), session, asked))
}

/// Reads the migrations of `dir` on a thread while `opening` runs here. Invalid files end
/// the wait at once (dropping `opening`); valid ones are returned with `opening`'s result.
async fn alongside<T>(
    dir: &Path,
    sum: SumCheck,
    opening: impl Future<Output = Result<T, CliError>>,
) -> Result<(LoadedMigrations, Result<T, CliError>), CliError> {
    let (sender, receiver) = oneshot::channel();
    let dir = dir.to_owned();
    let reader = std::thread::Builder::new()
        .name("loading migrations".to_owned())
        .spawn(move || {
            // The receiver is gone only when the command has already failed.
            let loaded = LoadedMigrations::read_dir_with(&dir, sum, SqlText::ReadWhenNeeded);
            let _ = sender.send(loaded);
        })
        .map_err(CliError::io(
            "starting the thread that reads the migrations",
        ))?;
    let loaded = |received: Result<Result<LoadedMigrations, InvalidMigrations>, _>| {
        // A dropped sender means the reading thread panicked: its panic is the error.
        received.unwrap_or_else(|_| match reader.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the reading thread ended without sending its result"),
        })
    };
    match select(receiver, std::pin::pin!(opening)).await {
        Either::Left((received, opening)) => {
            let migrations = loaded(received)?;
            Ok((migrations, opening.await))
        }
        Either::Right((opened, receiver)) => Ok((loaded(receiver.await)?, opened)),
    }
}
