//! The lock-safe revisions `revision --autogenerate` writes by default.
//!
//! On tables that already hold data, an index is built `CONCURRENTLY`, a foreign key added
//! `NOT VALID` and validated, and `SET NOT NULL` goes through a validated check; those
//! statements must run outside a transaction block. So when the difference between the
//! revisions' head and `schema/` has both kinds of change, two revisions are written: the
//! transactional one (the head to `schema::split_online`'s middle catalog), then a
//! `transaction: none` one on top of it (the middle to `schema/`, online). When it has only
//! the online kind, one `transaction: none` revision. `--unsafe` writes the plain forms, for
//! empty tables and development. Each revision's down section is the diff back from the
//! catalog its up section reaches, so `check`'s round trip walks each on its own.

use std::path::Path;

use clipdex_core::{LoadedMigrations, TransactionMode};
use schema::{Catalog, DiffError, DiffOptions, Locking};
use serde::Serialize;

use crate::commands::sum;
use crate::context::Context;
use crate::error::CliError;
use crate::new_revision::{self, Kind, NewRevision};
use crate::output::Report;

const ONLINE: DiffOptions = DiffOptions {
    locking: Locking::Online,
};

/// One revision to write: its message, its mode, and its two sections.
#[derive(Debug)]
pub(crate) struct Draft {
    message: String,
    transaction: TransactionMode,
    up: String,
    down: String,
}

/// The revisions for `head` → `declared` when the online forms need a revision of their own;
/// `None` when one plain revision says it all (nothing is deferred).
pub(crate) fn drafts(
    head: &Catalog,
    declared: &Catalog,
    message: &str,
    transaction: TransactionMode,
    header: &str,
) -> Result<Option<Vec<Draft>>, DiffError> {
    let middle = schema::split_online(head, declared);
    if middle == *declared {
        return Ok(None);
    }
    let online = Draft {
        message: if middle == *head {
            message.to_owned()
        } else {
            format!("online: {message}")
        },
        transaction: TransactionMode::NoTransaction,
        up: section(header, &schema::diff_with(&middle, declared, &ONLINE)?),
        down: schema::diff_with(declared, &middle, &ONLINE)?.to_sql(),
    };
    let mut drafts = Vec::new();
    if middle != *head {
        drafts.push(Draft {
            message: message.to_owned(),
            transaction,
            up: section(header, &schema::diff(head, &middle)?),
            down: schema::diff(&middle, head)?.to_sql(),
        });
    }
    drafts.push(online);
    Ok(Some(drafts))
}

fn section(header: &str, diff: &schema::Diff) -> String {
    format!("{header}\n{}", diff.to_sql())
}

/// A revision written.
#[derive(Debug, Serialize)]
struct WrittenRevision {
    revision: String,
    file: std::path::PathBuf,
    parents: Vec<String>,
    message: String,
    transaction: String,
}

/// What was written: the revisions in order, each on the one before.
#[derive(Debug, Serialize)]
struct Written {
    command: &'static str,
    autogenerate: bool,
    revisions: Vec<WrittenRevision>,
    sum_file: std::path::PathBuf,
}

impl Report for Written {
    fn human(&self) -> Vec<String> {
        self.revisions
            .iter()
            .map(|r| r.file.display().to_string())
            .collect()
    }
}

/// Writes `drafts` as revisions, each the parent of the next, the first on `parents`, then
/// rewrites the sum file once.
pub(crate) fn write(
    context: &Context,
    migrations: &LoadedMigrations,
    parents: Vec<String>,
    drafts: Vec<Draft>,
) -> Result<(), CliError> {
    let dir = context.migrations_dir();
    let mut parents = parents;
    let mut revisions = Vec::new();
    for Draft {
        message,
        transaction,
        up,
        down,
    } in drafts
    {
        let new = NewRevision {
            message: message.clone(),
            parents: parents.clone(),
            transaction,
            kind: Kind::Generated { up, down },
        };
        let written = new_revision::write(Path::new(&dir), migrations.graph(), &new)?;
        revisions.push(WrittenRevision {
            revision: written.id.clone(),
            file: written.path,
            parents,
            message,
            transaction: transaction.to_string(),
        });
        parents = vec![written.id];
    }
    let sum = sum::rewrite(&dir)?;
    context.out.report(&Written {
        command: "revision",
        autogenerate: true,
        revisions,
        sum_file: sum.file,
    });
    Ok(())
}
