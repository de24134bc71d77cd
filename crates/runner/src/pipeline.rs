//! Several requests on one connection in one round trip, results read back in order.
//!
//! tokio-postgres writes a request to the connection when its future is first polled (the
//! request is encoded and queued before the future's first `.await` on a response; see
//! `simple_query::batch_execute` and `query::execute` in tokio-postgres 0.7.18), and the server
//! answers requests in the order it received them. Polling every future once, in order, before
//! waiting on any therefore sends them all back to back; [`Pipeline::run`] does exactly that,
//! without relying on how a general-purpose join combinator schedules its first polls.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use futures_util::future::BoxFuture;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Error, Statement};

/// One query parameter.
pub(crate) type Param<'a> = &'a (dyn ToSql + Sync);

/// The parameters of one request, borrowed for as long as the pipeline runs.
pub(crate) type Params<'a> = &'a [Param<'a>];

/// Requests queued on one client, sent together by [`run`](Self::run).
pub(crate) struct Pipeline<'a> {
    client: &'a Client,
    requests: Vec<BoxFuture<'a, Result<u64, Error>>>,
}

impl<'a> Pipeline<'a> {
    pub(crate) fn new(client: &'a Client) -> Pipeline<'a> {
        Pipeline {
            client,
            requests: Vec::new(),
        }
    }

    /// Queues `sql` as one simple query (one statement, or several that PostgreSQL runs as
    /// an implicit transaction); returns its index.
    pub(crate) fn simple(&mut self, sql: impl Into<Cow<'a, str>>) -> usize {
        let client = self.client;
        let sql = sql.into();
        self.push(Box::pin(async move {
            client.batch_execute(&sql).await.map(|()| 0)
        }))
    }

    /// Queues a prepared statement (extended protocol); returns its index.
    pub(crate) fn prepared(&mut self, statement: &'a Statement, params: Params<'a>) -> usize {
        let client = self.client;
        self.push(Box::pin(client.execute(statement, params)))
    }

    /// Queues a statement with typed parameters, parsed and run in one message; returns its index.
    pub(crate) fn typed(
        &mut self,
        sql: &'a str,
        params: &'a [(&'a (dyn ToSql + Sync), Type)],
    ) -> usize {
        let client = self.client;
        self.push(Box::pin(client.execute_typed(sql, params)))
    }

    /// How many requests are queued.
    pub(crate) fn len(&self) -> usize {
        self.requests.len()
    }

    fn push(&mut self, request: BoxFuture<'a, Result<u64, Error>>) -> usize {
        self.requests.push(request);
        self.requests.len() - 1
    }

    /// Queues a request built by the caller (one that owns what it sends); returns its index.
    pub(crate) fn request(
        &mut self,
        request: impl Future<Output = Result<u64, Error>> + Send + 'a,
    ) -> usize {
        self.push(Box::pin(request))
    }

    /// Sends every request, then waits for every answer; results in queue order.
    pub(crate) async fn run(self) -> Vec<Result<u64, Error>> {
        let mut pending = Sent::queued(self.requests);
        std::future::poll_fn(|context| pending.poll_all(context)).await;
        pending.results()
    }

    /// Sends every request and returns without waiting for an answer: the caller can send
    /// more, to be answered after these, before it reads these answers.
    pub(crate) async fn send(self) -> Sent<'a> {
        let mut sent = Sent::queued(self.requests);
        std::future::poll_fn(|context| {
            // One pass queues every request in order; an answer already there is kept.
            let _ = sent.poll_all(context);
            Poll::Ready(())
        })
        .await;
        // The connection task writes what was queued when it next runs.
        tokio::task::yield_now().await;
        sent
    }
}

/// Requests sent, in queue order, each still awaited or answered.
pub(crate) struct Sent<'a> {
    requests: Vec<Option<BoxFuture<'a, Result<u64, Error>>>>,
    results: Vec<Option<Result<u64, Error>>>,
}

impl<'a> Sent<'a> {
    fn queued(requests: Vec<BoxFuture<'a, Result<u64, Error>>>) -> Sent<'a> {
        let results = requests.iter().map(|_| None).collect();
        Sent {
            requests: requests.into_iter().map(Some).collect(),
            results,
        }
    }

    /// Waits for every answer; results in queue order.
    pub(crate) async fn answers(mut self) -> Vec<Result<u64, Error>> {
        std::future::poll_fn(|context| self.poll_all(context)).await;
        self.results()
    }

    /// Polls every request still awaited, in queue order; ready once all are answered.
    fn poll_all(&mut self, context: &mut std::task::Context<'_>) -> Poll<()> {
        let mut all_done = true;
        for (slot, result) in self.requests.iter_mut().zip(self.results.iter_mut()) {
            let Some(future) = slot else { continue };
            match Pin::new(future).poll(context) {
                Poll::Ready(output) => {
                    *result = Some(output);
                    *slot = None;
                }
                Poll::Pending => all_done = false,
            }
        }
        if all_done {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    fn results(self) -> Vec<Result<u64, Error>> {
        self.results.into_iter().flatten().collect()
    }
}

/// The index and error of the first failed request, if any: later requests of an aborted
/// transaction fail only because of it.
pub(crate) fn first_error(results: Vec<Result<u64, Error>>) -> Option<(usize, Error)> {
    results
        .into_iter()
        .enumerate()
        .find_map(|(index, result)| result.err().map(|error| (index, error)))
}
