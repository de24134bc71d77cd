//! How a front end should treat an error, the same for every crate of the tool.
//!
//! Each error type of the libraries says which kind it is (`kind()`), decided by an exhaustive
//! match in the crate that defines it, and where it is fixed (`location()`); the CLI maps each
//! kind to one exit code. A new error variant without a kind does not compile, and this enum
//! is deliberately not `#[non_exhaustive]`: a new kind that a front end does not map does not
//! compile either.

/// What went wrong, as far as a front end's reaction goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input (a URL, a target, a revision id, a setting) is wrong.
    InvalidInput,
    /// Files the tool reads (revisions, their sum file, the declared schema) are invalid.
    InvalidFiles,
    /// A safety check refused to go on; nothing ran.
    Refused,
    /// A migration statement failed in the database.
    StatementFailed,
    /// The database could not be reached, went away, or another run held its lock too long.
    Unreachable,
    /// Anything else.
    Other,
}
