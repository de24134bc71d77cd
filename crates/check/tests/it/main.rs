//! The integration tests of `check`, one binary: each module below was a test binary of its
//! own; linked once, they build in a fraction of the time. `cargo test -p check MODULE` runs one.

mod advice;
mod checks;
mod support;
mod walk;
