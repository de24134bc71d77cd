//! The integration tests of `fleet`, one binary, on real PostgreSQL from `scratch`.

mod connections;
mod databases;
mod failures;
mod locks;
mod schemas;
mod support;
