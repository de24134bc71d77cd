//! The flags that waive planning's safety checks, shared by the single-target commands and
//! the fleet's.

use clap::Args;
use clipdex_core::PlanOptions;

/// The safety checks of planning that a user may waive, one flag each.
#[derive(Debug, Clone, Copy, Args)]
pub struct SafetyArgs {
    /// Go on although an applied revision's up section was edited.
    #[arg(long)]
    pub allow_edited: bool,
    /// Go on although the database has revisions no file declares.
    #[arg(long)]
    pub allow_unknown: bool,
    /// Apply a revision even though one built on it is already applied.
    #[arg(long)]
    pub allow_out_of_order: bool,
}

impl SafetyArgs {
    /// Core's plan options; an empty plan is never an error here: the CLI says "nothing to do".
    pub fn plan_options(&self) -> PlanOptions {
        PlanOptions {
            allow_edited: self.allow_edited,
            allow_unknown_applied: self.allow_unknown,
            allow_out_of_order: self.allow_out_of_order,
            allow_empty: true,
        }
    }
}
