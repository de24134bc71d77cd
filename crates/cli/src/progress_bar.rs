//! A progress bar for a revision that takes longer than a moment, drawn on stderr.
//!
//! Most revisions finish in milliseconds, and a bar that flashes for each would be noise; so
//! a bar stays hidden for [`DELAY`] and only then starts drawing (its elapsed time and the
//! statements sent so far), until the revision finishes and the bar is cleared before the
//! revision's line is printed. Whether bars are drawn at all is [`Output`]'s decision: on a
//! terminal's stderr only, and never with `--json` or `--quiet`.
//!
//! [`Output`]: crate::output::Output

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a revision runs before its bar appears.
pub const DELAY: Duration = Duration::from_millis(300);

/// What a visible bar shows.
const TEMPLATE: &str = "{spinner} {msg}  [{bar:24}] {pos}/{len} statements sent  {elapsed}";

/// How often a visible bar redraws (its spinner and elapsed time move during one long
/// statement, when no callback comes).
const TICK: Duration = Duration::from_millis(120);

/// One revision's bar: hidden at first, shown after [`DELAY`] unless finished by then.
#[derive(Debug)]
pub struct DelayedBar {
    bar: ProgressBar,
    /// Set when finished; the thread that would show the bar checks it under the same lock,
    /// so a finished bar is never shown.
    finished: Arc<Mutex<bool>>,
}

impl DelayedBar {
    /// A bar over `statements` statements, labelled `message`.
    pub fn start(statements: usize, message: String) -> DelayedBar {
        let length = u64::try_from(statements).unwrap_or(u64::MAX);
        let bar = ProgressBar::with_draw_target(Some(length), ProgressDrawTarget::hidden())
            .with_style(style())
            .with_message(message);
        let finished = Arc::new(Mutex::new(false));
        let (shown, done) = (bar.clone(), Arc::clone(&finished));
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            let done = done.lock().unwrap_or_else(PoisonError::into_inner);
            if !*done {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(TICK);
            }
        });
        DelayedBar { bar, finished }
    }

    /// One more statement sent.
    pub fn statement_sent(&self) {
        self.bar.inc(1);
    }

    /// Clears the bar (if it was ever shown) for good.
    pub fn finish(&self) {
        let mut done = self.finished.lock().unwrap_or_else(PoisonError::into_inner);
        *done = true;
        self.bar.finish_and_clear();
    }
}

impl Drop for DelayedBar {
    /// A failed revision never reports finishing: its bar must not outlive it either.
    fn drop(&mut self) {
        self.finish();
    }
}

fn style() -> ProgressStyle {
    ProgressStyle::with_template(TEMPLATE)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_finished_within_the_delay_is_never_drawn() {
        let bar = DelayedBar::start(3, "applying x".to_owned());
        bar.statement_sent();
        bar.finish();
        std::thread::sleep(DELAY + Duration::from_millis(100));
        assert!(bar.bar.is_hidden());
        assert!(bar.bar.is_finished());
    }

    #[test]
    fn the_template_parses() {
        assert!(ProgressStyle::with_template(TEMPLATE).is_ok());
    }
}
