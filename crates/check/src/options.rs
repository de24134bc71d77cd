//! What a run of the checks is configured with, built by the CLI from flags and the config file.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use crate::report::CheckKind;

/// The checks' settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// The declared schema (`schema/`); without it the schema check is skipped, with a note.
    pub schema_dir: PathBuf,
    /// The application's queries (`queries/`); without it the queries check is skipped.
    pub queries_dir: PathBuf,
    /// The locking-hazard lint's settings.
    pub lint: LintConfig,
    /// Which checks run; [`CheckKind::Replay`] runs whenever a check needs the head schema.
    pub checks: BTreeSet<CheckKind>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            schema_dir: PathBuf::from("schema"),
            queries_dir: PathBuf::from("queries"),
            lint: LintConfig::default(),
            checks: CheckKind::ALL.into_iter().collect(),
        }
    }
}

/// What the lint knows about how revisions will run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintConfig {
    /// The `lock_timeout` the tool sets for every migration statement (the config's
    /// `[timeouts] lock_timeout`); `None` when it is off, which is when revisions must set
    /// their own.
    pub lock_timeout: Option<Duration>,
}

impl Default for LintConfig {
    /// As the runner's default: a 10 s `lock_timeout`.
    fn default() -> Self {
        LintConfig {
            lock_timeout: runner::RunnerConfig::default().lock_timeout,
        }
    }
}
