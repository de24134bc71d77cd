//! Every input a fuzz target (`fuzz/`, run on demand with `cargo +nightly fuzz`) ever failed
//! on, replayed on stable in every `cargo test` with the very same property code, so a fixed
//! crash stays fixed. The committed seed corpus is replayed too. An input goes in
//! `fuzz/regressions/<target>/` with a name that says what it exercised; the directory is made
//! when a target first fails, so a target that never failed has none.
//!
//! Nothing here may pass having replayed nothing: every target must have seeds, and every
//! regression directory must belong to a target and hold inputs (a lone `.gitkeep` does not).

#[path = "../../../fuzz/src/exercise.rs"]
mod exercise;
#[path = "../../../fuzz/src/split_properties.rs"]
mod split_properties;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The inputs in `dir`: its files, hidden ones (`.gitkeep`) left out.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| !path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

/// The regressions of `target` (if it ever failed), its seeds (which must exist), and for
/// the splitter the shipped legacy files too (its seed corpus, used in place).
fn inputs(target: &str) -> Vec<PathBuf> {
    let regressions = root().join("fuzz/regressions").join(target);
    let mut files = if regressions.exists() {
        files_in(&regressions)
    } else {
        Vec::new()
    };
    let seeds = files_in(&root().join("fuzz/seeds").join(target));
    assert!(!seeds.is_empty(), "fuzz/seeds/{target} holds no inputs");
    files.extend(seeds);
    if target == "split_statements" {
        files.extend(files_in(&root().join("migrations/legacy")));
    }
    files
}

fn replay(target: &str, check: fn(&[u8])) {
    for file in inputs(target) {
        let bytes = std::fs::read(&file).unwrap();
        eprintln!("{target}: {}", file.display());
        check(&bytes);
    }
}

/// The targets, as `fuzz/Cargo.toml` names its `[[bin]]`s.
fn targets() -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    let mut lines = manifest.lines();
    let mut targets = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim() == "[[bin]]" {
            let name = lines
                .next()
                .and_then(|line| line.trim().strip_prefix("name = "));
            targets.push(
                name.expect("a [[bin]] starts with its name")
                    .trim_matches('"')
                    .into(),
            );
        }
    }
    targets
}

#[test]
fn every_target_is_replayed_and_every_regression_directory_holds_inputs() {
    let targets = targets();
    let replayed = [
        "revision_file",
        "revision_file_structured",
        "split_statements",
    ];
    assert_eq!(
        targets, replayed,
        "a fuzz target without a replay test here"
    );
    for entry in std::fs::read_dir(root().join("fuzz/regressions")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            targets.contains(&name),
            "fuzz/regressions/{name} is no target's"
        );
        assert!(
            !files_in(&dir).is_empty(),
            "fuzz/regressions/{name} holds no inputs"
        );
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
