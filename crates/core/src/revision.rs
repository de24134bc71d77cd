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

use crate::body::{SectionLayout, lay_out};
use crate::checksum::Checksum;
use crate::file_text::{FileText, SqlText};
use crate::header::{CitusShardMode, HeaderKey, KeptHeader, TransactionMode, parse_header};
use crate::header_names::Parents;
use crate::include::IncludeReader;
use crate::revision_error::RevisionError;
pub(crate) use crate::section::IncludedFile;
pub use crate::section::Section;
use crate::section::checksum_of;
use crate::section_check::{
    CheckedSection, OwnText, SectionContext, check_section, scan_before_run,
};
use crate::text::{decode_owned, lines};

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
            None => {
                let text = self.parsed.file.read_again()?;
                let context = SectionContext {
                    path: self.path(),
                    text: &text,
                    mode: self.transaction(),
                    id: self.id(),
                };
                scan_before_run(&context, &self.parsed.up)
            }
        }
    }
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

#[cfg(test)]
#[path = "revision_tests.rs"]
mod tests;
