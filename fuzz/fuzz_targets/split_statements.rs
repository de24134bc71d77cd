//! Fuzzes `split_statements`, the splitter every `transaction: none` revision and every error
//! location depends on: it must never panic, and each statement it returns must be an in-order,
//! non-overlapping slice of the input whose line and column point at its first character.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../src/split_properties.rs"]
mod split_properties;

fuzz_target!(|data: &[u8]| split_properties::split_statements(data));
