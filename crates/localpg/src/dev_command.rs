//! The development cluster's commands — `up`, `url`, `down`, `reset`, `destroy`, `status` —
//! run the same way by `clipdex-migrate dev …` (what an installed tool offers) and by this
//! crate's own binary (what the repository's Taskfile runs).

use std::fmt;
use std::str::FromStr;

use crate::dev::DevCluster;
use crate::error::LocalPgError;

/// One command of the development cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevCommand {
    /// Create and start the cluster if needed; its URL.
    Up,
    /// The same as `Up` (for scripts that only want the URL).
    Url,
    /// Stop the server; the data stays.
    Down,
    /// Drop and recreate the database (starting the server if needed); its URL.
    Reset,
    /// Stop the server and delete the cluster.
    Destroy,
    /// Whether it runs, and its URL; starts nothing.
    Status,
}

impl DevCommand {
    /// Every command, in the order help lists them.
    pub const ALL: [DevCommand; 6] = [
        DevCommand::Up,
        DevCommand::Url,
        DevCommand::Down,
        DevCommand::Reset,
        DevCommand::Destroy,
        DevCommand::Status,
    ];

    /// The command's word.
    pub fn name(self) -> &'static str {
        match self {
            DevCommand::Up => "up",
            DevCommand::Url => "url",
            DevCommand::Down => "down",
            DevCommand::Reset => "reset",
            DevCommand::Destroy => "destroy",
            DevCommand::Status => "status",
        }
    }

    /// What it does, in one line.
    pub fn about(self) -> &'static str {
        match self {
            DevCommand::Up => "create and start the development cluster if needed; print its URL",
            DevCommand::Url => "the same (kept for scripts that only want the URL)",
            DevCommand::Down => "stop the server; the data stays",
            DevCommand::Reset => "drop and recreate the database; print its URL",
            DevCommand::Destroy => "stop the server and delete the cluster",
            DevCommand::Status => "print `running <URL>` or `stopped <URL>`; start nothing",
        }
    }
}

impl FromStr for DevCommand {
    type Err = String;

    fn from_str(text: &str) -> Result<DevCommand, String> {
        DevCommand::ALL
            .into_iter()
            .find(|command| command.name() == text)
            .ok_or_else(|| format!("unknown command `{text}`"))
    }
}

impl fmt::Display for DevCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where the cluster stands after a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevState {
    /// Whether the server runs.
    pub running: bool,
    /// The URL of its database (whether or not it runs).
    pub url: String,
}

impl DevState {
    /// What the command line prints: the URL after `up`, `url` and `reset`, `running <URL>`
    /// or `stopped <URL>` after `status`, nothing after `down` and `destroy`.
    pub fn line(&self, command: DevCommand) -> Option<String> {
        match command {
            DevCommand::Up | DevCommand::Url | DevCommand::Reset => Some(self.url.clone()),
            DevCommand::Status => {
                let state = if self.running { "running" } else { "stopped" };
                Some(format!("{state} {}", self.url))
            }
            DevCommand::Down | DevCommand::Destroy => None,
        }
    }
}

impl DevCluster {
    /// Runs `command` and says where the cluster stands afterwards.
    pub async fn run(&self, command: DevCommand) -> Result<DevState, LocalPgError> {
        match command {
            DevCommand::Up | DevCommand::Url => drop(self.ensure_running().await?),
            DevCommand::Reset => drop(self.reset().await?),
            DevCommand::Down => self.stop()?,
            DevCommand::Destroy => self.destroy()?,
            DevCommand::Status => {}
        }
        Ok(DevState {
            running: self.is_running(),
            url: self.url(),
        })
    }
}
