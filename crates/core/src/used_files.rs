//! The files a set's revisions use, in path order: the revision files and the files they
//! include, each with the checksum of its whole contents (what the sum file pins).
//!
//! A revision file is named by its revision's own path rather than by a copy of it: a
//! directory of thousands of revisions would otherwise hold every file name twice for the
//! whole run.

use std::collections::btree_map;
use std::iter::Peekable;
use std::slice;

use crate::checksum::Checksum;
use crate::revision::Revision;

/// The used files of a [`RevisionSet`](crate::RevisionSet), as `(path, checksum)` pairs
/// sorted by path, each path once.
#[derive(Debug)]
pub struct UsedFiles<'a> {
    revisions: Peekable<slice::Iter<'a, Revision>>,
    included: Peekable<btree_map::Iter<'a, String, Checksum>>,
}

impl<'a> UsedFiles<'a> {
    /// `revisions` sorted by file name, `included` by path.
    pub(crate) fn new(
        revisions: &'a [Revision],
        included: &'a btree_map::BTreeMap<String, Checksum>,
    ) -> UsedFiles<'a> {
        UsedFiles {
            revisions: revisions.iter().peekable(),
            included: included.iter().peekable(),
        }
    }

    fn next_revision_file(&mut self) -> Option<(&'a str, Checksum)> {
        let mut revision = self.revisions.next()?;
        // A file given twice to an in-memory set: the last one counts, as the files are read.
        while let Some(same) = self
            .revisions
            .next_if(|next| next.file_name() == revision.file_name())
        {
            revision = same;
        }
        Some((revision.file_name(), revision.file_checksum()))
    }
}

impl<'a> Iterator for UsedFiles<'a> {
    type Item = (&'a str, Checksum);

    fn next(&mut self) -> Option<(&'a str, Checksum)> {
        let revision_file = self.revisions.peek().map(|revision| revision.file_name());
        let included = self.included.peek().map(|(path, _)| path.as_str());
        match (revision_file, included) {
            (Some(revision_file), Some(included)) if included < revision_file => self
                .included
                .next()
                .map(|(path, sum)| (path.as_str(), *sum)),
            (Some(revision_file), Some(included)) => {
                // A revision file that another revision includes: one file, one checksum.
                if included == revision_file {
                    self.included.next();
                }
                self.next_revision_file()
            }
            (Some(_), None) => self.next_revision_file(),
            (None, _) => self
                .included
                .next()
                .map(|(path, sum)| (path.as_str(), *sum)),
        }
    }
}
