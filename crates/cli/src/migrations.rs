//! The migrations directory as the commands show it: its path, and a warning about heads.
//!
//! Loading and checking it is `core`'s ([`clipdex_core::LoadedMigrations`]): any problem
//! stops the run with exit 3 before a database is even looked for. Several heads are not an
//! error there — `heads` and `merge` exist to deal with them — but every command warns about
//! them, here.

use std::path::{Path, PathBuf};

use clipdex_core::RevisionGraph;

use crate::output::Output;

/// `dir` as messages show it: relative to `cwd` when inside it, so lines read
/// `migrations/x.sql:3:` rather than a long absolute path.
pub fn shown_path(dir: &Path, cwd: &Path) -> PathBuf {
    match dir.strip_prefix(cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => dir.to_path_buf(),
    }
}

/// One warning line when the graph has several heads, naming them and the fix.
pub fn warn_about_heads(graph: &RevisionGraph, out: &Output) {
    let heads = graph.heads();
    if heads.len() < 2 {
        return;
    }
    let named: Vec<String> = heads
        .iter()
        .map(|head| format!("{} ({})", head.id(), head.path().display()))
        .collect();
    out.warning(format_args!(
        "{} heads: {}; join them with `clipdex-migrate merge`",
        heads.len(),
        named.join(", ")
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_the_working_directory_are_shown_relative() {
        let cwd = Path::new("/p");
        assert_eq!(
            shown_path(Path::new("/p/migrations"), cwd),
            Path::new("migrations")
        );
        assert_eq!(shown_path(Path::new("/p"), cwd), Path::new("."));
        assert_eq!(shown_path(Path::new("/q/m"), cwd), Path::new("/q/m"));
    }
}
