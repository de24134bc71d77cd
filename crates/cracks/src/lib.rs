//! Test support for the four cracks of post 9's raw SQL migrations.
//!
//! Post 9's tests in `tests/` (`crack1_no_applied_state` and its siblings) are the series'
//! "before" picture: each one shows a crack opening on a real PostgreSQL. So that a passing test means the crack is real, they run
//! `scripts/psql-loop.sh` itself, the very script the book shows, with the throwaway cluster's
//! `psql` first on `PATH`. This module runs that script and builds migration directories that
//! differ from the shipped one by a file or two, the way a branch would.
//!
//! The `crackN_closed` tests are the "after" picture: the same situations, handled by tracked
//! revisions (cracks 1 to 3, post 10) and by the checks against the declared schema, the
//! application's queries and the live catalog (crack 4, post 11). [`tracked`] builds their
//! revision directories and dumps schemas to compare databases by.

pub mod tracked;

use std::env;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use tempfile::TempDir;

/// The workspace root. The loop runs from here, so psql names files as a reader sees them.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/cracks sits two levels below the workspace root")
}

/// The shipped numbered migration files, relative to [`workspace_root`]: the path the loop is
/// given, and so the path psql prints in its notices.
pub fn numbered_migrations() -> &'static Path {
    Path::new("migrations/legacy")
}

/// What one run of the loop printed, and how it ended.
#[derive(Debug)]
pub struct LoopRun {
    /// The loop's exit status: psql's status for the first failing file, else success.
    pub status: ExitStatus,
    /// The `==> file` lines and psql's command tags (`CREATE TABLE`, `DELETE 0`, …).
    pub stdout: String,
    /// psql's notices and errors.
    pub stderr: String,
}

/// Runs `scripts/psql-loop.sh dir` against `database_url`, stdout and stderr kept apart.
pub fn run_loop(dir: &Path, database_url: &str) -> io::Result<LoopRun> {
    let output = loop_command(dir, database_url)?.output()?;
    Ok(LoopRun {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Runs the loop with stdout and stderr on one pipe, so that the text reads as it does in a
/// terminal: each notice just before the command tag of the statement that raised it.
pub fn run_loop_interleaved(dir: &Path, database_url: &str) -> io::Result<(ExitStatus, String)> {
    let (mut reader, writer) = io::pipe()?;
    let mut command = loop_command(dir, database_url)?;
    command.stdout(writer.try_clone()?).stderr(writer);
    let mut child = command.spawn()?;
    // The command keeps a copy of the write end; the read below ends only once every copy is gone.
    drop(command);
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let status = child.wait()?;
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

/// The loop in a stable environment: the throwaway cluster's psql, the C locale (psql's own
/// messages untranslated), and none of the libpq variables that change what the server prints.
fn loop_command(dir: &Path, database_url: &str) -> io::Result<Command> {
    let inherited = env::var_os("PATH").unwrap_or_default();
    let mut search_path: Vec<PathBuf> = env::split_paths(&inherited).collect();
    // With CLIPDEX_TEST_DATABASE_URL there may be no local server binaries; psql on PATH will do.
    if let Ok(bin_dir) = scratch::pg_bin_dir() {
        search_path.insert(0, bin_dir);
    }
    let path = env::join_paths(search_path).map_err(io::Error::other)?;

    let mut command = Command::new("bash");
    command
        .arg("scripts/psql-loop.sh")
        .arg(dir)
        .current_dir(workspace_root())
        .stdin(Stdio::null())
        .env("PATH", path)
        .env("DATABASE_URL", database_url)
        .env("LC_ALL", "C")
        .env("PGAPPNAME", "psql-loop");
    for variable in [
        "PGOPTIONS",
        "PGCLIENTENCODING",
        "PGTZ",
        "PGDATESTYLE",
        "PSQLRC",
    ] {
        command.env_remove(variable);
    }
    Ok(command)
}

/// A temporary migrations directory: some of the shipped numbered files, plus the files a
/// test adds to it, the way a branch adds its own.
#[derive(Debug)]
pub struct MigrationDir {
    dir: TempDir,
}

impl MigrationDir {
    /// Copies the shipped numbered files whose names `keep` accepts.
    pub fn with_shipped(keep: impl Fn(&str) -> bool) -> io::Result<MigrationDir> {
        let dir = TempDir::with_prefix("cracks-")?;
        for entry in fs::read_dir(workspace_root().join(numbered_migrations()))? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.ends_with(".sql") && keep(name) {
                fs::copy(entry.path(), dir.path().join(name))?;
            }
        }
        Ok(MigrationDir { dir })
    }

    /// Copies every shipped numbered file.
    pub fn with_all_shipped() -> io::Result<MigrationDir> {
        MigrationDir::with_shipped(|_| true)
    }

    /// Adds a file, as a branch would.
    pub fn add(&self, file_name: &str, sql: &str) -> io::Result<()> {
        fs::write(self.dir.path().join(file_name), sql)
    }

    /// Where the files are.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// `name` as a quoted SQL identifier.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// What an editor adds between two deploys: two different people who share a name, each on
/// their own episode. The loop's second run merges them (crack 1); a tracked baseline does not.
pub const TWO_SAM_LEES: &str = "
    INSERT INTO podcasts (feed_url, title)
    VALUES ('https://feeds.example.org/table-talk', 'Table Talk');

    INSERT INTO episodes (podcast_id, guid, title, published_at, audio_url)
    SELECT p.id, e.guid, e.title, e.published_at, e.audio_url
    FROM podcasts AS p,
         (VALUES ('knife-skills', 'Knife skills with a chef', timestamptz '2026-10-01 09:00Z',
                  'https://cdn.example.org/knife-skills.mp3'),
                 ('minimum-wage', 'What a minimum wage does', timestamptz '2026-10-08 09:00Z',
                  'https://cdn.example.org/minimum-wage.mp3'))
             AS e (guid, title, published_at, audio_url);

    INSERT INTO guests (name, slug, bio) VALUES
        ('Sam Lee', 'sam-lee', 'Chef and owner of a noodle bar.'),
        ('Sam Lee', 'sam-lee-2', 'Labour economist.');

    INSERT INTO episode_guests (episode_id, guest_id)
    SELECT e.id, g.id
    FROM episodes AS e
    JOIN guests AS g
      ON (e.guid, g.slug) IN (('knife-skills', 'sam-lee'), ('minimum-wage', 'sam-lee-2'));
";

/// Which guest each episode credits, as `(episode guid, guest slug)`, by guid: how a test
/// sees whether the two Sam Lees of [`TWO_SAM_LEES`] are still two people.
pub const CREDITS: &str = "
    SELECT e.guid, g.slug
    FROM episode_guests AS eg
    JOIN episodes AS e ON e.id = eg.episode_id
    JOIN guests AS g ON g.id = eg.guest_id
    ORDER BY e.guid";
