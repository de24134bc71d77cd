//! `clipdex-migrate fleet …` on real tenant schemas and databases: the faults (a tenant whose
//! data fails a revision, fail-fast, `kill -9` mid-run, two runs at once, an unreachable
//! target, a pattern that matches nothing) and the commands' output.

mod commands;
mod faults;
pub mod tenants;
