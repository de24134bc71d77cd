//! A revision's `-- +up` or `-- +down` section: where its SQL lies in the file, how many
//! statements it holds, the statements themselves on demand, and the text its checksum covers.
//!
//! A section keeps no copy of its SQL. Its pieces are ranges of the revision file's text,
//! which both sections (and the graph's copy of the revision) share, or included files, which
//! every revision that includes them shares. Loading checks each piece without cutting it into
//! statements (a load that keeps no text leaves a section's own text to be checked before it
//! runs); they are cut only for the sections a command runs or shows, so a command over a
//! thousand applied revisions holds their text once (or not at all, see [`SqlText`]) and none
//! of their statements.
//!
//! [`SqlText`]: crate::SqlText

use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::checksum::Checksum;
use crate::file_text::FileText;
use crate::revision_error::RevisionError;
use crate::split::split_from_line;
use crate::statement::Statement;

/// A file named by `-- +include`, decoded and split once however many revisions include it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IncludedFile {
    pub text: String,
    pub statements: Vec<Statement>,
}

/// A stretch of a section: lines of the revision file, or a whole included file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SectionPiece {
    /// Bytes `start..end` of the revision file's text, starting at column 1 of `first_line`.
    Own {
        first_line: u32,
        start: usize,
        end: usize,
    },
    Included(Arc<IncludedFile>),
}

/// The statements of `-- +up` or `-- +down`, includes expanded in place.
#[derive(Clone)]
pub struct Section {
    file: Arc<FileText>,
    marker_line: u32,
    /// Boxed slices rather than vectors: every revision holds two sections for the whole
    /// run, and neither grows after loading.
    pieces: Box<[SectionPiece]>,
    /// Set when the section's own text is scanned: at load, or for a set loaded with
    /// [`SqlText::ReadWhenNeeded`](crate::SqlText), when the revision is checked before it
    /// runs ([`Revision::check_before_run`](crate::Revision::check_before_run)).
    statement_count: OnceLock<usize>,
    /// Cut from `pieces` on first use; they were checked to cut cleanly when scanned.
    statements: OnceLock<Box<[Statement]>>,
}

/// What a section piece holds, with the text it points at: what equality compares.
#[derive(PartialEq, Eq)]
enum PieceContent<'a> {
    Own {
        origin: &'a Path,
        first_line: u32,
        /// `None` when the file's text was not kept: the file's checksum stands for it.
        sql: Option<&'a str>,
    },
    Included(&'a IncludedFile),
}

impl Section {
    /// A section of `file`; `statement_count` is how many statements its pieces hold, when
    /// its own text was scanned.
    pub(crate) fn new(
        file: Arc<FileText>,
        marker_line: u32,
        pieces: Vec<SectionPiece>,
        statement_count: Option<usize>,
    ) -> Section {
        Section {
            file,
            marker_line,
            pieces: pieces.into_boxed_slice(),
            statement_count: statement_count.map_or_else(OnceLock::new, OnceLock::from),
            statements: OnceLock::new(),
        }
    }

    /// The pieces, for the scan before a run.
    pub(crate) fn pieces(&self) -> &[SectionPiece] {
        &self.pieces
    }

    /// Whether the section's own text was scanned (at load, or before a run).
    pub(crate) fn is_scanned(&self) -> bool {
        self.statement_count.get().is_some()
    }

    /// Records the count the scan before a run found.
    pub(crate) fn set_statement_count(&self, count: usize) {
        let _ = self.statement_count.set(count);
    }

    /// The line of the `-- +up` or `-- +down` marker.
    pub fn marker_line(&self) -> u32 {
        self.marker_line
    }

    /// The statements in order, included files' statements in place. They are cut once and
    /// kept with the section, for the commands that come back to them (`show`, `check`).
    /// Fails only when the file's text was not kept (see [`SqlText`](crate::SqlText)) and
    /// reading it again fails or finds it changed, or the section, never scanned, does not
    /// cut cleanly.
    pub fn statements(&self) -> Result<&[Statement], RevisionError> {
        if let Some(kept) = self.statements.get() {
            return Ok(kept);
        }
        let cut = self.cut()?;
        Ok(self.statements.get_or_init(|| cut))
    }

