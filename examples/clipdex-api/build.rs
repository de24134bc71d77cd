//! Rebuilds the application when a file is added to the migrations directory.
//!
//! `embed_migrations!` includes every file it embeds, so editing one already triggers a
//! rebuild; a new file is in no `include_bytes!` yet. Cargo scans a watched directory
//! recursively, so this one line covers `migrations/legacy/` too.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
