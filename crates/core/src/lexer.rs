//! Just enough of PostgreSQL's lexical rules to know where quotes, comments and words are.
//!
//! Splitting statements and spotting statements that cannot run in a transaction both need to
//! tell SQL apart from text that merely looks like SQL: a `;` inside `'…'`, a `CONCURRENTLY`
//! inside a comment. The rules follow psql's scanner (`psqlscan.l`): standard strings with `''`,
//! `E'…'` strings with backslash escapes, `"…"` identifiers, `$tag$…$tag$` dollar quotes (where
//! `$1` is a parameter and a `$` inside a word belongs to the word), `--` comments and nested
//! `/* … */` comments. The lexer works on bytes: every delimiter is ASCII, so every token
//! boundary is a character boundary, and each byte is looked at a bounded number of times.

/// What a token is; only the distinctions the splitter, the blocker check and a lint need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A keyword or unquoted identifier.
    Word,
    /// A `"quoted identifier"`.
    QuotedIdentifier,
    /// A string literal of any kind, dollar-quoted ones included.
    String,
    /// A `--` or `/* */` comment.
    Comment,
    /// `;`
    Semicolon,
    /// `(`
    OpenParen,
    /// `)`
    CloseParen,
    /// A backslash outside quotes: the start of a psql meta-command.
    Backslash,
    /// Anything else: numbers, operators, parameters, punctuation.
    Other,
}

/// One token: its kind and its byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Something opened and never closed; `start` is the byte offset of the opening delimiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unterminated {
    String { start: usize },
    EscapeString { start: usize },
    Identifier { start: usize },
    DollarQuote { start: usize, delimiter: String },
    BlockComment { start: usize },
}

/// An iterator over the tokens of `text`, whitespace skipped; it ends after the first error.
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            bytes: text.as_bytes(),
            position: 0,
        }
    }

    fn byte_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(offset).copied()
    }

    fn next_token(&mut self) -> Result<Token, Unterminated> {
        let start = self.position;
        let first = self.bytes[start];
        let next = self.byte_at(start + 1);
        let (kind, end) = match first {
            b'-' if next == Some(b'-') => (TokenKind::Comment, self.line_comment_end(start)),
            b'/' if next == Some(b'*') => (TokenKind::Comment, self.block_comment_end(start)?),
            b'\'' => (TokenKind::String, self.quoted_end(start, b'\'')?),
            b'"' => (TokenKind::QuotedIdentifier, self.quoted_end(start, b'"')?),
            b'$' => self.dollar(start)?,
            b';' => (TokenKind::Semicolon, start + 1),
            b'(' => (TokenKind::OpenParen, start + 1),
            b')' => (TokenKind::CloseParen, start + 1),
            b'\\' => (TokenKind::Backslash, start + 1),
            b'e' | b'E' if next == Some(b'\'') => (TokenKind::String, self.escape_end(start)?),
            byte if is_word_start(byte) => (TokenKind::Word, self.word_end(start)),
            byte if byte.is_ascii_digit() => (TokenKind::Other, self.number_end(start)),
            _ => (TokenKind::Other, start + 1),
        };
        self.position = end;
        Ok(Token { kind, start, end })
    }

    fn line_comment_end(&self, start: usize) -> usize {
        memchr(b'\n', &self.bytes[start..]).map_or(self.bytes.len(), |at| start + at)
    }

    fn block_comment_end(&self, start: usize) -> Result<usize, Unterminated> {
        let mut depth = 0usize;
        let mut at = start;
        while at + 1 < self.bytes.len() {
            match (self.bytes[at], self.bytes[at + 1]) {
                (b'/', b'*') => {
                    depth += 1;
                    at += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    at += 2;
                    if depth == 0 {
                        return Ok(at);
                    }
                }
                _ => at += 1,
            }
        }
        Err(Unterminated::BlockComment { start })
    }

    /// The end of `'…'` or `"…"`, where a doubled quote stands for itself.
    fn quoted_end(&self, start: usize, quote: u8) -> Result<usize, Unterminated> {
        let mut at = start + 1;
        while let Some(found) = memchr(quote, &self.bytes[at..]) {
            at += found + 1;
            if self.byte_at(at) != Some(quote) {
                return Ok(at);
            }
            at += 1;
        }
        Err(match quote {
            b'"' => Unterminated::Identifier { start },
            _ => Unterminated::String { start },
        })
    }

    /// The end of `E'…'`, where a backslash escapes the next byte and `''` stands for `'`.
    fn escape_end(&self, start: usize) -> Result<usize, Unterminated> {
        let mut at = start + 2;
        while let Some(byte) = self.byte_at(at) {
            match byte {
                b'\\' => at += 2,
                b'\'' if self.byte_at(at + 1) == Some(b'\'') => at += 2,
                b'\'' => return Ok(at + 1),
                _ => at += 1,
            }
        }
        Err(Unterminated::EscapeString { start })
    }

    /// A dollar-quoted string, a `$1` parameter, or a lone `$`.
    fn dollar(&self, start: usize) -> Result<(TokenKind, usize), Unterminated> {
        let after = start + 1;
        match self.byte_at(after) {
            Some(byte) if byte.is_ascii_digit() => {
                let digits = self.bytes[after..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit());
                return Ok((TokenKind::Other, after + digits.count()));
            }
            Some(b'$') => return self.dollar_body(start, after + 1),
            Some(byte) if is_word_start(byte) => {}
            _ => return Ok((TokenKind::Other, after)),
        }
        let tag_len = self.bytes[after..]
            .iter()
            .take_while(|&&b| is_word_start(b) || b.is_ascii_digit())
            .count();
        match self.byte_at(after + tag_len) {
            Some(b'$') => self.dollar_body(start, after + tag_len + 1),
            // psql's `dolqfailed`: the `$` is a character of its own and the tag a word.
            _ => Ok((TokenKind::Other, after)),
        }
    }

    /// The end of a dollar-quoted body whose opening delimiter is `start..body`.
    fn dollar_body(&self, start: usize, body: usize) -> Result<(TokenKind, usize), Unterminated> {
        let delimiter = &self.text[start..body];
        match self.text[body..].find(delimiter) {
            Some(found) => Ok((TokenKind::String, body + found + delimiter.len())),
            None => Err(Unterminated::DollarQuote {
                start,
                delimiter: delimiter.to_owned(),
            }),
        }
    }

    fn word_end(&self, start: usize) -> usize {
        let rest = &self.bytes[start..];
        start + rest.iter().take_while(|&&b| is_word_continue(b)).count()
    }

    /// Numbers swallow trailing letters (`1e5`, `0x1F`) so that `1$$` cannot start a quote early.
    fn number_end(&self, start: usize) -> usize {
        let rest = &self.bytes[start..];
        let is_number_byte = |b: &&u8| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'.';
        start + rest.iter().take_while(is_number_byte).count()
    }
}

