//! Tiny in-memory revision sets for the graph and plan tests.

use crate::{RevisionGraph, RevisionSet, SourceFile};

/// One revision: its file name (without `.sql`), id, space-separated parents, and whether it
/// has a `-- +down` section.
pub(crate) struct Spec<'a>(pub &'a str, pub &'a str, pub &'a str, pub bool);

pub(crate) fn file(spec: &Spec<'_>) -> SourceFile {
    let Spec(name, id, parents, reversible) = spec;
    let down = if *reversible {
        format!("-- +down\ndrop table t_{id};\n")
    } else {
        String::new()
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
