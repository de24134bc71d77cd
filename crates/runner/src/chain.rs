//! Consecutive transactional steps sent one ahead, so the server never waits for the client.
//!
//! A run that sent a revision only once the answers to the one before it had come back would
//! leave the server idle for a round trip per revision, and on a busy machine a round trip
//! costs as much as a small revision's own work. So the next step's requests are sent as
//! soon as the step before it is sent, and its answers are read after that step's.
//!
//! What keeps this safe is the link each step opens with, checked by the server
//! ([`chain_link`](crate::chain_link)): a revision must never commit when the one before it
//! did not. Each step's transaction sets the session setting `clipdex_migrate.chain` to its
//! own revision id; a step sent while another is in flight first checks that the setting
//! names that other step, and fails if it does not. A session setting set inside a
//! transaction that rolls back is rolled back with it, so a failed step leaves the setting
//! naming the revision before it, the next step's check fails, and every step after fails
//! the same way. The setting is cleared before a chain starts (so a value left by an earlier
//! run cannot pass for a step's) and when it ends, whether or not a step failed.

use clipdex_core::{Direction, Step};

use crate::apply::{Context, InFlight, send_transactional};
use crate::chain_link::{CLEAR, Link};
use crate::error::RunError;
use crate::observer::Observer;
use crate::pipeline::{Pipeline, Sent};
use crate::report::StepReport;

/// The transactional steps of a run, each sent before the answers to the one before it are
/// read.
pub(crate) struct Chain<'c, 'a> {
    context: &'c Context<'a>,
    direction: Direction,
    in_flight: Option<InFlight<'a>>,
}

impl<'c, 'a> Chain<'c, 'a> {
    pub(crate) fn new(context: &'c Context<'a>, direction: Direction) -> Chain<'c, 'a> {
        Chain {
            context,
            direction,
            in_flight: None,
        }
    }

    /// Sends `step`, then reads the answers to the step sent before it, adding that step's
    /// report to `done`. When that step failed, its error is returned once `step` (which
    /// then cannot commit) has been answered too.
    pub(crate) async fn send(
        &mut self,
        step: &'a Step<'a>,
        observer: &mut dyn Observer,
        done: &mut Vec<StepReport>,
    ) -> Result<(), RunError> {
        let statements = match step.section.statements_once() {
            Ok(statements) => statements,
            Err(error) => {
                self.finish(observer, done).await?;
                return Err(error.into());
            }
        };
        let link = match &self.in_flight {
            Some(previous) => Link::After(previous.revision().id()),
            None => Link::First,
        };
        let mut sent =
            send_transactional(self.context, step, statements, self.direction, link).await;
        if let Some(previous) = self.in_flight.take() {
            match previous.finish(observer).await {
                Ok(report) => done.push(report),
                Err(error) => {
                    let clear = self.clear().await;
                    sent.discard().await;
                    let _ = clear.answers().await;
                    return Err(error);
                }
            }
        }
        sent.announce(observer);
        self.in_flight = Some(sent);
        Ok(())
    }

    /// Reads the answers to the step in flight, if any, adding its report to `done`, and
    /// clears the chain's setting.
    pub(crate) async fn finish(
        &mut self,
        observer: &mut dyn Observer,
        done: &mut Vec<StepReport>,
    ) -> Result<(), RunError> {
        let Some(last) = self.in_flight.take() else {
            return Ok(());
        };
        let clear = self.clear().await;
        let finished = last.finish(observer).await;
        let _ = clear.answers().await;
        done.push(finished?);
        Ok(())
    }

    /// Sends the request that clears the chain's setting, behind everything sent so far.
    /// Clearing at the end is tidiness, not safety (a chain clears the setting before it
    /// starts), so its answer is read but not judged.
    async fn clear(&mut self) -> Sent<'a> {
        let mut pipeline = Pipeline::new(self.context.client);
        pipeline.simple(CLEAR);
        pipeline.send().await
    }
}
