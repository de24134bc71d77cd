//! Where clusters live on disk, and the few file-system chores they need.
//!
//! Throwaway clusters go to `/dev/shm` when it is writable: on tmpfs `CREATE DATABASE` takes
//! ≈10–20 ms instead of 15–300 ms on a disk-backed /tmp. Names stay short because a unix
//! socket path must fit in 107 bytes.

use std::io::ErrorKind;
#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::account::ServerAccount;
use crate::error::LocalPgError;

/// The longest unix socket path the kernel accepts (`sun_path` is 108 bytes with the NUL).
const MAX_SOCKET_PATH: usize = 107;

/// `/dev/shm` when we may create directories in it, else the system temp dir.
pub(crate) fn temp_root() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if writable_by_us(shm) {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

#[cfg(unix)]
fn writable_by_us(dir: &Path) -> bool {
    std::fs::metadata(dir).is_ok_and(|meta| {
        let mode = meta.permissions().mode();
        meta.is_dir() && (mode & 0o002 != 0 || meta.uid() == crate::account::effective_uid())
    })
}

#[cfg(not(unix))]
fn writable_by_us(_dir: &Path) -> bool {
    false
}

/// Creates `<temp root>/<prefix>-<pid>-<n>` for the first free `n`, owned by the server
/// account with mode 0700. A leftover of a dead process with the same pid is skipped, not reused.
pub(crate) fn create_unique_dir(
    prefix: &str,
    account: &ServerAccount,
) -> Result<PathBuf, LocalPgError> {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let root = temp_root();
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = root.join(format!("{prefix}-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                make_private(&dir, account)?;
                return Ok(dir);
            }
            Err(error) if error.kind() == ErrorKind::AlreadyExists => continue,
            Err(error) => {
                return Err(LocalPgError::io(format!("creating {}", dir.display()))(
                    error,
                ));
            }
        }
    }
}

/// Mode 0700 and owned by the server account: PostgreSQL insists on both for its data dir.
pub(crate) fn make_private(path: &Path, account: &ServerAccount) -> Result<(), LocalPgError> {
    set_mode(path, 0o700).map_err(LocalPgError::io(format!("restricting {}", path.display())))?;
    account.give(path)
}

/// Unix permission bits; elsewhere files keep what the system gives them.
#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Writes a file with `mode`, owned by the server account (e.g. a TLS key: 0600, or the
/// server refuses it).
pub(crate) fn write_owned(
    path: &Path,
    contents: &[u8],
    mode: u32,
    account: &ServerAccount,
) -> Result<(), LocalPgError> {
    let action = || format!("writing {}", path.display());
    if let Some(parent) = path.parent() {
        create_dir_all_owned(parent, account)?;
    }
    std::fs::write(path, contents).map_err(LocalPgError::io(action()))?;
    set_mode(path, mode).map_err(LocalPgError::io(action()))?;
    account.give(path)
}

/// `create_dir_all`, with each new directory private to the server account: the watchdog
/// deletes the cluster as that account, and could not empty a directory owned by root.
fn create_dir_all_owned(dir: &Path, account: &ServerAccount) -> Result<(), LocalPgError> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_dir_all_owned(parent, account)?;
    }
    match std::fs::create_dir(dir) {
        Err(error) if error.kind() != ErrorKind::AlreadyExists => Err(LocalPgError::io(format!(
            "creating {}",
            dir.display()
        ))(error)),
        _ => make_private(dir, account),
    }
}

/// Copies the directory tree `from` to the new directory `to`, keeping modes and giving every
/// entry to the server account.
pub(crate) fn copy_tree(
    from: &Path,
    to: &Path,
    account: &ServerAccount,
) -> Result<(), LocalPgError> {
    let action = || format!("copying {} to {}", from.display(), to.display());
    std::fs::create_dir(to).map_err(LocalPgError::io(action()))?;
    let mode = std::fs::metadata(from)
        .map_err(LocalPgError::io(action()))?
        .permissions();
    std::fs::set_permissions(to, mode).map_err(LocalPgError::io(action()))?;
    account.give(to)?;
    for entry in std::fs::read_dir(from).map_err(LocalPgError::io(action()))? {
        let entry = entry.map_err(LocalPgError::io(action()))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().map_err(LocalPgError::io(action()))?;
        if kind.is_dir() {
            copy_tree(&source, &target, account)?;
        } else if kind.is_symlink() {
            copy_symlink(&source, &target).map_err(LocalPgError::io(action()))?;
            account.give(&target)?;
        } else {
            std::fs::copy(&source, &target).map_err(LocalPgError::io(action()))?;
            account.give(&target)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_symlink(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
}

/// Elsewhere the link's target is copied: making links may need privileges there.
#[cfg(not(unix))]
fn copy_symlink(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::copy(from, to).map(drop)
}

/// The socket PostgreSQL will create in `dir` for `port`, checked against the kernel's limit.
pub(crate) fn check_socket_path(dir: &Path, port: u16) -> Result<(), LocalPgError> {
    let path = dir.join(format!(".s.PGSQL.{port}"));
    let len = path.as_os_str().len();
    if len > MAX_SOCKET_PATH {
        return Err(LocalPgError::SocketPathTooLong { path, len });
    }
    Ok(())
}

/// The last `lines` lines of a text file ("" when it cannot be read).
pub(crate) fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// 64-bit FNV-1a: a hash that, unlike std's `DefaultHasher`, never changes between Rust
/// releases, so directory names derived from it stay put.
pub(crate) fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_hash_matches_the_published_fnv1a_vectors() {
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn socket_paths_over_the_limit_are_refused() {
        assert!(check_socket_path(Path::new("/dev/shm/cdx-1-1"), 5432).is_ok());
        let long = PathBuf::from(format!("/tmp/{}", "x".repeat(100)));
        let error = check_socket_path(&long, 5432).unwrap_err().to_string();
        assert!(error.contains("over the 107-byte limit"), "{error}");
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        let path = std::env::temp_dir().join(format!("cdx-tail-{}", std::process::id()));
        std::fs::write(&path, "one\ntwo\nthree\n").unwrap();
        assert_eq!(tail(&path, 2), "two\nthree");
        assert_eq!(tail(&path, 9), "one\ntwo\nthree");
        std::fs::remove_file(&path).unwrap();
    }
}
