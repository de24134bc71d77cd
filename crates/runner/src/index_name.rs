//! The index a `CREATE INDEX CONCURRENTLY` statement builds, so its validity can be checked.
//!
//! A concurrent build that fails part way leaves an INVALID index behind, and one written
//! `IF NOT EXISTS` "succeeds" against such a leftover without building anything. Both look like
//! success or a plain error unless someone reads `pg_index.indisvalid`. Only the name is
//! needed, so this reads tokens up to `ON` and no further.

/// The index name as written (quotes kept, so `to_regclass` resolves it the way the statement
/// did), or `None` for an unnamed index or another statement.
pub(crate) fn concurrently_built_index(sql: &str) -> Option<String> {
    let tokens = tokens(sql);
    let words: Vec<String> = tokens
        .iter()
        .map(|token| token.to_ascii_uppercase())
        .collect();
    let mut at = match words.get(..3)? {
        [create, index, concurrently]
            if create == "CREATE" && index == "INDEX" && concurrently == "CONCURRENTLY" =>
        {
            3
        }
        _ if words.get(..4)? == ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"] => 4,
        _ => return None,
    };
    if words.get(at..at + 3)? == ["IF", "NOT", "EXISTS"] {
        at += 3;
    }
    let mut name = String::new();
    while let Some(token) = tokens.get(at) {
        if words[at] == "ON" && !token.starts_with('"') {
            break;
        }
        name.push_str(token);
        at += 1;
    }
    (!name.is_empty()).then_some(name)
}

/// Words, quoted identifiers and single punctuation characters; comments and space skipped.
fn tokens(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < chars.len() && tokens.len() < 16 {
        let start = at;
        match chars[at] {
            c if c.is_whitespace() => at += 1,
            '-' if chars.get(at + 1) == Some(&'-') => {
                while at < chars.len() && chars[at] != '\n' {
                    at += 1;
                }
            }
            '/' if chars.get(at + 1) == Some(&'*') => at = skip_block_comment(&chars, at),
            '"' => {
                at += 1;
                while at < chars.len() {
                    let doubled = chars[at] == '"' && chars.get(at + 1) == Some(&'"');
                    at += if doubled { 2 } else { 1 };
                    if !doubled && chars[at - 1] == '"' {
                        break;
                    }
                }
                tokens.push(chars[start..at].iter().collect());
            }
            c if c.is_alphanumeric() || c == '_' => {
                while at < chars.len() && (chars[at].is_alphanumeric() || "_$".contains(chars[at]))
                {
                    at += 1;
                }
                tokens.push(chars[start..at].iter().collect());
            }
            c => {
                at += 1;
                tokens.push(c.to_string());
            }
        }
    }
    tokens
}

/// The index after a (nested) `/* … */` comment starting at `at`.
fn skip_block_comment(chars: &[char], mut at: usize) -> usize {
    let mut depth = 0;
    while at < chars.len() {
        match (chars[at], chars.get(at + 1)) {
            ('/', Some('*')) => {
                depth += 1;
                at += 2;
            }
            ('*', Some('/')) => {
                depth -= 1;
                at += 2;
                if depth == 0 {
                    return at;
                }
            }
            _ => at += 1,
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::concurrently_built_index as name;

    #[test]
    fn names_are_found_as_written() {
        assert_eq!(
            name("CREATE INDEX CONCURRENTLY i ON t (a)").as_deref(),
            Some("i")
        );
        assert_eq!(
            name("create unique index concurrently if not exists \"My\"\"Ix\" on t (a)").as_deref(),
            Some("\"My\"\"Ix\"")
        );
        assert_eq!(
            name("CREATE INDEX /* x */ CONCURRENTLY -- y\n s.i ON t (a)").as_deref(),
            Some("s.i")
        );
    }

    #[test]
    fn unnamed_indexes_and_other_statements_have_none() {
        assert_eq!(name("CREATE INDEX CONCURRENTLY ON t (a)"), None);
        assert_eq!(name("CREATE INDEX i ON t (a)"), None);
        assert_eq!(name("VACUUM t"), None);
    }
}
