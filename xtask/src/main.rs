//! Repository plumbing, run as `cargo xtask <command>`.
//!
//! These checks guard the series rather than the tool: that the book cannot drift from the
//! files it shows, and that every post state a reader checks out still builds and passes.
//! They live in Rust, next to the code, so CI and readers run the same thing everywhere.

mod book;
mod diagrams;
mod git;
mod posts;
mod scenarios;
mod tag_boxes;

#[cfg(test)]
mod invariants;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  book-check      check the book's {{#include}} directives (run before and after `mdbook build book`)
  tags            create or move the local tags post-09, post-10, … from the commits' Post: trailers
  checkout POST   create the tags if needed, then check POST (post-09, post-10, …) out
  scenario [NAME…] run a book scenario as its golden test does and print its transcript
                  (no NAME lists them; `all` runs every one)
  diagrams [--check] generate the book's figures with Graphviz (--check: fail if a committed one is stale)
  tag-boxes [--check] write each chapter's what-this-tag-adds box from git (--check: fail if stale)
  posts           check every post state: build and test it in a worktree, and that no shipped
                  migration file has changed since";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("book-check") => book::check(&root),
        Some("tags") => posts::tag(&root),
        Some("checkout") => match args.get(1) {
            Some(post) => posts::checkout(&root, post),
            None => Err(USAGE.to_owned()),
        },
        Some("posts") => posts::check(&root),
        Some("diagrams") => diagrams::run(&root, args.get(1).is_some_and(|a| a == "--check")),
        Some("tag-boxes") => tag_boxes::run(&root, args.get(1).is_some_and(|a| a == "--check")),
        Some("scenario") => scenarios::run(&root, &args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask's manifest lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
