//! Whether output goes to a person: colour only on a terminal and never with `NO_COLOR`, and
//! progress bars only on a terminal.
//!
//! One rule for every writer — our `error:`/`warning:` prefixes, the `-v` log, clap's help
//! and errors — so that piping any command into a file or another program never carries an
//! escape sequence. `NO_COLOR` follows <https://no-color.org>: set and not empty.

use std::io::IsTerminal as _;

/// The variable that turns colour off.
pub const NO_COLOR_VAR: &str = "NO_COLOR";

/// A standard stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Results.
    Stdout,
    /// Notices, warnings, errors, the log and progress bars.
    Stderr,
}

impl Stream {
    /// Whether the stream is a terminal.
    pub fn is_terminal(self) -> bool {
        match self {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

/// Whether `stream` may carry colour: it is a terminal, and `NO_COLOR` does not forbid it.
pub fn colour(stream: Stream) -> bool {
    stream.is_terminal() && !no_color(std::env::var_os(NO_COLOR_VAR).as_deref())
}

/// Whether `NO_COLOR`'s value turns colour off: set and not empty.
fn no_color(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|value| !value.is_empty())
}

/// Clap's setting: never when `NO_COLOR` forbids it or no stream is a terminal; otherwise
/// clap's own per-stream check decides.
pub fn clap_colour() -> clap::ColorChoice {
    if colour(Stream::Stdout) || colour(Stream::Stderr) {
        clap::ColorChoice::Auto
    } else {
        clap::ColorChoice::Never
    }
}

/// The styles of our own text.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// `error`: bold red.
    Error,
    /// `warning`: bold yellow.
    Warning,
}

/// `text` in `style` when stderr may carry colour, else as is.
pub fn paint_stderr(style: Style, text: &str) -> String {
    if !colour(Stream::Stderr) {
        return text.to_owned();
    }
    let code = match style {
        Style::Error => "1;31",
        Style::Warning => "1;33",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn only_a_non_empty_no_color_turns_colour_off() {
        assert!(!no_color(None));
        assert!(!no_color(Some(OsStr::new(""))));
        assert!(no_color(Some(OsStr::new("1"))));
    }
}
