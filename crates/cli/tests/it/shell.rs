//! The tool describing itself: `--help` with an example for every command, completion scripts
//! that the shells accept, and man pages that `man` renders without a warning.

use crate::support;

use std::path::Path;
use std::process::Command;

use support::{Project, Run, run_in};

fn run(args: &[&str]) -> Run {
    // Outside any project: none of these may need a config file or migrations.
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), args, &[])
}

/// The commands, as the top-level help lists them.
fn commands() -> Vec<String> {
    let help = run(&["--help"]);
    help.expect_code(0);
    let listed = help
        .stdout
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands: section")
        .lines()
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert!(listed.len() >= 14, "{help}");
    listed
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in commands() {
        let help = run(&[&command, "--help"]);
        help.expect_code(0);
        let example = help.stdout.split("Example:\n").nth(1);
        assert!(
            example.is_some_and(|text| text.contains("clipdex-migrate")),
            "`{command} --help` has no example:\n{help}"
        );
        assert!(
            !help.stdout.contains('\x1b'),
            "colour in piped help:\n{help}"
        );
    }
    let top = run(&["--help"]);
    assert!(top.stdout.contains("Exit codes:\n  0  success\n"), "{top}");
}

#[test]
fn the_bash_completion_script_loads_in_bash() {
    let script = run(&["completions", "bash"]);
    script.expect_code(0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clipdex-migrate.bash");
    std::fs::write(&file, &script.stdout).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(syntax.status.success(), "bash -n: {syntax:?}");
    // Loaded, it registers a completion for the binary that offers the commands.
    let probe = format!(
        "set -e; source {}; complete -p clipdex-migrate; \
         COMP_WORDS=(clipdex-migrate up); COMP_CWORD=1; COMP_LINE='clipdex-migrate up'; COMP_POINT=18; \
         _clipdex__migrate clipdex-migrate up clipdex-migrate; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let loaded = Command::new("bash").arg("-c").arg(&probe).output().unwrap();
    let stdout = String::from_utf8_lossy(&loaded.stdout);
    assert!(loaded.status.success(), "{loaded:?}");
    assert!(
        stdout.contains("-F _clipdex__migrate clipdex-migrate"),
        "{stdout}"
    );
    assert!(stdout.lines().any(|line| line == "upgrade"), "{stdout}");
}

#[test]
fn zsh_and_fish_scripts_are_generated_for_the_binary() {
    // Neither shell is installed here, so their scripts are checked by structure only.
    let zsh = run(&["completions", "zsh"]);
    zsh.expect_code(0);
    assert!(
        zsh.stdout.starts_with("#compdef clipdex-migrate\n"),
        "{zsh}"
    );
    assert!(zsh.stdout.contains("'upgrade:"), "{zsh}");
    let fish = run(&["completions", "fish"]);
    fish.expect_code(0);
    assert!(
        fish.stdout.contains("complete -c clipdex-migrate"),
        "{fish}"
    );
    assert!(fish.stdout.contains("-a \"upgrade\""), "{fish}");
    run(&["completions", "tcsh"]).expect_code(2);
}

/// Renders a roff page with `man -l` (groff's warnings on), else `groff`, and returns the text.
fn render(page: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.1");
    std::fs::write(&file, page).unwrap();
    let output = if Path::new("/usr/bin/man").exists() {
        Command::new("man")
            .args(["--warnings", "-l"])
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
    } else {
        Command::new("groff")
            .args(["-man", "-Tutf8", "-ww"])
            .arg(&file)
            .output()
    }
    .expect("`man` (or at least `groff`) is needed to render the man page: apt-get install man-db");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && stderr.is_empty(), "{stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_man_pages_render_with_every_section() {
    let page = run(&["man"]);
    page.expect_code(0);
    assert!(page.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq"), "{page}");
    let text = render(&page.stdout);
    for section in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "SUBCOMMANDS",
        "EXIT STATUS",
        "VERSION",
    ] {
        assert!(
            text.lines().any(|line| line == section),
            "no {section}:\n{text}"
        );
    }
    assert!(text.contains("clipdex-migrate-upgrade(1)"), "{text}");
    for command in commands() {
        let page = run(&["man", &command]);
        page.expect_code(0);
        let text = render(&page.stdout);
        assert!(
            text.contains(&format!("clipdex-migrate-{command}")),
            "{text}"
        );
        assert!(text.contains("Example:"), "{command}:\n{text}");
        assert!(
            text.contains("--database-url"),
            "{command}: no global options\n{text}"
        );
    }
    run(&["man", "nope"]).expect_code(2);
}

#[test]
fn completions_and_man_ignore_a_broken_config_file() {
    let project = Project::empty();
    std::fs::write(project.path().join("clipdex-migrate.toml"), "bogus = 1\n").unwrap();
    project.run(&["completions", "bash"]).expect_code(0);
    project.run(&["man"]).expect_code(0);
    project.run(&["config"]).expect_code(2);
}
