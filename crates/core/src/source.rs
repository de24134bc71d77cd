//! A migration file as read from disk: its name for humans and its raw bytes.
//!
//! Keeping the bytes (not a `String`) means the model can report a file that is not UTF-8
//! by name instead of failing to read it, and the checksum sees exactly what is on disk.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One file's name (as shown in messages) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path shown in messages, relative to wherever the set was read from.
    pub path: PathBuf,
    /// The file's bytes, unmodified.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// A file from a name and its contents, for in-memory sets.
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> SourceFile {
        SourceFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// The final component of the path, lossily as UTF-8 (file names are ASCII by rule).
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Reads every regular `*.sql` file directly inside `dir`, sorted by name.
///
/// Subdirectories are not descended into: `migrations/legacy/` belongs to another set.
pub fn read_sql_files(dir: &Path) -> io::Result<Vec<SourceFile>> {
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let is_sql = path.extension().is_some_and(|ext| ext == "sql");
        if is_sql && entry.file_type()?.is_file() {
            paths.push(path);
        }
    }
    // Within one directory, byte order of the paths is name order, and far cheaper to compute
    // than comparing paths component by component.
    paths.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    read_all(&paths)
}

/// Below this many files, one thread reads them all.
const FILES_PER_THREAD: usize = 128;

/// Reads `paths` in order, on a few threads when there are many: at hundreds of files, the
/// open/read/close system calls are most of what a command spends before it reaches the
/// database, and they run in parallel.
fn read_all(paths: &[PathBuf]) -> io::Result<Vec<SourceFile>> {
    let read_chunk = |chunk: &[PathBuf]| -> io::Result<Vec<SourceFile>> {
        chunk
            .iter()
            .map(|path| Ok(SourceFile::new(path.clone(), fs::read(path)?)))
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let chunk_len = paths.len().div_ceil(threads).max(FILES_PER_THREAD);
    if paths.len() <= chunk_len {
        return read_chunk(paths);
    }
    std::thread::scope(|scope| {
        let readers: Vec<_> = paths
            .chunks(chunk_len)
            .map(|chunk| scope.spawn(move || read_chunk(chunk)))
            .collect();
        let mut files = Vec::with_capacity(paths.len());
        for reader in readers {
            let chunk = reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            files.extend(chunk?);
        }
        Ok(files)
    })
}
