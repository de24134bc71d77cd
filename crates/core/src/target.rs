//! What `upgrade` and `downgrade` are asked to reach, as typed on the command line.
//!
//! The words `head`, `heads`, `base` and `-N` are reserved (no revision id may be one), so a
//! target parses without knowing the graph; ids and prefixes are resolved later, against it.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;

use crate::error_kind::ErrorKind;

/// Where an upgrade stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpgradeTarget {
    /// The single head; several heads are an error that asks for a merge.
    Head,
    /// Every head.
    Heads,
    /// A revision id or unique prefix, and everything it builds on.
    Revision(String),
}

/// Where a downgrade stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DowngradeTarget {
    /// `-N`: unapply the single applied head, N times over.
    StepsBack(NonZeroU32),
    /// Unapply every applied descendant of this revision (id or prefix), keeping it.
    Revision(String),
    /// Unapply everything.
    Base,
}

/// A target that is not one of the accepted forms.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetParseError {
    /// No target at all.
    #[error("empty target: give a revision id, or one of {0}")]
    Empty(&'static str),
    /// A word that names the other direction's target (`base` for upgrade, `-1` for upgrade).
    #[error("`{target}` is not an upgrade target: give a revision id, `head` or `heads`")]
    NotForUpgrade {
        /// The target as given.
        target: String,
    },
    /// `-0`, `-x` or a number too large.
    #[error("`{target}` is not a step count: write `-1`, `-2`, … to go back that many revisions")]
    BadStepCount {
        /// The target as given.
        target: String,
    },
    /// `head`/`heads`/`current` for a downgrade.
    #[error("`{target}` is not a downgrade target: give `-N`, a revision id, or `base`")]
    NotForDowngrade {
        /// The target as given.
        target: String,
    },
}

impl TargetParseError {
    /// How a front end should treat it: the target given is wrong.
    pub fn kind(&self) -> ErrorKind {
        match self {
            TargetParseError::Empty(_)
            | TargetParseError::NotForUpgrade { .. }
            | TargetParseError::BadStepCount { .. }
            | TargetParseError::NotForDowngrade { .. } => ErrorKind::InvalidInput,
        }
    }
}

impl fmt::Debug for TargetParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for UpgradeTarget {
    type Err = TargetParseError;

    fn from_str(text: &str) -> Result<UpgradeTarget, TargetParseError> {
        match text.trim() {
            "" => Err(TargetParseError::Empty("`head`, `heads`")),
            "head" => Ok(UpgradeTarget::Head),
            "heads" => Ok(UpgradeTarget::Heads),
            target if target == "base" || target == "current" || target.starts_with('-') => {
                Err(TargetParseError::NotForUpgrade {
                    target: target.to_owned(),
                })
            }
            id => Ok(UpgradeTarget::Revision(id.to_owned())),
        }
    }
}

impl FromStr for DowngradeTarget {
    type Err = TargetParseError;

    fn from_str(text: &str) -> Result<DowngradeTarget, TargetParseError> {
        match text.trim() {
            "" => Err(TargetParseError::Empty("`-N`, `base`")),
            "base" => Ok(DowngradeTarget::Base),
            target @ ("head" | "heads" | "current") => Err(TargetParseError::NotForDowngrade {
                target: target.to_owned(),
            }),
            target => match target.strip_prefix('-') {
                Some(count) => count
                    .parse::<NonZeroU32>()
                    .map(DowngradeTarget::StepsBack)
                    .map_err(|_| TargetParseError::BadStepCount {
                        target: target.to_owned(),
                    }),
                None => Ok(DowngradeTarget::Revision(target.to_owned())),
            },
        }
    }
}

impl fmt::Display for UpgradeTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpgradeTarget::Head => f.write_str("head"),
            UpgradeTarget::Heads => f.write_str("heads"),
            UpgradeTarget::Revision(id) => f.write_str(id),
        }
    }
}

impl fmt::Display for DowngradeTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DowngradeTarget::StepsBack(steps) => write!(f, "-{steps}"),
            DowngradeTarget::Revision(id) => f.write_str(id),
            DowngradeTarget::Base => f.write_str("base"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrade_targets_parse_and_display_back() {
        for text in ["head", "heads", "8c3f"] {
            assert_eq!(text.parse::<UpgradeTarget>().unwrap().to_string(), text);
        }
        assert_eq!("8c3f".parse(), Ok(UpgradeTarget::Revision("8c3f".into())));
        insta::assert_snapshot!("base".parse::<UpgradeTarget>().unwrap_err(), @"`base` is not an upgrade target: give a revision id, `head` or `heads`");
        insta::assert_snapshot!("".parse::<UpgradeTarget>().unwrap_err(), @"empty target: give a revision id, or one of `head`, `heads`");
    }

    #[test]
    fn downgrade_targets_parse_and_display_back() {
        for text in ["-1", "-12", "base", "8c3f"] {
            assert_eq!(text.parse::<DowngradeTarget>().unwrap().to_string(), text);
        }
        let two = NonZeroU32::new(2).unwrap();
        assert_eq!("-2".parse(), Ok(DowngradeTarget::StepsBack(two)));
        insta::assert_snapshot!("-0".parse::<DowngradeTarget>().unwrap_err(), @"`-0` is not a step count: write `-1`, `-2`, … to go back that many revisions");
        insta::assert_snapshot!("head".parse::<DowngradeTarget>().unwrap_err(), @"`head` is not a downgrade target: give `-N`, a revision id, or `base`");
    }
}
