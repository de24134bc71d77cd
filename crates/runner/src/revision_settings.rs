//! The settings one revision's statements run under: the run's (timeouts, a schema scope's
//! `search_path`) and the revision's own (its Citus shard mode). Apart from `history_sql` so
//! that the Citus module, which reads the history's names, sits below it.

use crate::citus;
use crate::history_sql::{self, SettingScope};

/// What a revision's statements run with in `scope`: [`run_settings`](crate::history_sql::run_settings), then the revision's
/// Citus shard mode (which does nothing where Citus is not created).
pub fn revision_settings(
    config: &crate::RunnerConfig,
    revision: &clipdex_core::Revision,
    scope: SettingScope,
) -> Vec<String> {
    let mut settings = history_sql::run_settings(config, scope);
    settings.extend(citus::shard_mode_settings(
        revision.citus_shard_mode(),
        scope,
    ));
    settings
}

/// The Citus part of [`revision_settings`] alone, for a revision's statements run elsewhere
/// than by the runner (`check` walks sections on a shadow database): in
/// [`SettingScope::Session`], the statement that sets it and the one that undoes it.
pub fn citus_settings(
    revision: &clipdex_core::Revision,
    scope: SettingScope,
) -> Option<(String, Option<String>)> {
    let mode = revision.citus_shard_mode();
    let set = citus::shard_mode_settings(mode, scope)?;
    let reset = match scope {
        SettingScope::Transaction => None,
        SettingScope::Session => citus::reset_shard_mode(mode),
    };
    Some((set, reset))
}

/// Undoes [`revision_settings`] at session level.
pub fn reset_revision_settings(
    config: &crate::RunnerConfig,
    revision: &clipdex_core::Revision,
) -> Vec<String> {
    let mut resets = history_sql::reset_run_settings(config);
    resets.extend(citus::reset_shard_mode(revision.citus_shard_mode()));
    resets
}
