//! One reader per format, each turning a directory into [`SourceMigration`]s in the order its
//! tool runs them; [`read`] dispatches and adds what every format shares.

mod dbmate;
mod diesel;
pub(crate) mod flyway;
mod golang_migrate;
mod goose;
mod numbered;
pub(crate) mod sqlx;

use std::path::Path;

use crate::error::ImportError;
use crate::files::{history_table_notes, looks_like};
use crate::format::Format;
use crate::source::{Source, SourceMigration};

/// Reads `dir` as `format` says it is laid out.
pub fn read(format: Format, dir: &Path) -> Result<Source, ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::Unreadable {
            path: dir.to_owned(),
            reason: "not a directory".to_owned(),
        });
    }
    let mut migrations = match format {
        Format::Diesel => diesel::read(dir)?,
        Format::Sqlx => sqlx::read(dir)?,
        Format::Dbmate => dbmate::read(dir)?,
        Format::GolangMigrate => golang_migrate::read(dir)?,
        Format::Goose => goose::read(dir)?,
        Format::Flyway => flyway::read(dir)?,
        Format::Numbered => numbered::read(dir)?,
    };
    if migrations.is_empty() {
        return Err(ImportError::NoMigrations {
            path: dir.to_owned(),
            format,
            looks_like: looks_like(dir, format),
        });
    }
    migrations.iter_mut().for_each(add_history_table_notes);
    Ok(Source {
        format,
        dir: dir.to_owned(),
        migrations,
    })
}

fn add_history_table_notes(migration: &mut SourceMigration) {
    let mut notes = history_table_notes(&migration.up);
    if let Some(down) = &migration.down {
        notes.extend(history_table_notes(down));
    }
    migration.notes.extend(notes);
}
