//! Command-line targets checked against the graph before any database is involved.
//!
//! A prefix becomes the full id here, so every later message names the revision exactly, and
//! `head` with several heads is refused here with core's own [`PlanError::MultipleHeads`]:
//! `upgrade`, `upgrade --sql` and `stamp` then refuse the same way whether or not a database
//! could be reached.

use clipdex_core::{DowngradeTarget, PlanError, Revision, RevisionGraph, UpgradeTarget};

/// The target with its revision resolved; `head` only when there is exactly one head.
pub fn upgrade(graph: &RevisionGraph, target: &UpgradeTarget) -> Result<UpgradeTarget, PlanError> {
    match target {
        UpgradeTarget::Head => match graph.heads()[..] {
            [] => Err(PlanError::NoRevisions),
            [_] => Ok(UpgradeTarget::Head),
            ref heads => Err(PlanError::MultipleHeads {
                heads: heads
                    .iter()
                    .map(|head| (head.id().to_owned(), head.path().to_owned()))
                    .collect(),
            }),
        },
        UpgradeTarget::Heads => Ok(UpgradeTarget::Heads),
        UpgradeTarget::Revision(id) => Ok(UpgradeTarget::Revision(
            revision(graph, id)?.id().to_owned(),
        )),
    }
}

/// The target with its revision resolved.
pub fn downgrade(
    graph: &RevisionGraph,
    target: &DowngradeTarget,
) -> Result<DowngradeTarget, PlanError> {
    match target {
        DowngradeTarget::Revision(id) => Ok(DowngradeTarget::Revision(
            revision(graph, id)?.id().to_owned(),
        )),
        other => Ok(other.clone()),
    }
}

/// The revision a user's id or prefix names.
pub fn revision<'g>(graph: &'g RevisionGraph, text: &str) -> Result<&'g Revision, PlanError> {
    Ok(graph.resolve(text)?)
}

/// What a resolved upgrade target means, for messages: `head af9a37e3eebf`.
pub fn describe_upgrade(graph: &RevisionGraph, target: &UpgradeTarget) -> String {
    let ids = |revisions: Vec<&Revision>| -> String {
        revisions
            .iter()
            .map(|r| r.id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match target {
        UpgradeTarget::Head => format!("head {}", ids(graph.heads())),
        UpgradeTarget::Heads if graph.heads().len() == 1 => format!("head {}", ids(graph.heads())),
        UpgradeTarget::Heads => format!("heads {}", ids(graph.heads())),
        UpgradeTarget::Revision(id) => format!("revision {id}"),
    }
}

/// What a resolved downgrade target means, for messages.
pub fn describe_downgrade(target: &DowngradeTarget) -> String {
    match target {
        DowngradeTarget::Base => "base".to_owned(),
        DowngradeTarget::StepsBack(steps) => format!("-{steps}"),
        DowngradeTarget::Revision(id) => format!("revision {id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clipdex_core::{RevisionSet, SourceFile};

    fn graph(files: &[(&str, &str, &str)]) -> RevisionGraph {
        let files = files.iter().map(|(name, id, parents)| {
            let text = format!("-- revision: {id}\n-- parents: {parents}\n\n-- +up\nselect 1;\n");
            SourceFile::new(*name, text)
        });
        RevisionGraph::build(&RevisionSet::from_files(files).unwrap()).unwrap()
    }

    #[test]
    fn head_with_two_heads_is_refused_as_core_refuses_it() {
        let two = graph(&[
            ("a.sql", "aaaa1", ""),
            ("b.sql", "bbbb1", "aaaa1"),
            ("c.sql", "cccc1", "aaaa1"),
        ]);
        let error = upgrade(&two, &UpgradeTarget::Head).unwrap_err();
        assert!(matches!(error, PlanError::MultipleHeads { ref heads } if heads.len() == 2));
        assert_eq!(
            upgrade(&two, &UpgradeTarget::Heads),
            Ok(UpgradeTarget::Heads)
        );
        assert_eq!(
            describe_upgrade(&two, &UpgradeTarget::Heads),
            "heads bbbb1, cccc1"
        );
    }

    #[test]
    fn prefixes_become_full_ids() {
        let one = graph(&[("a.sql", "aaaa1", ""), ("b.sql", "bbbb1", "aaaa1")]);
        let target = UpgradeTarget::Revision("aaaa".into());
        assert_eq!(
            upgrade(&one, &target),
            Ok(UpgradeTarget::Revision("aaaa1".into()))
        );
        assert_eq!(describe_upgrade(&one, &UpgradeTarget::Head), "head bbbb1");
        let target = DowngradeTarget::Revision("zzzz".into());
        assert!(matches!(
            downgrade(&one, &target),
            Err(PlanError::Resolve(_))
        ));
    }
}
