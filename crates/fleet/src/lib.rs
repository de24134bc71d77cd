//! Migrates a fleet: the same revisions on many tenant schemas of one database, or on many
//! tenant databases, each with its own history and lock.
//!
//! Teams that run one schema or one database per tenant apply every revision hundreds or
//! thousands of times. This crate does that with the runner a single target uses — the same
//! lock, plan, pipelined revisions, resumable `transaction: none` revisions, history rows and
//! errors — and adds only what a fleet needs:
//!
//! - [`source`]: a [`Fleet`] ([`Source`]: schemas or databases by [`Pattern`] or query, or
//!   URLs) and finding its targets ([`Target`]);
//! - [`engine`]: [`run`] with [`FleetOptions`] — `jobs` workers (the private `worker`), each
//!   keeping its connection from one schema to the next ([`connection`]), [`Waves`], [`OnError`],
//!   [`Only`]; the targets already done are found in bulk ([`state`], through
//!   [`runner::read_states`]) and skipped without a round trip each;
//! - [`job`]: what runs on each target ([`Upgrade`], [`Downgrade`], or a front end's own);
//! - [`report`]: the [`FleetReport`], one [`Outcome`] per target; [`observer`]: progress;
//! - [`ledger`]: the failures a run records, so the next can tell failed from pending;
//! - [`status`]: every target's state, without running anything.
//!
//! # Where a tenant schema's history lives
//!
//! In the tenant's schema: `tenant_0042.clipdex_migrate_history` (with its `_log` and `_meta`
//! tables), not in one shared table keyed by schema. The history then goes wherever the
//! tenant goes: dropping, renaming, dumping (`pg_dump -n`), restoring or moving a tenant
//! (Citus's `citus_schema_move` included) takes its history along, so the two cannot
//! disagree; each revision and its history row commit in the same schema, on the same node;
//! no table is shared by every tenant's runs; and the runner needs no new history format,
//! only a history location per tenant (its lock key follows from it, per database and
//! schema). What a shared table would have given, the state of every tenant in one query,
//! [`runner::read_states`] gives anyway: one `UNION ALL` over the tenants' tables.
//!
//! # Migrating tenants on start-up
//!
//! ```no_run
//! use fleet::{Fleet, FleetOptions, Pattern, Selection, Source, Upgrade};
//!
//! # async fn start() -> Result<(), Box<dyn std::error::Error>> {
//! let migrations = runner::Migrations::from_dir("tenant_migrations")?;
//! let fleet = Fleet {
//!     name: "tenants".to_owned(),
//!     source: Source::Schemas {
//!         database: runner::DatabaseUrl::parse(&std::env::var("DATABASE_URL")?)?,
//!         selection: Selection::Pattern("tenant_*".parse()?),
//!         history_table: fleet::TENANT_HISTORY_TABLE.to_owned(),
//!     },
//!     runner: runner::RunnerConfig::default(),
//! };
//! let job = Upgrade {
//!     graph: migrations.graph(),
//!     target: clipdex_core::UpgradeTarget::Head,
//!     options: runner::RunOptions::default(),
//! };
//! let targets = fleet.discover(&[]).await?;
//! let report = fleet::run(&fleet, targets, &job, &FleetOptions::default(), &mut fleet::NoFleetObserver).await;
//! for (target, error) in report.failures() {
//!     eprintln!("{}: {error}", target.name);
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub mod connection;
pub mod engine;
pub mod error;
pub mod job;
pub mod ledger;
pub mod observer;
pub mod pattern;
pub mod report;
pub mod source;
pub mod state;
pub mod status;
pub mod target;
pub mod waves;
mod worker;

pub use engine::{FleetOptions, OnError, Only, run};
pub use error::FleetError;
pub use job::{Downgrade, Job, Upgrade, lock_busy};
pub use ledger::RecordedFailure;
pub use observer::{FleetObserver, NoFleetObserver, Planned};
pub use pattern::{EmptyPattern, Pattern};
pub use report::{FleetReport, Halt, Outcome, TargetReport};
pub use source::{Discovered, Fleet, Selection, Source};
pub use state::TargetState;
pub use status::read_status;
pub use target::{TENANT_HISTORY_TABLE, Target};
pub use waves::{InvalidWaves, WaveEnd, Waves};
