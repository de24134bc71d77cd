//! Terminal transcripts of the real binary, for golden files the book includes.
//!
//! A [`Transcript`] runs `clipdex-migrate` commands in a project directory against one
//! database and records them as a reader would see them in a terminal: a `$ clipdex-migrate …`
//! line, then stdout and stderr interleaved in the order they were written (both go to one
//! pipe), then `[exit N]` when the exit code is not 0. The database is given as `DATABASE_URL`,
//! so the command lines show only what a reader types.
//!
//! [`normalise`] replaces what differs from one run to the next with visible placeholders, and
//! nothing else; [`check_golden`] compares with a golden file byte for byte, or rewrites it
//! when `CLIPDEX_BLESS=1`.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use super::repository_root;

/// Where a database URL printed by the binary is replaced: a readable URL of the same shape.
pub const URL_PLACEHOLDER: &str = "postgresql://postgres@localhost/clipdex";

/// Commands and their output, as one terminal session shows them.
pub struct Transcript<'p> {
    project: &'p Path,
    database_url: String,
    text: String,
}

impl<'p> Transcript<'p> {
    /// A session in `project` (the working directory) with `DATABASE_URL=database_url`.
    pub fn new(project: &'p Path, database_url: &str) -> Transcript<'p> {
        Transcript {
            project,
            database_url: database_url.to_owned(),
            text: String::new(),
        }
    }

    /// Runs `clipdex-migrate args…`, records it, and returns its exit code.
    pub fn run(&mut self, args: &[&str]) -> i32 {
        let (code, output) = self.run_unrecorded(args);
        self.text.push_str(&format!("$ {}\n", command_line(args)));
        self.text.push_str(&output);
        if code != 0 {
            self.text.push_str(&format!("[exit {code}]\n"));
        }
        code
    }

    /// Runs a command that is setup, not part of the transcript; panics unless it exits 0.
    pub fn setup(&self, args: &[&str]) {
        let (code, output) = self.run_unrecorded(args);
        assert_eq!(code, 0, "{args:?} failed:\n{output}");
    }

    /// The transcript so far, and a fresh start for the next one.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    fn run_unrecorded(&self, args: &[&str]) -> (i32, String) {
        let (mut reader, writer) = std::io::pipe().expect("a pipe");
        let mut command = Command::new(env!("CARGO_BIN_EXE_clipdex-migrate"));
        command.args(args).current_dir(self.project);
        for variable in ["RUST_LOG", "PGPASSWORD", "CLIPDEX_DEV_DIR"] {
            command.env_remove(variable);
        }
        command.env("DATABASE_URL", &self.database_url);
        let stderr = writer.try_clone().expect("a second pipe writer");
        command.stdin(Stdio::null()).stdout(writer).stderr(stderr);
        let mut child = command.spawn().expect("run clipdex-migrate");
        // The command keeps copies of the write end; reading ends only once every copy is gone.
        drop(command);
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).expect("read the output");
        let status = child.wait().expect("wait for clipdex-migrate");
        let output = String::from_utf8_lossy(&bytes).into_owned();
        (status.code().unwrap_or(-1), output)
    }
}

/// The arguments as typed in a shell: an argument with a space is double-quoted.
fn command_line(args: &[&str]) -> String {
    let quoted = args.iter().map(|arg| {
        if arg.contains(' ') {
            format!("\"{arg}\"")
        } else {
            (*arg).to_owned()
        }
    });
    let args: Vec<String> = quoted.collect();
    format!("clipdex-migrate {}", args.join(" "))
}

/// Replaces what varies between runs with placeholders a reader recognises as such:
///
/// - durations, printed as whole milliseconds (`27 ms`) or seconds (`0.5 s`), become `… ms`
///   and `… s`;
/// - timestamps (RFC 3339, UTC, from the server's clock) become `YYYY-MM-DDThh:mm:ss.ffffffZ`
///   (or `YYYY-MM-DDThh:mm:ssZ`, without a fraction of a second);
/// - process ids (`pid 4242`) become `pid …`;
/// - any `postgresql://…` URL (socket directory, port and database name are the throwaway
///   cluster's) becomes [`URL_PLACEHOLDER`];
/// - each `(from, to)` of `replacements`, applied first, covers what only the test knows: a
///   random revision id, a file name made from the clock.
pub fn normalise(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in replacements {
        text = text.replace(from, to);
    }
    let text = replace_urls(&text);
    let text = replace_timestamps(&text, "9999-99-99T99:99:99", "YYYY-MM-DDThh:mm:ss");
    let text = replace_quantities(&text, " ms", "…");
    let text = replace_quantities(&text, " s", "…");
    replace_number_after(&text, "pid ", "…")
}

