//! File bytes turned into text for parsing, without moving a single line number.
//!
//! Revision files and the files they include are decoded the same way: a UTF-8 byte-order mark
//! is dropped and CRLF becomes LF, exactly as [`Checksum`](crate::Checksum) normalises them, so
//! neither a Windows checkout nor an editor's BOM changes a line number or a checksum. Lines are
//! counted by `\n` only; a lone `\r` stays part of its line.

use std::borrow::Cow;
use std::path::Path;

use crate::checksum::normalise;
use crate::revision_error::RevisionError;

/// Decodes `bytes` as UTF-8 after normalising; the error names the line of the first bad byte.
pub(crate) fn decode(path: &Path, bytes: &[u8]) -> Result<String, RevisionError> {
    text_of(path, normalise(bytes).into_owned())
}

/// [`decode`] taking the bytes: when normalising changes nothing (no byte-order mark, no
/// CRLF: most files), the text is the bytes' own allocation, not a copy of them.
pub(crate) fn decode_owned(path: &Path, bytes: Vec<u8>) -> Result<Box<str>, RevisionError> {
    let unchanged = matches!(normalise(&bytes), Cow::Borrowed(same) if same.len() == bytes.len());
    let normalised = match unchanged {
        true => bytes,
        false => normalise(&bytes).into_owned(),
    };
    text_of(path, normalised).map(String::into_boxed_str)
}

/// Normalised bytes as text, or the line of the first byte that is not UTF-8.
fn text_of(path: &Path, normalised: Vec<u8>) -> Result<String, RevisionError> {
    String::from_utf8(normalised).map_err(|error| {
        let bytes = error.as_bytes();
        let valid = &bytes[..error.utf8_error().valid_up_to()];
        RevisionError::NotUtf8 {
            path: path.to_owned(),
            line: line_count_before(valid),
            byte: bytes[valid.len()],
        }
    })
}

/// The 1-based line on which the byte after `prefix` sits.
fn line_count_before(prefix: &[u8]) -> u32 {
    let newlines = prefix.iter().filter(|&&byte| byte == b'\n').count();
    u32::try_from(newlines).unwrap_or(u32::MAX - 1) + 1
}

/// One line of a decoded file: its 1-based number, where it starts, and its text without `\n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub number: u32,
    pub start: usize,
    pub text: &'a str,
}

impl Line<'_> {
    /// The byte offset just past this line's `\n` (or the end of the text).
    pub fn end_with_newline(&self, full_len: usize) -> usize {
        (self.start + self.text.len() + 1).min(full_len)
    }
}

/// Every line of `text`; a final line without `\n` counts, an empty tail after `\n` does not.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    let mut number = 0u32;
    std::iter::from_fn(move || {
        let rest = text.get(start..).filter(|rest| !rest.is_empty())?;
        // A plain byte loop: lines are short, and this beats a general substring search.
        let len = rest.bytes().position(|byte| byte == b'\n');
        let line = Line {
            number: number.saturating_add(1),
            start,
            text: &rest[..len.unwrap_or(rest.len())],
        };
        number = line.number;
        start += len.map_or(rest.len(), |len| len + 1);
        Some(line)
    })
}

/// A forward-only position tracker: turns byte offsets into 1-based line and column numbers.
///
/// Offsets must be asked for in increasing order, which keeps a whole file's worth of lookups
/// linear in its length. Columns count characters, not bytes.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    column: u32,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`, which starts at `first_line`, column 1.
    pub fn new(text: &'a str, first_line: u32) -> Cursor<'a> {
        Cursor {
            text,
            offset: 0,
            line: first_line,
            column: 1,
        }
    }

    /// The line and column of byte `offset`; an offset behind the cursor answers where it is.
    pub fn advance_to(&mut self, offset: usize) -> (u32, u32) {
        let target = offset.min(self.text.len());
        if target > self.offset {
            for char in self.text[self.offset..target].chars() {
                if char == '\n' {
                    self.line = self.line.saturating_add(1);
                    self.column = 1;
                } else {
                    self.column = self.column.saturating_add(1);
                }
            }
            self.offset = target;
        }
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_removed_without_moving_lines() {
        let text = decode(Path::new("a.sql"), b"\xEF\xBB\xBFone\r\ntwo\r\n").unwrap();
        assert_eq!(text, "one\ntwo\n");
        let numbers: Vec<_> = lines(&text).map(|line| (line.number, line.text)).collect();
        assert_eq!(numbers, [(1, "one"), (2, "two")]);
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let error = decode(Path::new("a.sql"), b"\xEF\xBB\xBFok\r\nok\r\nbad \xff\n").unwrap_err();
        insta::assert_snapshot!(error, @"a.sql:3: not UTF-8: byte 0xff is not valid here; save the file as UTF-8");
    }

    #[test]
    fn a_final_line_without_newline_counts() {
        let numbers: Vec<_> = lines("a\nb")
            .map(|line| (line.number, line.start))
            .collect();
        assert_eq!(numbers, [(1, 0), (2, 2)]);
        assert_eq!(lines("").count(), 0);
    }

    #[test]
    fn the_cursor_counts_characters_not_bytes() {
        let mut cursor = Cursor::new("é x\nyz", 10);
        assert_eq!(cursor.advance_to(3), (10, 3));
        assert_eq!(cursor.advance_to(6), (11, 2));
        assert_eq!(cursor.advance_to(1), (11, 2));
    }
}
