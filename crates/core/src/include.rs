//! Files named by `-- +include`: where they come from (the directory on disk, or the files of
//! an in-memory set), how one loads, and why one could not be expanded.

use std::path::Path;
use std::sync::Arc;

use crate::body::is_include_line;
use crate::revision_error::RevisionError;
use crate::section::IncludedFile;
use crate::split::split_from_line;
use crate::text::{decode, lines};

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
