//! The command line as clap reads it, and nothing else.
//!
//! Keeping the whole grammar in one file makes `--help` and this file say the same thing.
//! Targets parse into core's [`UpgradeTarget`] and [`DowngradeTarget`] right here, so a typo
//! such as `upgrade base` is a usage error (exit 2) before any file or database is touched.
//! The database URL is wrapped in [`UrlArg`] (see [`crate::secret_args`]), whose `Debug` never
//! shows it: a password in it must not reach a log line through a stray `{:?}`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clipdex_core::{DowngradeTarget, UpgradeTarget};

pub use crate::args_checks::{CheckArgs, DiffArgs, DriftArgs};
use crate::args_database::wait_duration;
pub use crate::args_database::{CurrentArgs, DevArgs, DumpArgs};
pub use crate::args_fleet::FleetArgs;
pub use crate::args_safety::SafetyArgs;
use crate::output::{Chatter, Format};
use crate::secret_args::UrlArg;

/// `clipdex-migrate`: PostgreSQL migrations as literal SQL files, tracked in the database.
#[derive(Debug, Parser)]
#[command(name = "clipdex-migrate", version, about, propagate_version = true)]
pub struct Cli {
    /// Options every command accepts, before or after its name.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The database (URL or `key=value` string); beats --env, DATABASE_URL and the config file.
    #[arg(long, global = true, value_name = "URL", conflicts_with = "env")]
    pub database_url: Option<UrlArg>,
    /// A named environment of the config file (`[environments.NAME]`).
    #[arg(long, global = true, value_name = "NAME")]
    pub env: Option<String>,
    /// The migrations directory (default: the config file's `migrations_dir`, else `migrations`).
    #[arg(long, global = true, value_name = "DIR")]
    pub migrations_dir: Option<PathBuf>,
    /// The config file (default: `clipdex-migrate.toml` here or in an ancestor directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print one JSON document on stdout instead of text (errors too).
    #[arg(long, global = true)]
    pub json: bool,
    /// Print only results, warnings and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more (-v: each statement; -vv: everything the libraries log).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Where shadow databases are created (an admin URL); beats CLIPDEX_SHADOW_URL and the
    /// config file's `shadow_url`.
    #[arg(long, global = true, value_name = "URL")]
    pub shadow_url: Option<UrlArg>,
    /// Keep trying to connect while the server does not accept connections yet, for up to
    /// DURATION (default 60s): for databases that are still starting (containers, CI services).
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "60s",
        value_parser = wait_duration
    )]
    pub wait: Option<Duration>,
    /// Compare schemas on a shadow server whose PostgreSQL major version differs from the
    /// target database's (normally refused: the catalogs of two versions may differ).
    #[arg(long, global = true)]
    pub allow_version_mismatch: bool,
}

impl GlobalArgs {
    /// What stdout carries: one JSON document with `--json`, else text.
    pub fn format(&self) -> Format {
        match self.json {
            true => Format::Json,
            false => Format::Text,
        }
    }

