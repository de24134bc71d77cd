//! The command line as users meet it: clap's grammar from [`crate::args`] dressed with an
//! example for every command, the exit codes, and colour that follows [`crate::terminal`].
//!
//! Kept apart from the grammar so that adding a command there stays a one-place change: its
//! example goes in [`EXAMPLES`] (a test insists), or in its own `after_help`, which wins.
//! Parsing, `completions` and `man` all start from [`command`], so help, completion scripts
//! and the man page describe the same tool.

use clap::CommandFactory as _;

use crate::args::Cli;
use crate::exit::Exit;
use crate::terminal;

/// An example for each command, shown at the end of its `--help` and in its man page.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "upgrade",
        "clipdex-migrate upgrade                      # to the single head\n  clipdex-migrate upgrade --dry-run --json     # what would run, as JSON\n  clipdex-migrate upgrade --sql > upgrade.sql  # the offline script for review",
    ),
    (
        "downgrade",
        "clipdex-migrate downgrade -1                 # undo the last revision\n  clipdex-migrate downgrade base --dry-run     # what undoing everything would run",
    ),
    (
        "stamp",
        "clipdex-migrate stamp af9a37e3eebf           # adopt a database the legacy files built\n  clipdex-migrate stamp --from sqlx --verify   # take over what _sqlx_migrations says is applied",
    ),
    (
        "current",
        "clipdex-migrate --env staging current\n  clipdex-migrate current --exit-code          # in CI: exit 8 while revisions are pending",
    ),
    (
        "history",
        "clipdex-migrate history\n  clipdex-migrate history --log --json",
    ),
    ("heads", "clipdex-migrate heads --json"),
    ("show", "clipdex-migrate show af9a"),
    (
        "revision",
        "clipdex-migrate revision -m \"add view_count to episodes\"\n  clipdex-migrate revision -m \"index view_count\" --transaction none",
    ),
    (
        "merge",
        "clipdex-migrate merge -m \"join the search and guests branches\"",
    ),
    (
        "sum",
        "git checkout --theirs migrations/revisions.sum && clipdex-migrate sum",
    ),
    (
        "accept-edit",
        "clipdex-migrate accept-edit 8c3f --reason \"comment typo fixed after deploy\"",
    ),
    (
        "check",
        "clipdex-migrate check                        # the CI gate: heads, sums, schema/, round trips, lint, queries\n  clipdex-migrate check --only lint --json",
    ),
    (
        "drift",
        "clipdex-migrate --env staging drift          # staging against what its history says is applied\n  clipdex-migrate drift --against head",
    ),
    (
        "diff",
        "clipdex-migrate diff --from \"$STAGING_DATABASE_URL\" --to postgresql:///clipdex_dev > catch-up.sql",
    ),
    (
        "import",
        "clipdex-migrate import --from diesel ../app/migrations\n  clipdex-migrate import --from sqlx migrations --dry-run --json",
    ),
    (
        "fleet",
        "clipdex-migrate fleet upgrade --fleet tenants --jobs 8   # every tenant schema, 8 at a time\n  clipdex-migrate fleet status --json",
    ),
    (
        "config",
        "clipdex-migrate config\n  clipdex-migrate --env staging config --json",
    ),
    (
        "completions",
        "clipdex-migrate completions bash > ~/.local/share/bash-completion/completions/clipdex-migrate\n  clipdex-migrate completions zsh > \"${fpath[1]}/_clipdex-migrate\"\n  clipdex-migrate completions fish > ~/.config/fish/completions/clipdex-migrate.fish",
    ),
    (
        "man",
        "clipdex-migrate man | man -l -\n  clipdex-migrate man upgrade > clipdex-migrate-upgrade.1",
    ),
    (
        "dump",
        "clipdex-migrate dump -o schema.sql           # the live schema, to commit and review\n  clipdex-migrate upgrade --dump-schema schema.sql",
    ),
    (
        "dev",
        "clipdex-migrate dev up                       # start the project's development cluster, print its URL\n  clipdex-migrate dev down                     # stop it; its data stays",
    ),
];

/// The whole command line: grammar, examples, exit codes, colour choice.
pub fn command() -> clap::Command {
    let mut command = Cli::command()
        .color(terminal::clap_colour())
        .after_long_help(top_level_help());
    for (name, example) in EXAMPLES {
        command = command.mut_subcommand(*name, |sub| {
            if sub.get_after_help().is_some() {
                return sub;
            }
            let text = format!("Example:\n  {example}");
            sub.after_help(text)
        });
    }
    command
}

/// The top-level help's closing text, before the exit codes (the man page has those in a
/// section of their own).
pub const DATABASE_NOTE: &str = "The database: --database-url, else --env NAME, else DATABASE_URL, else the config \
file's default_environment, else the local development cluster (started on demand). \
`clipdex-migrate config` shows which one a command would use.\n\n\
Example:\n  clipdex-migrate upgrade && clipdex-migrate current";

/// `--help`'s closing text: where the database comes from, an example, and the exit codes.
fn top_level_help() -> String {
    format!("{DATABASE_NOTE}\n\nExit codes:\n{}", Exit::text_table())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_an_example_and_every_example_a_command() {
        let command = command();
        for sub in command.get_subcommands() {
            let name = sub.get_name();
            let help = sub.get_after_help().map(ToString::to_string);
            assert!(
                help.is_some_and(|help| help.contains("clipdex-migrate")),
                "`{name}` has no example: add one to help::EXAMPLES"
            );
        }
        for (name, _) in EXAMPLES {
            assert!(
                command.find_subcommand(name).is_some(),
                "no command `{name}`"
            );
        }
    }

    #[test]
    fn a_command_keeps_its_one_line_description_once_its_arguments_are_built() {
        // The list shows each command's own description; building its arguments (as its help,
        // the man page and the completion scripts do) must not replace it with the doc
        // comment of a struct of arguments.
        let listed: Vec<_> = command()
            .get_subcommands()
            .map(|sub| {
                (
                    sub.get_name().to_owned(),
                    sub.get_about().map(ToString::to_string),
                )
            })
            .collect();
        let mut built = command();
        built.build();
        for (name, about) in listed {
            let sub = built.find_subcommand(&name).unwrap();
            assert!(about.is_some(), "`{name}` has no description");
            assert_eq!(sub.get_about().map(ToString::to_string), about, "`{name}`");
        }
    }

    #[test]
    fn the_long_help_lists_every_exit_code() {
        let mut command = command();
        let help = command.render_long_help().to_string();
        for exit in Exit::ALL {
            assert!(help.contains(&format!("  {}  ", exit.code())), "{help}");
        }
    }
}
