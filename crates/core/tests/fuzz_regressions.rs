//! Every input a fuzz target (`fuzz/`, run on demand with `cargo +nightly fuzz`) ever failed
//! on, replayed on stable in every `cargo test` with the very same property code, so a fixed
//! crash stays fixed. The committed seed corpus is replayed too. An input goes in
//! `fuzz/regressions/<target>/` with a name that says what it exercised.

#[path = "../../../fuzz/src/exercise.rs"]
mod exercise;
#[path = "../../../fuzz/src/split_properties.rs"]
mod split_properties;

use std::path::{Path, PathBuf};

/// The files of `fuzz/regressions/<target>` and `fuzz/seeds/<target>`, and for the splitter
/// the shipped legacy files too (its seed corpus, used in place rather than copied).
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = vec![
        root.join("fuzz/regressions").join(target),
        root.join("fuzz/seeds").join(target),
    ];
    if target == "split_statements" {
        dirs.push(root.join("migrations/legacy"));
    }
    let mut files = Vec::new();
    for dir in dirs {
        let entries =
            std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        files.extend(entries.map(|entry| entry.unwrap().path()));
    }
    files.sort();
    assert!(!files.is_empty(), "no inputs for {target}");
    files
}

fn replay(target: &str, check: fn(&[u8])) {
    for file in inputs(target) {
        let bytes = std::fs::read(&file).unwrap();
        eprintln!("{target}: {}", file.display());
        check(&bytes);
    }
}

#[test]
fn revision_file_inputs() {
    replay("revision_file", exercise::revision_file);
}

#[test]
fn revision_file_structured_inputs() {
    replay(
        "revision_file_structured",
        exercise::revision_file_structured,
    );
}

#[test]
fn split_statements_inputs() {
    replay("split_statements", split_properties::split_statements);
}
