//! Fuzzes the revision-file parser from a valid file: the input is a list of edits (insert a
//! piece of header, marker or SQL syntax at a line, delete or repeat a line) applied to a
//! well-formed revision, so the fuzzer spends its time near the grammar instead of on bytes
//! the parser rejects at once. The same properties as `revision_file` hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../src/exercise.rs"]
mod exercise;

fuzz_target!(|data: &[u8]| exercise::revision_file_structured(data));
