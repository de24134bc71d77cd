//! Server and client errors as one line of text, for messages that must stay on one line.
//!
//! tokio-postgres puts the server's message, detail and hint in separate fields, and a client
//! error's useful part (the OS error, the TLS alert) in its cause; these join them.

/// A PostgreSQL error on one line: the server's message with its detail and hint, or the
/// client-side error.
pub(crate) fn describe_pg(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = format!("{} (SQLSTATE {})", one_line(db.message()), db.code().code());
            if let Some(detail) = db.detail() {
                text.push_str(&format!("; detail: {}", one_line(detail)));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; hint: {}", one_line(hint)));
            }
            text
        }
        None => one_line(&with_causes(error)),
    }
}

/// An error's text followed by each of its causes': tokio-postgres puts the useful part (the
/// OS error, the TLS alert, the bad option) in the cause, not in its own Display.
pub(crate) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        text.push_str(": ");
        text.push_str(&current.to_string());
        cause = current.source();
    }
    text
}

/// Joins the lines of `text` with ` / ` so that a message stays on one line.
/// Joins a server text's lines; a final period goes, since `; ` follows in the joined message.
pub(crate) fn one_line(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let joined = lines.join(" / ");
    joined
        .strip_suffix('.')
        .map(str::to_owned)
        .unwrap_or(joined)
}

/// SQLSTATEs that mean the server ended the session, not that the request was wrong: class 08
/// (connection exception), and 57P01-57P03 (terminated by an administrator, crash shutdown,
/// cannot connect now).
pub(crate) fn connection_gone(sqlstate: &str) -> bool {
    sqlstate.starts_with("08") || matches!(sqlstate, "57P01" | "57P02" | "57P03")
}
