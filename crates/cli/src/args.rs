//! The command line as clap reads it, and nothing else.
//!
//! Keeping the whole grammar in one file makes `--help` and this file say the same thing.
//! Targets parse into core's [`UpgradeTarget`] and [`DowngradeTarget`] right here, so a typo
//! such as `upgrade base` is a usage error (exit 2) before any file or database is touched.
//! The database URL is wrapped in [`UrlArg`], whose `Debug` never shows it: a password in it
//! must not reach a log line through a stray `{:?}`.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clipdex_core::{DowngradeTarget, PlanOptions, UpgradeTarget};

pub use crate::args_checks::{CheckArgs, DiffArgs, DriftArgs};
use crate::diagnostic::{Diagnostic, Problem};
use crate::exit::Exit;
use crate::output::Output;

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
    Current,
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

/// `stamp TARGET [--verify]`
#[derive(Debug, Args)]
pub struct StampArgs {
    /// `head`, `heads`, or a revision id or unique prefix.
    pub target: UpgradeTarget,
    /// First prove that the live schema equals TARGET's (replayed on a shadow database).
    #[arg(long)]
    pub verify: bool,
    /// Checks to waive.
    #[command(flatten)]
    pub safety: SafetyArgs,
}

/// The safety checks of planning that a user may waive, one flag each.
#[derive(Debug, Clone, Copy, Args)]
pub struct SafetyArgs {
    /// Go on although an applied revision's up section was edited.
    #[arg(long)]
    pub allow_edited: bool,
    /// Go on although the database has revisions no file declares.
    #[arg(long)]
    pub allow_unknown: bool,
    /// Apply a revision even though one built on it is already applied.
    #[arg(long)]
    pub allow_out_of_order: bool,
}

impl SafetyArgs {
    /// Core's plan options; an empty plan is never an error here: the CLI says "nothing to do".
    pub fn plan_options(&self) -> PlanOptions {
        PlanOptions {
            allow_edited: self.allow_edited,
            allow_unknown_applied: self.allow_unknown,
            allow_out_of_order: self.allow_out_of_order,
            allow_empty: true,
        }
    }
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

/// A database URL from the command line; `Debug` hides it, and nothing prints it raw.
#[derive(Clone)]
pub struct UrlArg(pub String);

impl FromStr for UrlArg {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<UrlArg, Self::Err> {
        Ok(UrlArg(text.to_owned()))
    }
}

impl fmt::Debug for UrlArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UrlArg(<hidden>)")
    }
}

/// Prints a command line clap rejected (or `--help`/`--version`) and gives its exit code.
/// With `--json` anywhere on the line, a usage error is the usual JSON error document. Clap
/// quotes rejected arguments, and a URL typed in the wrong place may hold a password: the
/// text is scrubbed first.
pub fn usage_failure(error: &clap::Error) -> std::process::ExitCode {
    let code = u8::try_from(error.exit_code()).unwrap_or(2);
    if !error.use_stderr() {
        let _ = error.print();
        return std::process::ExitCode::from(code);
    }
    let rendered = scrub_passwords(&error.render().to_string());
    if !std::env::args().any(|arg| arg == "--json") {
        eprint!("{rendered}");
        return std::process::ExitCode::from(code);
    }
    let first = rendered.lines().next().unwrap_or("invalid command line");
    let message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    let problem = Problem {
        message,
        file: None,
        line: None,
    };
    let diagnostic = Diagnostic {
        exit: Exit::Usage,
        problems: vec![problem],
        notes: Vec::new(),
    };
    Output::new(true, false).error(&diagnostic);
    Exit::Usage.into()
}

/// `text` with the password of any `scheme://user:PASSWORD@` and any `password=VALUE` shown
/// as `***`.
fn scrub_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority_end = after
            .find(['/', '?', ' ', '\'', '\n'])
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at_sign), Some(colon)) if colon < at_sign => {
                out.push_str(&authority[..=colon]);
                out.push_str("***");
                out.push_str(&authority[at_sign..]);
            }
            _ => out.push_str(authority),
        }
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    scrub_key_value(&out)
}

/// `password=VALUE` (libpq's key=value form) with the value shown as `***`.
fn scrub_key_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("password=") {
        let (before, after) = rest.split_at(at + "password=".len());
        out.push_str(before);
        out.push_str("***");
        let end = after.find([' ', '\'', '\n']).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
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
    fn passwords_in_rejected_arguments_are_scrubbed() {
        let text = "error: unexpected argument 'postgresql://app:s3cr3t@db:5432/x?a=b' found";
        let scrubbed = scrub_passwords(text);
        assert_eq!(
            scrubbed,
            "error: unexpected argument 'postgresql://app:***@db:5432/x?a=b' found"
        );
        let text = "unexpected 'host=h password=s3cr3t user=u' and postgresql://h/d";
        assert_eq!(
            scrub_passwords(text),
            "unexpected 'host=h password=*** user=u' and postgresql://h/d"
        );
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
