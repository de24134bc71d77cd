//! Why the checks could not run at all (as opposed to what they found, which is a finding).

use std::fmt;
use std::path::PathBuf;

use clipdex_core::{ErrorKind, Location};
use shadow::ShadowError;

/// The checks could not run: no shadow database, or a directory that cannot be read.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// Creating or reading a shadow database failed for a reason that is not the project's.
    #[error(transparent)]
    Shadow(#[from] ShadowError),
    /// A directory or file the checks read cannot be read.
    #[error("{}: {reason}", .path.display())]
    Unreadable {
        /// The directory or file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
}

impl CheckError {
    /// How a front end should treat it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CheckError::Shadow(error) => error.kind(),
            CheckError::Unreadable { .. } => ErrorKind::Other,
        }
    }

    /// The file to look at, when there is one.
    pub fn location(&self) -> Option<Location<'_>> {
        match self {
            CheckError::Shadow(error) => error.location(),
            CheckError::Unreadable { path, .. } => Some(Location::file(path)),
        }
    }
}

impl fmt::Debug for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
