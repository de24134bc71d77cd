//! Applies clipdex-migrate revisions to one PostgreSQL database.
//!
//! `core` decides *what* to run from the files and an applied state given as plain data; this
//! crate is the part that talks to PostgreSQL: it keeps the history table (and its log and
//! version), serialises concurrent runs with a session advisory lock, and runs revisions so that
//! a transactional revision and its history row commit together in one pipelined round trip,
//! while a `transaction: none` revision records its progress statement by statement and resumes
//! where it stopped. It also writes the same work as an offline SQL script for review, and owns
//! connecting (URLs, TLS through rustls, passwords that never reach any output).
//!
//! - [`url`] (and the private `connect`, `tls`): [`DatabaseUrl`] and [`DatabaseUrl::connect`];
//! - [`config`]: [`RunnerConfig`], [`HistoryLocation`], [`RunOptions`];
//! - [`state`]: what the history table says ([`DatabaseState`], [`HistoryRow`], [`LogEntry`]),
//!   read by the private `history` module; [`history_sql`]: the table's SQL, quoted once;
//! - [`migrator`]: [`Migrator`], the entry point, with [`lock`] and the private appliers
//!   `apply` (transactional, pipelined) and `apply_none` (`transaction: none`), on top of
//!   `pipeline` (several requests, one round trip) and `prepared` (the history writes);
//! - [`script`]: [`upgrade_script`] and [`downgrade_script`];
//! - [`error`]: [`RunError`] and its parts, located by the private `failure`;
//!   [`observer`]: progress callbacks.
#![warn(missing_docs)]

mod accept;
mod apply;
mod apply_none;
pub mod config;
mod connect;
pub mod error;
mod failure;
mod history;
pub mod history_sql;
mod index_name;
pub mod lock;
pub mod migrator;
pub mod observer;
mod pipeline;
mod planning;
mod prepared;
mod privileges;
pub mod script;
pub mod state;
mod tls;
pub mod url;

pub use config::{HistoryLocation, RunOptions, RunnerConfig};
pub use connect::ConnectError;
pub use error::{Aftermath, ErrorKind, RunError, StatementError};
pub use lock::LockGuard;
pub use migrator::{Migrator, RunReport, StepReport, default_application_name};
pub use observer::{LockHolder, NoObserver, Observer};
pub use script::{downgrade_script, upgrade_script};
pub use state::{DatabaseState, HistoryRow, LogEntry, Operation, RowState};
pub use url::{DatabaseUrl, SslMode, UrlError};
