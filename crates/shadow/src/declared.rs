//! The declared schema: the `*.sql` files of `schema/`, applied in name order to a shadow
//! database.
//!
//! Each file is split with core's splitter and sent statement by statement, outside any
//! transaction, so an error names `schema/file.sql:line:col` and a `CREATE INDEX CONCURRENTLY`
//! a reader wrote there works. Which file declared what is known by reading the catalog after
//! each file: `check` uses it to say "schema/clipdex.sql declares column …".

use std::path::{Path, PathBuf};

use clipdex_core::checksum::normalise;
use clipdex_core::{Statement, TransactionMode, split_statements};
use schema::Catalog;

use crate::database::ShadowDatabase;
use crate::error::ShadowError;

/// The declared schema as PostgreSQL made it, and what each file added.
#[derive(Debug, Clone)]
pub struct DeclaredSchema {
    /// The catalog after every file ran.
    pub catalog: Catalog,
    /// The files in the order they ran, each with the catalog right after it. With one file,
    /// its catalog is `catalog`.
    pub files: Vec<DeclaredFile>,
}

/// One file of `schema/` and the catalog after it ran.
#[derive(Debug, Clone)]
pub struct DeclaredFile {
    /// The file, as `schema_dir.join(name)`.
    pub path: PathBuf,
    /// The catalog once this file (and every file before it) ran.
    pub catalog_after: Catalog,
}

/// Whether a declared-schema directory exists: `check` skips the comparison without one.
pub fn has_declared_schema(dir: &Path) -> bool {
    dir.is_dir()
}

/// The statements of every `*.sql` file directly in `dir`, by file, in name order.
pub fn read_schema_files(dir: &Path) -> Result<Vec<(PathBuf, Vec<Statement>)>, ShadowError> {
    let unreadable = |path: &Path, error: std::io::Error| ShadowError::Unreadable {
        path: path.to_owned(),
        reason: error.to_string(),
    };
    let files =
        clipdex_core::source::read_sql_files(dir).map_err(|error| unreadable(dir, error))?;
    let mut read = Vec::with_capacity(files.len());
    for file in files {
        let text = String::from_utf8(normalise(&file.bytes).into_owned()).map_err(|_| {
            ShadowError::Unreadable {
                path: file.path.clone(),
                reason: "not UTF-8".to_owned(),
            }
        })?;
        let statements = split_statements(&text, &file.path)?;
        read.push((file.path, statements));
    }
    Ok(read)
}

/// Applies the files of `dir` to `database`, reading the catalog after each when there are
/// several.
pub async fn apply_schema_dir(
    database: &ShadowDatabase,
    dir: &Path,
) -> Result<DeclaredSchema, ShadowError> {
    let files = read_schema_files(dir)?;
    let several = files.len() > 1;
    let mut declared = Vec::with_capacity(files.len());
    for (path, statements) in &files {
        database
            .run_statements(statements, TransactionMode::NoTransaction)
            .await?;
        if several {
            let catalog_after = database.catalog().await?;
            declared.push(DeclaredFile {
                path: path.clone(),
                catalog_after,
            });
        }
    }
    let catalog = match declared.last() {
        Some(last) => last.catalog_after.clone(),
        None => database.catalog().await?,
    };
    if !several && let Some((path, _)) = files.into_iter().next() {
        declared.push(DeclaredFile {
            path,
            catalog_after: catalog.clone(),
        });
    }
    Ok(DeclaredSchema {
        catalog,
        files: declared,
    })
}
