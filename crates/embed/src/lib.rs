//! `embed_migrations!`: an application's migrations directory, compiled into the application.
//!
//! An application that migrates its database on start-up should not depend on a directory
//! being deployed next to its binary. This macro reads the directory when the application is
//! compiled, with the same loader `clipdex-migrate` uses, and expands to a
//! `runner::EmbeddedMigrations` whose files are `include_bytes!` of their absolute paths: the
//! compiler then tracks every embedded file, so editing one rebuilds the application.
//! A file *added* to the directory is not tracked by any `include_bytes!`; a `build.rs` with
//! `cargo:rerun-if-changed=migrations` covers that (see `runner::embed_migrations!`).
//!
//! The argument is one string literal, parsed by hand from the token stream: a directory
//! relative to the calling crate's `CARGO_MANIFEST_DIR` (default `migrations`). A directory
//! the loader rejects fails the build with one `compile_error!` per problem.
//!
//! Use it through `runner`, which re-exports it and defines the types it expands to.
#![warn(missing_docs)]

mod expand;
mod literal;

use proc_macro::TokenStream;

/// Embeds a migrations directory; see `runner::embed_migrations!`, which re-exports it.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let expanded = literal::single_string(input)
        .and_then(|relative| expand::expand(&relative).map_err(|problems| problems.join("\n")));
    let code = match expanded {
        Ok(code) => code,
        Err(message) => expand::compile_errors(&message),
    };
    // Paths are written as escaped literals and errors as `compile_error!`s: always valid Rust.
    code.parse()
        .expect("embed_migrations! generates valid Rust")
}
