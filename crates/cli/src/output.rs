//! Where each kind of text goes: results on stdout, notices and warnings on stderr, and in
//! `--json` mode exactly one JSON document on stdout, errors included.
//!
//! Commands never print directly. They hand a [`Report`] (a serialisable result that can also
//! describe itself in lines of text) or a notice to [`Output`], so the `--json` promise — one
//! document, nothing else on stdout — cannot be broken by a stray `println!`. Write errors
//! (a closed pipe, as in `… | head`) are ignored: there is no one left to tell.

use std::fmt::Display;
use std::io::{BufWriter, Write};

use serde::Serialize;
use serde_json::json;

use crate::diagnostic::{Diagnostic, Problem};
use crate::terminal::{self, Stream, Style};

/// A command's result: JSON as it serialises, text as [`Report::human`] says.
pub trait Report: Serialize {
    /// The result as lines of text for stdout.
    fn human(&self) -> Vec<String>;
}

/// What stdout carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Lines of text.
    Text,
    /// Exactly one JSON document (`--json`).
    Json,
}

/// How much besides results and errors is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chatter {
    /// Notices and progress too.
    Normal,
    /// Results, warnings and errors only (`--quiet`).
    Quiet,
}

/// The output settings of one run.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    json: bool,
    quiet: bool,
}

impl Output {
    /// Output in `format`, saying as much as `chatter` allows.
    pub fn new(format: Format, chatter: Chatter) -> Output {
        Output {
            json: format == Format::Json,
            quiet: chatter == Chatter::Quiet,
        }
    }

    /// Whether stdout is reserved for one JSON document.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Whether progress bars may be drawn: on a terminal's stderr, outside `--json` and
    /// `--quiet`; never into a pipe or a file.
    pub fn draws_progress_bars(&self) -> bool {
        !self.json && !self.quiet && Stream::Stderr.is_terminal()
    }

    /// A line of progress on stdout (text mode, not quiet): one per revision run, say.
    pub fn progress(&self, text: impl Display) {
        if !self.json && !self.quiet {
            stdout_lines(&[text.to_string()]);
        }
    }

    /// Something worth knowing that is not the result, on stderr (not when quiet).
    pub fn notice(&self, text: impl Display) {
        if !self.quiet {
            stderr_lines(&[text.to_string()]);
        }
    }

    /// `warning: …` on stderr, always.
    pub fn warning(&self, text: impl Display) {
        let prefix = terminal::paint_stderr(Style::Warning, "warning");
        stderr_lines(&[format!("{prefix}: {text}")]);
    }

    /// The command's result.
    pub fn report(&self, report: &impl Report) {
        if self.json {
            let document = serde_json::to_string_pretty(report)
                .unwrap_or_else(|error| json!({"error": error.to_string()}).to_string());
            stdout_lines(&[document]);
        } else {
            stdout_lines(&report.human());
        }
    }

    /// Raw text on stdout, as is (an offline SQL script).
    pub fn raw(&self, text: &str) {
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }

    /// An error: `error: …` lines (and notes) on stderr, or one JSON object on stdout.
    pub fn error(&self, diagnostic: &Diagnostic) {
        if self.json {
            let document = error_document(diagnostic);
            let text = serde_json::to_string_pretty(&document).unwrap_or_default();
            stdout_lines(&[text]);
            return;
        }
        let prefix = terminal::paint_stderr(Style::Error, "error");
        let mut lines: Vec<String> = diagnostic
            .problems
            .iter()
            .map(|problem| format!("{prefix}: {}", problem.message))
            .collect();
        lines.extend(diagnostic.notes.iter().cloned());
        stderr_lines(&lines);
    }
}

/// `{"error":{"kind","exit_code","message","file","line","problems":[…],"notes":[…]}}`: the
/// first problem's fields at the top, every problem in `problems`.
fn error_document(diagnostic: &Diagnostic) -> serde_json::Value {
    let first = diagnostic.problems.first();
    let problem = |problem: &Problem| json!({"message": problem.message, "file": problem.file, "line": problem.line});
    json!({"error": {
        "kind": diagnostic.exit.kind(),
        "exit_code": diagnostic.exit.code(),
        "message": first.map(|p| p.message.as_str()),
        "file": first.and_then(|p| p.file.as_deref()),
        "line": first.and_then(|p| p.line),
        "problems": diagnostic.problems.iter().map(problem).collect::<Vec<_>>(),
        "notes": diagnostic.notes,
    }})
}

fn stdout_lines(lines: &[String]) {
    let _ = write_lines(std::io::stdout().lock(), lines);
}

fn stderr_lines(lines: &[String]) {
    let _ = write_lines(std::io::stderr().lock(), lines);
}

/// Writes each line and its newline through a buffer: a report of a thousand lines is a few
/// system calls instead of a thousand (stdout flushes at every newline it is given
/// separately, and stderr is not buffered at all), and it is never copied whole.
fn write_lines(stream: impl Write, lines: &[String]) -> std::io::Result<()> {
    let mut buffered = BufWriter::with_capacity(LINES_BUFFER, stream);
    for line in lines {
        buffered.write_all(line.as_bytes())?;
        buffered.write_all(b"\n")?;
    }
    buffered.flush()
}

const LINES_BUFFER: usize = 16 * 1024;

#[cfg(test)]
mod tests {
    use super::write_lines;

    #[test]
    fn each_line_ends_with_a_newline_and_nothing_is_added_between() {
        let written = |lines: &[String]| {
            let mut out = Vec::new();
            write_lines(&mut out, lines).unwrap();
            out
        };
        let lines = ["a".to_owned(), String::new(), "b  c".to_owned()];
        assert_eq!(written(&lines), b"a\n\nb  c\n");
        assert_eq!(written(&[]), b"");
        // Longer than the buffer: everything arrives, in order.
        let many: Vec<String> = (0..5_000).map(|n| format!("line {n}")).collect();
        let expected: String = many.iter().map(|line| format!("{line}\n")).collect();
        assert_eq!(written(&many), expected.as_bytes());
    }
}
