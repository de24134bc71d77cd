//! The layout of a revision file after its header: where `-- +up`, `-- +down` and each
//! `-- +include` are.
//!
//! Markers are whole lines, recognised by their text alone (like goose's annotations): the
//! layout is settled before any SQL is read, so a quoting mistake inside a section can never
//! swallow a marker and silently move SQL from `down` into `up`. The cost is that a line
//! reading exactly `-- +down` inside a dollar-quoted body is still a marker.

use std::path::Path;

use crate::revision_error::RevisionError;
use crate::text::Line;

/// One run of a section: lines of the revision file, or an included file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Bytes `start..end` of the file, starting at column 1 of `first_line`.
    Text {
        first_line: u32,
        start: usize,
        end: usize,
    },
    /// `-- +include PATH` on `line`, with `relative` the checked, normalised path.
    Include { line: u32, relative: String },
}

/// A section's marker line and its pieces in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SectionLayout {
    pub marker_line: u32,
    pub pieces: Vec<Piece>,
}

/// The sections found after the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BodyLayout {
    pub up: Option<SectionLayout>,
    pub down: Option<SectionLayout>,
}

/// What a body line is.
enum Marker<'a> {
    Up,
    Down,
    Include(&'a str),
    Unknown,
    Sql,
}

fn marker(line: &str) -> Marker<'_> {
    let Some(rest) = line.strip_prefix("-- +") else {
        return Marker::Sql;
    };
    let rest = rest.trim_end();
    match rest {
        "up" => Marker::Up,
        "down" => Marker::Down,
        "include" => Marker::Include(""),
        _ => match rest.strip_prefix("include ") {
            Some(path) => Marker::Include(path.trim()),
            None => Marker::Unknown,
        },
    }
}

/// Whether a line outside the sections is SQL, rather than blank or a `--` comment.
fn is_sql(line: &str) -> bool {
    !line.trim().is_empty() && !line.trim_start().starts_with("--")
}

/// Whether `line` is an include marker; included files may not have one.
pub(crate) fn is_include_line(line: &str) -> bool {
    matches!(marker(line), Marker::Include(_))
}

/// Lays out `body` (the file's lines after the header, the first of them numbered
/// `after_header`); problems are pushed to `errors`.
pub(crate) fn lay_out<'a>(
    path: &Path,
    text_len: usize,
    body: impl Iterator<Item = Line<'a>>,
    after_header: u32,
    errors: &mut Vec<RevisionError>,
) -> BodyLayout {
    let mut layout = BodyLayout::default();
    let mut sql_before_up = false;
    for line in body {
        let number = line.number;
        match (marker(line.text), layout.current()) {
            (Marker::Up, _) => layout.open_up(path, number, errors),
            (Marker::Down, None) => errors.push(down_before_up(path, number)),
            (Marker::Down, Some(_)) => layout.open_down(path, number, errors),
            (Marker::Unknown, _) => errors.push(unknown_marker(path, &line)),
            (Marker::Include(_), None) => errors.push(include_before_up(path, number)),
            (Marker::Include(raw), Some(section)) => match check_include_path(raw) {
                Ok(relative) => section.pieces.push(Piece::Include {
                    line: number,
                    relative,
                }),
                Err(reason) => errors.push(bad_include(path, number, raw, reason)),
            },
            (Marker::Sql, Some(section)) => section.push_line(&line, text_len),
            // Only the first SQL line before `-- +up` is worth reporting.
            (Marker::Sql, None) if is_sql(line.text) && !sql_before_up => {
                sql_before_up = true;
                errors.push(RevisionError::SqlBeforeUp {
                    path: path.to_owned(),
                    line: number,
                });
            }
            (Marker::Sql, None) => {}
        }
    }
    if layout.up.is_none() && !sql_before_up {
        // The body's first line, or where it would be.
        errors.push(RevisionError::MissingUp {
            path: path.to_owned(),
            line: after_header,
        });
    }
    layout
}

impl BodyLayout {
    /// The section lines currently go to: down once it is open, else up.
    fn current(&mut self) -> Option<&mut SectionLayout> {
        match (&mut self.up, &mut self.down) {
            (_, Some(down)) => Some(down),
            (Some(up), None) => Some(up),
            (None, None) => None,
        }
    }

    fn open_up(&mut self, path: &Path, line: u32, errors: &mut Vec<RevisionError>) {
        match &self.up {
            Some(first) => errors.push(repeated(path, line, "up", first.marker_line)),
            None => {
                self.up = Some(SectionLayout {
                    marker_line: line,
                    pieces: Vec::new(),
                })
            }
        }
    }

    fn open_down(&mut self, path: &Path, line: u32, errors: &mut Vec<RevisionError>) {
        match &self.down {
            Some(first) => errors.push(repeated(path, line, "down", first.marker_line)),
            None => {
                self.down = Some(SectionLayout {
                    marker_line: line,
                    pieces: Vec::new(),
                })
            }
        }
    }
}

impl SectionLayout {
    /// Adds a line to the section, extending the last text piece when it is adjacent.
    fn push_line(&mut self, line: &Line<'_>, text_len: usize) {
        let end = line.end_with_newline(text_len);
        if let Some(Piece::Text { end: last_end, .. }) = self.pieces.last_mut()
            && *last_end == line.start
        {
            *last_end = end;
            return;
        }
        let first_line = line.number;
        self.pieces.push(Piece::Text {
            first_line,
            start: line.start,
            end,
        });
    }
}

/// An include path relative to the migrations directory, normalised to `a/b.sql`.
pub(crate) fn check_include_path(raw: &str) -> Result<String, &'static str> {
    if raw.is_empty() {
        return Err("no path after `-- +include`");
    }
    let bytes = raw.as_bytes();
    let has_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if raw.starts_with('/') || has_drive {
        return Err("the path must be relative to the migrations directory");
    }
    if raw.contains('\\') {
        return Err("separate directories with `/`");
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("`..` would leave the migrations directory"),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err("the path names the migrations directory itself, not a file");
    }
    Ok(parts.join("/"))
}

fn down_before_up(path: &Path, line: u32) -> RevisionError {
    RevisionError::DownBeforeUp {
        path: path.to_owned(),
        line,
    }
}

fn include_before_up(path: &Path, line: u32) -> RevisionError {
    let context = "before `-- +up`; includes belong inside a section";
    RevisionError::MisplacedInclude {
        path: path.to_owned(),
        line,
        context,
    }
}

fn unknown_marker(path: &Path, line: &Line<'_>) -> RevisionError {
    let text = line.text.trim_end().to_owned();
    RevisionError::UnknownMarker {
        path: path.to_owned(),
        line: line.number,
        text,
    }
}

fn bad_include(path: &Path, line: u32, raw: &str, reason: &'static str) -> RevisionError {
    let include = raw.to_owned();
    RevisionError::BadIncludePath {
        path: path.to_owned(),
        line,
        include,
        reason,
    }
}

fn repeated(path: &Path, line: u32, marker: &'static str, first_line: u32) -> RevisionError {
    RevisionError::RepeatedMarker {
        path: path.to_owned(),
        line,
        marker,
        first_line,
    }
}
