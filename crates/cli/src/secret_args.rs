//! Command-line text that may hold a password: a URL argument that never shows itself, and a
//! rejected command line printed with every password scrubbed out.
//!
//! Clap quotes rejected arguments in its errors, and a URL typed in the wrong place may hold a
//! password; so does a `{:?}` of the parsed arguments. Neither may reach any output as typed.

use std::fmt;
use std::str::FromStr;

use crate::diagnostic::{Diagnostic, Problem};
use crate::exit::Exit;
use crate::output::{Chatter, Format, Output};

/// A database URL from the command line; `Debug` hides it, and nothing prints it raw.
#[derive(Clone)]
pub struct UrlArg(pub String);

impl FromStr for UrlArg {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<UrlArg, Self::Err> {
        Ok(UrlArg(text.to_owned()))
    }
}

impl fmt::Debug for UrlArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UrlArg(<hidden>)")
    }
}

/// Prints a command line clap rejected (or `--help`/`--version`) and gives its exit code.
/// With `--json` anywhere on the line, a usage error is the usual JSON error document. Clap
/// quotes rejected arguments, and a URL typed in the wrong place may hold a password: the
/// text is scrubbed first.
pub fn usage_failure(error: &clap::Error) -> std::process::ExitCode {
    let code = u8::try_from(error.exit_code()).unwrap_or(2);
    if !error.use_stderr() {
        let _ = error.print();
        return std::process::ExitCode::from(code);
    }
    let rendered = scrub_passwords(&error.render().to_string());
    if !std::env::args().any(|arg| arg == "--json") {
        eprint!("{rendered}");
        return std::process::ExitCode::from(code);
    }
    let first = rendered.lines().next().unwrap_or("invalid command line");
    let message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    let diagnostic = Diagnostic::single(Exit::Usage, Problem::at(message, None));
    Output::new(Format::Json, Chatter::Normal).error(&diagnostic);
    Exit::Usage.into()
}

/// `text` with the password of any `scheme://user:PASSWORD@` and any `password=VALUE` shown
/// as `***`.
fn scrub_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority_end = after
            .find(['/', '?', ' ', '\'', '\n'])
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at_sign), Some(colon)) if colon < at_sign => {
                out.push_str(&authority[..=colon]);
                out.push_str("***");
                out.push_str(&authority[at_sign..]);
            }
            _ => out.push_str(authority),
        }
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    scrub_key_value(&out)
}

/// `password=VALUE` (libpq's key=value form) with the value shown as `***`.
fn scrub_key_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("password=") {
        let (before, after) = rest.split_at(at + "password=".len());
        out.push_str(before);
        out.push_str("***");
        let end = after.find([' ', '\'', '\n']).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_rejected_arguments_are_scrubbed() {
        let text = "error: unexpected argument 'postgresql://app:s3cr3t@db:5432/x?a=b' found";
        let scrubbed = scrub_passwords(text);
        assert_eq!(
            scrubbed,
            "error: unexpected argument 'postgresql://app:***@db:5432/x?a=b' found"
        );
        let text = "unexpected 'host=h password=s3cr3t user=u' and postgresql://h/d";
        assert_eq!(
            scrub_passwords(text),
            "unexpected 'host=h password=*** user=u' and postgresql://h/d"
        );
    }
}
