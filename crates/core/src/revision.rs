//! A revision file parsed: header, up section, optional down section, and its checksums.
//!
//! This is the unit the history table tracks. The up section's checksum (with includes
//! expanded) is what the database stores, so editing the down section of an applied revision
//! stays allowed while editing what already ran is caught. Every section is checked here, so a
//! quoting mistake or a statement that cannot run in the revision's transaction is an error at
//! a file and line before anything runs: at load time, or, for a set loaded without its text
//! ([`SqlText::ReadWhenNeeded`], for commands that run few revisions or none), the up section
//! of each revision a run plans, just before the run starts ([`Revision::check_before_run`]).
//! The statements themselves are cut only for the sections that run (see [`Section`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::blocker::{blocker_of, transaction_blocker};
use crate::body::{Piece, SectionLayout, is_include_line, lay_out};
use crate::checksum::Checksum;
use crate::file_text::{FileText, SqlText};
use crate::header::{CitusShardMode, HeaderKey, KeptHeader, TransactionMode, parse_header};
use crate::header_names::Parents;
use crate::revision_error::RevisionError;
pub(crate) use crate::section::IncludedFile;
pub use crate::section::Section;
use crate::section::{SectionPiece, checksum_of};
use crate::split::{scan, split_from_line};
use crate::statement::Statement;
use crate::text::{Cursor, decode, decode_owned, lines};

/// One revision: identity, place in the graph, how it runs, and its SQL. Cloning it (the set
/// and the graph both hold every revision) costs a reference count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    parsed: Arc<Parsed>,
}

#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    header: KeptHeader,
    file: Arc<FileText>,
    /// Where the file name starts in the path's bytes.
    name_start: usize,
    up: Section,
    down: Option<Section>,
    /// Statements of the down section that its transaction cannot hold: a downgrade through
    /// the revision is refused with them, an upgrade never runs them (see [`Revision::down_problems`]).
    down_problems: Box<[RevisionError]>,
    up_checksum: Checksum,
}

impl Revision {
    /// The id from `-- revision:`.
    pub fn id(&self) -> &str {
        self.parsed.header.names.id()
    }

    /// The ids from `-- parents:`; none for a root, several for a merge.
    pub fn parents(&self) -> Parents<'_> {
        self.parsed.header.names.parents()
    }

    /// The text of `-- message:`, if any.
    pub fn message(&self) -> Option<&str> {
        self.parsed.header.names.message()
    }

    /// How the revision's statements run.
    pub fn transaction(&self) -> TransactionMode {
        self.parsed.header.transaction
    }

    /// How its multi-shard statements run on a Citus coordinator (`-- citus:`).
    pub fn citus_shard_mode(&self) -> CitusShardMode {
        self.parsed.header.citus
    }

    /// The file's path, as shown in messages.
    pub fn path(&self) -> &Path {
        &self.parsed.file.path
    }

    /// The file's name, which starts with a timestamp and so orders revisions by creation.
    pub fn file_name(&self) -> &str {
        let path = self.parsed.file.path.as_os_str().as_encoded_bytes();
        std::str::from_utf8(&path[self.parsed.name_start..]).unwrap_or("")
    }

    /// The line of a header key, if the file has it.
    pub fn line_of(&self, key: HeaderKey) -> Option<u32> {
        self.parsed.header.line_of(key)
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
        &self.parsed.up
    }

    /// The `-- +down` section; `None` makes the revision irreversible.
    pub fn down(&self) -> Option<&Section> {
        self.parsed.down.as_ref()
    }

    /// What keeps the down section from running, each at its file and line: statements no
    /// transaction can hold in a `per-revision` revision. Such a down section (a history
    /// imported from another tool can have one: that tool never ran it either) does not stop
    /// the directory from loading, since `upgrade` never runs it; planning a downgrade through
    /// the revision refuses with these, and `check` reports them.
    pub fn down_problems(&self) -> &[RevisionError] {
        &self.parsed.down_problems
    }

    /// The checksum the history table stores: of [`Section::text`] of the up section.
    pub fn up_checksum(&self) -> Checksum {
        self.parsed.up_checksum
    }

    /// The checksum of the whole file, for the sum file.
    pub fn file_checksum(&self) -> Checksum {
        self.parsed.file.checksum
    }

    /// Checks what a run needs of the revision before it runs: a run checks every revision
    /// it plans before it starts, so that a problem stops it before anything runs. When the
    /// text was kept (see [`SqlText`]), everything was checked at load. Otherwise the file is
    /// read again and must still be the one loaded (an edited or vanished file is refused),
    /// and the up section's own text, which such a load does not scan, is scanned now: an
    /// unterminated quote or comment, or a statement its transaction cannot hold, is refused
    /// here at its file and line, as a load that scans would refuse it.
    pub fn check_before_run(&self) -> Result<(), RevisionError> {
        match self.parsed.file.text {
            Some(_) => Ok(()),
            None => self.scan_up(&self.parsed.file.read_again()?),
        }
    }

    /// Scans the up section's own pieces of `text` (the file's text), unless scanned already.
    fn scan_up(&self, text: &str) -> Result<(), RevisionError> {
        let up = &self.parsed.up;
        if up.is_scanned() {
            return Ok(());
        }
        let context = SectionContext {
            path: self.path(),
            text,
            mode: self.transaction(),
            id: self.id(),
        };
        let mut blocked = Vec::new();
        let mut count = 0;
        for piece in up.pieces() {
            count += match piece {
                SectionPiece::Own {
                    first_line,
                    start,
                    end,
                } => check_text(&context, &text[*start..*end], *first_line, &mut blocked)?,
                SectionPiece::Included(included) => included.statements.len(),
            };
        }
        // The included files' blockers were refused at load; these are the file's own.
        if let Some(first) = blocked.into_iter().next() {
            return Err(first);
        }
        up.set_statement_count(count);
        Ok(())
    }
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

