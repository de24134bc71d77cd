//! The fixture's error: why no PostgreSQL could be had for a test.
//!
//! Tests call `.unwrap()` on it or return it from `-> Result` test functions, so what a
//! developer sees is the `Debug` output: it delegates to `Display`, which names the cause and
//! the next step (what to install or set).

use std::fmt;
use std::sync::Arc;

use localpg::LocalPgError;

/// Everything that can go wrong while providing a PostgreSQL for a test.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ScratchError {
    /// None of the sources of PostgreSQL worked; `tried` says why each did not.
    #[error(
        "no PostgreSQL for tests: install the PostgreSQL server binaries (Debian: apt-get install \
         postgresql), or set CLIPDEX_TEST_DATABASE_URL, or build with --features docker and run \
         a Docker engine ({tried})"
    )]
    NoPostgres {
        /// One clause per source, joined with "; ".
        tried: String,
    },

    /// The Citus test group runs on server binaries without the `citus` library.
    #[cfg(feature = "citus")]
    #[error(
        "no citus.so in {} for the PostgreSQL in {}: build and install Citus with ../shared/citus/build.sh (as root; see TESTING.md), or point CLIPDEX_PG_BINDIR at a PostgreSQL that has it",
        .lib_dir.display(), .bin_dir.display()
    )]
    NoCitus {
        /// The server binaries used.
        bin_dir: std::path::PathBuf,
        /// Where `citus.so` was looked for.
        lib_dir: std::path::PathBuf,
    },

    /// The source chain failed earlier in this process; this is that error.
    #[error("{0}")]
    Shared(Arc<ScratchError>),

    /// Starting or using a server failed.
    #[error(transparent)]
    LocalPg(#[from] LocalPgError),
}

impl fmt::Debug for ScratchError {
    /// Same as `Display`: `unwrap()` and `-> Result` tests then print the actionable message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
