//! The machine and tool versions a report was measured with.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::install::{Toolbox, version_of};

/// Date, CPU, RAM, kernel and PostgreSQL, as `(key, value)` lines.
pub fn describe(server_version: &str, load_at_start: &str) -> Vec<(String, String)> {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = field(&cpuinfo, "model name").unwrap_or_else(|| "?".to_owned());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram = field(&meminfo, "MemTotal")
        .and_then(|kb| kb.trim_end_matches(" kB").trim().parse::<f64>().ok())
        .map_or("?".to_owned(), |kb| {
            format!("{:.1} GiB", kb / 1024.0 / 1024.0)
        });
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    vec![
        ("date".to_owned(), date()),
        ("CPUs (nproc)".to_owned(), format!("{cpus} × {model}")),
        ("RAM".to_owned(), ram),
        ("kernel".to_owned(), kernel.trim().to_owned()),
        (
            "load average (1, 5, 15 min)".to_owned(),
            format!(
                "{load_at_start} at the start, {} at the end",
                load_average()
            ),
        ),
        (
            "PostgreSQL".to_owned(),
            format!("{server_version}, throwaway cluster on /dev/shm, fsync off"),
        ),
    ]
}

/// The first three fields of `/proc/loadavg`: other work on the machine shows up here.
pub fn load_average() -> String {
    let text = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `uptime` prints: the time, how long the machine is up, and its load.
pub fn uptime() -> String {
    let output = Command::new("uptime").output();
    output.map_or_else(
        |_| load_average(),
        |output| String::from_utf8_lossy(&output.stdout).trim().to_owned(),
    )
}

fn field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find(|line| line.starts_with(key))
        .and_then(|line| line.split_once(':'))
        .map(|(_, value)| value.trim().to_owned())
}

fn date() -> String {
    let output = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output();
    output.map_or("?".to_owned(), |output| {
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    })
}

/// The version of every tool, as each reports it.
pub fn versions(toolbox: &Toolbox, pg_bin: &Path) -> Vec<(String, String)> {
    let of = |found: &Result<std::path::PathBuf, String>, args: &[&str]| match found {
        Ok(path) => version_of(path, args),
        Err(_) => "not installed".to_owned(),
    };
    let migra = toolbox
        .migra
        .as_ref()
        .map(|migra| migra.with_file_name("python"));
    let migra_version = of(&migra.map_err(Clone::clone), &["-c", MIGRA_VERSIONS]);
    vec![
        (
            "clipdex-migrate".to_owned(),
            of(&toolbox.clipdex, &["--version"]),
        ),
        ("sqlx-cli".to_owned(), of(&toolbox.sqlx, &["--version"])),
        ("dbmate".to_owned(), of(&toolbox.dbmate, &["--version"])),
        (
            "alembic".to_owned(),
            of(&toolbox.alembic, &["--version"]) + " (SQLAlchemy 2.1.9, psycopg 3.3.9)",
        ),
        ("migra".to_owned(), migra_version),
        (
            "psql".to_owned(),
            version_of(&pg_bin.join("psql"), &["--version"]),
        ),
    ]
}

const MIGRA_VERSIONS: &str = "import importlib.metadata as m; print(', '.join(p + ' ' + m.version(p) \
     for p in ['migra', 'schemainspect', 'sqlbag', 'SQLAlchemy', 'psycopg2-binary']))";
