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
//! Use it through `runner`, which defines the types it expands to: `runner::embed_migrations!`
//! passes its own `$crate` first, and the expansion names the types through it, so the
//! macro works whatever name the application's `Cargo.toml` gives the `runner` dependency
//! (the way `macro_rules!` macros use `$crate`).
#![warn(missing_docs)]

mod expand;
mod literal;

use proc_macro::{Group, TokenStream, TokenTree};

/// Embeds a migrations directory; see `runner::embed_migrations!`, which calls it with its own
/// `$crate` first.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let arguments = match literal::arguments(input) {
        Ok(arguments) => arguments,
        Err(message) => return parse(&expand::compile_errors(&message)),
    };
    let expanded = expand::expand(&arguments.dir).map_err(|problems| problems.join("\n"));
    match expanded {
        Ok(code) => with_crate_path(parse(&code), &arguments.crate_path),
        Err(message) => parse(&expand::compile_errors(&message)),
    }
}

/// Paths are written as escaped literals and errors as `compile_error!`s: always valid Rust.
fn parse(code: &str) -> TokenStream {
    code.parse()
        .expect("embed_migrations! generates valid Rust")
}

/// `code` with every [`expand::CRATE_PLACEHOLDER`] replaced by the crate's path tokens, in
/// nested groups too: the tokens (`$crate`) keep the hygiene that makes them name the crate
/// wherever the macro is called.
fn with_crate_path(code: TokenStream, crate_path: &[TokenTree]) -> TokenStream {
    code.into_iter()
        .flat_map(|token| match token {
            TokenTree::Ident(ident) if ident.to_string() == expand::CRATE_PLACEHOLDER => {
                crate_path.to_vec()
            }
            TokenTree::Group(group) => {
                let stream = with_crate_path(group.stream(), crate_path);
                let mut replaced = Group::new(group.delimiter(), stream);
                replaced.set_span(group.span());
                vec![TokenTree::Group(replaced)]
            }
            token => vec![token],
        })
        .collect()
}
