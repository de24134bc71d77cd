//! The integration tests of `cracks`, one binary: each module below was a test binary of its
//! own; linked once, they build in a fraction of the time. `cargo test -p cracks MODULE` runs one.

mod book_sql;
mod crack1_closed;
mod crack1_no_applied_state;
mod crack2_branch_ordering;
mod crack2_closed;
mod crack3_closed;
mod crack3_no_downgrade;
mod crack4_closed;
mod crack4_no_drift_check;
mod migrate;
