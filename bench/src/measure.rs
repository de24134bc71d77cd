//! Running one command and measuring it: wall time, peak RSS, medians.
//!
//! Timed runs start the tool directly, with stdout and stderr going to a log file, and time
//! it from spawn to exit. Peak RSS comes from a separate run (the warm-up) wrapped in GNU
//! `/usr/bin/time -f %M`, which reads the kernel's `ru_maxrss` of the process tree without any
//! unsafe code in the bench; keeping the wrapper out of the timed runs keeps its own start-up
//! cost out of the millisecond-scale measures.

use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A command line with its environment, buildable more than once.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
    /// Exit codes that mean success besides 0 (migra exits 2 when the schemas differ).
    pub also_ok: Vec<i32>,
}

impl Invocation {
    /// `program` with no arguments yet.
    pub fn new(program: impl Into<PathBuf>) -> Invocation {
        Invocation {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            also_ok: Vec::new(),
        }
    }

    /// Treats exit code `code` as success too.
    pub fn also_ok(mut self, code: i32) -> Invocation {
        self.also_ok.push(code);
        self
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Invocation {
        self.args.push(arg.into());
        self
    }

    /// Adds arguments.
    pub fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, args: I) -> Invocation {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable for the child.
    pub fn env(mut self, key: &str, value: impl Into<String>) -> Invocation {
        self.env.push((key.to_owned(), value.into()));
        self
    }

    fn command(&self, program: &Path, prefix: &[OsString]) -> Command {
        let mut command = Command::new(program);
        command.args(prefix).arg(&self.program).args(&self.args);
        command.envs(self.env.iter().map(|(key, value)| (key, value)));
        command.stdin(Stdio::null());
        command
    }

    fn direct(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        command.envs(self.env.iter().map(|(key, value)| (key, value)));
        command.stdin(Stdio::null());
        command
    }

    /// Runs the command once more and returns what it printed on stdout (stderr is left
    /// out): the output a tool's correctness is judged by.
    pub fn stdout(&self) -> Result<String, String> {
        let output = self
            .direct()
            .stderr(Stdio::null())
            .output()
            .map_err(|error| format!("{}: {error}", self.display()))?;
        let code = output.status.code().unwrap_or(-1);
        if !output.status.success() && !self.also_ok.contains(&code) {
            return Err(format!("{} exited with {}", self.display(), output.status));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The command as a shell-like line, for messages.
    pub fn display(&self) -> String {
        let mut line = self.program.display().to_string();
        for arg in &self.args {
            line.push(' ');
            line.push_str(&arg.to_string_lossy());
        }
        line
    }
}

/// Runs `invocation` once, output to `log`, and returns its wall time; a non-zero exit is an
/// error that quotes the end of the log.
pub fn timed(invocation: &Invocation, log: &Path) -> Result<Duration, String> {
    let mut command = invocation.direct();
    redirect(&mut command, log)?;
    let start = Instant::now();
    let status = command.status();
    let elapsed = start.elapsed();
    check(invocation, status, log)?;
    Ok(elapsed)
}

/// Runs `invocation` once under `/usr/bin/time` and returns its peak RSS in KiB.
pub fn peak_rss(invocation: &Invocation, log: &Path) -> Result<u64, String> {
    let rss_file = log.with_extension("rss");
    let prefix: Vec<OsString> = vec![
        "-f".into(),
        "%M".into(),
        "-o".into(),
        rss_file.clone().into(),
    ];
    let mut command = invocation.command(Path::new("/usr/bin/time"), &prefix);
    redirect(&mut command, log)?;
    check(invocation, command.status(), log)?;
    let text = fs::read_to_string(&rss_file).map_err(|error| format!("{error}"))?;
    let last = text.lines().last().unwrap_or("").trim();
    last.parse()
        .map_err(|_| format!("/usr/bin/time wrote {text:?}, not a size"))
}

fn redirect(command: &mut Command, log: &Path) -> Result<(), String> {
    let file = File::create(log).map_err(|error| format!("{}: {error}", log.display()))?;
    let copy = file.try_clone().map_err(|error| error.to_string())?;
    command.stdout(file).stderr(copy);
    Ok(())
}

fn check(
    invocation: &Invocation,
    status: std::io::Result<std::process::ExitStatus>,
    log: &Path,
) -> Result<(), String> {
    let status = status.map_err(|error| format!("{}: {error}", invocation.display()))?;
    let also_ok = status
        .code()
        .is_some_and(|code| invocation.also_ok.contains(&code));
    if status.success() || also_ok {
        return Ok(());
    }
    Err(format!(
        "`{}` failed ({status}); end of {}:\n{}",
        invocation.display(),
        log.display(),
        tail(log, 15)
    ))
}

/// The last `count` lines of a file.
pub fn tail(path: &Path, count: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// The median of some durations (the mean of the middle two for an even count).
pub fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        len if len % 2 == 1 => sorted[len / 2],
        len => (sorted[len / 2 - 1] + sorted[len / 2]) / 2,
    }
}
