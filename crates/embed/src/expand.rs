//! What the macro expands to: the directory loaded once at compile time, and one
//! `include_bytes!` per file the revisions use.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clipdex_core::set::SUM_FILE_NAME;
use clipdex_core::{LoadedMigrations, SumCheck};

/// One file to embed: its `/`-separated path inside the migrations directory, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileToEmbed {
    /// Relative to the migrations directory, as `RevisionSet::from_files` expects it.
    pub relative: String,
    /// Absolute, for `include_bytes!`.
    pub absolute: PathBuf,
}

/// The expansion for `relative` (resolved against the calling crate's `CARGO_MANIFEST_DIR`),
/// or every problem, one line each.
pub fn expand(relative: &str) -> Result<String, Vec<String>> {
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        let problem = "embed_migrations!: CARGO_MANIFEST_DIR is not set; build with cargo";
        return Err(vec![problem.to_owned()]);
    };
    let files = files_to_embed(&Path::new(&manifest_dir).join(relative))?;
    Ok(render(&files))
}

/// The files the revisions of `dir` use, and `revisions.sum`, sorted; the directory is checked
/// as at run time (files, graph, sum file), so a set the application would refuse on start-up
/// fails its build instead.
pub fn files_to_embed(dir: &Path) -> Result<Vec<FileToEmbed>, Vec<String>> {
    let dir = dir.canonicalize().map_err(|error| {
        vec![format!(
            "embed_migrations!: cannot read the migrations directory {}: {error}",
            dir.display()
        )]
    })?;
    let loaded = LoadedMigrations::read_dir(&dir, SumCheck::Verify).map_err(|error| {
        error
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    })?;
    let set = loaded.set();
    let sum = set.has_sum_file().then(|| SUM_FILE_NAME.to_owned());
    let mut files: Vec<FileToEmbed> = set
        .used_files()
        .map(|(path, _)| path.to_owned())
        .chain(sum)
        .map(|relative| FileToEmbed {
            absolute: dir.join(&relative),
            relative,
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The identifier the rendered code uses for the `runner` crate, replaced by the crate's path
/// tokens (`$crate`) after parsing.
pub const CRATE_PLACEHOLDER: &str = "__clipdex_runner_crate";

/// `RUNNER::EmbeddedMigrations::new(FILES)`, a constant expression, `RUNNER` being
/// [`CRATE_PLACEHOLDER`]. The list is a `const` item so that it is `'static` in any position,
/// not only in a `static`'s initialiser.
pub fn render(files: &[FileToEmbed]) -> String {
    let runner = CRATE_PLACEHOLDER;
    let mut code = format!("{{\n    const FILES: &[{runner}::EmbeddedFile] = &[\n");
    for file in files {
        let absolute = file.absolute.to_string_lossy();
        // Debug of a str is a valid Rust string literal, escapes included.
        let _ = writeln!(
            code,
            "        {runner}::EmbeddedFile::new({:?}, ::std::include_bytes!({absolute:?})),",
            file.relative
        );
    }
    code.push_str(&format!(
        "    ];\n    {runner}::EmbeddedMigrations::new(FILES)\n}}"
    ));
    code
}

/// One `compile_error!` per line of `message`, as an expression.
pub fn compile_errors(message: &str) -> String {
    let errors: String = message
        .lines()
        .map(|line| format!("::std::compile_error!({line:?});"))
        .collect();
    format!("{{ {errors} }}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repository_migrations() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations")
    }

    #[test]
    fn the_repository_migrations_embed_every_used_file_and_the_sum_file() {
        let files = files_to_embed(&repository_migrations()).unwrap();
        let relative: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(
            relative,
            [
                "20261126T0900_baseline.sql",
                "20261126T1000_episode_view_count.sql",
                "20261126T1030_most_played_and_guest_page_indexes.sql",
                "legacy/001_init.sql",
                "legacy/002_enrich.sql",
                "legacy/003_resolution.sql",
                "legacy/004_search.sql",
                "revisions.sum",
            ]
        );
        assert!(
            files
                .iter()
                .all(|f| f.absolute.is_absolute() && f.absolute.is_file())
        );
    }

    #[test]
    fn the_expansion_includes_each_file_by_absolute_path() {
        let file = FileToEmbed {
            relative: "legacy/001_init.sql".to_owned(),
            absolute: PathBuf::from("/p/migrations/legacy/001_init.sql"),
        };
        let code = render(&[file]);
        assert!(
            code.ends_with("__clipdex_runner_crate::EmbeddedMigrations::new(FILES)\n}"),
            "{code}"
        );
        assert!(
            code.contains(r#"__clipdex_runner_crate::EmbeddedFile::new("legacy/001_init.sql", ::std::include_bytes!("/p/migrations/legacy/001_init.sql")),"#),
            "{code}"
        );
    }

    #[test]
    fn a_broken_or_missing_directory_is_one_error_per_problem() {
        let missing = files_to_embed(Path::new("/nonexistent/migrations")).unwrap_err();
        assert!(
            missing[0].contains("cannot read the migrations directory"),
            "{missing:?}"
        );
        let dir = std::env::temp_dir().join(format!("embed-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("a.sql"),
            "-- revision: nothex\n-- +up\nSELECT 1;\n",
        )
        .unwrap();
        std::fs::write(dir.join("b.sql"), "SELECT 1;\n").unwrap();
        let problems = files_to_embed(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(problems.len() >= 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("a.sql")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("b.sql")), "{problems:?}");
        let code = compile_errors(&problems.join("\n"));
        assert_eq!(
            code.matches("::std::compile_error!(").count(),
            problems.len()
        );
    }
}
