//! Post states: the commits that complete a post of the series carry a `Post: post-NN` trailer.
//!
//! `tags` points the local tag `post-NN` at the newest such commit. `check` builds and tests
//! each of them in a git worktree with the test command that state itself declares in
//! `.ci/post-test`, and checks that every migration file a post shipped is still present, byte
//! for byte, on the current commit: once shipped, a migration never changes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::git;

/// Each post's newest trailer commit, oldest post first.
pub(crate) fn post_commits(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let log = git::output(
        root,
        &[
            "log",
            "--format=%H %(trailers:key=Post,valueonly,separator=%x2C)",
        ],
    )?;
    let mut posts = BTreeMap::new();
    for line in log.lines() {
        let Some((commit, trailers)) = line.split_once(' ') else {
            continue;
        };
        for post in trailers.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            // `git log` lists newest first: the first commit seen for a post wins.
            posts
                .entry(post.to_owned())
                .or_insert_with(|| commit.to_owned());
        }
    }
    Ok(posts)
}

/// `cargo xtask tags`: idempotent; says which tags it created or moved, and that the rest
/// were already right.
pub fn tag(root: &Path) -> Result<(), String> {
    let posts = post_commits(root)?;
    if posts.is_empty() {
        return Err("no commit carries a `Post:` trailer".to_owned());
    }
    for (post, commit) in &posts {
        let short = &commit[..12];
        match tagged_commit(root, post)? {
            Some(tagged) if tagged == *commit => println!("{post}: already at {short}"),
            Some(tagged) => {
                git::run(root, &["tag", "--force", post, commit])?;
                println!("{post}: moved from {} to {short}", &tagged[..12]);
            }
            None => {
                git::run(root, &["tag", post, commit])?;
                println!("{post}: created at {short}");
            }
        }
    }
    Ok(())
}

/// The commit the local tag `post` points at, if the tag exists.
fn tagged_commit(root: &Path, post: &str) -> Result<Option<String>, String> {
    let tags = git::output(root, &["tag", "--list", post])?;
    if tags.trim().is_empty() {
        return Ok(None);
    }
    let commit = git::output(
        root,
        &["rev-parse", &format!("refs/tags/{post}^{{commit}}")],
    )?;
    Ok(Some(commit.trim().to_owned()))
}

/// `cargo xtask checkout post-NN`: the tags first (a fresh clone has none), then the state.
pub fn checkout(root: &Path, post: &str) -> Result<(), String> {
    let posts = post_commits(root)?;
    if !posts.contains_key(post) {
        let known: Vec<&str> = posts.keys().map(String::as_str).collect();
        return Err(format!(
            "no commit completes `{post}`; the posts are: {}",
            known.join(", ")
        ));
    }
    tag(root)?;
    git::run(root, &["checkout", "--quiet", post])?;
    println!("checked out {post}; `git switch -` comes back");
    Ok(())
}

/// `cargo xtask posts`.
pub fn check(root: &Path) -> Result<(), String> {
    let posts = post_commits(root)?;
    if posts.is_empty() {
        return Err("no commit carries a `Post:` trailer".to_owned());
    }
    let current = shipped_migrations(root, "HEAD")?;
    for (post, commit) in &posts {
        check_migrations_unchanged(root, post, commit, &current)?;
        test_in_worktree(root, post, commit)?;
    }
    println!(
        "post states ok: {}",
        posts.keys().cloned().collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// `(file name, blob id)` of every file under `migrations/` at `commit`.
fn shipped_migrations(root: &Path, commit: &str) -> Result<BTreeSet<(String, String)>, String> {
    let tree = git::output(root, &["ls-tree", "-r", commit, "--", "migrations/"])?;
    let mut files = BTreeSet::new();
    for line in tree.lines() {
        // `<mode> blob <id>\t<path>`
        let Some((meta, path)) = line.split_once('\t') else {
            continue;
        };
        let blob = meta.split_whitespace().nth(2).unwrap_or_default();
        let name = path.rsplit('/').next().unwrap_or(path);
        if name.ends_with(".sql") {
            files.insert((name.to_owned(), blob.to_owned()));
        }
    }
    Ok(files)
}

/// A shipped file may move (post 10 moves the legacy files) but never change.
fn check_migrations_unchanged(
    root: &Path,
    post: &str,
    commit: &str,
    current: &BTreeSet<(String, String)>,
) -> Result<(), String> {
    let changed: Vec<String> = shipped_migrations(root, commit)?
        .into_iter()
        .filter(|file| !current.contains(file))
        .map(|(name, _)| name)
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{post}: migration files shipped at {} changed or vanished since: {}",
        &commit[..12],
        changed.join(", ")
    ))
}

/// Checks `commit` out in a temporary worktree and runs its `.ci/post-test`.
fn test_in_worktree(root: &Path, post: &str, commit: &str) -> Result<(), String> {
    let worktree = root.join("target").join("post-states").join(post);
    if worktree.exists() {
        git::run(
            root,
            &["worktree", "remove", "--force", &worktree.to_string_lossy()],
        )?;
    }
    git::run(
        root,
        &[
            "worktree",
            "add",
            "--detach",
            &worktree.to_string_lossy(),
            commit,
        ],
    )?;
    println!("==> {post} ({}): bash .ci/post-test", &commit[..12]);
    // Sharing the target directory reuses the dependencies every post state has in common.
    // A state's tests run one at a time: the states are history, and post 11's server-crash
    // test restarts its server without waiting for the killed one's processes to go (`localpg`
    // waits, since), which a busy machine can make it lose.
    let status = Command::new("bash")
        .arg(".ci/post-test")
        .current_dir(&worktree)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("RUST_TEST_THREADS", "1")
        .status()
        .map_err(|error| format!("{post}: cannot run .ci/post-test: {error}"))?;
    git::run(
        root,
        &["worktree", "remove", "--force", &worktree.to_string_lossy()],
    )?;
    if !status.success() {
        return Err(format!("{post}: its test command failed ({status})"));
    }
    Ok(())
}
