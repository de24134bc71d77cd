//! `cargo xtask diagrams`: the book's figures, generated from the repository with Graphviz.
//!
//! Two kinds of source make the `.dot` files in `book/diagrams/`. The clipdex schema at posts 9
//! and 11 and the revision graph are generated: the schemas from the catalog PostgreSQL builds
//! from `migrations/legacy/` and from `schema/`, the graph from the revision files' headers.
//! The life of a `transaction: none` revision and the shadow-database comparison are drawn by
//! hand, as `.dot` files. `dot` turns each into `book/src/diagrams/NAME.svg`, which the chapters
//! show. Both the generated `.dot` files and the SVGs are committed; `--check` regenerates
//! everything in a temporary directory and fails when a committed file differs, so a figure
//! can never fall behind the schema or the revisions it shows.

mod revisions;
mod schema;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where the `.dot` sources live, generated or drawn by hand.
const SOURCE_DIR: &str = "book/diagrams";

/// Where the SVGs the chapters show are written.
const SVG_DIR: &str = "book/src/diagrams";

/// The `.dot` files this command writes; every other `.dot` in `SOURCE_DIR` is drawn by hand.
const GENERATED: &[&str] = &[
    "schema-post-09.dot",
    "schema-post-11.dot",
    "revision-graph.dot",
];

/// `cargo xtask diagrams [--check]`.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let generated = generate_sources(root)?;
    let sources = source_dir(root);
    let mut stale = Vec::new();
    for (name, text) in &generated {
        let path = sources.join(name);
        if check {
            if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(relative(root, &path));
            }
        } else {
            write(&path, text)?;
        }
    }
    let mut dots = Vec::new();
    for entry in fs::read_dir(&sources).map_err(|error| format!("{SOURCE_DIR}: {error}"))? {
        let path = entry
            .map_err(|error| format!("{SOURCE_DIR}: {error}"))?
            .path();
        if path.extension().is_some_and(|ext| ext == "dot") {
            dots.push(path);
        }
    }
    dots.sort();
    for dot in &dots {
        let name = file_stem(dot);
        // Render from the freshly generated text, so that --check sees what the schema says now.
        let text = match generated
            .iter()
            .find(|(file, _)| file_stem(Path::new(file)) == name)
        {
            Some((_, text)) => text.clone(),
            None => {
                fs::read_to_string(dot).map_err(|error| format!("{}: {error}", dot.display()))?
            }
        };
        let svg = render(&text).map_err(|error| format!("{}: {error}", relative(root, dot)))?;
        let target = root.join(SVG_DIR).join(format!("{name}.svg"));
        if check {
            if fs::read_to_string(&target).ok().as_deref() != Some(svg.as_str()) {
                stale.push(relative(root, &target));
            }
        } else {
            write(&target, &svg)?;
        }
    }
    stale.extend(orphans(root, &dots)?);
    if !stale.is_empty() {
        return Err(format!(
            "stale diagrams (run `cargo xtask diagrams` and commit the result):\n  {}",
            stale.join("\n  ")
        ));
    }
    let verb = if check { "up to date" } else { "written" };
    println!("diagrams {verb}: {} figures", dots.len());
    Ok(())
}

/// The generated `.dot` files' text, by file name.
fn generate_sources(root: &Path) -> Result<Vec<(String, String)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("a runtime: {error}"))?;
    let (post_09, post_11) = runtime.block_on(schema::catalogs(root))?;
    Ok(vec![
        (
            GENERATED[0].to_owned(),
            schema::dot(
                "clipdex at post 9, from migrations/legacy/ (underlined: primary key; ?: nullable)",
                &post_09,
                None,
            ),
        ),
        (
            GENERATED[1].to_owned(),
            schema::dot(
                "clipdex at post 11, from schema/ (yellow: new since post 9)",
                &post_11,
                Some(&post_09),
            ),
        ),
        (GENERATED[2].to_owned(), revisions::dot(root)?),
    ])
}

/// An SVG in `SVG_DIR` whose `.dot` source is gone.
fn orphans(root: &Path, dots: &[PathBuf]) -> Result<Vec<String>, String> {
    let dir = root.join(SVG_DIR);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = dots.iter().map(|dot| file_stem(dot)).collect();
    let mut found = Vec::new();
    for entry in entries {
        let path = entry.map_err(|error| format!("{SVG_DIR}: {error}"))?.path();
        if path.extension().is_some_and(|ext| ext == "svg") && !names.contains(&file_stem(&path)) {
            found.push(format!("{} (no .dot source)", relative(root, &path)));
        }
    }
    Ok(found)
}

/// `dot -Tsvg`, with the one line that names Graphviz's version left out, so that the SVG is
/// a function of the source alone.
fn render(source: &str) -> Result<String, String> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| {
            format!("cannot run Graphviz `dot` ({error}); install the graphviz package")
        })?;
    let mut stdin = child.stdin.take().ok_or("no stdin for dot")?;
    let input = source.to_owned();
    let writer =
        std::thread::spawn(move || std::io::Write::write_all(&mut stdin, input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|error| format!("dot: {error}"))?;
    writer
        .join()
        .map_err(|_| "writing to dot panicked".to_owned())?
        .map_err(|error| format!("dot: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "dot failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let svg = String::from_utf8(output.stdout).map_err(|_| "dot wrote non-UTF-8".to_owned())?;
    Ok(svg
        .lines()
        .filter(|line| !line.starts_with("<!-- Generated by graphviz"))
        .map(|line| format!("{line}\n"))
        .collect())
}

fn source_dir(root: &Path) -> PathBuf {
    root.join(SOURCE_DIR)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    }
    fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}

/// Escapes text for a Graphviz HTML-like label.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