impl Iterator for Lexer<'_> {
    type Item = Result<Token, Unterminated>;

    fn next(&mut self) -> Option<Self::Item> {
        let whitespace = self.bytes[self.position..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        self.position += whitespace;
        if self.position >= self.bytes.len() {
            return None;
        }
        let token = self.next_token();
        if token.is_err() {
            self.position = self.bytes.len();
        }
        Some(token)
    }
}

/// The tokens of `text` that are not comments, with their text; the iteration stops before an
/// unterminated one (the splitter reports those).
pub(crate) fn significant_tokens(text: &str) -> impl Iterator<Item = (TokenKind, &str)> {
    Lexer::new(text)
        .map_while(Result::ok)
        .filter(|token| token.kind != TokenKind::Comment)
        .map(|token| (token.kind, &text[token.start..token.end]))
}

/// A token as patterns match it: a word uppercased, anything else as written, so that a quoted
/// `"VACUUM"` or a `'VACUUM'` string keeps its quotes and never matches a keyword.
pub(crate) fn keyword(kind: TokenKind, text: &str) -> String {
    match kind {
        TokenKind::Word => text.to_ascii_uppercase(),
        _ => text.to_owned(),
    }
}

/// Letters, `_`, and every byte of a non-ASCII character (PostgreSQL's `ident_start`).
fn is_word_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80
}

fn is_word_continue(byte: u8) -> bool {
    is_word_start(byte) || byte.is_ascii_digit() || byte == b'$'
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&byte| byte == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(text)
            .map(|token| token.unwrap())
            .map(|token| (token.kind, &text[token.start..token.end]))
            .collect()
    }

    #[test]
    fn quotes_comments_and_words_are_told_apart() {
        use TokenKind::*;
        assert_eq!(
            kinds("select 'a;''b' -- c;\n\"d;\" /* /* e; */ */ $1 x$y $t$ f; $t$ E'\\';';"),
            [
                (Word, "select"),
                (String, "'a;''b'"),
                (Comment, "-- c;"),
                (QuotedIdentifier, "\"d;\""),
                (Comment, "/* /* e; */ */"),
                (Other, "$1"),
                (Word, "x$y"),
                (String, "$t$ f; $t$"),
                (String, "E'\\';'"),
                (Semicolon, ";"),
            ]
        );
    }

    #[test]
    fn a_failed_dollar_tag_is_a_lone_dollar() {
        use TokenKind::*;
        assert_eq!(kinds("$a b"), [(Other, "$"), (Word, "a"), (Word, "b")]);
    }

    #[test]
    fn unterminated_tokens_report_where_they_opened() {
        let error = Lexer::new("x 'abc").find_map(Result::err);
        assert_eq!(error, Some(Unterminated::String { start: 2 }));
        let error = Lexer::new("/* /* */").find_map(Result::err);
        assert_eq!(error, Some(Unterminated::BlockComment { start: 0 }));
        let error = Lexer::new("E'\\'").find_map(Result::err);
        assert_eq!(error, Some(Unterminated::EscapeString { start: 0 }));
    }
}
