//! `dump [--output FILE]`: the live schema as SQL, so that a project can commit a `schema.sql`
//! and review what each migration did to it, as dbmate's users do.
//!
//! The SQL is the schema crate's diff from an empty database to the live one: every object,
//! ordered so that it applies to a new database, compared and written by catalog like every
//! other schema here (the history schema left out). An empty database is taken to hold the
//! `public` schema, as every new database does. The text depends only on the schema and the
//! applied revisions — no URL, no time — so two dumps of equal databases are equal files.
//! `upgrade --dump-schema FILE` writes the same after upgrading.
//!
//! JSON: `{"command": "dump", "database", "file": path | null, "applied": [id], "sql"}`.

use std::path::{Path, PathBuf};

use schema::Catalog;
use serde::Serialize;

use crate::args::DumpArgs;
use crate::context::Context;
use crate::error::CliError;
use crate::output::Report;
use crate::shadow_source;
use crate::target_db::{self, Session};

#[derive(Debug, Serialize)]
struct Dump {
    command: &'static str,
    database: String,
    file: Option<PathBuf>,
    applied: Vec<String>,
    sql: String,
}

/// Runs `dump`.
pub async fn run(context: &Context, args: DumpArgs) -> Result<(), CliError> {
    let session = target_db::open(context).await?;
    let (applied, sql) = dump(context, &session).await?;
    let file = args.output.map(|file| context.cwd.join(file));
    if let Some(file) = &file {
        write(file, &sql)?;
    }
    let shown_sql = if file.is_some() && !context.out.is_json() {
        String::new()
    } else {
        sql
    };
    context.out.report(&Dump {
        command: "dump",
        database: session.database,
        file,
        applied,
        sql: shown_sql,
    });
    Ok(())
}

/// The applied revisions (complete rows, in order) and the schema's SQL with its header.
pub async fn dump(context: &Context, session: &Session) -> Result<(Vec<String>, String), CliError> {
    let state = session.migrator.read_state().await?;
    let applied: Vec<String> = state
        .applied_state()
        .applied
        .into_iter()
        .map(|a| a.id)
        .collect();
    let reader = shadow_source::reader(context);
    let live = reader
        .live_of(session.migrator.client(), &session.database)
        .await?;
    let mut empty = Catalog::default();
    if let Some(public) = live.schemas.get("public") {
        empty.schemas.insert("public".to_owned(), public.clone());
    }
    let body = schema::diff(&empty, &live)?.to_sql();
    let heads = match applied.last() {
        Some(last) => format!("{} revision(s) applied, the last {last}", applied.len()),
        None => "no revision applied".to_owned(),
    };
    let sql = format!(
        "-- The schema as `clipdex-migrate dump` writes it ({heads}): every object but the\n-- history, in an order that applies to a new database.\n\n{body}"
    );
    Ok((applied, sql))
}

/// Writes `sql` to `file` by way of a temporary name, so a reader never sees half of it.
pub fn write(file: &Path, sql: &str) -> Result<(), CliError> {
    let temporary = file.with_extension(format!("tmp-{}", std::process::id()));
    let doing = format!("writing {}", file.display());
    std::fs::write(&temporary, sql).map_err(CliError::io(doing.clone()))?;
    std::fs::rename(&temporary, file).map_err(CliError::io(doing))
}

impl Report for Dump {
    fn human(&self) -> Vec<String> {
        match &self.file {
            Some(file) => vec![format!(
                "wrote the schema of {} to {}",
                self.database,
                file.display()
            )],
            None => vec![self.sql.trim_end().to_owned()],
        }
    }
}
