//! `completions SHELL` and `man [COMMAND]`: the tool describing itself to shells and to `man`.
//!
//! Both render [`crate::help::command`], the very grammar that parses the
//! command line, so a completion script or man page can never offer a flag the parser lacks.
//! Neither needs the config file or a database: they run before either is looked at.

use std::io::Write as _;

use crate::args::{CompletionsArgs, ManArgs};
use crate::error::{CliError, UsageError};
use crate::exit::Exit;
use crate::help;

/// The binary's name, as completion scripts register it.
const BIN: &str = "clipdex-migrate";

/// Prints the completion script for the shell.
pub fn completions(args: &CompletionsArgs) -> Result<(), CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut help::command(), BIN, &mut script);
    write_stdout(&script)
}

/// Prints the roff man page of the tool, or of one of its commands.
pub fn man(args: &ManArgs) -> Result<(), CliError> {
    // The exit codes get their own EXIT STATUS section below, not a paragraph of the text.
    let mut command = help::command().after_long_help(help::DATABASE_NOTE);
    // Building propagates the global options into each command's page.
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let message = format!("no command `{name}`: `clipdex-migrate --help` lists them");
                return Err(UsageError(message).into());
            };
            sub.clone()
                .display_name(format!("{BIN}-{name}"))
                .bin_name(format!("{BIN} {name}"))
        }
    };
    let roff = render(page).map_err(CliError::io("rendering the man page"))?;
    write_stdout(&roff)
}

/// clap_mangen's sections in its order, with EXIT STATUS before VERSION as man pages have it.
/// Every command has options (the global ones) and an example (the closing text).
fn render(command: clap::Command) -> std::io::Result<Vec<u8>> {
    let has_subcommands = command.get_subcommands().next().is_some();
    let page = clap_mangen::Man::new(command);
    let mut roff = Vec::new();
    page.render_title(&mut roff)?;
    page.render_name_section(&mut roff)?;
    page.render_synopsis_section(&mut roff)?;
    page.render_description_section(&mut roff)?;
    page.render_options_section(&mut roff)?;
    if has_subcommands {
        page.render_subcommands_section(&mut roff)?;
    }
    page.render_extra_section(&mut roff)?;
    roff.extend_from_slice(exit_status_section().as_bytes());
    page.render_version_section(&mut roff)?;
    Ok(roff)
}

/// The EXIT STATUS section man pages conventionally have, from the one table.
fn exit_status_section() -> String {
    let mut section = String::from(".SH \"EXIT STATUS\"\n");
    for exit in Exit::ALL {
        let meaning = exit.meaning().replace('`', "").replace('\\', "\\\\");
        section.push_str(&format!(".TP\n\\fB{}\\fR\n{meaning}\n", exit.code()));
    }
    section
}

/// Stdout as is; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    match std::io::stdout().lock().write_all(bytes) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(CliError::io("writing to stdout")),
    }
}
