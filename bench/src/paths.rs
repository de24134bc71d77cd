//! Where the bench keeps its generated files, installed tools, logs and results.
//!
//! Everything lives under `bench/.work/` (gitignored), so a run never touches the rest of the
//! checkout and a fresh checkout rebuilds it all.

use std::path::{Path, PathBuf};

/// The directories the bench works in.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The workspace root (the parent of `bench/`).
    pub root: PathBuf,
    /// `bench/.work`.
    pub work: PathBuf,
}

impl Paths {
    /// The paths of this checkout.
    pub fn new() -> Paths {
        let bench = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = bench.parent().unwrap_or(bench).to_path_buf();
        Paths {
            work: bench.join(".work"),
            root,
        }
    }

    /// Installed competitors.
    pub fn tools(&self) -> PathBuf {
        self.work.join("tools")
    }

    /// The generated files of the N-revision workload.
    pub fn workload(&self, n: usize) -> PathBuf {
        self.work.join("workloads").join(format!("n{n}"))
    }

    /// The generated schemas of the introspection/diff phase.
    pub fn schemas(&self) -> PathBuf {
        self.work.join("schemas")
    }

    /// One log file per tool, overwritten by each run.
    pub fn logs(&self) -> PathBuf {
        self.work.join("logs")
    }

    /// Markdown reports of past runs.
    pub fn results(&self) -> PathBuf {
        self.work.join("results")
    }

    /// The release build of clipdex-migrate.
    pub fn clipdex_binary(&self) -> PathBuf {
        self.root.join("target/release/clipdex-migrate")
    }

    /// The repository's legacy loop.
    pub fn psql_loop(&self) -> PathBuf {
        self.root.join("scripts/psql-loop.sh")
    }
}