/// Parses one revision file, `bytes` as read from `path`, expanding its includes through
/// `includes`. Both are kept by the revision (the text as `sql_text` says), so they are taken
/// rather than copied.
pub(crate) fn parse_revision(
    mut file_path: PathBuf,
    bytes: Vec<u8>,
    includes: &mut dyn IncludeReader,
    sql_text: SqlText,
) -> Result<Revision, Vec<RevisionError>> {
    let file_text = decode_owned(&file_path, bytes).map_err(|error| vec![error])?;
    let (path, text) = (file_path.as_path(), &*file_text);
    if text.trim().is_empty() {
        return Err(vec![RevisionError::Empty {
            path: path.to_owned(),
        }]);
    }
    let mut errors = Vec::new();
    let mut text_lines = lines(text).peekable();
    let header = parse_header(path, &mut text_lines, &mut errors);
    let after_header = u32::try_from(header.len + 1).unwrap_or(u32::MAX);
    let layout = lay_out(path, text.len(), text_lines, after_header, &mut errors);
    let context = SectionContext {
        path,
        text,
        mode: header.transaction,
        id: &header.id,
    };
    // Without its text kept, a revision is loaded for a command that runs few revisions or
    // none: its own text is scanned only if it runs (see `Revision::check_before_run`).
    let own_text = match sql_text {
        SqlText::Kept => OwnText::ScannedAtLoad,
        SqlText::ReadWhenNeeded => OwnText::ScannedBeforeRun,
    };
    // A blocked up statement refuses the file; a blocked down statement only the downgrades
    // that would run it.
    let (mut up_blocked, mut down_blocked) = (Vec::new(), Vec::new());
    let mut check = |layout: Option<SectionLayout>, blocked: &mut Vec<RevisionError>| {
        layout
            .map(|layout| check_section(&context, layout, own_text, includes, &mut errors, blocked))
    };
    let up = check(layout.up, &mut up_blocked);
    let down = check(layout.down, &mut down_blocked);
    let (Some(up), true) = (up, errors.is_empty()) else {
        return Err(errors);
    };
    if !up_blocked.is_empty() {
        return Err(up_blocked);
    }
    let checksum = Checksum::of_normalised(text.as_bytes());
    let up_checksum = checksum_of(&up.pieces, text);
    let name_start = file_name_start(path);
    file_path.shrink_to_fit();
    let file = Arc::new(FileText {
        path: file_path,
        checksum,
        text: (sql_text == SqlText::Kept).then_some(file_text),
    });
    let section = |checked: CheckedSection| {
        let CheckedSection {
            marker_line,
            pieces,
            statement_count,
        } = checked;
        Section::new(Arc::clone(&file), marker_line, pieces, statement_count)
    };
    let up = section(up);
    let down = down.map(section);
    Ok(Revision {
        parsed: Arc::new(Parsed {
            up_checksum,
            header: header.kept(),
            name_start,
            up,
            down,
            down_problems: down_blocked.into(),
            file,
        }),
    })
}

