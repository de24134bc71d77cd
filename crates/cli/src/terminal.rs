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

/// Whether `stream` may carry colour.
pub fn colour(stream: Stream) -> bool {
    colour_allowed(
        std::env::var_os(NO_COLOR_VAR).as_deref(),
        stream.is_terminal(),
    )
}

/// The rule itself, apart from the process's environment.
fn colour_allowed(no_color: Option<&std::ffi::OsStr>, terminal: bool) -> bool {
    let no_color = no_color.is_some_and(|value| !value.is_empty());
    terminal && !no_color
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
    fn colour_needs_a_terminal_and_no_non_empty_no_color() {
        assert!(colour_allowed(None, true));
        assert!(colour_allowed(Some(OsStr::new("")), true));
        assert!(!colour_allowed(Some(OsStr::new("1")), true));
        assert!(!colour_allowed(None, false));
    }
}
