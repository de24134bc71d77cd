//! Finding the PostgreSQL server binaries (`initdb`, `pg_ctl`, `postgres`).
//!
//! Distributions put them in different places: on PATH (Homebrew, Nix, a source build),
//! behind `pg_config --bindir`, or, on Debian and Ubuntu, under `/usr/lib/postgresql/<major>/bin`
//! and nowhere on PATH. `CLIPDEX_PG_BINDIR` overrides the search and is authoritative: when it
//! is set but wrong, that is an error rather than a silent fall-back to some other version —
//! which also gives tests a clean way to force "no binaries".

use std::ffi::OsString;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::LocalPgError;

/// Environment variable naming the directory that holds `initdb`; it disables the search.
pub const BINDIR_ENV: &str = "CLIPDEX_PG_BINDIR";

/// The binaries a throwaway cluster needs; the directory holding them also holds `psql`.
const SERVER_TOOLS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// Where Debian-style packages install one directory per major version.
const DISTRO_ROOT: &str = "/usr/lib/postgresql";

/// The search of [`crate::pg_bin_dir`], reading the real environment.
pub(crate) fn find() -> Result<PathBuf, LocalPgError> {
    find_with(&|key| std::env::var_os(key), Path::new(DISTRO_ROOT))
}

/// The search, with the environment and the distribution root injected (for tests).
fn find_with(
    env: &dyn Fn(&str) -> Option<OsString>,
    distro_root: &Path,
) -> Result<PathBuf, LocalPgError> {
    if let Some(dir) = env(BINDIR_ENV).filter(|dir| !dir.is_empty()) {
        let dir = PathBuf::from(dir);
        return match has_server_tools(&dir) {
            true => Ok(dir),
            false => Err(LocalPgError::NoBinaries {
                searched: format!(
                    "{BINDIR_ENV}={} does not hold initdb, pg_ctl and postgres",
                    dir.display()
                ),
            }),
        };
    }
    let path = env("PATH").unwrap_or_default();
    from_path(&path)
        .or_else(|| from_pg_config(&path))
        .or_else(|| highest_distro_version(distro_root))
        .ok_or_else(|| LocalPgError::NoBinaries {
            searched: format!(
                "no initdb on PATH, no pg_config on PATH, nothing under {}/*/bin",
                distro_root.display()
            ),
        })
}

/// A client program (`psql`, `pg_dump`): beside the server binaries when they ship it, else the
/// first on PATH, else in the highest `/usr/lib/postgresql/*/bin` that has it. Server binaries
/// of other versions (npm's packages) ship no client; the system's `psql` talks to any server.
pub(crate) fn client_tool(name: &str) -> Result<PathBuf, LocalPgError> {
    let beside_server = find().ok().map(|dir| dir.join(name));
    let path = std::env::var_os("PATH").unwrap_or_default();
    beside_server
        .filter(|tool| is_executable(tool))
        .or_else(|| find_on_path(&path, name))
        .or_else(|| highest_distro_tool(Path::new(DISTRO_ROOT), name))
        .ok_or_else(|| LocalPgError::NoBinaries {
            searched: format!(
                "no {name} beside the server binaries, on PATH or under {DISTRO_ROOT}/*/bin"
            ),
        })
}

/// `<root>/<major>/bin/<name>` of the highest major version that has it.
fn highest_distro_tool(root: &Path, name: &str) -> Option<PathBuf> {
    let mut versions: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = parse_version(entry.file_name().to_str()?)?;
            Some((version, entry.path().join("bin").join(name)))
        })
        .collect();
    versions.sort();
    versions
        .into_iter()
        .rev()
        .map(|(_, tool)| tool)
        .find(|tool| is_executable(tool))
}

/// The directory of the first `initdb` on PATH, following symlinks (e.g. `/usr/local/bin/initdb`
/// pointing into `/usr/lib/postgresql/15/bin`, where `psql` and `pg_dump` also are).
fn from_path(path: &OsString) -> Option<PathBuf> {
    let initdb = find_on_path(path, "initdb")?;
    let dir = std::fs::canonicalize(initdb).ok()?.parent()?.to_path_buf();
    has_server_tools(&dir).then_some(dir)
}

