//! The integration tests of `scratch`, one binary. `cargo test -p scratch MODULE` runs one
//! module; the clusters themselves are tested in `localpg`.

mod databases;
mod source_chain;
