//! A migrations directory compiled into a program: what [`embed_migrations!`] expands to.
//!
//! The types are plain `'static` data with `const` constructors, so the macro's expansion can
//! initialise a `static`, and loading it ([`Migrations::embedded`]) goes through the same
//! [`RevisionSet::from_files`](clipdex_core::RevisionSet::from_files) as a directory on disk.
//!
//! [`embed_migrations!`]: crate::embed_migrations
//! [`Migrations::embedded`]: crate::Migrations::embedded

use clipdex_core::SourceFile;

/// One embedded file: its path inside the migrations directory and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedFile {
    path: &'static str,
    bytes: &'static [u8],
}

impl EmbeddedFile {
    /// A file at `path` (`/`-separated, relative to the migrations directory, for example
    /// `legacy/001_init.sql` or `revisions.sum`) with contents `bytes`.
    pub const fn new(path: &'static str, bytes: &'static [u8]) -> EmbeddedFile {
        EmbeddedFile { path, bytes }
    }

    /// The path inside the migrations directory.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The file's bytes as they were when the program was compiled.
    pub fn bytes(&self) -> &'static [u8] {
        self.bytes
    }

    pub(crate) fn to_source(self) -> SourceFile {
        SourceFile::new(self.path, self.bytes)
    }
}

/// Every file a migrations directory's revisions use, and its `revisions.sum`, compiled in.
///
/// Made by [`embed_migrations!`](crate::embed_migrations); loaded and checked by
/// [`Migrations::embedded`](crate::Migrations::embedded).
///
/// ```
/// static MIGRATIONS: runner::EmbeddedMigrations = runner::embed_migrations!("../../migrations");
///
/// let names: Vec<&str> = MIGRATIONS.files().iter().map(|file| file.path()).collect();
/// assert!(names.contains(&"legacy/001_init.sql"));
/// assert!(names.contains(&"revisions.sum"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigrations {
    files: &'static [EmbeddedFile],
}

impl EmbeddedMigrations {
    /// The set of `files`; normally written by [`embed_migrations!`](crate::embed_migrations).
    pub const fn new(files: &'static [EmbeddedFile]) -> EmbeddedMigrations {
        EmbeddedMigrations { files }
    }

    /// The files, sorted by path.
    pub fn files(&self) -> &'static [EmbeddedFile] {
        self.files
    }
}
