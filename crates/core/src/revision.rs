//! A revision file parsed: header, up section, optional down section, and its checksums.
//!
//! This is the unit the history table tracks. The up section's checksum (with includes
//! expanded) is what the database stores, so editing the down section of an applied revision
//! stays allowed while editing what already ran is caught. Sections are split into statements
//! here, at load time, so a quoting mistake or a statement that cannot run in the revision's
//! transaction is an error at a file and line before anything touches a database. The split
//! statements are then let go and made again only for the revisions a plan runs: a command
//! over a thousand applied revisions keeps their text, not every statement of them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::blocker::transaction_blocker;
use crate::body::{Piece, SectionLayout, is_include_line, lay_out};
use crate::checksum::Checksum;
use crate::header::{CitusShardMode, Header, HeaderKey, TransactionMode, parse_header};
use crate::revision_error::RevisionError;
use crate::source::SourceFile;
use crate::split::split_from_line;
use crate::statement::Statement;
use crate::text::{Line, decode, lines};

/// One revision: identity, place in the graph, how it runs, and its SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    header: Header,
    path: PathBuf,
    // Shared, so that the graph's copy of a revision costs a reference count, not its SQL.
    up: Arc<Section>,
    down: Option<Arc<Section>>,
    /// Statements of the down section that its transaction cannot hold: a downgrade through
    /// the revision is refused with them, an upgrade never runs them (see [`Revision::down_problems`]).
    down_problems: Arc<[RevisionError]>,
    up_checksum: Checksum,
    file_checksum: Checksum,
}

/// The statements of `-- +up` or `-- +down`, includes expanded in place.
#[derive(Debug, Clone)]
pub struct Section {
    marker_line: u32,
    pieces: Vec<SectionPiece>,
    statement_count: usize,
    /// Split again from `pieces` on first use; they split cleanly when the file was loaded.
    statements: OnceLock<Vec<Statement>>,
}

/// A stretch of a section: lines of the revision file, or a whole included file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SectionPiece {
    Own {
        origin: Arc<Path>,
        first_line: u32,
        sql: String,
    },
    Included(Arc<IncludedFile>),
}

/// Equality of content: whether the statements were split again yet does not matter.
impl PartialEq for Section {
    fn eq(&self, other: &Section) -> bool {
        self.marker_line == other.marker_line && self.pieces == other.pieces
    }
}

impl Eq for Section {}

impl Revision {
    /// The id from `-- revision:`.
    pub fn id(&self) -> &str {
        &self.header.id
    }

    /// The ids from `-- parents:`; empty for a root, several for a merge.
    pub fn parents(&self) -> &[String] {
        &self.header.parents
    }

    /// The text of `-- message:`, if any.
    pub fn message(&self) -> Option<&str> {
        self.header.message.as_deref()
    }

    /// How the revision's statements run.
    pub fn transaction(&self) -> TransactionMode {
        self.header.transaction
    }

    /// How its multi-shard statements run on a Citus coordinator (`-- citus:`).
    pub fn citus_shard_mode(&self) -> CitusShardMode {
        self.header.citus
    }

    /// The file's path, as shown in messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's name, which starts with a timestamp and so orders revisions by creation.
    pub fn file_name(&self) -> &str {
        self.path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("")
    }

    /// The line of a header key, if the file has it.
    pub fn line_of(&self, key: HeaderKey) -> Option<u32> {
        self.header.line_of(key)
    }

    /// The line of `-- revision:`.
    pub fn revision_line(&self) -> u32 {
        self.line_of(HeaderKey::Revision).unwrap_or(1)
    }

    /// The line of `-- parents:`.
    pub fn parents_line(&self) -> u32 {
        self.line_of(HeaderKey::Parents).unwrap_or(1)
    }

    /// The `-- +up` section.
    pub fn up(&self) -> &Section {
        &self.up
    }

    /// The `-- +down` section; `None` makes the revision irreversible.
    pub fn down(&self) -> Option<&Section> {
        self.down.as_deref()
    }

    /// What keeps the down section from running, each at its file and line: statements no
    /// transaction can hold in a `per-revision` revision. Such a down section (a history
    /// imported from another tool can have one: that tool never ran it either) does not stop
    /// the directory from loading, since `upgrade` never runs it; planning a downgrade through
    /// the revision refuses with these, and `check` reports them.
    pub fn down_problems(&self) -> &[RevisionError] {
        &self.down_problems
    }

