//! The `-- key: value` header that gives a revision its identity and place in the graph.
//!
//! Identity and order come from here, never from the file name, so that renaming a file is
//! harmless and two branches cannot collide on a number. The header is the run of
//! `-- key: value` lines at the top of the file; the first line of another shape ends it.
//! Every key is checked, and every problem is reported with its line, not just the first.

use std::fmt;
use std::iter::Peekable;
use std::path::Path;

use crate::header_names::HeaderNames;
use crate::revision_error::{IdProblem, RevisionError};
use crate::text::Line;

/// Targets that the command line reads as words, so no revision may be called that.
pub const RESERVED_IDS: [&str; 4] = ["head", "heads", "base", "current"];

/// How a revision's statements are run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionMode {
    /// The whole revision and its history row commit together, or not at all (the default).
    #[default]
    PerRevision,
    /// Each statement runs on its own, outside any transaction (`-- transaction: none`), for
    /// commands such as `CREATE INDEX CONCURRENTLY`.
    NoTransaction,
}

/// How a revision's multi-shard statements run on a Citus coordinator (`-- citus:`).
///
/// In one transaction, Citus runs a statement over many shards of a distributed table on
/// several connections per worker; a type, function, schema or extension command after that
/// needs one connection per worker and fails ("cannot run type command because there was a
/// parallel operation on a distributed table in the transaction"). `-- citus: sequential`
/// makes the runner set `citus.multi_shard_modify_mode` to `sequential` for the revision, on
/// a database that has Citus and nowhere else.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CitusShardMode {
    /// Citus's own choice, parallel where it can (no header).
    #[default]
    Default,
    /// One connection per worker for the whole revision (`-- citus: sequential`).
    Sequential,
}

impl fmt::Display for TransactionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransactionMode::PerRevision => "per-revision",
            TransactionMode::NoTransaction => "none",
        })
    }
}

/// The header keys, for asking a revision where one was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderKey {
    /// `-- revision:`
    Revision,
    /// `-- parents:`
    Parents,
    /// `-- message:`
    Message,
    /// `-- transaction:`
    Transaction,
    /// `-- citus:`
    Citus,
}

impl HeaderKey {
    fn parse(key: &str) -> Option<HeaderKey> {
        match key {
            "revision" => Some(HeaderKey::Revision),
            "parents" => Some(HeaderKey::Parents),
            "message" => Some(HeaderKey::Message),
            "transaction" => Some(HeaderKey::Transaction),
            "citus" => Some(HeaderKey::Citus),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A parsed header; the lines are those of each key, `0` for a key that is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Header {
    pub id: String,
    pub parents: Box<[String]>,
    pub message: Option<String>,
    pub transaction: TransactionMode,
    pub citus: CitusShardMode,
    pub key_lines: [u32; 5],
    /// How many lines of the file the header takes.
    pub len: usize,
}

/// What a revision keeps of its header for the whole run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeptHeader {
    pub names: HeaderNames,
    pub transaction: TransactionMode,
    pub citus: CitusShardMode,
    key_lines: [u32; 5],
}

impl KeptHeader {
    /// The line of `key`, if the header has it.
    pub fn line_of(&self, key: HeaderKey) -> Option<u32> {
        Some(self.key_lines[key.index()]).filter(|&line| line != 0)
    }
}

/// Checks a revision id: 1–64 characters of `[0-9a-z_]`, not a reserved target word.
pub fn check_id(id: &str) -> Result<(), IdProblem> {
    if id.is_empty() {
        return Err(IdProblem::Empty);
    }
    if id.len() > 64 {
        return Err(IdProblem::TooLong(id.to_owned()));
    }
    let allowed = |c: &char| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_';
    if let Some(character) = id.chars().find(|c| !allowed(c)) {
        let id = id.to_owned();
        return Err(IdProblem::BadCharacter { id, character });
    }
    if RESERVED_IDS.contains(&id) {
        return Err(IdProblem::Reserved(id.to_owned()));
    }
    Ok(())
}

/// `-- key: value` split into its key and trimmed value, or `None` for any other line.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("--")?;
    let rest = rest.strip_prefix([' ', '\t'])?.trim_start();
    let (key, value) = rest.split_once(':')?;
    let is_key = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    (!key.is_empty() && key.chars().all(is_key)).then(|| (key, value.trim()))
}

/// Parses the header at the top of `lines`, consuming exactly its lines; problems are pushed
/// to `errors`.
pub(crate) fn parse_header<'a>(
    path: &Path,
    lines: &mut Peekable<impl Iterator<Item = Line<'a>>>,
    errors: &mut Vec<RevisionError>,
) -> Header {
    let mut header = Header::default();
    while let Some((key, value, number)) = lines
        .peek()
        .and_then(|line| key_value(line.text).map(|(key, value)| (key, value, line.number)))
    {
        header.len += 1;
        header.take(key, value, path, number, errors);
        lines.next();
    }
    let after_header = u32::try_from(header.len + 1).unwrap_or(u32::MAX);
    let required = [
        (HeaderKey::Revision, "revision"),
        (HeaderKey::Parents, "parents"),
    ];
    for (key, name) in required {
        if header.line_of(key).is_none() {
            let path = path.to_owned();
            errors.push(RevisionError::MissingKey {
                path,
                line: after_header,
                key: name,
            });
        }
    }
    header
}

