//! `cargo xtask tag-boxes`: each chapter's "what this tag adds" box, from git.
//!
//! For each post, `git diff --numstat` between the previous post's commit (the empty tree for
//! the first) and this one's, summed by directory, written to `book/src/tags/post-NN.txt` for
//! the chapter to include. The commits come from the `Post:` trailers, as the tags do, so no
//! tag has to exist. `--check` fails when a committed box differs from what git says now.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::{git, posts};

/// Where the boxes are written.
const BOX_DIR: &str = "book/src/tags";

/// `cargo xtask tag-boxes [--check]`.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let posts = posts::post_commits(root)?;
    let empty_tree = git::output(root, &["hash-object", "-t", "tree", "/dev/null"])?;
    let mut previous: (String, String) =
        ("the empty tree".to_owned(), empty_tree.trim().to_owned());
    let mut stale = Vec::new();
    for (post, commit) in &posts {
        let text = render(root, post, &previous, commit)?;
        let path = root.join(BOX_DIR).join(format!("{post}.txt"));
        if check {
            if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(format!("{BOX_DIR}/{post}.txt"));
            }
        } else {
            fs::create_dir_all(root.join(BOX_DIR))
                .map_err(|error| format!("{BOX_DIR}: {error}"))?;
            fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))?;
        }
        previous = (post.clone(), commit.clone());
    }
    if !stale.is_empty() {
        return Err(format!(
            "stale tag boxes (run `cargo xtask tag-boxes` and commit the result): {}",
            stale.join(", ")
        ));
    }
    let verb = if check { "up to date" } else { "written" };
    println!(
        "tag boxes {verb}: {}",
        posts.keys().cloned().collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// Files, lines added and lines removed, for one directory.
#[derive(Default)]
struct Change {
    files: usize,
    added: usize,
    removed: usize,
}

fn render(root: &Path, post: &str, from: &(String, String), to: &str) -> Result<String, String> {
    let numstat = git::output(root, &["diff", "--numstat", "-M", &from.1, to])?;
    let mut by_dir: BTreeMap<String, Change> = BTreeMap::new();
    let mut total = Change::default();
    for line in numstat.lines() {
        let mut fields = line.splitn(3, '\t');
        let (Some(added), Some(removed), Some(path)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        // Binary files show `-`; a rename shows `old => new`, counted where it lands.
        let (added, removed) = (added.parse().unwrap_or(0), removed.parse().unwrap_or(0));
        let path = renamed_to(path);
        let change = by_dir.entry(area(&path)).or_default();
        change.files += 1;
        change.added += added;
        change.removed += removed;
        total.files += 1;
        total.added += added;
        total.removed += removed;
    }
    let since = if from.0 == "the empty tree" {
        format!("git diff --stat $(git hash-object -t tree /dev/null) {post}")
    } else {
        format!("git diff --stat {} {post}", from.0)
    };
    let mut text = format!("What {post} adds ({since}, summed by directory):\n\n");
    let width = by_dir.keys().map(String::len).max().unwrap_or(0);
    for (dir, change) in &by_dir {
        text.push_str(&format!(
            "  {dir:<width$}  {:>4} {:<5}  +{:<6} -{}\n",
            change.files,
            if change.files == 1 { "file" } else { "files" },
            change.added,
            change.removed
        ));
    }
    text.push_str(&format!(
        "\n  {} files changed, {} insertions(+), {} deletions(-)\n",
        total.files, total.added, total.removed
    ));
    Ok(text)
}

/// Where a renamed file landed: `a/{b => c}/d` is `a/c/d`, `a => b` is `b`.
fn renamed_to(path: &str) -> String {
    let (Some(open), Some(close)) = (path.find('{'), path.find('}')) else {
        return path.rsplit(" => ").next().unwrap_or(path).to_owned();
    };
    let inside = &path[open + 1..close];
    let new = inside.rsplit(" => ").next().unwrap_or(inside);
    format!("{}{new}{}", &path[..open], &path[close + 1..]).replace("//", "/")
}

/// The directory a path is summed under: two levels for crates and examples, one elsewhere,
/// and the file itself at the top level.
fn area(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        [file] => (*file).to_owned(),
        [top @ ("crates" | "examples" | "book"), second, _, ..] => format!("{top}/{second}/"),
        [top, ..] => format!("{top}/"),
        [] => String::new(),
    }
}
