//! A revision file's path, its checksum, and its text: kept from loading, or read again when
//! a section is cut.
//!
//! A command that only compares checksums (`upgrade` with nothing to do, `current`,
//! `history`) never needs the SQL of the revisions it loads, and a directory of thousands of
//! revisions holds megabytes of it. Such a command loads with [`SqlText::ReadWhenNeeded`]: each
//! file's text is dropped once parsed and hashed, and read again (and its up section scanned)
//! only for the revisions a run runs. The text read again must match the checksum taken at load, so what
//! runs is always what was checked.

use std::fs;
use std::path::PathBuf;

use crate::checksum::Checksum;
use crate::revision_error::RevisionError;
use crate::text::decode_owned;

/// Whether a loaded set keeps its revisions' text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlText {
    /// Kept from loading: for commands that show or check the SQL of many revisions, and
    /// for files held in memory (an embedded set), which cannot be read again.
    Kept,
    /// Dropped once loaded, and read again (checked against the file's checksum) when a
    /// section's statements are cut: for commands that run a few revisions or none. The
    /// revisions' own SQL is then scanned only for the revisions a run runs, before it starts
    /// ([`Revision::check_before_run`](crate::Revision::check_before_run)).
    ReadWhenNeeded,
}

/// A revision file as its sections share it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FileText {
    pub path: PathBuf,
    /// The checksum of the whole file (normalised), which the sum file pins.
    pub checksum: Checksum,
    /// The decoded text (BOM dropped, CRLF made LF); `None` under [`SqlText::ReadWhenNeeded`].
    pub text: Option<Box<str>>,
}

impl FileText {
    /// Calls `with` on the file's text: the kept one, or the file read again.
    pub fn with_text<T>(&self, with: impl FnOnce(&str) -> T) -> Result<T, RevisionError> {
        match &self.text {
            Some(text) => Ok(with(text)),
            None => Ok(with(&self.read_again()?)),
        }
    }

    /// The file read again, refused unless it is still the file that was loaded.
    pub fn read_again(&self) -> Result<Box<str>, RevisionError> {
        let bytes = fs::read(&self.path).map_err(|error| RevisionError::Unreadable {
            path: self.path.clone(),
            reason: error.to_string(),
        })?;
        let text = decode_owned(&self.path, bytes)?;
        if Checksum::of_normalised(text.as_bytes()) != self.checksum {
            return Err(RevisionError::ChangedSinceLoaded {
                path: self.path.clone(),
            });
        }
        Ok(text)
    }
}
