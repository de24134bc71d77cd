//! Tiny in-memory revision sets for the graph and plan tests.

use crate::{RevisionGraph, RevisionSet, SourceFile};

/// One revision: its file name (without `.sql`), id, space-separated parents, and whether it
/// has a `-- +down` section.
pub(crate) struct Spec<'a>(pub &'a str, pub &'a str, pub &'a str, pub Down);

/// Whether a test revision can be unapplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Down {
    /// It has a `-- +down` section.
    Section,
    /// It has none: it is irreversible.
    Missing,
}

pub(crate) fn file(spec: &Spec<'_>) -> SourceFile {
    let Spec(name, id, parents, down) = spec;
    let down = match down {
        Down::Section => format!("-- +down\ndrop table t_{id};\n"),
        Down::Missing => String::new(),
    };
    let text = format!(
        "-- revision: {id}\n-- parents: {parents}\n\n-- +up\ncreate table t_{id} ();\n\n{down}"
    );
    SourceFile::new(format!("{name}.sql"), text)
}

pub(crate) fn set(specs: &[Spec<'_>]) -> RevisionSet {
    RevisionSet::from_files(specs.iter().map(file)).unwrap()
}

pub(crate) fn graph(specs: &[Spec<'_>]) -> RevisionGraph {
    RevisionGraph::build(&set(specs)).unwrap()
}