    /// The statements for one use, not kept: a run needs each revision's statements only
    /// while that revision runs, and keeping them would hold every statement of a long
    /// upgrade until it ends. Borrowed when [`Section::statements`] already cut them; fails
    /// as it does.
    pub fn statements_once(&self) -> Result<Cow<'_, [Statement]>, RevisionError> {
        match self.statements.get() {
            Some(kept) => Ok(Cow::Borrowed(kept)),
            None => Ok(Cow::Owned(self.cut()?.into_vec())),
        }
    }

    /// How many statements the section holds, without cutting them.
    ///
    /// # Panics
    ///
    /// For the up section of a revision loaded with [`SqlText::ReadWhenNeeded`] before
    /// [`Revision::check_before_run`] scanned it, and for such a revision's down section:
    /// only what a run runs is scanned.
    ///
    /// [`SqlText::ReadWhenNeeded`]: crate::SqlText::ReadWhenNeeded
    /// [`Revision::check_before_run`]: crate::Revision::check_before_run
    pub fn statement_count(&self) -> usize {
        *self
            .statement_count
            .get()
            .expect("a section is scanned when it loads or before it runs")
    }

    fn cut(&self) -> Result<Box<[Statement]>, RevisionError> {
        self.file.with_text(|text| self.cut_from(text))?
    }

    /// Fails only for a section whose own text was never scanned (one loaded without its
    /// text and not checked before a run): a scanned one cuts cleanly.
    fn cut_from(&self, text: &str) -> Result<Box<[Statement]>, RevisionError> {
        let mut statements = Vec::with_capacity(self.statement_count.get().copied().unwrap_or(0));
        for piece in self.pieces.iter() {
            match piece {
                SectionPiece::Own {
                    first_line,
                    start,
                    end,
                } => statements.extend(split_from_line(
                    &text[*start..*end],
                    &self.file.path,
                    *first_line,
                )?),
                SectionPiece::Included(file) => statements.extend(file.statements.iter().cloned()),
            }
        }
        for (index, statement) in statements.iter_mut().enumerate() {
            statement.index = index;
        }
        Ok(statements.into_boxed_slice())
    }

    /// Whether the section runs nothing (an empty `-- +down` is a reversible no-op).
    pub fn is_empty(&self) -> bool {
        self.statement_count() == 0
    }

    /// The text that is checksummed: the section's lines with each `-- +include` line replaced
    /// by the included file, leading blank lines dropped, and trailing whitespace cut to one
    /// newline — so the blank lines around a marker are layout, not content.
    /// Fails as [`Section::statements`] does.
    pub fn text(&self) -> Result<String, RevisionError> {
        self.file.with_text(|text| text_of(&self.pieces, text))
    }

    fn contents(&self) -> impl Iterator<Item = PieceContent<'_>> {
        let text = self.file.text.as_deref();
        self.pieces.iter().map(move |piece| match piece {
            SectionPiece::Own {
                first_line,
                start,
                end,
            } => PieceContent::Own {
                origin: &self.file.path,
                first_line: *first_line,
                sql: text.map(|text| &text[*start..*end]),
            },
            SectionPiece::Included(file) => PieceContent::Included(file),
        })
    }
}

/// Equality of content: whether the statements were cut yet does not matter. Without the
/// text, the whole file's checksum stands for it.
impl PartialEq for Section {
    fn eq(&self, other: &Section) -> bool {
        let texts_kept = self.file.text.is_some() && other.file.text.is_some();
        (texts_kept || self.file.checksum == other.file.checksum)
            && self.marker_line == other.marker_line
            && self.contents().eq(other.contents())
    }
}

impl Eq for Section {}

impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Section")
            .field("path", &self.file.path)
            .field("marker_line", &self.marker_line)
            .field("statement_count", &self.statement_count)
            .field(
                "text",
                &self
                    .file
                    .text
                    .as_deref()
                    .map(|text| text_of(&self.pieces, text)),
            )
            .finish()
    }
}

/// [`Section::text`] of a section of `pieces`, read from its file's `file_text`.
fn text_of(pieces: &[SectionPiece], file_text: &str) -> String {
    let mut expanded = String::new();
    for piece in pieces {
        match piece {
            SectionPiece::Own { start, end, .. } => expanded.push_str(&file_text[*start..*end]),
            SectionPiece::Included(file) => push_included(&mut expanded, &file.text),
        }
    }
    let body = checksummed_body(&expanded);
    if body.is_empty() {
        String::new()
    } else {
        format!("{body}\n")
    }
}

/// The checksum of [`Section::text`] of a section of `pieces`, read from `file_text`: loading
/// takes it before it decides whether to keep the text. A section that is one stretch of its
/// file (nearly every section) is hashed where it lies, without building the text.
pub(crate) fn checksum_of(pieces: &[SectionPiece], file_text: &str) -> Checksum {
    if let [SectionPiece::Own { start, end, .. }] = pieces[..] {
        let body = checksummed_body(&file_text[start..end]);
        if let Some(checksum) = Checksum::of_text_and_newline(body) {
            return checksum;
        }
    }
    Checksum::of(text_of(pieces, file_text).as_bytes())
}

/// Appends an included file's text, ending it with a newline so the next line stays a line.
fn push_included(expanded: &mut String, included: &str) {
    expanded.push_str(included);
    if !included.is_empty() && !included.ends_with('\n') {
        expanded.push('\n');
    }
}

/// `expanded` without its leading blank lines and its trailing whitespace.
fn checksummed_body(expanded: &str) -> &str {
    let mut rest = expanded;
    while let Some((first, after)) = rest.split_once('\n') {
        if !first.trim().is_empty() {
            break;
        }
        rest = after;
    }
    rest.trim_end()
}
