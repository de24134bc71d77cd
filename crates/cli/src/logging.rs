//! The `-v` log: tracing events on stderr, off unless asked for.
//!
//! Normal output is the command's own lines; the log is for finding out what happened
//! (`-v`: revisions and statements as they run; `-vv`: the libraries' debug events too).
//! Without `-v`, `RUST_LOG` chooses, and by default only warnings are shown.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

/// Installs the subscriber for a run with `verbose` times `-v`.
pub fn init(verbose: u8) {
    let filter = match verbose {
        0 => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        1 => EnvFilter::new("warn,clipdex_migrate=debug,runner=info,stamp=info"),
        // The driver's own debug events carry statement texts; they add noise, not insight.
        _ => EnvFilter::new("debug,tokio_postgres=info"),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .with_target(false)
        .init();
}
