//! The integration tests of `localpg`, one binary, on real PostgreSQL from the local server
//! binaries. `cargo test -p localpg MODULE` runs one module.

mod cluster;
mod dev_cluster;
mod kill;
mod temp_database;
mod watchdog;
