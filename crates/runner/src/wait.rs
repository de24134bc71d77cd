//! Waiting for a server that is still starting: containers and CI services accept
//! connections seconds after they are launched, and a deploy step should not fail for that.
//!
//! Only failures that a later attempt may not have are retried (nothing listening yet, a
//! server starting up, a timeout: [`ConnectError::is_transient`]); a wrong password or a
//! failed certificate check fails at once. The delay between attempts doubles from 100 ms to
//! one second; the final error says how long and how often it tried, and the last failure.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use crate::connection_error::ConnectError;
use crate::url::DatabaseUrl;

/// The first pause between attempts, and the longest.
const FIRST_DELAY: Duration = Duration::from_millis(100);
const LONGEST_DELAY: Duration = Duration::from_secs(1);

impl DatabaseUrl {
    /// [`connect`](Self::connect), tried again while the failure is transient, for up to
    /// `wait` (an attempt under way when it runs out is finished first).
    pub async fn connect_waiting(
        &self,
        application_name: &str,
        wait: Duration,
    ) -> Result<Client, ConnectError> {
        let started = Instant::now();
        let mut delay = FIRST_DELAY;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let error = match self.connect(application_name).await {
                Ok(client) => return Ok(client),
                Err(error) if !error.is_transient() => return Err(error),
                Err(error) => error,
            };
            let left = wait.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(ConnectError::GaveUp {
                    target: self.redacted(),
                    waited: wait,
                    attempts,
                    last: error.to_string(),
                });
            }
            tracing::info!(database = %self, attempts, %error, "not accepting connections yet; trying again");
            tokio::time::sleep(delay.min(left)).await;
            delay = (delay * 2).min(LONGEST_DELAY);
        }
    }
}
