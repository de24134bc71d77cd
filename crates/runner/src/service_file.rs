//! Connection service files (`pg_service.conf`), read as libpq reads them.
//!
//! The user's file (`PGSERVICEFILE`, else `~/.pg_service.conf`) is searched first, then the
//! system's (`PGSYSCONFDIR/pg_service.conf`, else Debian's and Ubuntu's
//! `/etc/postgresql-common/pg_service.conf`); the first that has the service wins. A file is an
//! INI: `[name]` starts a service, `keyword=value` lines set its keywords (taken literally,
//! without quotes), `#` starts a comment. As in libpq, only the lines of the wanted service are
//! checked, a service cannot name another, and a service that no file has is an error.
//! Errors name the file, the line and the keyword, never a value: it may be a password.

use std::path::{Path, PathBuf};

use crate::connection_error::UrlError;
use crate::environment::Environment;
use crate::keywords::KEYWORDS;

/// The system directory when `PGSYSCONFDIR` is unset: where Debian's libpq looks.
const DEFAULT_SYSCONFDIR: &str = "/etc/postgresql-common";

/// One service's settings, in file order.
pub(crate) struct Service {
    pub name: String,
    pub file: PathBuf,
    pub settings: Vec<(String, String)>,
}

/// The service `name` from the first file that has it.
pub(crate) fn find(name: &str, env: &Environment) -> Result<Service, UrlError> {
    let files = candidates(env);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue; // libpq skips a file it cannot read
        };
        if let Some(settings) = read_service(&text, name, file)? {
            let (name, file) = (name.to_owned(), file.clone());
            return Ok(Service {
                name,
                file,
                settings,
            });
        }
    }
    Err(UrlError::ServiceNotFound {
        name: name.to_owned(),
        searched: files,
    })
}

/// The user's file, then the system's.
fn candidates(env: &Environment) -> Vec<PathBuf> {
    let user = match env.get("PGSERVICEFILE") {
        Some(file) => Some(PathBuf::from(file)),
        None => env.home().map(|home| home.join(".pg_service.conf")),
    };
    let system_dir = env.get("PGSYSCONFDIR").unwrap_or(DEFAULT_SYSCONFDIR);
    let system = Path::new(system_dir).join("pg_service.conf");
    user.into_iter().chain([system]).collect()
}

/// The settings of service `name` in `text`, or `None` when the file does not have it.
fn read_service(
    text: &str,
    name: &str,
    file: &Path,
) -> Result<Option<Vec<(String, String)>>, UrlError> {
    let mut found = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(group) = line.strip_prefix('[') {
            if found.is_some() {
                break; // the next service starts
            }
            if group.strip_suffix(']') == Some(name) {
                found = Some(Vec::new());
            }
            continue;
        }
        let Some(settings) = found.as_mut() else {
            continue;
        };
        let problem = |reason: String| UrlError::ServiceFile {
            file: file.to_owned(),
            line: index + 1,
            reason,
        };
        let Some((keyword, value)) = line.split_once('=') else {
            let reason = format!("expected keyword=value in service `{name}`");
            return Err(problem(reason));
        };
        check_keyword(keyword, name).map_err(problem)?;
        settings.push((keyword.to_owned(), value.to_owned()));
    }
    Ok(found)
}

/// Why `keyword` cannot appear in service `name`, if it cannot.
fn check_keyword(keyword: &str, name: &str) -> Result<(), String> {
    if keyword == "service" {
        return Err(format!(
            "service `{name}` names another service, which libpq does not allow"
        ));
    }
    if KEYWORDS.iter().any(|(known, _)| *known == keyword) {
        return Ok(());
    }
    Err(format!(
        "`{keyword}` in service `{name}` is not a connection keyword clipdex-migrate supports"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# services
[other]
host=elsewhere
bogus line in another service is not read

[prod]
  host=db.example
port=6543
password=pw=with=equals # not a comment
[next]
host=next
";

    #[test]
    fn only_the_wanted_service_is_read_and_values_are_literal() {
        let settings = read_service(FILE, "prod", Path::new("s.conf")).unwrap();
        let settings = settings.unwrap();
        let expected = [
            ("host", "db.example"),
            ("port", "6543"),
            ("password", "pw=with=equals # not a comment"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(settings, expected);
        assert_eq!(read_service(FILE, "absent", Path::new("s")).unwrap(), None);
    }

    #[test]
    fn errors_name_the_file_line_and_keyword_but_never_the_value() {
        let text = "[s]\nhost=h\nsslpassword=Secret-77\n";
        let error = read_service(text, "s", Path::new("svc.conf")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "svc.conf:3: `sslpassword` in service `s` is not a connection keyword clipdex-migrate supports"
        );
        let nested = read_service("[s]\nservice=t\n", "s", Path::new("f")).unwrap_err();
        assert!(
            nested
                .to_string()
                .starts_with("f:2: service `s` names another service")
        );
        let broken = read_service("[s]\nSecret-77\n", "s", Path::new("f")).unwrap_err();
        assert!(!broken.to_string().contains("Secret-77"), "{broken}");
    }

    #[test]
    fn the_user_file_comes_before_the_system_file() {
        let env = Environment::from_pairs([("HOME", "/home/u"), ("PGSYSCONFDIR", "/etc/pg")]);
        assert_eq!(
            candidates(&env),
            [
                PathBuf::from("/home/u/.pg_service.conf"),
                PathBuf::from("/etc/pg/pg_service.conf")
            ]
        );
        let env = Environment::from_pairs([("PGSERVICEFILE", "/srv/s.conf")]);
        assert_eq!(
            candidates(&env),
            [
                PathBuf::from("/srv/s.conf"),
                PathBuf::from("/etc/postgresql-common/pg_service.conf")
            ]
        );
    }
}
