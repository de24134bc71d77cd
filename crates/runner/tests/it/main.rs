//! The integration tests of `runner`, one binary: each module below was a test binary of its
//! own; linked once, they build in a fraction of the time. `cargo test -p runner MODULE` runs one.

mod application;
mod chain;
mod common;
mod connect;
mod held_lock;
mod history_read;
mod none;
mod read_again;
mod safety;
mod schema_scope;
mod script;
mod upgrade;
mod without_citus;
