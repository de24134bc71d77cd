//! The integration tests of `schema`, one binary: each module below was a test binary of its
//! own; linked once, they build in a fraction of the time. `cargo test -p schema MODULE` runs one.

mod clipdex;
mod corpus;
mod extensions;
mod generated;
mod keywords;
mod online;
mod order;
mod pagila;
mod refusals;
mod support;