/// Where the file name starts in `path`'s bytes (its end when it has none).
fn file_name_start(path: &Path) -> usize {
    let bytes = path.as_os_str().as_encoded_bytes();
    let name = path.file_name().map_or(0, |name| name.len());
    bytes.len() - name
}

/// What checking a section needs to know about its revision.
struct SectionContext<'a> {
    path: &'a Path,
    text: &'a str,
    mode: TransactionMode,
    id: &'a str,
}

/// A section whose pieces were checked, before the file's text is shared.
struct CheckedSection {
    marker_line: u32,
    pieces: Vec<SectionPiece>,
    /// `None` when the section's own text was left for the scan before a run.
    statement_count: Option<usize>,
}

/// When a section's own text (its lines of the revision file) is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OwnText {
    ScannedAtLoad,
    ScannedBeforeRun,
}

/// Checks every piece of a section: its own text cuts into statements cleanly (unless
/// `own_text` leaves that for later), includes load, and (in a `per-revision` revision) no
/// statement is one a transaction cannot hold.
fn check_section(
    context: &SectionContext<'_>,
    layout: SectionLayout,
    own_text: OwnText,
    includes: &mut dyn IncludeReader,
    errors: &mut Vec<RevisionError>,
    blocked: &mut Vec<RevisionError>,
) -> CheckedSection {
    let mut pieces = Vec::with_capacity(layout.pieces.len());
    let mut statement_count = Some(0);
    for piece in layout.pieces {
        match piece {
            Piece::Text {
                first_line,
                start,
                end,
            } => {
                let sql = &context.text[start..end];
                match own_text {
                    OwnText::ScannedAtLoad => match check_text(context, sql, first_line, blocked) {
                        Ok(count) => statement_count = statement_count.map(|total| total + count),
                        Err(error) => errors.push(error),
                    },
                    OwnText::ScannedBeforeRun => statement_count = None,
                }
                pieces.push(SectionPiece::Own {
                    first_line,
                    start,
                    end,
                });
            }
            Piece::Include { line, relative } => match includes.read(&relative) {
                Ok(included) => {
                    statement_count =
                        statement_count.map(|total| total + included.statements.len());
                    blocked.extend(included_blockers(context, &included.statements));
                    pieces.push(SectionPiece::Included(included));
                }
                Err(failure) => {
                    errors.extend(include_errors(context.path, line, relative, failure))
                }
            },
        }
    }
    CheckedSection {
        marker_line: layout.marker_line,
        pieces,
        statement_count,
    }
}

/// Cuts `sql` (lines of the revision file from `first_line`) without keeping the statements;
/// returns how many there are, and pushes each one a transaction cannot hold to `blocked`.
fn check_text(
    context: &SectionContext<'_>,
    sql: &str,
    first_line: u32,
    blocked: &mut Vec<RevisionError>,
) -> Result<usize, RevisionError> {
    let mut count = 0;
    let checks_blockers = context.mode == TransactionMode::PerRevision;
    scan(sql, context.path, first_line, |found| {
        count += 1;
        if !checks_blockers {
            return;
        }
        if let Some(blocker) = blocker_of(&sql[found.start..found.end], found.head()) {
            let (line, _) = Cursor::new(sql, first_line).advance_to(found.start);
            blocked.push(RevisionError::TransactionBlocked {
                path: context.path.to_owned(),
                line,
                blocker,
                id: context.id.to_owned(),
            });
        }
    })?;
    Ok(count)
}

/// Every statement of an included file that a `per-revision` transaction cannot hold, as
/// errors at the included file's lines; none for a `transaction: none` revision.
fn included_blockers(context: &SectionContext<'_>, statements: &[Statement]) -> Vec<RevisionError> {
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

#[cfg(test)]
#[path = "revision_tests.rs"]
mod tests;
