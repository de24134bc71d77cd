//! The password file (`~/.pgpass`, `passfile`, `PGPASSFILE`), read as libpq reads it.
//!
//! It is consulted only when no layer gave a password. Each line is
//! `hostname:port:database:username:password`, `*` matching anything in the first four fields
//! and `\` escaping `:` and `\`; the first line that matches wins. A socket directory is
//! matched as `localhost` when it is the default one, as libpq does. On Unix a file that the
//! group or others may read is ignored with libpq's warning, and so is anything that is not a
//! plain file: a password readable by others is a leaked one.

use std::path::Path;

/// What a connection is looked up by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lookup {
    pub host: String,
    pub port: String,
    pub database: String,
    pub user: String,
}

/// What reading the file gave.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PassFile {
    /// No file, or no line that matches.
    NoMatch,
    /// The password of the first line that matches one of the lookups.
    Password(String),
    /// The file was ignored, and the warning says why.
    Ignored(String),
}

/// The password for the first of `lookups` that a line of `file` matches.
pub(crate) fn password_for(file: &Path, lookups: &[Lookup]) -> PassFile {
    let Ok(metadata) = std::fs::metadata(file) else {
        return PassFile::NoMatch;
    };
    if let Some(warning) = unsafe_file(file, &metadata) {
        return PassFile::Ignored(warning);
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return PassFile::NoMatch;
    };
    let entries: Vec<[String; 5]> = text.lines().filter_map(entry).collect();
    for lookup in lookups {
        let wanted = [&lookup.host, &lookup.port, &lookup.database, &lookup.user];
        let matching = entries.iter().find(|fields| {
            fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value)
        });
        if let Some(fields) = matching {
            return PassFile::Password(fields[4].clone());
        }
    }
    PassFile::NoMatch
}

/// libpq's two warnings: not a plain file, or readable by group or others (Unix only).
fn unsafe_file(file: &Path, metadata: &std::fs::Metadata) -> Option<String> {
    if !metadata.is_file() {
        return Some(format!(
            "password file \"{}\" is not a plain file",
            file.display()
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o077 != 0 {
            return Some(format!(
                "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
                file.display()
            ));
        }
    }
    None
}

/// The five fields of a line, unescaped; comments, blank and short lines give none.
fn entry(line: &str) -> Option<[String; 5]> {
    let line = line.trim_end_matches('\r');
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut()?.extend(chars.next()),
            // The fifth field, the password, may hold unescaped colons.
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    fields.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(host: &str, port: &str, database: &str, user: &str) -> Lookup {
        Lookup {
            host: host.into(),
            port: port.into(),
            database: database.into(),
            user: user.into(),
        }
    }

    fn write(dir: &Path, text: &str, mode: u32) -> std::path::PathBuf {
        let file = dir.join("pgpass");
        std::fs::write(&file, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        let _ = mode;
        file
    }

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# comment\n\
                    db.example:5432:app:alice:first\n\
                    *:*:*:alice:wild\\:card\n\
                    we\\:ird:5432:*:bob:pw:with:colons\n\
                    short:line\n";
        let file = write(dir.path(), text, 0o600);
        let found = |lookup| password_for(&file, &[lookup]);
        let first = found(lookup("db.example", "5432", "app", "alice"));
        assert_eq!(first, PassFile::Password("first".into()));
        let wild = found(lookup("other", "6543", "x", "alice"));
        assert_eq!(wild, PassFile::Password("wild:card".into()));
        let colons = found(lookup("we:ird", "5432", "db", "bob"));
        assert_eq!(colons, PassFile::Password("pw:with:colons".into()));
        assert_eq!(found(lookup("h", "1", "d", "carol")), PassFile::NoMatch);
        let missing = password_for(&dir.path().join("absent"), &[]);
        assert_eq!(missing, PassFile::NoMatch);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_read_is_ignored_with_libpqs_warning() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "*:*:*:*:secret\n", 0o640);
        let PassFile::Ignored(warning) = password_for(&file, &[lookup("h", "1", "d", "u")]) else {
            panic!("a group-readable password file was used");
        };
        assert!(
            warning
                .ends_with("has group or world access; permissions should be u=rw (0600) or less"),
            "{warning}"
        );
        let directory = password_for(dir.path(), &[]);
        assert!(matches!(directory, PassFile::Ignored(w) if w.ends_with("is not a plain file")));
    }
}
