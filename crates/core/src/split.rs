//! SQL text cut into statements the way psql cuts it, each with the line and column it starts at.
//!
//! A `transaction: none` revision runs statement by statement, and every error should point at
//! the statement that failed, so a section's text is split here rather than sent whole. The cut
//! happens at a `;` outside quotes and comments (the lexer follows psql's scanner), except
//! inside the SQL-standard body of `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC …
//! END`, where semicolons separate the body's statements; `CASE … END` nests inside it. A
//! backslash outside quotes starts a psql meta-command (psql reads one anywhere on a line, not
//! only at its start), which the server would reject: it is refused here with a line and column
//! instead. The splitter is one pass over the text and never panics; its `scan` is that pass
//! without copying anything, for checking a section at load.

use std::path::{Path, PathBuf};

use crate::blocker::HEAD_TOKENS;
use crate::lexer::{Lexer, TokenKind, Unterminated};
pub use crate::split_error::SplitError;
use crate::statement::Statement;
use crate::text::Cursor;

/// Splits `sql` (the whole text of `origin`) into its statements; empty statements are dropped.
pub fn split_statements(sql: &str, origin: &Path) -> Result<Vec<Statement>, SplitError> {
    split_from_line(sql, origin, 1)
}

/// Splits `sql`, which starts at column 1 of line `first_line` in `origin`.
pub(crate) fn split_from_line(
    sql: &str,
    origin: &Path,
    first_line: u32,
) -> Result<Vec<Statement>, SplitError> {
    let mut cursor = Cursor::new(sql, first_line);
    let mut statements = Vec::new();
    scan(sql, origin, first_line, |found| {
        let (line, column) = cursor.advance_to(found.start);
        statements.push(Statement {
            sql: sql[found.start..found.end].to_owned(),
            origin: origin.to_owned(),
            line,
            column,
            index: statements.len(),
        });
    })?;
    Ok(statements)
}

/// A statement [`scan`] found: its byte range in the text, and its first significant tokens.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found<'a> {
    pub start: usize,
    pub end: usize,
    head: [(TokenKind, &'a str); HEAD_TOKENS],
    head_len: usize,
}

impl<'a> Found<'a> {
    /// Up to [`HEAD_TOKENS`] significant tokens (comments skipped), as written.
    pub fn head(&self) -> &[(TokenKind, &'a str)] {
        &self.head[..self.head_len]
    }
}

/// Cuts `sql` into statements without copying any: `found` is called with each one in order.
/// Loading checks every section this way, and only the sections that run are split into
/// [`Statement`]s (with their own text and position) by [`split_from_line`].
pub(crate) fn scan<'a>(
    sql: &'a str,
    origin: &Path,
    first_line: u32,
    mut found: impl FnMut(Found<'a>),
) -> Result<(), SplitError> {
    let position = |offset: usize| {
        let (line, column) = Cursor::new(sql, first_line).advance_to(offset);
        (origin.to_owned(), line, column)
    };
    let mut current = Pending::default();
    let mut head = Found {
        start: 0,
        end: 0,
        head: [(TokenKind::Other, ""); HEAD_TOKENS],
        head_len: 0,
    };
    for token in Lexer::new(sql) {
        let token = token.map_err(|error| unterminated(error, position))?;
        match token.kind {
            TokenKind::Comment => {}
            TokenKind::Backslash => return Err(meta_command(sql, token.start, position)),
            TokenKind::Semicolon if current.atomic_depth == 0 => {
                if let Some(statement) = finish(&mut current, &mut head) {
                    found(statement);
                }
            }
            kind => {
                let text = || &sql[token.start..token.end];
                current.note((kind == TokenKind::Word).then(text));
                let start = current.span.map_or(token.start, |(start, _)| start);
                current.span = Some((start, token.end));
                if head.head_len < HEAD_TOKENS {
                    head.head[head.head_len] = (kind, text());
                    head.head_len += 1;
                }
            }
        }
    }
    if let Some(statement) = finish(&mut current, &mut head) {
        found(statement);
    }
    Ok(())
}

/// The statement collected so far, if it has any significant token; both are reset.
fn finish<'a>(current: &mut Pending, head: &mut Found<'a>) -> Option<Found<'a>> {
    let pending = std::mem::take(current);
    let head_len = std::mem::take(&mut head.head_len);
    let (start, end) = pending.span?;
    Some(Found {
        start,
        end,
        head_len,
        ..*head
    })
}

type Position = (PathBuf, u32, u32);

fn meta_command(sql: &str, start: usize, position: impl Fn(usize) -> Position) -> SplitError {
    let (path, line, column) = position(start);
    let name: String = sql[start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .take(32)
        .collect();
    let command = format!("\\{name}");
    SplitError::MetaCommand {
        path,
        line,
        column,
        command,
    }
}

fn unterminated(error: Unterminated, position: impl Fn(usize) -> Position) -> SplitError {
    match error {
        Unterminated::String { start } | Unterminated::EscapeString { start } => {
            let (path, line, column) = position(start);
            SplitError::UnterminatedString { path, line, column }
        }
        Unterminated::Identifier { start } => {
            let (path, line, column) = position(start);
            SplitError::UnterminatedIdentifier { path, line, column }
        }
        Unterminated::DollarQuote { start, delimiter } => {
            let (path, line, column) = position(start);
            SplitError::UnterminatedDollarQuote {
                path,
                line,
                column,
                delimiter,
            }
        }
        Unterminated::BlockComment { start } => {
            let (path, line, column) = position(start);
            SplitError::UnterminatedComment { path, line, column }
        }
    }
}

/// The statement being collected: the span of its significant tokens and its routine-body state.
#[derive(Debug, Default)]
struct Pending {
    span: Option<(usize, usize)>,
    shape: Shape,
    after_begin: bool,
    atomic_depth: u32,
}

/// How far the statement's leading words match `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Shape {
    #[default]
    Start,
    Create,
    CreateOr,
    CreateOrReplace,
    Routine,
    Other,
}

impl Pending {
    /// Tracks `BEGIN ATOMIC … END` nesting; `word` is `None` for a significant non-word token.
    fn note(&mut self, word: Option<&str>) {
        let is = |keyword: &str| word.is_some_and(|word| word.eq_ignore_ascii_case(keyword));
        self.shape = match self.shape {
            Shape::Start if is("create") => Shape::Create,
            Shape::Create if is("or") => Shape::CreateOr,
            Shape::CreateOr if is("replace") => Shape::CreateOrReplace,
            Shape::Create | Shape::CreateOrReplace if is("function") || is("procedure") => {
                Shape::Routine
            }
            Shape::Routine => Shape::Routine,
            _ => Shape::Other,
        };
        if self.shape != Shape::Routine {
            return;
        }
        let opens = (self.after_begin && is("atomic")) || (self.atomic_depth > 0 && is("case"));
        if opens {
            self.atomic_depth += 1;
        } else if self.atomic_depth > 0 && is("end") {
            self.atomic_depth -= 1;
        }
        self.after_begin = is("begin");
    }
}

#[cfg(test)]
#[path = "split_tests.rs"]
mod tests;