    /// How much is said: only results, warnings and errors with `--quiet`.
    pub fn chatter(&self) -> Chatter {
        match self.quiet {
            true => Chatter::Quiet,
            false => Chatter::Normal,
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending revisions up to TARGET (default: the single head).
    Upgrade(UpgradeArgs),
    /// Unapply revisions: `-1` (`-N`), down to a revision id, or `base`.
    Downgrade(DowngradeArgs),
    /// Record TARGET (and its ancestors) as applied without running them.
    Stamp(StampArgs),
    /// The database's applied heads, and any partially applied revision.
    Current(CurrentArgs),
    /// The applied revisions in order, or (--log) every recorded event.
    History(HistoryArgs),
    /// The heads of the revision graph (files only).
    Heads,
    /// One revision: header, file, parents, children, statements, applied state.
    Show(ShowArgs),
    /// Write a new revision file on top of the single head.
    Revision(RevisionArgs),
    /// Write a merge revision that joins several heads.
    Merge(MergeArgs),
    /// Rewrite revisions.sum from the files (the fix after a git conflict in it).
    Sum,
    /// Record that an applied revision's up section was edited on purpose.
    AcceptEdit(AcceptEditArgs),
    /// The resolved configuration: file, directories, history table, timeouts, databases.
    Config,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff), of the whole tool or of one command.
    Man(ManArgs),
    /// The CI gate: heads, sums, declared schema, round trips, locking hazards, queries.
    Check(CheckArgs),
    /// The live database against what its history says is applied (or the head).
    Drift(DriftArgs),
    /// Print the SQL that turns one database's schema into another's.
    Diff(DiffArgs),
    /// Write another tool's migrations (diesel, sqlx, dbmate, …) as revisions after the head.
    Import(ImportArgs),
    /// The project's local development cluster: up, url, down, reset, destroy, status.
    Dev(DevArgs),
    /// Write the live schema as SQL (every object, in an order that applies to a new database).
    Dump(DumpArgs),
    /// Upgrade, downgrade, stamp or check every tenant schema or database of a fleet.
    Fleet(FleetArgs),
}

/// `import --from FORMAT DIR [--dry-run]`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The tool the directory belongs to: diesel, sqlx, dbmate, golang-migrate, goose, flyway
    /// or numbered (plain `NNN_slug.sql` files).
    #[arg(long, value_name = "FORMAT")]
    pub from: import::Format,
    /// The tool's migrations directory.
    pub dir: PathBuf,
    /// Say what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `upgrade [TARGET] [--sql [--from REV] | --dry-run] [--allow-…]`
#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// `head` (the single head), `heads` (all of them), or a revision id or unique prefix.
    #[arg(default_value = "head")]
    pub target: UpgradeTarget,
    /// Print the SQL script instead of running it (no database needed).
    #[arg(long)]
    pub sql: bool,
    /// With --sql: the revision the database is at (default: base, an empty database).
    #[arg(long, value_name = "REV", requires = "sql")]
    pub from: Option<String>,
    /// Connect and print the plan without running it.
    #[arg(long, conflicts_with = "sql")]
    pub dry_run: bool,
    /// Checks to waive.
    #[command(flatten)]
    pub safety: SafetyArgs,
    /// Upgrade a database that has tables but no history (normally: adopt it with `stamp`).
    #[arg(long)]
    pub allow_non_empty: bool,
    /// After upgrading (or finding nothing to do), write the live schema to FILE, as `dump`.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["sql", "dry_run"])]
    pub dump_schema: Option<PathBuf>,
}

/// `downgrade TARGET [--sql --from REV | --dry-run] [--allow-…]`
#[derive(Debug, Args)]
pub struct DowngradeArgs {
    /// `-1` (or `-N`), a revision id or unique prefix to go back to, or `base`.
    #[arg(allow_negative_numbers = true)]
    pub target: DowngradeTarget,
    /// Print the SQL script instead of running it (needs --from).
    #[arg(long, requires = "from")]
    pub sql: bool,
    /// With --sql: the revision the database is at.
    #[arg(long, value_name = "REV", requires = "sql")]
    pub from: Option<String>,
    /// Connect and print the plan without running it.
    #[arg(long, conflicts_with = "sql")]
    pub dry_run: bool,
    /// Checks to waive.
    #[command(flatten)]
    pub safety: SafetyArgs,
}

