//! The properties of `split_statements` that its fuzz target checks, shared with core's
//! regression test (`crates/core/tests/fuzz_regressions.rs`).

use std::path::Path;

use clipdex_core::split_statements as split;

/// `split_statements` on `data` (when it is UTF-8): never panics, and every statement is an
/// in-order, non-overlapping slice of the input found at its line and column.
pub fn split_statements(data: &[u8]) {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(statements) = split(sql, Path::new("fuzz.sql")) else {
        return;
    };
    let mut previous_end = 0;
    for (index, statement) in statements.iter().enumerate() {
        assert_eq!(statement.index, index, "indexes count from 0 in order");
        assert!(!statement.sql.is_empty(), "empty statements are dropped");
        let start = byte_offset(sql, statement.line, statement.column)
            .unwrap_or_else(|| panic!("statement {index} points outside the input"));
        assert!(
            start >= previous_end,
            "statement {index} overlaps the one before"
        );
        assert!(
            sql[start..].starts_with(&statement.sql),
            "statement {index} is not the input's text at its line and column"
        );
        previous_end = start + statement.sql.len();
    }
}

/// The byte offset of 1-based `line` and `column` (in characters; lines end at `\n`).
fn byte_offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let mut line_start = 0;
    for _ in 1..line {
        line_start += text[line_start..].find('\n')? + 1;
    }
    let skip = usize::try_from(column).ok()?.checked_sub(1)?;
    let rest = &text[line_start..];
    rest.char_indices()
        .nth(skip)
        .map(|(offset, _)| line_start + offset)
}
