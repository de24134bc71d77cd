//! The link that ties a transactional step to the step sent before it (see [`chain`](crate::chain)):
//! the statement each step's transaction opens with, apart from the chain so that the step
//! (`apply`) and the chain that sends steps do not import each other.

use crate::pipeline::Pipeline;
use crate::quote::quote_literal;

/// The session setting that names the last revision whose transaction committed in a chain.
pub(crate) const CHAIN_SETTING: &str = "clipdex_migrate.chain";

/// Clears [`CHAIN_SETTING`], outside any transaction.
pub(crate) const CLEAR: &str = "SELECT pg_catalog.set_config('clipdex_migrate.chain', '', false)";

/// How a step's transaction is tied to the step sent before it.
pub(crate) enum Link<'a> {
    /// Nothing is in flight before it: the chain starts here.
    First,
    /// Sent while the step of this revision was in flight: it runs only if that one committed.
    After(&'a str),
}

impl<'a> Link<'a> {
    /// The revision whose step must have committed first, if any.
    pub(crate) fn previous(&self) -> Option<&'a str> {
        match self {
            Link::First => None,
            Link::After(previous) => Some(previous),
        }
    }

    /// Queues what must run before the step's transaction: at the start of a chain, the
    /// setting cleared.
    pub(crate) fn queue_before(&self, pipeline: &mut Pipeline<'_>) {
        if let Link::First = self {
            pipeline.simple(CLEAR);
        }
    }

    // ANCHOR: link_statement
    /// The statement, run in the step's transaction, that checks the link (dividing by zero
    /// when the setting does not name the previous revision) and sets the setting to `id`.
    pub(crate) fn statement(&self, id: &str) -> String {
        let set = format!(
            "pg_catalog.set_config('{CHAIN_SETTING}', {}, false)",
            quote_literal(id)
        );
        match self.previous() {
            None => format!("SELECT {set}"),
            Some(previous) => format!(
                "SELECT 1 / coalesce(pg_catalog.current_setting('{CHAIN_SETTING}', true) = {}, false)::int, {set}",
                quote_literal(previous)
            ),
        }
    }
    // ANCHOR_END: link_statement
}
