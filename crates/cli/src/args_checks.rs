//! The grammar of the commands that compare schemas (post 11): `check`, `drift`, `diff`.
//!
//! Kept beside `args.rs` rather than in it so that the post-11 commands stay one reviewable
//! piece; `args.rs` only names them. Check names parse into the `check` crate's stable
//! [`CheckKind`](check::CheckKind) right here, so a misspelt `--skip lnt` is a usage error
//! (exit 2).

use clap::{Args, ValueEnum};

use crate::secret_args::UrlArg;

/// `check [--skip CHECK]... [--only CHECK]...`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Leave a check out: one-head, sum-file, replay, schema, round-trip, lint, queries.
    #[arg(long, value_name = "CHECK", value_parser = parse_check)]
    pub skip: Vec<check::CheckKind>,
    /// Run only these checks (repeatable).
    #[arg(long, value_name = "CHECK", value_parser = parse_check, conflicts_with = "skip")]
    pub only: Vec<check::CheckKind>,
}

/// `drift [--against applied|head]`
#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Compare with the revisions the database's history says are applied (default), or with
    /// the migrations' head (then pending revisions count as differences).
    #[arg(long, value_enum, default_value_t = Against::Applied)]
    pub against: Against,
}

/// What `drift` compares the live database with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Against {
    /// The revisions recorded as applied in the database's history.
    Applied,
    /// The migrations' head.
    Head,
}

/// `diff --from URL --to URL`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The database whose schema the SQL starts from.
    #[arg(long, value_name = "URL")]
    pub from: UrlArg,
    /// The database whose schema the SQL produces.
    #[arg(long, value_name = "URL")]
    pub to: UrlArg,
}

fn parse_check(text: &str) -> Result<check::CheckKind, String> {
    check::CheckKind::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = check::CheckKind::ALL
            .iter()
            .map(|kind| kind.name())
            .collect();
        format!("no check `{text}`; the checks are {}", names.join(", "))
    })
}
