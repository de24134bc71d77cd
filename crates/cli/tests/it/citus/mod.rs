//! clipdex-migrate on a real Citus cluster: a coordinator and two workers from
//! `scratch::citus`, one fresh distributed database per test. Built and run only with the
//! `citus` feature (`cargo test -p cli --features citus citus::`), which `.ci/run` selects;
//! without Citus installed every test fails with one line saying how to build it.
//!
//! Two projects run here: clipdex's own (the repository's revisions, `schema/` and
//! `queries/`), which keeps its tables on the coordinator, and `listening/`, a set of
//! revisions that uses Citus: a reference table, two colocated distributed tables, a backfill,
//! a concurrent index build, and a type created after a multi-shard update under
//! `-- citus: sequential`.

mod adoption;
mod check;
mod concurrency;
mod crash;
mod drift;
mod history;
mod indexes;
mod lifecycle;
mod support;