impl Header {
    /// What the revision keeps of it.
    pub fn kept(&self) -> KeptHeader {
        KeptHeader {
            names: HeaderNames::new(&self.id, &self.parents, self.message.as_deref()),
            transaction: self.transaction,
            citus: self.citus,
            key_lines: self.key_lines,
        }
    }

    /// The line of `key`, if the header has it.
    pub fn line_of(&self, key: HeaderKey) -> Option<u32> {
        Some(self.key_lines[key.index()]).filter(|&line| line != 0)
    }

    /// Records one `-- key: value` line, or the reason it cannot be used.
    fn take(
        &mut self,
        key: &str,
        value: &str,
        path: &Path,
        line: u32,
        errors: &mut Vec<RevisionError>,
    ) {
        let Some(known) = HeaderKey::parse(key) else {
            let key = key.to_owned();
            errors.push(RevisionError::UnknownKey {
                path: path.to_owned(),
                line,
                key,
            });
            return;
        };
        if let Some(first_line) = self.line_of(known) {
            let (path, key) = (path.to_owned(), key.to_owned());
            errors.push(RevisionError::DuplicateKey {
                path,
                line,
                key,
                first_line,
            });
            return;
        }
        self.key_lines[known.index()] = line;
        self.set(known, value, path, line, errors);
    }

    fn set(
        &mut self,
        key: HeaderKey,
        value: &str,
        path: &Path,
        line: u32,
        errors: &mut Vec<RevisionError>,
    ) {
        match key {
            HeaderKey::Revision => match check_id(value) {
                Ok(()) => self.id = value.to_owned(),
                Err(problem) => {
                    let path = path.to_owned();
                    errors.push(RevisionError::InvalidId {
                        path,
                        line,
                        key: "revision",
                        problem,
                    });
                }
            },
            HeaderKey::Parents => self.parents = parse_parents(value, path, line, errors),
            HeaderKey::Message => self.message = Some(value.to_owned()).filter(|m| !m.is_empty()),
            HeaderKey::Transaction => match value {
                "per-revision" => self.transaction = TransactionMode::PerRevision,
                "none" => self.transaction = TransactionMode::NoTransaction,
                _ => {
                    let (path, value) = (path.to_owned(), value.to_owned());
                    errors.push(RevisionError::InvalidTransaction { path, line, value });
                }
            },
            HeaderKey::Citus => match value {
                "sequential" => self.citus = CitusShardMode::Sequential,
                _ => {
                    let (path, value) = (path.to_owned(), value.to_owned());
                    errors.push(RevisionError::InvalidCitusMode { path, line, value });
                }
            },
        }
    }
}

/// Space-separated parent ids; an empty value is a root.
fn parse_parents(
    value: &str,
    path: &Path,
    line: u32,
    errors: &mut Vec<RevisionError>,
) -> Box<[String]> {
    let mut parents: Vec<String> = Vec::new();
    for id in value.split_whitespace() {
        if let Err(problem) = check_id(id) {
            let path = path.to_owned();
            errors.push(RevisionError::InvalidId {
                path,
                line,
                key: "parents",
                problem,
            });
        } else if parents.iter().any(|parent| parent == id) {
            let (path, id) = (path.to_owned(), id.to_owned());
            errors.push(RevisionError::DuplicateParent { path, line, id });
        } else {
            parents.push(id.to_owned());
        }
    }
    // Held by every revision for the whole run: no room to grow.
    parents.into_boxed_slice()
}
