//! The integration tests of `cli`, one binary: each module below was a test binary of its
//! own; linked once, they build in a fraction of the time. `cargo test -p cli MODULE` runs one.

mod autogenerate;
mod bad_input;
mod book_exercises;
mod book_scenarios;
#[path = "security/certs.rs"]
mod certs;
mod check;
#[cfg(feature = "citus")]
mod citus;
mod concurrency;
mod config;
mod connecting;
mod crash;
mod dev_cluster;
mod diff;
mod drift;
mod fleet;
mod for_ci;
mod heads;
mod import_cli;
mod import_fixture;
mod import_formats;
mod import_tools;
mod invalid;
mod json_shapes;
mod logging;
mod offline;
mod reliability;
mod runs;
mod scanned_before_run;
mod secrets;
mod security;
mod security_names;
mod shell;
mod support;
mod terminal;
mod test_variables;
mod upgrade;
mod versions;