    /// The checksum the history table stores: of [`Section::text`] of the up section.
    pub fn up_checksum(&self) -> Checksum {
        self.up_checksum
    }

    /// The checksum of the whole file, for the sum file.
    pub fn file_checksum(&self) -> Checksum {
        self.file_checksum
    }
}

impl Section {
    /// The line of the `-- +up` or `-- +down` marker.
    pub fn marker_line(&self) -> u32 {
        self.marker_line
    }

    /// The statements in order, included files' statements in place.
    pub fn statements(&self) -> &[Statement] {
        self.statements.get_or_init(|| {
            let mut statements = Vec::with_capacity(self.statement_count);
            for piece in &self.pieces {
                match piece {
                    SectionPiece::Own {
                        origin,
                        first_line,
                        sql,
                    } => statements.extend(
                        split_from_line(sql, origin, *first_line)
                            .expect("the section split without error when it was loaded"),
                    ),
                    SectionPiece::Included(file) => {
                        statements.extend(file.statements.iter().cloned())
                    }
                }
            }
            for (index, statement) in statements.iter_mut().enumerate() {
                statement.index = index;
            }
            statements
        })
    }

    /// Whether the section runs nothing (an empty `-- +down` is a reversible no-op).
    pub fn is_empty(&self) -> bool {
        self.statement_count == 0
    }

    /// The text that is checksummed: the section's lines with each `-- +include` line replaced
    /// by the included file, leading blank lines dropped, and trailing whitespace cut to one
    /// newline — so the blank lines around a marker are layout, not content.
    pub fn text(&self) -> String {
        let mut expanded = String::new();
        for piece in &self.pieces {
            match piece {
                SectionPiece::Own { sql, .. } => expanded.push_str(sql),
                SectionPiece::Included(file) => push_included(&mut expanded, &file.text),
            }
        }
        checksummed_text(&expanded)
    }
}

/// A file named by `-- +include`, decoded and split once however many revisions include it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IncludedFile {
    pub text: String,
    pub statements: Vec<Statement>,
}

/// Why an include could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IncludeFailure {
    /// The file is not there (or not readable): reported at the include line.
    Unreadable(String),
    /// The file is there but broken: its own errors.
    Invalid(Vec<RevisionError>),
}

/// Where includes come from: the directory on disk, or the files of an in-memory set.
pub(crate) trait IncludeReader {
    /// The included file at `relative` (normalised, relative to the migrations directory).
    fn read(&mut self, relative: &str) -> Result<Arc<IncludedFile>, IncludeFailure>;
}

/// Decodes and splits an included file; includes do not nest.
pub(crate) fn load_included(path: &Path, bytes: &[u8]) -> Result<IncludedFile, Vec<RevisionError>> {
    let text = decode(path, bytes).map_err(|error| vec![error])?;
    let nested: Vec<RevisionError> = lines(&text)
        .filter(|line| is_include_line(line.text))
        .map(|line| RevisionError::MisplacedInclude {
            path: path.to_owned(),
            line: line.number,
            context: "inside an included file; includes do not nest",
        })
        .collect();
    if !nested.is_empty() {
        return Err(nested);
    }
    let statements = split_from_line(&text, path, 1).map_err(|error| vec![error.into()])?;
    Ok(IncludedFile { text, statements })
}

