//! A migration file as read from disk: its name for humans and its raw bytes.
//!
//! Keeping the bytes (not a `String`) means the model can report a file that is not UTF-8
//! by name instead of failing to read it, and the checksum sees exactly what is on disk.

use std::fs;
use std::io::{self, Read};
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
    let mut buffer = Vec::new();
    sql_file_paths(dir)?
        .into_iter()
        .map(|path| {
            read_into(&path, &mut buffer)?;
            Ok(SourceFile::new(path, buffer.as_slice()))
        })
        .collect()
}

/// The paths of the regular `*.sql` files directly inside `dir`, sorted by name.
pub(crate) fn sql_file_paths(dir: &Path) -> io::Result<Vec<PathBuf>> {
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
    Ok(paths)
}

/// Replaces `buffer`'s contents with the file at `path`, reusing its allocation.
pub(crate) fn read_into(path: &Path, buffer: &mut Vec<u8>) -> io::Result<()> {
    buffer.clear();
    buffer.reserve(READ_CAPACITY);
    let mut file = fs::File::open(path)?;
    // Read until the end through `Take`: `File`'s own `read_to_end` first asks for the file's
    // size, one more system call per file, which a set of a thousand revisions feels.
    (&mut file).take(u64::MAX).read_to_end(buffer)?;
    Ok(())
}

/// Room for a typical revision file (and far more) in one read.
const READ_CAPACITY: usize = 64 * 1024;

/// A file that could not be read, and why.
#[derive(Debug)]
pub(crate) struct Unreadable {
    pub path: PathBuf,
    pub error: io::Error,
}

/// Reads the files at `paths` and hands each one's path and bytes to `take`, in order; stops
/// at the first that cannot be read. The system calls are most of the cost of a thousand
/// small files, so from [`READ_APART_FROM`] files on the later half is read on a second thread
/// while the first half is read and taken here. Each file's bytes are an allocation of their
/// own, of their exact size, for `take` to keep.
pub(crate) fn read_each(
    mut paths: Vec<PathBuf>,
    mut take: impl FnMut(PathBuf, Vec<u8>),
) -> Result<(), Unreadable> {
    let apart = if paths.len() >= READ_APART_FROM {
        paths.len() / 2
    } else {
        0
    };
    let there = paths.split_off(paths.len() - apart);
    std::thread::scope(|scope| {
        let reading = (!there.is_empty()).then(|| scope.spawn(|| read_all(there)));
        let mut buffer = Vec::new();
        for path in paths {
            read_named(&path, &mut buffer)?;
            take(path, buffer.as_slice().to_vec());
        }
        if let Some(reading) = reading {
            let files = reading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            for (path, bytes) in files {
                take(path, bytes);
            }
        }
        Ok(())
    })
}

/// How many files make a second reading thread worth starting.
const READ_APART_FROM: usize = 64;

/// Every file at `paths`, in order, with its path.
fn read_all(paths: Vec<PathBuf>) -> Result<Vec<(PathBuf, Vec<u8>)>, Unreadable> {
    let mut buffer = Vec::new();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        read_named(&path, &mut buffer)?;
        files.push((path, buffer.as_slice().to_vec()));
    }
    Ok(files)
}

/// [`read_into`], with the path in the error.
fn read_named(path: &Path, buffer: &mut Vec<u8>) -> Result<(), Unreadable> {
    read_into(path, buffer).map_err(|error| Unreadable {
        path: path.to_owned(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_read_is_named_on_either_reading_thread() {
        let dir = tempfile::tempdir().unwrap();
        let count = READ_APART_FROM * 2;
        let paths: Vec<PathBuf> = (0..count)
            .map(|index| dir.path().join(format!("{index:04}.sql")))
            .collect();
        for missing in [1, count - 2] {
            for (index, path) in paths.iter().enumerate() {
                if index == missing {
                    let _ = fs::remove_file(path);
                } else {
                    fs::write(path, format!("select {index};")).unwrap();
                }
            }
            let mut taken = Vec::new();
            let result = read_each(paths.clone(), |path, _| taken.push(path));
            let Unreadable { path, error } = result.unwrap_err();
            assert_eq!(path, paths[missing]);
            assert_eq!(error.kind(), io::ErrorKind::NotFound);
            // Nothing after the missing file is taken, nor anything read on the other thread.
            assert!(
                taken.len() <= missing,
                "{} taken before {missing}",
                taken.len()
            );
        }
    }
}
