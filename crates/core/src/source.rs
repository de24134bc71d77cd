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

/// Reads the files at `paths` in order and hands each one's path and bytes to `take`, with a
/// taker made by `new_taker` (given how many files it will take); stops at the first file
/// that cannot be read. The system calls are most of the cost of a thousand small files, so
/// from [`READ_APART_FROM`] files on the later half is read, and taken by a taker of its own,
/// on a second thread while the first half is read and taken here. The takers are returned
/// in file order. Each file's bytes are an allocation of their own, of their exact size, for
/// `take` to keep; nothing holds a file after it is taken.
pub(crate) fn read_each<T: Send>(
    mut paths: Vec<PathBuf>,
    new_taker: impl Fn(usize) -> T + Sync,
    take: impl Fn(&mut T, PathBuf, Vec<u8>) + Sync,
) -> Result<(T, Option<T>), Unreadable> {
    let apart = if paths.len() >= READ_APART_FROM {
        paths.len() / 2
    } else {
        0
    };
    let there = paths.split_off(paths.len() - apart);
    std::thread::scope(|scope| {
        let (new_taker, take) = (&new_taker, &take);
        let later = (!there.is_empty()).then(|| scope.spawn(|| take_all(there, new_taker, take)));
        let first = take_all(paths, new_taker, take);
        let later = later.map(|reading| {
            reading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        // The first half's error first: its file comes first.
        Ok((first?, later.transpose()?))
    })
}

/// Every file at `paths`, in order, taken by a new taker.
fn take_all<T>(
    paths: Vec<PathBuf>,
    new_taker: &impl Fn(usize) -> T,
    take: &impl Fn(&mut T, PathBuf, Vec<u8>),
) -> Result<T, Unreadable> {
    let mut taker = new_taker(paths.len());
    let mut buffer = Vec::new();
    for path in paths {
        read_named(&path, &mut buffer)?;
        take(&mut taker, path, buffer.as_slice().to_vec());
    }
    Ok(taker)
}

/// How many files make a second reading thread worth starting.
const READ_APART_FROM: usize = 64;

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
    fn each_half_is_taken_in_order_by_a_taker_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..READ_APART_FROM * 2 + 1)
            .map(|index| dir.path().join(format!("{index:04}.sql")))
            .collect();
        for (index, path) in paths.iter().enumerate() {
            fs::write(path, format!("select {index};")).unwrap();
        }
        let take = |taken: &mut Vec<(PathBuf, Vec<u8>)>, path, bytes| taken.push((path, bytes));
        let (first, later) = read_each(paths.clone(), |_| Vec::new(), take).unwrap();
        let later = later.expect("a second taker from READ_APART_FROM files on");
        assert_eq!(
            (first.len(), later.len()),
            (READ_APART_FROM + 1, READ_APART_FROM)
        );
        for (index, (path, bytes)) in first.into_iter().chain(later).enumerate() {
            assert_eq!(path, paths[index]);
            assert_eq!(bytes, format!("select {index};").into_bytes());
        }
    }

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
            let result = read_each(
                paths.clone(),
                |_| Vec::new(),
                |taken, path, _| taken.push(path),
            );
            let Unreadable { path, error } = result.unwrap_err();
            assert_eq!(path, paths[missing]);
            assert_eq!(error.kind(), io::ErrorKind::NotFound);
        }
    }
}