/// Parses one revision file, expanding its includes through `includes`.
pub(crate) fn parse_revision(
    file: &SourceFile,
    includes: &mut dyn IncludeReader,
) -> Result<Revision, Vec<RevisionError>> {
    let path = file.path.as_path();
    let text = decode(path, &file.bytes).map_err(|error| vec![error])?;
    if text.trim().is_empty() {
        return Err(vec![RevisionError::Empty {
            path: path.to_owned(),
        }]);
    }
    let all_lines: Vec<Line<'_>> = lines(&text).collect();
    let mut errors = Vec::new();
    let header = parse_header(path, &all_lines, &mut errors);
    let after_header = u32::try_from(header.len + 1).unwrap_or(u32::MAX);
    let body = &all_lines[header.len..];
    let layout = lay_out(path, text.len(), body, after_header, &mut errors);
    let origin: Arc<Path> = Arc::from(path);
    let context = SectionContext {
        origin: &origin,
        mode: header.transaction,
        id: &header.id,
    };
    // A blocked up statement refuses the file; a blocked down statement only the downgrades
    // that would run it.
    let (mut up_blocked, mut down_blocked) = (Vec::new(), Vec::new());
    let mut build = |layout: Option<SectionLayout>, blocked: &mut Vec<RevisionError>| {
        let build = |layout| build_section(&context, &text, layout, includes, &mut errors, blocked);
        layout.map(build)
    };
    let up = build(layout.up, &mut up_blocked);
    let down = build(layout.down, &mut down_blocked);
    let (Some(up), true) = (up, errors.is_empty()) else {
        return Err(errors);
    };
    if !up_blocked.is_empty() {
        return Err(up_blocked);
    }
    Ok(Revision {
        up_checksum: Checksum::of(up.text().as_bytes()),
        header,
        path: path.to_owned(),
        up: Arc::new(up),
        down: down.map(Arc::new),
        down_problems: down_blocked.into(),
        file_checksum: Checksum::of(&file.bytes),
    })
}

/// What building a section needs to know about its revision.
struct SectionContext<'a> {
    origin: &'a Arc<Path>,
    mode: TransactionMode,
    id: &'a str,
}

fn build_section(
    context: &SectionContext<'_>,
    text: &str,
    layout: SectionLayout,
    includes: &mut dyn IncludeReader,
    errors: &mut Vec<RevisionError>,
    blocked: &mut Vec<RevisionError>,
) -> Section {
    let mut pieces = Vec::new();
    let mut statement_count = 0;
    for piece in layout.pieces {
        match piece {
            Piece::Text {
                first_line,
                start,
                end,
            } => {
                let sql = &text[start..end];
                match split_from_line(sql, context.origin, first_line) {
                    Ok(split) => {
                        statement_count += split.len();
                        blocked.extend(blockers(context, &split));
                    }
                    Err(error) => errors.push(error.into()),
                }
                pieces.push(SectionPiece::Own {
                    origin: Arc::clone(context.origin),
                    first_line,
                    sql: sql.to_owned(),
                });
            }
            Piece::Include { line, relative } => match includes.read(&relative) {
                Ok(included) => {
                    statement_count += included.statements.len();
                    blocked.extend(blockers(context, &included.statements));
                    pieces.push(SectionPiece::Included(included));
                }
                Err(failure) => {
                    errors.extend(include_errors(context.origin, line, relative, failure))
                }
            },
        }
    }
    Section {
        marker_line: layout.marker_line,
        pieces,
        statement_count,
        statements: OnceLock::new(),
    }
}

/// Every statement that cannot run in a `per-revision` transaction, as errors; none for a
/// `transaction: none` revision.
fn blockers(context: &SectionContext<'_>, statements: &[Statement]) -> Vec<RevisionError> {
    if context.mode == TransactionMode::NoTransaction {
        return Vec::new();
    }
    statements
        .iter()
        .filter_map(|statement| {
            let blocker = transaction_blocker(statement)?;
            Some(RevisionError::TransactionBlocked {
                path: statement.origin.clone(),
                line: statement.line,
                blocker,
                id: context.id.to_owned(),
            })
        })
        .collect()
}

/// Appends an included file's text, ending it with a newline so the next line stays a line.
fn push_included(expanded: &mut String, included: &str) {
    expanded.push_str(included);
    if !included.is_empty() && !included.ends_with('\n') {
        expanded.push('\n');
    }
}

fn include_errors(
    path: &Path,
    line: u32,
    include: String,
    failure: IncludeFailure,
) -> Vec<RevisionError> {
    match failure {
        IncludeFailure::Unreadable(reason) => {
            vec![RevisionError::IncludeUnreadable {
                path: path.to_owned(),
                line,
                include,
                reason,
            }]
        }
        IncludeFailure::Invalid(errors) => errors,
    }
}

/// Drops leading blank lines and cuts trailing whitespace to one newline.
fn checksummed_text(expanded: &str) -> String {
    let mut rest = expanded;
    while let Some((first, after)) = rest.split_once('\n') {
        if !first.trim().is_empty() {
            break;
        }
        rest = after;
    }
    let body = rest.trim_end();
    if body.is_empty() {
        String::new()
    } else {
        format!("{body}\n")
    }
}

#[cfg(test)]
#[path = "revision_tests.rs"]
mod tests;
