//! Fuzzes loading a migrations directory from arbitrary bytes: `RevisionSet::from_files`, then
//! the graph, the sum file and an upgrade plan when loading succeeds. Nothing may panic, and a
//! file re-saved with CRLF line ends and a BOM must load to the same revisions and checksums.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../src/exercise.rs"]
mod exercise;

fuzz_target!(|data: &[u8]| exercise::revision_file(data));