/// `stamp TARGET [--verify]`, or `stamp --from TOOL [--revision ALEMBIC=REV]... [--verify]`
#[derive(Debug, Args)]
pub struct StampArgs {
    /// `head`, `heads`, or a revision id or unique prefix.
    #[arg(required_unless_present = "from", conflicts_with = "from")]
    pub target: Option<UpgradeTarget>,
    /// Stamp what another tool's history table says is applied, mapped to the revisions
    /// `import` wrote: diesel, sqlx, dbmate, golang-migrate, goose, flyway or alembic.
    #[arg(long, value_name = "TOOL")]
    pub from: Option<takeover::HistorySource>,
    /// With --from alembic: the revision a database at that Alembic version is at
    /// (ALEMBIC_VERSION=REVISION; repeatable).
    #[arg(long, value_name = "ALEMBIC=REV", requires = "from")]
    pub revision: Vec<takeover::AlembicMapping>,
    /// First prove that the live schema equals TARGET's (replayed on a shadow database).
    #[arg(long)]
    pub verify: bool,
    /// Checks to waive.
    #[command(flatten)]
    pub safety: SafetyArgs,
}

/// `history [--log]`
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The append-only event log (upgrade, downgrade, stamp, accept-edit) instead.
    #[arg(long)]
    pub log: bool,
}

/// `show REV`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A revision id or unique prefix.
    pub revision: String,
}

/// `revision -m MSG [--transaction MODE]`
#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// What the revision does; also names the file.
    #[arg(short, long)]
    pub message: String,
    /// `none` for statements no transaction can hold (CREATE INDEX CONCURRENTLY, …).
    #[arg(long, value_enum, default_value_t = TransactionArg::PerRevision)]
    pub transaction: TransactionArg,
    /// Write the up and down sections from the difference between the revisions' head and
    /// the declared schema (`schema/`), for review.
    #[arg(long)]
    pub autogenerate: bool,
    /// With --autogenerate: the plain statements (an index built under lock, foreign keys and
    /// NOT NULL checked at once), for empty tables and development, instead of the lock-safe
    /// forms in a `transaction: none` revision of their own.
    #[arg(long = "unsafe", requires = "autogenerate")]
    pub unsafe_locks: bool,
}

/// The `-- transaction:` header a new revision gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransactionArg {
    /// The revision and its history row commit together (the default).
    PerRevision,
    /// Each statement runs on its own, outside any transaction.
    None,
}

/// `merge [HEAD...] -m MSG`
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The heads to join (ids or unique prefixes); default: every head.
    pub heads: Vec<String>,
    /// What the merge is for; also names the file.
    #[arg(short, long)]
    pub message: String,
}

/// `accept-edit REV --reason TEXT`
#[derive(Debug, Args)]
pub struct AcceptEditArgs {
    /// The applied revision whose up section was edited (id or unique prefix).
    pub revision: String,
    /// Why the edit is accepted; recorded in the history log.
    #[arg(long)]
    pub reason: String,
}

/// `completions SHELL`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `man [COMMAND]`
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command to print the page of (`clipdex-migrate-upgrade(1)`); default: the whole tool.
    pub command: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn globals_work_after_the_command_and_downgrade_takes_negative_steps() {
        let cli = Cli::try_parse_from(["x", "downgrade", "-2", "--json", "--env", "staging"])
            .expect("parses");
        assert!(cli.global.json);
        assert_eq!(cli.global.env.as_deref(), Some("staging"));
        let Command::Downgrade(args) = cli.command else {
            panic!("not a downgrade")
        };
        assert_eq!(args.target.to_string(), "-2");
    }

    #[test]
    fn a_wrong_target_is_a_usage_error() {
        let error = Cli::try_parse_from(["x", "upgrade", "base"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("is not an upgrade target"));
    }

    #[test]
    fn url_and_env_exclude_each_other_and_the_url_never_shows() {
        let parsed = Cli::try_parse_from(["x", "current", "--database-url", "postgres://u:pw@h/d"]);
        assert!(!format!("{parsed:?}").contains("pw"));
        let both = [
            "x",
            "current",
            "--database-url",
            "postgres://h/d",
            "--env",
            "e",
        ];
        let error = Cli::try_parse_from(both).unwrap_err();
        assert!(!error.to_string().contains("postgres://"), "{error}");
    }
}
