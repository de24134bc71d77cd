//! The `-v` log: the libraries' tracing events on stderr, off unless asked for.
//!
//! Normal output is the command's own lines; the log is for finding out what happened.
//! `-v` shows this tool's events — the lock, each revision and statement with durations,
//! shadow databases made and dropped — and `-vv` everything else too: the debug events of
//! every library, and what tokio-postgres and rustls log through `log` (a server's NOTICE,
//! the TLS handshake), bridged by tracing-subscriber's `tracing-log`. `-q` narrows it to
//! errors, as it drops notices and progress from the normal output. Without either,
//! `RUST_LOG` chooses, and by default only warnings are shown: then no filter is parsed at
//! all, since most runs are that one. The log is coloured by the same rule as everything
//! else ([`crate::terminal`]).

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;

use crate::args::GlobalArgs;
use crate::terminal::{self, Stream};

/// The crates of this tool, each at `debug`: what `-v` shows.
const OWN_EVENTS: &str = "warn,clipdex_migrate=debug,runner=debug,stamp=debug,shadow=debug,check=debug,schema=debug,\
     localpg=debug,import=debug,takeover=debug";

/// Everything at `debug`; the driver's own debug events carry whole statement texts and add
/// noise, not insight, so it stays at `info` (where a server's NOTICE is).
const ALL_EVENTS: &str = "debug,tokio_postgres=info";

/// Which events are shown.
enum Filter {
    /// Every event at this level or above.
    Level(LevelFilter),
    /// Per-crate directives (boxed: a filter is large, a level is one word).
    Directives(Box<EnvFilter>),
}

/// Installs the subscriber for the run's `-q`/`-v` flags.
pub fn init(global: &GlobalArgs) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(terminal::colour(Stream::Stderr))
        .without_time()
        .with_target(global.verbose >= 2);
    // A second subscriber (there is none) would be the only reason this fails; the run goes on.
    let _ = match filter(global) {
        Filter::Level(level) => builder.with_max_level(level).try_init(),
        Filter::Directives(directives) => builder.with_env_filter(*directives).try_init(),
    };
}

fn filter(global: &GlobalArgs) -> Filter {
    match global.verbose {
        0 if global.quiet => Filter::Level(LevelFilter::ERROR),
        0 => match EnvFilter::try_from_default_env() {
            Ok(directives) => Filter::Directives(Box::new(directives)),
            Err(_) => Filter::Level(LevelFilter::WARN),
        },
        1 => Filter::Directives(Box::new(EnvFilter::new(OWN_EVENTS))),
        _ => Filter::Directives(Box::new(EnvFilter::new(ALL_EVENTS))),
    }
}