/// Every `postgresql://` URL, up to the next space, parenthesis, comma or line end.
fn replace_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("postgresql://") {
        out.push_str(&rest[..start]);
        out.push_str(URL_PLACEHOLDER);
        let url = &rest[start..];
        let end = url
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ',' | '`'))
            .unwrap_or(url.len());
        rest = &url[end..];
    }
    out.push_str(rest);
    out
}

/// Every timestamp that starts with `shape` (`9` for a digit) and ends in `Z`, replaced by
/// `placeholder`, with `.ffffff` before its `Z` when it has a fraction of a second.
fn replace_timestamps(text: &str, shape: &str, placeholder: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(length) = timestamp_length(rest, shape) {
            out.push_str(placeholder);
            let fraction = rest.as_bytes().get(shape.len()) == Some(&b'.');
            out.push_str(if fraction { ".ffffffZ" } else { "Z" });
            rest = &rest[length..];
        } else {
            let next = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out
}

/// The length of the timestamp at the start of `text`, if there is one.
fn timestamp_length(text: &str, shape: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let fits = |(at, expected): (usize, u8)| match (bytes.get(at), expected) {
        (Some(byte), b'9') => byte.is_ascii_digit(),
        (Some(byte), expected) => *byte == expected,
        (None, _) => false,
    };
    if !shape.bytes().enumerate().all(fits) {
        return None;
    }
    let mut end = shape.len();
    if bytes.get(end) == Some(&b'.') {
        end += 1 + digits_at(&text[end + 1..]);
    }
    (bytes.get(end) == Some(&b'Z')).then_some(end + 1)
}

/// How many ASCII digits `text` starts with.
fn digits_at(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// Every number (digits, maybe with a decimal point) directly followed by the word `unit`,
/// replaced by `placeholder`: `27 ms`, `0.5 s`, but not the `5 s` of `5 statements`.
fn replace_quantities(text: &str, unit: &str, placeholder: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(unit) {
        let (before, after) = rest.split_at(at);
        rest = &after[unit.len()..];
        let kept = before.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        let number = &before[kept.len()..];
        let is_quantity = number.starts_with(|c: char| c.is_ascii_digit())
            && !rest.starts_with(char::is_alphanumeric);
        if is_quantity {
            out.push_str(kept);
            out.push_str(placeholder);
        } else {
            out.push_str(before);
        }
        out.push_str(unit);
    }
    out.push_str(rest);
    out
}

/// Every run of digits directly after `prefix`, replaced by `placeholder`.
fn replace_number_after(text: &str, prefix: &str, placeholder: &str) -> String {
    let mut pieces = text.split(prefix);
    let mut out = pieces.next().unwrap_or_default().to_owned();
    for piece in pieces {
        out.push_str(prefix);
        let digits = digits_at(piece);
        if digits > 0 {
            out.push_str(placeholder);
        }
        out.push_str(&piece[digits..]);
    }
    out
}

/// Compares `actual` with `book/src/output/<name>` byte for byte; `CLIPDEX_BLESS=1` rewrites
/// the file instead.
#[track_caller]
pub fn check_golden(name: &str, actual: &str) {
    let golden = repository_root().join("book/src/output").join(name);
    if std::env::var_os("CLIPDEX_BLESS").is_some_and(|value| value == "1") {
        fs::create_dir_all(golden.parent().expect("a directory")).expect("the output dir");
        fs::write(&golden, actual).expect("write the golden file");
        return;
    }
    let expected = fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        actual == expected,
        "the output differs from book/src/output/{name} (CLIPDEX_BLESS=1 rewrites it)\n\
         --- expected\n{expected}--- actual\n{actual}"
    );
}
