//! What varies from one run of a scenario to the next, replaced by placeholders a reader
//! recognises as such, and nothing else.

/// Where a database URL printed by the binary is replaced: a readable URL of the same shape.
pub const URL_PLACEHOLDER: &str = "postgresql://postgres@localhost/clipdex";

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

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn the_placeholders_replace_only_what_varies() {
        let printed = "applied af9a37e3eebf  migrations/x.sql  (27 ms)\n\
            af9a37e3eebf  upgrade  2026-11-26T00:35:18.368035Z  3 ms  by postgres\n\
            held by clipdex-migrate/0.1.0 pid 4242 (connected since 2026-11-26T00:35:18Z)\n\
            gave up after 0.5 s waiting; 5 statements, 2 heads\n\
            database postgresql://postgres@%2Ftmp%2Fx:5432/test_17?sslmode=prefer, 10000ms\n";
        let expected = "applied af9a37e3eebf  migrations/x.sql  (… ms)\n\
            af9a37e3eebf  upgrade  YYYY-MM-DDThh:mm:ss.ffffffZ  … ms  by postgres\n\
            held by clipdex-migrate/0.1.0 pid … (connected since YYYY-MM-DDThh:mm:ssZ)\n\
            gave up after … s waiting; 5 statements, 2 heads\n\
            database postgresql://postgres@localhost/clipdex, 10000ms\n";
        assert_eq!(normalise(printed, &[]), expected);
    }
}
