//! Numbered plain files, `NNN_slug.sql`: post 9's layout, run by a loop in name order, up
//! only. Post 9's own model of them (`clipdex_core::numbered`) decides what a valid set is —
//! no gap, no shared number, names that parse, one width — so the import refuses exactly what
//! `check` would flag about such a set.

use std::path::Path;

use crate::numbered_set::NumberedSet;

use crate::error::ImportError;
use crate::files::{message_of, read_text, wrong_format};
use crate::format::Format;
use crate::source::{SourceMigration, SourceSection, SourceTransaction};

const FORMAT: Format = Format::Numbered;

pub(crate) fn read(dir: &Path) -> Result<Vec<SourceMigration>, ImportError> {
    let set = NumberedSet::read_dir(dir).map_err(|error| ImportError::Unreadable {
        path: dir.to_owned(),
        reason: error.source.to_string(),
    })?;
    if let Some(problem) = set.problems().first() {
        return Err(ImportError::Numbered {
            problem: problem.clone(),
        });
    }
    set.files()
        .iter()
        .map(|file| {
            let (_, text) = read_text(&file.path)?;
            if text.lines().any(|line| {
                let line = line.trim_start();
                line.starts_with("-- migrate:") || line.starts_with("-- +goose")
            }) {
                let reason = "it holds another tool's section markers";
                return Err(wrong_format(dir, &file.path, FORMAT, reason));
            }
            Ok(SourceMigration {
                version: file.number.to_string(),
                name: message_of(&file.slug),
                up: SourceSection::whole(&file.path, text),
                down: None,
                transaction: SourceTransaction::Default,
                recorded_checksum: None,
                notes: Vec::new(),
            })
        })
        .collect()
}
