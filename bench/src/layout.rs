//! `bench layout`: writes `crates/cli/link-order.txt`, the functions that runs of
//! clipdex-migrate execute, which the release build links next to one another (see
//! `crates/cli/build.rs`).
//!
//! Each command of [`RUNS`] runs once under callgrind, which records every function a run
//! enters, on the 100-revision workload and a fresh database, from the workspace root (whose
//! `clipdex-migrate.toml` is read, as a project's is). The list is every function of the
//! binary those runs entered, each once, run by run in the order of [`LISTED`].

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::install;
use crate::paths::Paths;
use crate::server::Server;
use crate::{workload, write};

/// The workload the commands run on: large enough for the reading threads to start.
const SIZE: usize = 100;

/// The commands profiled, in the order they run.
const RUNS: [Run; 6] = [
    Run::Version,
    Run::Heads,
    Run::FreshUpgrade,
    Run::NoOpUpgrade,
    Run::Current,
    Run::History,
];

/// The order their functions are listed in: the commonest run's first, so that they lie
/// together at the start; the fresh upgrade's (the applying) last.
const LISTED: [Run; 6] = [
    Run::NoOpUpgrade,
    Run::Current,
    Run::History,
    Run::Heads,
    Run::Version,
    Run::FreshUpgrade,
];

/// One profiled run of clipdex-migrate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Version,
    Heads,
    /// `upgrade` on the empty database.
    FreshUpgrade,
    /// `upgrade` again, at head.
    NoOpUpgrade,
    Current,
    History,
}

impl Run {
    /// The command's arguments, after `--database-url` and `--migrations-dir`.
    fn args(self) -> &'static [&'static str] {
        match self {
            Run::Version => &["--version"],
            Run::Heads => &["heads"],
            Run::FreshUpgrade | Run::NoOpUpgrade => &["upgrade"],
            Run::Current => &["current"],
            Run::History => &["history"],
        }
    }
}

/// Where the list goes, in the workspace.
const ORDER_FILE: &str = "crates/cli/link-order.txt";

/// The first lines of the list (lld skips lines that start with `#`).
const HEADER: &str = "\
# The functions runs of clipdex-migrate execute, linked next to one another (see build.rs).
# Written by `cargo run --release -p bench -- layout`; regenerate it rather than edit it.
";

/// Builds the binary, profiles the commands and writes the list.
pub fn run(paths: &Paths, build: bool) -> Result<(), String> {
    let binary = install::build_clipdex(paths, build)?;
    let binary = binary.canonicalize().map_err(|error| error.to_string())?;
    let work = paths.workload(SIZE);
    write::write_workload(&work, &workload::generate(SIZE)).map_err(|e| e.to_string())?;
    fs::create_dir_all(paths.logs()).map_err(|error| error.to_string())?;
    let mut server = Server::start()?;
    let database = server.create_database()?;
    let target = Target {
        url: server.url(&database),
        migrations: crate::write::clipdex_dir(&work),
    };
    let mut profiles = Vec::new();
    for (index, run) in RUNS.into_iter().enumerate() {
        let profile = paths.logs().join(format!("layout-{index}.callgrind"));
        profile_once(callgrind(paths, &binary, &target, run, &profile), run)?;
        let text = fs::read_to_string(&profile).map_err(|error| error.to_string())?;
        profiles.push((run, text));
    }
    server.drop_database(&database)?;
    write_order(paths, &profiles, &binary)
}

/// The database and the migrations the profiled runs use.
struct Target {
    url: String,
    migrations: PathBuf,
}

/// `run` of `binary` under callgrind, from the workspace root, its profile written to `profile`.
fn callgrind(paths: &Paths, binary: &Path, target: &Target, run: Run, profile: &Path) -> Command {
    let mut command = Command::new("valgrind");
    command
        .current_dir(&paths.root)
        .arg("--tool=callgrind")
        .arg("--demangle=no")
        .arg("--compress-strings=no")
        .arg(format!("--callgrind-out-file={}", profile.display()))
        .arg(binary)
        .arg("--database-url")
        .arg(&target.url)
        .arg("--migrations-dir")
        .arg(&target.migrations)
        .args(run.args());
    command
}

/// Writes the functions of `binary` from the runs' profiles, run by run in [`LISTED`] order.
fn write_order(paths: &Paths, profiles: &[(Run, String)], binary: &Path) -> Result<(), String> {
    let mut order = FunctionOrder::default();
    for listed in LISTED {
        let texts = profiles.iter().filter(|(run, _)| *run == listed);
        texts.for_each(|(_, text)| order.add_profile(text, binary));
    }
    let target = paths.root.join(ORDER_FILE);
    fs::write(&target, order.render()).map_err(|error| error.to_string())?;
    let count = order.len();
    eprintln!("bench: {count} functions written to {}", target.display());
    Ok(())
}