/// What `pg_config --bindir` says, when `pg_config` is on PATH.
fn from_pg_config(path: &OsString) -> Option<PathBuf> {
    let pg_config = find_on_path(path, "pg_config")?;
    let output = Command::new(pg_config).arg("--bindir").output().ok()?;
    let dir = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (output.status.success() && has_server_tools(&dir)).then_some(dir)
}

/// The highest `<root>/<major>/bin` that holds the server tools.
fn highest_distro_version(root: &Path) -> Option<PathBuf> {
    let mut versions: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = parse_version(entry.file_name().to_str()?)?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versions.sort();
    versions
        .into_iter()
        .rev()
        .map(|(_, bin)| bin)
        .find(|bin| has_server_tools(bin))
}

/// "15" → [15], "9.6" → [9, 6]; anything else is not a version directory.
fn parse_version(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

fn find_on_path(path: &OsString, program: &str) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn has_server_tools(dir: &Path) -> bool {
    SERVER_TOOLS
        .iter()
        .all(|tool| is_executable(&dir.join(tool)))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// Without execute bits, a file is the best sign.
#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory under the system temp dir holding fake executables; removed on drop.
    struct FakeTree(PathBuf);

    impl FakeTree {
        fn new(name: &str) -> Self {
            let root =
                std::env::temp_dir().join(format!("cdx-bindir-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(&root).unwrap();
            Self(root)
        }

        fn tools(&self, dir: &str, tools: &[&str]) -> PathBuf {
            let dir = self.0.join(dir);
            std::fs::create_dir_all(&dir).unwrap();
            for tool in tools {
                let path = dir.join(tool);
                std::fs::write(&path, "#!/bin/sh\n").unwrap();
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            dir
        }
    }

    impl Drop for FakeTree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn env_of(pairs: Vec<(&'static str, OsString)>) -> impl Fn(&str) -> Option<OsString> {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn the_override_wins_and_is_never_second_guessed() {
        let tree = FakeTree::new("override");
        let good = tree.tools("good", &SERVER_TOOLS);
        let found = find_with(&env_of(vec![(BINDIR_ENV, good.clone().into())]), &tree.0);
        assert_eq!(found.unwrap(), good);

        let on_path = tree.tools("path", &SERVER_TOOLS);
        let env = env_of(vec![
            (BINDIR_ENV, "/nonexistent".into()),
            ("PATH", on_path.into()),
        ]);
        let error = find_with(&env, &tree.0).unwrap_err().to_string();
        assert!(
            error.contains("CLIPDEX_PG_BINDIR=/nonexistent does not hold"),
            "{error}"
        );
    }

    #[test]
    fn path_needs_all_three_tools_and_distro_dirs_pick_the_highest_version() {
        let tree = FakeTree::new("distro");
        let partial = tree.tools("partial", &["initdb"]);
        tree.tools("distro/9.6/bin", &SERVER_TOOLS);
        let v15 = tree.tools("distro/15/bin", &SERVER_TOOLS);
        tree.tools("distro/16/bin", &["initdb"]); // incomplete: skipped
        tree.tools("distro/latest/bin", &SERVER_TOOLS); // not a version: skipped
        let env = env_of(vec![("PATH", partial.into())]);
        assert_eq!(find_with(&env, &tree.0.join("distro")).unwrap(), v15);
    }

    #[test]
    fn nothing_found_names_every_place_searched() {
        let tree = FakeTree::new("nothing");
        let error = find_with(&env_of(vec![]), &tree.0).unwrap_err().to_string();
        assert!(
            error.starts_with("no PostgreSQL server binaries: no initdb on PATH"),
            "{error}"
        );
        assert!(!error.contains('\n'), "{error}");
    }
}
