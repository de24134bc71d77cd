//! `.env` in the project root, read for `DATABASE_URL` only, as sqlx and dbmate read it.
//!
//! Projects keep their local database URL there; a tool that ignores it connects somewhere
//! else than the application does. The file is parsed by `dotenvy` (quotes, `export`,
//! `${VAR}` substitution) but only `DATABASE_URL` is taken from it, and never when the real
//! environment has one: the process's variables always win. Nothing is exported into the
//! process. A line that does not parse is an error naming the file and the line, never its
//! text: a `.env` holds secrets.

use std::path::{Path, PathBuf};

use crate::error::UsageError;

/// The file's name, in the project root.
pub const FILE_NAME: &str = ".env";

/// `DATABASE_URL` as `root/.env` sets it, with the file, when it does.
pub fn database_url(root: &Path, variable: &str) -> Result<Option<(String, PathBuf)>, UsageError> {
    let file = root.join(FILE_NAME);
    let entries = match dotenvy::from_path_iter(&file) {
        Ok(entries) => entries,
        Err(dotenvy::Error::Io(error)) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(None);
        }
        Err(error) => return Err(unreadable(&file, &error)),
    };
    let mut found = None;
    for entry in entries {
        let (key, value) = entry.map_err(|error| unreadable(&file, &error))?;
        if key == variable {
            found = Some(value); // the last assignment wins, as when the file is sourced
        }
    }
    Ok(found
        .filter(|value| !value.trim().is_empty())
        .map(|value| (value, file)))
}

/// One line naming the file (and the line, when the parser says which), never its text.
fn unreadable(file: &Path, error: &dotenvy::Error) -> UsageError {
    let place = match error {
        dotenvy::Error::LineParse(text, _) => match line_of(file, text) {
            Some(line) => format!("{}:{line}", file.display()),
            None => file.display().to_string(),
        },
        _ => file.display().to_string(),
    };
    let reason = match error {
        dotenvy::Error::LineParse(..) => "not a KEY=VALUE line".to_owned(),
        dotenvy::Error::Io(error) => error.to_string(),
        dotenvy::Error::EnvVar(_) => "a substitution names a variable that is not UTF-8".to_owned(),
        _ => "cannot be read".to_owned(),
    };
    UsageError(format!(
        "{place}: {reason} (clipdex-migrate reads DATABASE_URL from it)"
    ))
}

/// The 1-based line where `text` (the parser's copy of a bad line) starts.
fn line_of(file: &Path, text: &str) -> Option<usize> {
    let content = std::fs::read_to_string(file).ok()?;
    let first = text.lines().next()?.trim_end();
    content
        .lines()
        .position(|line| line.trim_end() == first)
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_dir(text: &str) -> (tempfile::TempDir, Result<Option<String>, String>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
        let read = database_url(dir.path(), "DATABASE_URL")
            .map(|found| found.map(|(url, _)| url))
            .map_err(|error| error.to_string());
        (dir, read)
    }

    #[test]
    fn only_database_url_is_taken_with_dotenv_quoting() {
        let text = "# local\nexport OTHER=1\nDATABASE_URL=\"postgresql://app:p w@localhost/app\"\n";
        let (_dir, read) = in_dir(text);
        assert_eq!(
            read.unwrap().as_deref(),
            Some("postgresql://app:p w@localhost/app")
        );
        let (_dir, read) = in_dir("OTHER=1\n");
        assert_eq!(read.unwrap(), None);
        let missing = tempfile::tempdir().unwrap();
        assert!(
            database_url(missing.path(), "DATABASE_URL")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_bad_line_is_named_by_number_never_quoted() {
        let (dir, read) = in_dir("A=1\nDATABASE_URL='postgresql://u:Secret-9@h/d\nB=2\n");
        let error = read.unwrap_err();
        let file = dir.path().join(FILE_NAME);
        assert!(
            error.starts_with(&format!("{}:", file.display())),
            "{error}"
        );
        assert!(!error.contains("Secret-9"), "{error}");
    }
}