/// Runs one profiled command, which must succeed.
fn profile_once(mut command: Command, run: Run) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("valgrind could not start ({error}): install valgrind"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or("");
    let args = run.args().join(" ");
    Err(format!(
        "clipdex-migrate {args} under callgrind failed: {last}"
    ))
}

/// The functions of one binary seen in profiles, each once, in the order first seen.
#[derive(Debug, Default)]
struct FunctionOrder {
    names: Vec<String>,
    seen: HashSet<String>,
}

impl FunctionOrder {
    /// Takes the functions of `binary` from one callgrind profile, written with
    /// `--compress-strings=no`: each `fn=` line names a function of the last `ob=` object.
    /// Those not seen before are added in name order, since a profile lists them in no
    /// order of its own: the list then changes only where the functions do.
    fn add_profile(&mut self, profile: &str, binary: &Path) {
        let mut in_binary = false;
        let mut new = Vec::new();
        for line in profile.lines() {
            if let Some(object) = line.strip_prefix("ob=") {
                in_binary = Path::new(object) == binary;
            } else if let Some(name) = line.strip_prefix("fn=").and_then(symbol)
                && in_binary
                && self.seen.insert(name.to_owned())
            {
                new.push(name.to_owned());
            }
        }
        new.sort_unstable();
        self.names.extend(new);
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    fn render(&self) -> String {
        let mut text = HEADER.to_owned();
        for name in &self.names {
            text.push_str(name);
            text.push('\n');
        }
        text
    }
}

/// How much of the list the binary at `binary` places, as a line of the report: a list
/// written for an older build names functions since renamed (and every function of our
/// crates is renamed when their version changes), which are left where they fall.
pub fn coverage(binary: &Path, root: &Path) -> String {
    let listed = match fs::read_to_string(root.join(ORDER_FILE)) {
        Ok(listed) => listed,
        Err(error) => return format!("{ORDER_FILE} unreadable: {error}"),
    };
    let symbols = match Command::new("nm")
        .arg("--defined-only")
        .arg(binary)
        .output()
    {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        Ok(output) => {
            return format!(
                "nm failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Err(error) => return format!("nm could not start: {error}"),
    };
    let (found, total) = listed_and_found(&listed, &symbols);
    format!("{found} of the {total} functions of {ORDER_FILE} are in the binary")
}

/// How many names of the list `listed` are defined in the `nm` output `symbols`, and how
/// many it names.
fn listed_and_found(listed: &str, symbols: &str) -> (usize, usize) {
    let defined: HashSet<&str> = symbols
        .lines()
        .filter_map(|line| line.split_whitespace().nth(2))
        .collect();
    let names = listed
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'));
    names.fold((0, 0), |(found, total), name| {
        (found + usize::from(defined.contains(name)), total + 1)
    })
}

/// The symbol a callgrind function name stands for: none for code without one (named by its
/// address, or `(below main)` for what runs before `main`), and without the `'2` that marks a
/// deeper level of recursion.
fn symbol(name: &str) -> Option<&str> {
    let symbol = name.split_once('\'').map_or(name, |(symbol, _)| symbol);
    (!symbol.starts_with("0x") && !symbol.starts_with('(')).then_some(symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = "\
version: 1
ob=/usr/lib/x86_64-linux-gnu/libc.so.6
fn=malloc
ob=target/release/clipdex-migrate
fn=_ZN4main17h0123456789abcdefE
cfn=malloc
calls=1 0
fn=_ZN4load17hfedcba9876543210E
fn=0x0000000000286b00
fn=(below main)
fn=_ZN4load17hfedcba9876543210E'2
fn=_ZN7recurse17h00112233445566778E'2
ob=/usr/lib/x86_64-linux-gnu/libc.so.6
fn=free
ob=target/release/clipdex-migrate
fn=_ZN4main17h0123456789abcdefE
";

    #[test]
    fn only_the_binarys_named_functions_are_listed_once_each_profile_by_profile() {
        let mut order = FunctionOrder::default();
        let binary = Path::new("target/release/clipdex-migrate");
        order.add_profile(PROFILE, binary);
        order.add_profile(
            "ob=target/release/clipdex-migrate\nfn=_ZN5later1fE\n",
            binary,
        );
        let rendered = order.render();
        let listed: Vec<&str> = rendered.lines().skip(2).collect();
        assert_eq!(
            listed,
            [
                "_ZN4load17hfedcba9876543210E",
                "_ZN4main17h0123456789abcdefE",
                "_ZN7recurse17h00112233445566778E",
                "_ZN5later1fE",
            ]
        );
        assert!(rendered.lines().take(2).all(|line| line.starts_with('#')));
    }

    #[test]
    fn the_coverage_counts_the_listed_names_the_binary_defines() {
        let listed = "# header\n_ZN1a1fE\n_ZN1b1gE\n_ZN1c1hE\n";
        let symbols =
            "0000000000001000 T _ZN1a1fE\n0000000000002000 t _ZN1c1hE\n                 U malloc\n";
        assert_eq!(listed_and_found(listed, symbols), (2, 3));
    }
}
