//! The `-v` log: tracing events on stderr, off unless asked for.
//!
//! Normal output is the command's own lines; the log is for finding out what happened
//! (`-v`: revisions and statements as they run; `-vv`: the libraries' debug events too).
//! `-q` narrows it to errors, as it drops notices and progress from the normal output.
//! Without either, `RUST_LOG` chooses, and by default only warnings are shown. The log is
//! coloured by the same rule as everything else ([`crate::terminal`]).

use tracing_subscriber::EnvFilter;

use crate::args::GlobalArgs;
use crate::terminal::{self, Stream};

/// Installs the subscriber for the run's `-q`/`-v` flags.
pub fn init(global: &GlobalArgs) {
    let filter = match global.verbose {
        0 if global.quiet => EnvFilter::new("error"),
        0 => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        1 => EnvFilter::new("warn,clipdex_migrate=debug,runner=info,stamp=info"),
        // The driver's own debug events carry statement texts; they add noise, not insight.
        _ => EnvFilter::new("debug,tokio_postgres=info"),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(terminal::colour(Stream::Stderr))
        .without_time()
        .with_target(false)
        .init();
}
