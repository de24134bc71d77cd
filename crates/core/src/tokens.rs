//! SQL text as tokens, for crates that must tell SQL apart from comments and strings.
//!
//! The lexer that splits statements and spots transaction blockers stays private; this is the
//! small public view of it that `check`'s locking-hazard lint needs, so that a lint matches
//! keywords, never substrings: `-- create index` in a comment and `'not null'` in a string are
//! a comment and a string, not SQL. Tokens carry their 1-based line so that a comment can be
//! tied to the statement on the line below it.

use crate::lexer::Lexer;

/// What a token is: the lexer's own distinctions, so that the lint and the splitter can never
/// disagree about what is a comment or a string.
pub use crate::lexer::TokenKind as SqlTokenKind;

/// One token of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlToken<'a> {
    /// What it is.
    pub kind: SqlTokenKind,
    /// Its exact text, quotes and comment markers included.
    pub text: &'a str,
    /// Its byte offset in the text.
    pub start: usize,
    /// The 1-based line it starts on, counted in the text given.
    pub line: u32,
}

impl SqlToken<'_> {
    /// Whether this is the unquoted word `keyword`, compared case-insensitively.
    pub fn is_word(&self, keyword: &str) -> bool {
        self.kind == SqlTokenKind::Word && self.text.eq_ignore_ascii_case(keyword)
    }

    /// The name the token stands for when it is an identifier: a word folded to lower case
    /// (as PostgreSQL folds it), a quoted identifier unquoted; `None` for any other token.
    pub fn identifier(&self) -> Option<String> {
        match self.kind {
            SqlTokenKind::Word => Some(self.text.to_ascii_lowercase()),
            SqlTokenKind::QuotedIdentifier => {
                let inner = &self.text[1..self.text.len().saturating_sub(1).max(1)];
                Some(inner.replace("\"\"", "\""))
            }
            _ => None,
        }
    }
}

/// The tokens of `sql`, whitespace skipped; the iteration stops before an unterminated
/// string, identifier, dollar quote or comment (the splitter reports those).
pub fn tokenize(sql: &str) -> impl Iterator<Item = SqlToken<'_>> {
    let mut line = 1u32;
    let mut counted = 0usize;
    Lexer::new(sql).map_while(Result::ok).map(move |token| {
        let newlines = sql.as_bytes()[counted..token.start]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count();
        line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        counted = token.start;
        SqlToken {
            kind: token.kind,
            text: &sql[token.start..token.end],
            start: token.start,
            line,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_strings_are_not_words_and_lines_count() {
        let sql = "-- create index\nSELECT 'not null',\n  \"Odd\"\"Name\" /* x\n y */ FROM t;";
        let tokens: Vec<SqlToken<'_>> = tokenize(sql).collect();
        let words: Vec<&str> = tokens
            .iter()
            .filter(|token| token.kind == SqlTokenKind::Word)
            .map(|token| token.text)
            .collect();
        assert_eq!(words, ["SELECT", "FROM", "t"]);
        assert_eq!(tokens[0].kind, SqlTokenKind::Comment);
        assert_eq!(tokens[0].line, 1);
        assert_eq!(tokens[1].line, 2);
        assert_eq!(tokens[4].identifier().as_deref(), Some("Odd\"Name"));
        assert_eq!(tokens[4].line, 3);
        assert_eq!(tokens[6].line, 4, "after a comment spanning two lines");
        assert!(tokens[1].is_word("select"));
        assert!(!tokens[2].is_word("not"));
    }

    #[test]
    fn tokens_stop_before_an_unterminated_quote() {
        let kinds: Vec<SqlTokenKind> = tokenize("a 'b").map(|token| token.kind).collect();
        assert_eq!(kinds, [SqlTokenKind::Word]);
    }
}
