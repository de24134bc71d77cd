//! One SQL statement as sent to the server, and the way back from a server error to the file.
//!
//! PostgreSQL reports where a statement failed as a 1-based character offset into the text it
//! received. A statement remembers the file and position it was cut from, so that offset can be
//! turned into `file:line:column` and a caret under the source line — the difference between
//! "syntax error at position 4711" and an error a reader can act on.

use std::fmt::Write as _;
use std::path::PathBuf;

/// A statement cut from a revision file or a file it includes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The exact source text, from its first token to its last, without the closing `;`;
    /// comments inside it are kept.
    pub sql: String,
    /// The file the text came from: the revision file, or the included file.
    pub origin: PathBuf,
    /// The 1-based line of the statement's first character in `origin`.
    pub line: u32,
    /// The 1-based column (in characters) of the statement's first character.
    pub column: u32,
    /// The statement's position in its section, from 0 (includes expanded).
    pub index: usize,
}

/// A line and column in a statement's origin file, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourcePosition {
    /// The 1-based line.
    pub line: u32,
    /// The 1-based column, in characters.
    pub column: u32,
}

impl Statement {
    /// Where PostgreSQL's error `position` (a 1-based character offset into `sql`) is in the
    /// origin file; `None` when the position is outside the statement. One past the last
    /// character is accepted: the server uses it for "syntax error at end of input".
    pub fn source_position(&self, position: u32) -> Option<SourcePosition> {
        let target = usize::try_from(position).ok()?.checked_sub(1)?;
        let mut line = self.line;
        let mut column = self.column;
        let mut seen = 0;
        for char in self.sql.chars() {
            if seen == target {
                return Some(SourcePosition { line, column });
            }
            if char == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
            seen += 1;
        }
        (seen == target).then_some(SourcePosition { line, column })
    }

    /// The origin file's line holding `position`, and a caret under its column:
    ///
    /// ```text
    /// migrations/20261125T2130_add_view_count.sql:7:44
    ///    7 | ALTER TABLE episodes ADD COLUMN view_count bigintt;
    ///      |                                            ^
    /// ```
    ///
    /// Text before the statement on its first line belongs to another statement and shows as
    /// spaces. `None` when the position is outside the statement.
    pub fn render_position(&self, position: u32) -> Option<String> {
        let at = self.source_position(position)?;
        let source_line = self.source_line(at.line);
        let gutter = at.line.to_string().len().max(4);
        let caret_indent: String = source_line
            .chars()
            .take(usize::try_from(at.column).ok()?.saturating_sub(1))
            .map(|char| if char == '\t' { '\t' } else { ' ' })
            .collect();
        let mut out = String::new();
        let origin = self.origin.display();
        let _ = writeln!(out, "{origin}:{}:{}", at.line, at.column);
        let _ = writeln!(out, "{:>gutter$} | {source_line}", at.line);
        let _ = write!(out, "{:>gutter$} | {caret_indent}^", "");
        Some(out)
    }

    /// The text of origin line `line` as far as this statement knows it.
    fn source_line(&self, line: u32) -> String {
        let index = usize::try_from(line - self.line).unwrap_or(usize::MAX);
        let text = self.sql.split('\n').nth(index).unwrap_or("");
        if index == 0 {
            let indent = usize::try_from(self.column).unwrap_or(1).saturating_sub(1);
            format!("{}{text}", " ".repeat(indent))
        } else {
            text.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(sql: &str, line: u32, column: u32) -> Statement {
        Statement {
            sql: sql.to_owned(),
            origin: PathBuf::from("migrations/x.sql"),
            line,
            column,
            index: 0,
        }
    }

    #[test]
    fn positions_count_characters_from_the_statement_start() {
        let statement = statement("select 'é',\n  nope", 7, 5);
        let at = |position| {
            statement
                .source_position(position)
                .map(|p| (p.line, p.column))
        };
        assert_eq!(at(1), Some((7, 5)));
        assert_eq!(at(9), Some((7, 13)));
        assert_eq!(at(15), Some((8, 3)));
        assert_eq!(at(19), Some((8, 7)), "one past the end is the end of input");
        assert_eq!(at(20), None);
        assert_eq!(at(0), None);
    }

    #[test]
    fn the_caret_sits_under_the_failing_character() {
        let statement = statement("ALTER TABLE episodes\n  ADD COLUMN n bigintt", 3, 1);
        insta::assert_snapshot!(statement.render_position(37).unwrap(), @r"
        migrations/x.sql:4:16
           4 |   ADD COLUMN n bigintt
             |                ^
        ");
    }

    #[test]
    fn tabs_before_the_caret_are_kept_so_it_lines_up() {
        let statement = statement("x\n\tbad", 1, 1);
        let rendered = statement.render_position(4).unwrap();
        assert!(rendered.ends_with("| \t^"), "{rendered:?}");
    }

    #[test]
    fn text_before_the_statement_on_its_line_is_blank() {
        let statement = statement("selec 1", 2, 11);
        insta::assert_snapshot!(statement.render_position(1).unwrap(), @r"
        migrations/x.sql:2:11
           2 |           selec 1
             |           ^
        ");
    }
}
