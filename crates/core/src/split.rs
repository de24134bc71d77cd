//! SQL text cut into statements the way psql cuts it, each with the line and column it starts at.
//!
//! A `transaction: none` revision runs statement by statement, and every error should point at
//! the statement that failed, so a section's text is split here rather than sent whole. The cut
//! happens at a `;` outside quotes and comments (the lexer follows psql's scanner), except
//! inside the SQL-standard body of `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC …
//! END`, where semicolons separate the body's statements; `CASE … END` nests inside it. A
//! backslash outside quotes starts a psql meta-command (psql reads one anywhere on a line, not
//! only at its start), which the server would reject: it is refused here with a line and column
//! instead. The splitter is one pass over the text and never panics.

use std::path::{Path, PathBuf};

use crate::lexer::{Lexer, Token, TokenKind, Unterminated};
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
    let mut splitter = Splitter {
        sql,
        origin,
        cursor: Cursor::new(sql, first_line),
        current: Pending::default(),
        statements: Vec::new(),
    };
    for token in Lexer::new(sql) {
        let token = token.map_err(|error| splitter.unterminated(error))?;
        splitter.take(token)?;
    }
    splitter.finish_statement();
    Ok(splitter.statements)
}

struct Splitter<'a> {
    sql: &'a str,
    origin: &'a Path,
    cursor: Cursor<'a>,
    current: Pending,
    statements: Vec<Statement>,
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

impl Splitter<'_> {
    fn take(&mut self, token: Token) -> Result<(), SplitError> {
        match token.kind {
            TokenKind::Comment => {}
            TokenKind::Backslash => return Err(self.meta_command(token.start)),
            TokenKind::Semicolon if self.current.atomic_depth == 0 => self.finish_statement(),
            _ => {
                let word =
                    (token.kind == TokenKind::Word).then(|| &self.sql[token.start..token.end]);
                self.current.note(word);
                let start = self.current.span.map_or(token.start, |(start, _)| start);
                self.current.span = Some((start, token.end));
            }
        }
        Ok(())
    }

    fn finish_statement(&mut self) {
        let pending = std::mem::take(&mut self.current);
        let Some((start, end)) = pending.span else {
            return;
        };
        let (line, column) = self.cursor.advance_to(start);
        self.statements.push(Statement {
            sql: self.sql[start..end].to_owned(),
            origin: self.origin.to_owned(),
            line,
            column,
            index: self.statements.len(),
        });
    }

    fn position(&self, offset: usize) -> (PathBuf, u32, u32) {
        let (line, column) = self.cursor.clone().advance_to(offset);
        (self.origin.to_owned(), line, column)
    }

    fn meta_command(&self, start: usize) -> SplitError {
        let (path, line, column) = self.position(start);
        let name: String = self.sql[start + 1..]
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

    fn unterminated(&self, error: Unterminated) -> SplitError {
        match error {
            Unterminated::String { start } | Unterminated::EscapeString { start } => {
                let (path, line, column) = self.position(start);
                SplitError::UnterminatedString { path, line, column }
            }
            Unterminated::Identifier { start } => {
                let (path, line, column) = self.position(start);
                SplitError::UnterminatedIdentifier { path, line, column }
            }
            Unterminated::DollarQuote { start, delimiter } => {
                let (path, line, column) = self.position(start);
                SplitError::UnterminatedDollarQuote {
                    path,
                    line,
                    column,
                    delimiter,
                }
            }
            Unterminated::BlockComment { start } => {
                let (path, line, column) = self.position(start);
                SplitError::UnterminatedComment { path, line, column }
            }
        }
    }
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
