//! A sum file's lines read where they lie in its text, and the `total` that sums a listing.
//!
//! Every run that loads a directory checks the sum file, and a directory of thousands of
//! revisions has a sum file of thousands of lines: its entries borrow their paths from the
//! text, sit in one vector sized from the line count, and are sorted only when the file was
//! not written sorted.

use crate::checksum::{Checksum, PlainHasher};

/// What a listing is made of, owned or borrowed: a path and its checksum.
pub(crate) trait ListedFile {
    /// The `/`-separated path relative to the migrations directory.
    fn path(&self) -> &str;
    /// The checksum of the whole file.
    fn checksum(&self) -> Checksum;
}

/// One `<path> sha256:<hex>` line, its path borrowed from the sum file's text.
#[derive(Debug)]
pub(crate) struct Listed<'text> {
    pub path: &'text str,
    pub checksum: Checksum,
    pub line: u32,
}

impl ListedFile for Listed<'_> {
    fn path(&self) -> &str {
        self.path
    }

    fn checksum(&self) -> Checksum {
        self.checksum
    }
}

/// A sum file's entries sorted by path, checked against its `total` line.
#[derive(Debug)]
pub(crate) struct Listing<'text> {
    pub entries: Vec<Listed<'text>>,
    pub total: Checksum,
}

/// What is wrong with a sum file's text, at a line of it.
#[derive(Debug)]
pub(crate) enum ListingError {
    /// Git left conflict markers; the first is at `line`.
    ConflictMarkers { line: u32 },
    /// A line that is neither a comment, the total, nor `<path> sha256:<hex>`.
    Malformed { line: u32, reason: String },
    /// The `total` line at `line` does not sum the entries.
    TotalMismatch { line: u32 },
}

/// Reads a sum file's text.
pub(crate) fn read_listing(text: &str) -> Result<Listing<'_>, ListingError> {
    // An editor that saves with a BOM must not turn the first line into garbage: the
    // revision files get the same tolerance (see `checksum::normalise`).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = conflict_marker_line(text) {
        return Err(ListingError::ConflictMarkers { line });
    }
    let (total, mut entries) =
        parse_lines(text).map_err(|(line, reason)| ListingError::Malformed { line, reason })?;
    let Some((total, total_line)) = total else {
        let reason = "no `total sha256:<hex>` line".to_owned();
        return Err(ListingError::Malformed { line: 1, reason });
    };
    if !entries.is_sorted_by(|a, b| a.path <= b.path) {
        entries.sort_by(|a, b| a.path.cmp(b.path));
    }
    if total_of(&entries) != total {
        return Err(ListingError::TotalMismatch { line: total_line });
    }
    Ok(Listing { entries, total })
}

/// The `total` line (checksum and line) and the entries, or a line and what is wrong with it.
type ParsedLines<'text> = (Option<(Checksum, u32)>, Vec<Listed<'text>>);

fn parse_lines(text: &str) -> Result<ParsedLines<'_>, (u32, String)> {
    let mut total = None;
    let line_count = text.bytes().filter(|&byte| byte == b'\n').count();
    let mut entries = Vec::with_capacity(line_count.saturating_sub(1));
    for (line, text) in (1..).zip(text.lines()) {
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() || text.starts_with('#') {
            continue;
        }
        let Some((name, checksum)) = text.rsplit_once(' ') else {
            return Err((line, "expected `<path> sha256:<hex>`".to_owned()));
        };
        let checksum: Checksum = checksum
            .parse()
            .map_err(|error| (line, format!("{error}")))?;
        match (name, total) {
            ("total", None) => total = Some((checksum, line)),
            ("total", Some((_, first))) => {
                return Err((
                    line,
                    format!("a second `total` line (the first is line {first})"),
                ));
            }
            (path, _) => entries.push(Listed {
                path,
                checksum,
                line,
            }),
        }
    }
    Ok((total, entries))
}

/// The listing as the sum file writes it: one `<path> <checksum>` line per file.
pub(crate) fn listing(entries: &[impl ListedFile]) -> String {
    entries
        .iter()
        .map(|entry| format!("{} {}\n", entry.path(), entry.checksum()))
        .collect()
}

/// `Checksum::of` the listing, hashed line by line as it would be written: building it first
/// would cost a string per line and one for the whole, thousands of allocations for a large
/// directory. A path that would make normalising change the listing (a carriage return, a
/// leading byte-order mark) takes the long way.
pub(crate) fn total_of(entries: &[impl ListedFile]) -> Checksum {
    let first_has_bom = entries
        .first()
        .is_some_and(|entry| entry.path().starts_with('\u{feff}'));
    if first_has_bom || entries.iter().any(|entry| entry.path().contains('\r')) {
        return Checksum::of(listing(entries).as_bytes());
    }
    let mut hasher = PlainHasher::new();
    for entry in entries {
        hasher.write(entry.path().as_bytes());
        hasher.write(b" sha256:");
        hasher.write(entry.checksum().hex_digits().as_str().as_bytes());
        hasher.write(b"\n");
    }
    hasher.finish()
}

/// The line of the first `<<<<<<<`, `|||||||`, `=======` or `>>>>>>>` line.
fn conflict_marker_line(text: &str) -> Option<u32> {
    let markers = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"];
    let is_marker = |line: &str| markers.iter().any(|marker| line.starts_with(marker));
    (1..)
        .zip(text.lines())
        .find(|(_, line)| is_marker(line))
        .map(|(number, _)| number)
}
