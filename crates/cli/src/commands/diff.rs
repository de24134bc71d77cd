//! `diff --from URL --to URL`: the SQL that turns one database's schema into another's.
//!
//! Both schemas are read from `pg_catalog` (the history schema left out) and diffed by the
//! `schema` crate; the script goes to stdout as is, destructive steps and what the diff cannot
//! know marked as comments, so it can be piped into a file for review. Exit 0 whether or not
//! there are differences ("none" is said on stderr); non-zero only on error. The URLs are only
//! ever shown redacted.
//!
//! JSON: `{"command": "diff", "from", "to", "differences": bool, "sql", "changes": [{"object",
//! "kind", "sql", "destructive", "notes", "commit_after"}]}`.

use runner::DatabaseUrl;
use schema::{ChangeKind, Hazard};
use serde::Serialize;

use crate::args::DiffArgs;
use crate::context::Context;
use crate::error::CliError;
use crate::output::Report;
use crate::shadow_source;

#[derive(Debug, Serialize)]
struct DiffOutcome {
    command: &'static str,
    from: String,
    to: String,
    differences: bool,
    sql: String,
    changes: Vec<ChangeOut>,
}

#[derive(Debug, Serialize)]
struct ChangeOut {
    object: String,
    kind: &'static str,
    sql: String,
    /// What the statement destroys, when it does.
    destructive: Option<String>,
    notes: Vec<String>,
    commit_after: bool,
}

/// Runs `diff`.
pub async fn run(context: &Context, args: DiffArgs) -> Result<(), CliError> {
    // The errors name the flag, never the URL: it may hold a password.
    let from = DatabaseUrl::parse(&args.from.0).map_err(CliError::url("the --from URL"))?;
    let to = DatabaseUrl::parse(&args.to.0).map_err(CliError::url("the --to URL"))?;
    let reader = shadow_source::reader(context);
    // Both databases are read at once: each introspection is a few large catalog queries the
    // two servers (or two backends of one) answer in parallel.
    let (from_catalog, to_catalog) =
        futures_util::future::try_join(reader.live(&from), reader.live(&to)).await?;
    let diff = schema::diff(&from_catalog, &to_catalog)?;
    let outcome = DiffOutcome {
        command: "diff",
        from: from.redacted(),
        to: to.redacted(),
        differences: !diff.is_empty(),
        sql: diff.to_sql(),
        changes: diff.changes.iter().map(change_out).collect(),
    };
    if context.out.is_json() {
        context.out.report(&outcome);
    } else if outcome.differences {
        context.out.raw(&outcome.sql);
    } else {
        context.out.notice(format_args!(
            "no differences: {} and {} have the same schema",
            outcome.from, outcome.to
        ));
    }
    Ok(())
}

fn change_out(change: &schema::Change) -> ChangeOut {
    ChangeOut {
        object: change.object.clone(),
        kind: match change.kind {
            ChangeKind::Create => "create",
            ChangeKind::Alter => "alter",
            ChangeKind::Drop => "drop",
            ChangeKind::Comment => "comment",
            ChangeKind::Setting => "setting",
        },
        sql: change.sql.clone(),
        destructive: change
            .hazard
            .as_ref()
            .map(|Hazard::Destructive(what)| what.clone()),
        notes: change.notes.clone(),
        commit_after: change.commit_after,
    }
}

impl Report for DiffOutcome {
    fn human(&self) -> Vec<String> {
        self.sql.lines().map(str::to_owned).collect()
    }
}
