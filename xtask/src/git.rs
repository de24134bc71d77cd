//! The few git queries the post checks need, run through the `git` command.

use std::path::Path;
use std::process::Command;

/// Runs `git args…` in `dir` and returns its stdout, or an error naming the command.
pub fn output(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {} failed: {}", args.join(" "), stderr.trim()));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("git {}: output is not UTF-8", args.join(" ")))
}

/// Like [`output`], for commands whose output does not matter.
pub fn run(dir: &Path, args: &[&str]) -> Result<(), String> {
    output(dir, args).map(drop)
}
