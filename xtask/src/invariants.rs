//! What must never happen, checked on the repository's own files by `cargo test`: `core`
//! reaches no database and no network, no library prints, and the modules of `core`, `runner`
//! and `cli` stand in layers.
//!
//! ARCHITECTURE.md lists these with the other invariants and the tests that guard them. They
//! read manifests, the lock file and sources as text, so they cost nothing to run and need no
//! tool beyond the standard library.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::workspace_root;

/// Crates that would let `core` talk to a database or the network.
const NETWORK_CRATES: &[&str] = &[
    "tokio",
    "tokio-postgres",
    "postgres-protocol",
    "postgres-types",
    "mio",
    "socket2",
    "rustls",
    "tokio-postgres-rustls",
];

/// What a library may not call: output belongs to the binaries, which decide where it goes
/// (the CLI's `--json` promises one document on stdout).
const PRINTING: &[&str] = &[
    "println!",
    "eprintln!",
    "print!(",
    "eprint!(",
    "dbg!(",
    "io::stdout()",
    "io::stderr()",
];

#[test]
fn core_depends_on_nothing_that_reaches_a_database_or_the_network() {
    let root = workspace_root();
    let lock = lock_file(&root.join("Cargo.lock"));
    let mut reached = BTreeSet::new();
    let mut pending: Vec<String> = dependencies(&root.join("crates/core/Cargo.toml"));
    while let Some(name) = pending.pop() {
        if reached.insert(name.clone()) {
            pending.extend(lock.get(&name).into_iter().flatten().cloned());
        }
    }
    let found: Vec<&&str> = NETWORK_CRATES
        .iter()
        .filter(|name| reached.contains(**name))
        .collect();
    assert!(
        found.is_empty(),
        "core reaches {found:?} through {reached:?}"
    );
    for file in rust_files(&root.join("crates/core/src")) {
        let text = code_of(&file);
        for forbidden in ["std::net", "std::process", "tokio"] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}: core never talks to a database, a server or a process",
                file.display()
            );
        }
    }
}

#[test]
fn libraries_never_print() {
    let root = workspace_root();
    let mut printing = BTreeSet::new();
    for file in library_files(&root) {
        let text = code_of(&file);
        if let Some(call) = PRINTING.iter().find(|call| text.contains(**call)) {
            let relative = file.strip_prefix(&root).unwrap_or(&file);
            printing.insert((relative.to_string_lossy().into_owned(), *call));
        }
    }
    assert!(
        printing.is_empty(),
        "libraries return what they have to say (a value, an error, a tracing event); these print: {printing:?}"
    );
}

#[test]
fn the_modules_of_core_runner_and_cli_import_no_module_that_imports_them_back() {
    let root = workspace_root();
    for krate in ["core", "runner", "cli"] {
        let imports = module_imports(&root.join("crates").join(krate).join("src"));
        if let Some(circle) = find_circle(&imports) {
            panic!(
                "{krate}: {} import each other in a circle; put what they share in a module of its own below them",
                circle.join(" -> ")
            );
        }
    }
}

/// For each top-level module of a crate's `src/`, the top-level modules it names as
/// `crate::…`. Test files (`*_tests.rs`, `testing.rs`) are not part of the layers.
fn module_imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let module_of = |path: &Path| {
        let relative = path.strip_prefix(src).expect("a file under src");
        let first = relative.components().next().expect("a path under src");
        let name = first.as_os_str().to_string_lossy();
        name.strip_suffix(".rs").unwrap_or(&name).to_owned()
    };
    let modules: BTreeSet<String> = fs::read_dir(src)
        .expect("read src/")
        .map(|entry| module_of(&entry.expect("an entry of src/").path()))
        .filter(|name| name != "lib" && name != "main")
        .collect();
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(src) {
        let name = file
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let module = module_of(&file);
        if !modules.contains(&module) || name.ends_with("_tests.rs") || name == "testing.rs" {
            continue;
        }
        let named = crate_paths(&code_of(&file));
        let named: Vec<String> = named
            .into_iter()
            .filter(|m| *m != module && modules.contains(m))
            .collect();
        imports.entry(module).or_default().extend(named);
    }
    imports
}

/// The first segment of every `crate::…` path in `code`, `crate::{a, b::c}` included.
fn crate_paths(code: &str) -> Vec<String> {
    let ident = |text: &str| -> String {
        let text = text.trim_start();
        let end = text
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len());
        text[..end].to_owned()
    };
    let mut named = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                named.extend(group.split(',').map(ident));
            }
            None => named.push(ident(rest)),
        }
    }
    named.retain(|name| !name.is_empty());
    named
}

/// One circle of `imports`, if there is any, as the modules along it.
fn find_circle(imports: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        imports: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|on_path| on_path == module) {
            let mut circle = path[start..].to_vec();
            circle.push(module.to_owned());
            return Some(circle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in imports.get(module).into_iter().flatten() {
            if let Some(circle) = visit(next, imports, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    imports
        .keys()
        .find_map(|module| visit(module, imports, &mut Vec::new(), &mut done))
}

/// The `[dependencies]` of a manifest, by package name.
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = fs::read_to_string(manifest).expect("read the manifest");
    let section = text
        .split("\n[")
        .find(|section| section.starts_with("dependencies]"))
        .unwrap_or("");
    section
        .lines()
        .skip(1)
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split(['.', '=', ' ']).next())
        .map(str::to_owned)
        .collect()
}

/// Each package of a lock file, with the names of its dependencies.
fn lock_file(path: &Path) -> BTreeMap<String, Vec<String>> {
    let text = fs::read_to_string(path).expect("read Cargo.lock");
    let mut packages = BTreeMap::new();
    for block in text.split("[[package]]").skip(1) {
        let name = block
            .lines()
            .find_map(|line| line.strip_prefix("name = "))
            .map(|name| name.trim_matches('"').to_owned())
            .expect("every package has a name");
        let dependencies = block
            .split_once("dependencies = [")
            .map(|(_, rest)| rest.split(']').next().unwrap_or(""))
            .unwrap_or("")
            .lines()
            .filter_map(|line| line.trim().trim_end_matches(',').strip_prefix('"'))
            .filter_map(|entry| entry.split([' ', '"']).next())
            .map(str::to_owned)
            .collect();
        packages.insert(name, dependencies);
    }
    packages
}

/// The source files of every library crate: `src/` of each crate with a `src/lib.rs`, without
/// the binaries that may live beside it (`main.rs`, `src/bin/`).
fn library_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let crates = fs::read_dir(root.join("crates")).expect("read crates/");
    for entry in crates.map(|entry| entry.expect("a crate directory")) {
        let src = entry.path().join("src");
        if !src.join("lib.rs").is_file() {
            continue;
        }
        let binary =
            |file: &PathBuf| file.ends_with("main.rs") || file.starts_with(src.join("bin"));
        files.extend(rust_files(&src).into_iter().filter(|file| !binary(file)));
    }
    files
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("read a source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

/// A file's text without its comment lines: doc examples may show `println!`.
fn code_of(file: &Path) -> String {
    let text = fs::read_to_string(file).expect("read a source file");
    let code = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"));
    code.collect::<Vec<_>>().join("\n")
}
