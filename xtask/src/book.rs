//! The book's include check.
//!
//! mdBook exits 0 when an `{{#include}}` names a missing file (the directive stays in the page)
//! and renders nothing for a missing anchor. This check closes both holes and enforces the
//! series' rules: code is included by anchor, only from `.rs` files; SQL and golden output are
//! included whole; every migration file is shown somewhere; no line ranges, which drift silently.

use std::fs;
use std::path::{Path, PathBuf};

const DIRECTIVE: &str = "{{#include ";

/// One `{{#include path[:anchor]}}` found in a chapter.
struct Include {
    chapter: PathBuf,
    line: usize,
    target: PathBuf,
    anchor: Option<String>,
}

/// `cargo xtask book-check`.
pub fn check(root: &Path) -> Result<(), String> {
    let src = root.join("book/src");
    let chapters = files_with_extension(&src, "md")?;
    let mut problems = Vec::new();
    let mut included = Vec::new();
    for chapter in &chapters {
        let text = read(chapter)?;
        problems.extend(unclosed_directives(chapter, &text));
        problems.extend(missing_images(chapter, &text));
        for include in includes(chapter, &text) {
            problems.extend(check_include(&include));
            included.push(include.target);
        }
    }
    problems.extend(migrations_not_shown(root, &included)?);
    problems.extend(leftovers_in_html(&root.join("book/book"))?);
    problems.extend(numbered_twice(&root.join("book/book"))?);
    if problems.is_empty() {
        println!("book includes ok: {} chapters", chapters.len());
        return Ok(());
    }
    // Messages name paths relative to the repository, as a reader types them.
    let prefix = format!("{}/", root.display());
    Err(problems.join("\n").replace(&prefix, ""))
}

/// Resolves `.` and `..` lexically, so messages show `migrations/x.sql`, not `book/src/../../…`.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn includes(chapter: &Path, text: &str) -> Vec<Include> {
    let dir = chapter.parent().unwrap_or(Path::new("."));
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find(DIRECTIVE) {
            let escaped = rest[..start].ends_with('\\');
            let after = &rest[start + DIRECTIVE.len()..];
            let Some(end) = after.find("}}") else { break };
            rest = &after[end..];
            if escaped {
                continue;
            }
            let spec = after[..end].trim();
            let (path, anchor) = match spec.split_once(':') {
                Some((path, anchor)) => (path, Some(anchor.to_owned())),
                None => (spec, None),
            };
            found.push(Include {
                chapter: chapter.to_owned(),
                line: index + 1,
                target: normalise(&dir.join(path)),
                anchor,
            });
        }
    }
    found
}

fn check_include(include: &Include) -> Option<String> {
    let at = format!("{}:{}", include.chapter.display(), include.line);
    let target = include.target.display();
    let Ok(text) = fs::read_to_string(&include.target) else {
        return Some(format!("{at}: included file {target} does not exist"));
    };
    let anchor = include.anchor.as_deref()?;
    if anchor.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!(
            "{at}: line-range include of {target} drifts; use an anchor"
        ));
    }
    if include.target.extension().is_none_or(|ext| ext != "rs") {
        return Some(format!(
            "{at}: anchors are only for .rs files; include {target} whole"
        ));
    }
    let has = |marker: &str| {
        text.lines()
            .any(|l| l.trim_end().ends_with(&format!("{marker}: {anchor}")))
    };
    if !has("ANCHOR") || !has("ANCHOR_END") {
        return Some(format!("{at}: anchor `{anchor}` is missing in {target}"));
    }
    None
}

/// A directive mdBook would not even recognise (no closing braces) survives silently.
fn unclosed_directives(chapter: &Path, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains("{{#") && !line.contains("}}"))
        .map(|(index, _)| {
            format!(
                "{}:{}: unclosed {{{{# directive",
                chapter.display(),
                index + 1
            )
        })
        .collect()
}

/// A figure (`![…](diagrams/x.svg)`) or any other image a chapter shows must exist: mdBook
/// renders a broken image without a word.
fn missing_images(chapter: &Path, text: &str) -> Vec<String> {
    let dir = chapter.parent().unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("![") {
            let after = &rest[start..];
            let Some(open) = after.find("](") else { break };
            let target = &after[open + 2..];
            let Some(close) = target.find(')') else { break };
            let path = &target[..close];
            rest = &target[close..];
            if !path.contains("://") && !dir.join(path).is_file() {
                problems.push(format!(
                    "{}:{}: image {path} does not exist",
                    chapter.display(),
                    index + 1
                ));
            }
        }
    }
    problems
}

/// The chapters carry the series' numbers in their titles; mdBook's own section labels
/// (`<strong aria-hidden="true">1.</strong>`) in the sidebar would number each one twice.
fn numbered_twice(build_dir: &Path) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for script in files_with_extension(build_dir, "js")? {
        let name = script.file_name().unwrap_or_default().to_string_lossy();
        if !name.starts_with("toc") {
            continue;
        }
        if read(&script)?.contains("<strong aria-hidden=\"true\">") {
            problems.push(format!(
                "{}: the sidebar numbers chapters that carry their own number; set output.html.no-section-label",
                script.display()
            ));
        }
    }
    Ok(problems)
}

/// Every migration file must be shown, whole, somewhere in the book.
fn migrations_not_shown(root: &Path, included: &[PathBuf]) -> Result<Vec<String>, String> {
    let dir = root.join("migrations");
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let missing = files_with_extension(&dir, "sql")?
        .into_iter()
        .filter(|file| !included.contains(file))
        .map(|file| {
            format!(
                "{}: migration file is not included by any chapter",
                file.display()
            )
        })
        .collect();
    Ok(missing)
}

/// After `mdbook build`, no directive may survive into a page.
fn leftovers_in_html(build_dir: &Path) -> Result<Vec<String>, String> {
    if !build_dir.exists() {
        return Err(format!(
            "{}: not built; run `mdbook build book` first",
            build_dir.display()
        ));
    }
    let mut problems = Vec::new();
    for page in files_with_extension(build_dir, "html")? {
        let text = read(&page)?;
        if let Some(index) = text.lines().position(|line| line.contains("{{#")) {
            problems.push(format!(
                "{}:{}: `{{{{#` survived the build",
                page.display(),
                index + 1
            ));
        }
    }
    Ok(problems)
}

fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            found.extend(files_with_extension(&path, extension)?);
        } else if path.extension().is_some_and(|ext| ext == extension) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
