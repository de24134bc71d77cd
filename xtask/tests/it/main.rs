//! `cargo xtask` as a reader runs it: the commands whose failures a reader meets first.

mod scenario_without_citus;
