//! Which operating-system user the PostgreSQL server runs as.
//!
//! `initdb` and `postgres` refuse to run as root. When the tests run as root (containers, CI
//! images) the server and everything it owns must belong to the `postgres` user instead; when
//! they run as a normal user, the server runs as that user. Std is enough for this: the uid
//! comes from the owner of `/proc/self`, the `postgres` account from `/etc/passwd`, and
//! `CommandExt::{uid, gid}` drops to it (std also clears supplementary groups then). Users
//! and groups are Unix's: elsewhere the server always runs as the current user.

#[cfg(unix)]
use std::os::unix::{fs::MetadataExt, process::CommandExt};
use std::path::Path;
use std::process::Command;

use crate::error::LocalPgError;

/// The account the server runs as: `Some` when that means switching users (we are root).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerAccount {
    switch_to: Option<UnixIds>,
}

/// A uid/gid pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UnixIds {
    uid: u32,
    gid: u32,
}

impl ServerAccount {
    /// The account for this process: `postgres` when we are root, ourselves otherwise.
    pub(crate) fn detect() -> Result<Self, LocalPgError> {
        if !cfg!(unix) || effective_uid() != 0 {
            return Ok(Self { switch_to: None });
        }
        let passwd = std::fs::read_to_string("/etc/passwd")
            .map_err(LocalPgError::io("reading /etc/passwd"))?;
        let ids = find_account(&passwd, "postgres").ok_or(LocalPgError::NoPostgresUser)?;
        Ok(Self {
            switch_to: Some(ids),
        })
    }

    /// The uid that owns the server's files: part of cache and directory names.
    pub(crate) fn uid(&self) -> u32 {
        self.switch_to.map_or_else(effective_uid, |ids| ids.uid)
    }

    /// Makes `command` run as the server account, from a directory that account can read.
    pub(crate) fn apply(&self, command: &mut Command) {
        command.current_dir("/");
        #[cfg(unix)]
        if let Some(ids) = self.switch_to {
            command.uid(ids.uid).gid(ids.gid);
        }
    }

    /// Gives `path` to the server account (a no-op unless we are root).
    pub(crate) fn give(&self, path: &Path) -> Result<(), LocalPgError> {
        match self.switch_to {
            Some(ids) => change_owner(path, ids).map_err(LocalPgError::io(format!(
                "changing the owner of {}",
                path.display()
            ))),
            None => Ok(()),
        }
    }
}

#[cfg(unix)]
fn change_owner(path: &Path, ids: UnixIds) -> std::io::Result<()> {
    std::os::unix::fs::lchown(path, Some(ids.uid), Some(ids.gid))
}

/// Never called: without Unix there are no ids to switch to.
#[cfg(not(unix))]
fn change_owner(_path: &Path, _ids: UnixIds) -> std::io::Result<()> {
    Ok(())
}

/// The effective uid of this process, without `libc`: `/proc/self` belongs to it.
#[cfg(unix)]
pub(crate) fn effective_uid() -> u32 {
    if let Ok(meta) = std::fs::metadata("/proc/self") {
        return meta.uid();
    }
    // No /proc (e.g. macOS): a file we create belongs to us.
    let probe = std::env::temp_dir().join(format!("cdx-uid-{}", std::process::id()));
    let uid = std::fs::write(&probe, b"")
        .and_then(|()| std::fs::metadata(&probe))
        .map(|meta| meta.uid());
    let _ = std::fs::remove_file(&probe);
    uid.unwrap_or(u32::MAX)
}

/// Without uids, the one account: 0 in names, never root in [`ServerAccount::detect`].
#[cfg(not(unix))]
pub(crate) fn effective_uid() -> u32 {
    0
}

/// The uid and gid of `user` in passwd(5) text.
fn find_account(passwd: &str, user: &str) -> Option<UnixIds> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != user {
            return None;
        }
        let _password = fields.next()?;
        let uid = fields.next()?.parse().ok()?;
        let gid = fields.next()?.parse().ok()?;
        Some(UnixIds { uid, gid })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_postgres_account_in_passwd_text() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\n\
                      postgresx:x:7:7::/:/bin/sh\n\
                      postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n";
        assert_eq!(
            find_account(passwd, "postgres"),
            Some(UnixIds { uid: 101, gid: 104 })
        );
        assert_eq!(find_account(passwd, "nobody"), None);
    }

    #[test]
    fn a_malformed_line_is_not_an_account() {
        assert_eq!(
            find_account("postgres:x:abc:1::/:/bin/sh", "postgres"),
            None
        );
    }
}
