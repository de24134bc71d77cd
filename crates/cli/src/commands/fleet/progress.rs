//! A fleet run as it goes: a bar on a terminal (targets done, failed and running, with an
//! ETA), and a line per target that did something or failed, as it finishes.
//!
//! The rules are the single-target run's ([`Output`]): the bar only on a terminal's stderr,
//! never with `--json` or `--quiet`; the lines on stdout in text mode unless `--quiet`.

use std::time::Duration;

use fleet::{FleetObserver, Outcome, Planned, Target};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::document::Work;
use crate::duration;
use crate::output::Output;

/// What the bar shows.
const TEMPLATE: &str =
    "{spinner} [{bar:30}] {pos}/{len} targets  {msg}  {elapsed} elapsed, ETA {eta}";

/// How often the bar redraws.
const TICK: Duration = Duration::from_millis(200);

/// Progress of one fleet run.
#[derive(Debug)]
pub struct FleetProgress {
    out: Output,
    /// `applied`, `unapplied`, `stamped`.
    verb: &'static str,
    bar: Option<ProgressBar>,
    running: usize,
    failed: usize,
    /// Waves are announced only when there are several.
    waves: usize,
}

impl FleetProgress {
    /// Progress of a run whose targets' revisions are `verb` (`applied`).
    pub fn new(out: Output, verb: &'static str) -> FleetProgress {
        FleetProgress {
            out,
            verb,
            bar: None,
            running: 0,
            failed: 0,
            waves: 0,
        }
    }

    /// Clears the bar for the report.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    fn line(&self, text: String) {
        match &self.bar {
            Some(bar) => bar.suspend(|| self.out.progress(text)),
            None => self.out.progress(text),
        }
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{} failed, {} running", self.failed, self.running));
        }
    }
}

/// `1 target`, `2 targets`.
fn plural(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

impl<D: Work, E: std::fmt::Display> FleetObserver<D, E> for FleetProgress {
    fn planned(&mut self, planned: &Planned) {
        let Planned {
            targets,
            to_run,
            nothing_to_do,
            skipped,
            waves,
        } = *planned;
        self.waves = waves;
        let mut said = format!("{} to run", plural(to_run, "target"));
        if nothing_to_do > 0 {
            said.push_str(&format!(", {nothing_to_do} with nothing to do"));
        }
        if skipped > 0 {
            said.push_str(&format!(", {skipped} left out by --only"));
        }
        said.push_str(&format!(" (of {targets})"));
        if waves > 1 {
            said.push_str(&format!(", in {waves} waves"));
        }
        self.out.notice(said);
        if self.out.draws_progress_bars() && to_run > 0 {
            let length = u64::try_from(to_run).unwrap_or(u64::MAX);
            let style = ProgressStyle::with_template(TEMPLATE)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            let bar = ProgressBar::with_draw_target(Some(length), ProgressDrawTarget::stderr())
                .with_style(style);
            bar.enable_steady_tick(TICK);
            self.bar = Some(bar);
        }
    }

    fn wave_started(&mut self, wave: usize, targets: usize) {
        if self.waves < 2 {
            return;
        }
        let text = format!(
            "wave {wave} of {}: {}",
            self.waves,
            plural(targets, "target")
        );
        match &self.bar {
            Some(bar) => bar.suspend(|| self.out.notice(&text)),
            None => self.out.notice(&text),
        }
    }

    fn target_started(&mut self, _target: &Target) {
        self.running += 1;
        self.redraw();
    }

    fn target_finished(&mut self, target: &Target, outcome: &Outcome<D, E>, took: Duration) {
        self.running = self.running.saturating_sub(1);
        let took = duration::human(took);
        match outcome {
            Outcome::Ran(done) => {
                let revisions = done.revisions();
                if !revisions.is_empty() {
                    let ids: Vec<&str> = revisions.iter().map(|r| r.revision.as_str()).collect();
                    let count = ids.len();
                    let (verb, name) = (self.verb, &target.name);
                    let ids = ids.join(" ");
                    self.line(format!("{name}  {verb} {count}: {ids}  ({took})"));
                }
            }
            Outcome::Failed(error) => {
                self.failed += 1;
                self.line(format!("{}  FAILED: {error}", target.name));
            }
            Outcome::NothingToDo | Outcome::NotStarted | Outcome::Skipped => {}
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        self.redraw();
    }
}
