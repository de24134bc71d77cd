//! Revision ids and file names derived from the source version, so that importing twice
//! writes the same files and a takeover finds the revision of each version the old tool
//! recorded without reading the source directory again.
//!
//! An id is the format's prefix and the version: `diesel_20170804200817`, `sqlx_3`,
//! `flyway_1_2`. A version that does not fit the rules for ids (`[0-9a-z_]`, 64 characters)
//! gets a stable hash instead of its text.

use clipdex_core::header::check_id;
use sha2::{Digest, Sha256};

use crate::format::Format;
use crate::formats::flyway;

/// The id of the revision imported from `format`'s migration `version`.
pub fn revision_id(format: Format, version: &str) -> String {
    let prefix = format.id_prefix();
    let readable = format!(
        "{prefix}_{}",
        version.to_ascii_lowercase().replace('.', "_")
    );
    if check_id(&readable).is_ok() && !version.bytes().any(|b| b.is_ascii_uppercase()) {
        return readable;
    }
    let digest = Sha256::digest(version.as_bytes());
    let hex: String = digest[..6]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("{prefix}_{hex}")
}

/// A version as a history table holds it, in the form a [`SourceMigration`]'s version takes
/// (`Flyway`'s `1.0` is `1`, a numeric column's value is its digits); `None` when it cannot be
/// one of that format's versions.
///
/// [`SourceMigration`]: crate::SourceMigration
pub fn normalize_version(format: Format, recorded: &str) -> Option<String> {
    let recorded = recorded.trim();
    match format {
        Format::Flyway => flyway::version_key(recorded).map(|key| flyway::display(&key)),
        Format::Sqlx | Format::Goose => recorded.parse::<i64>().ok().map(|v| v.to_string()),
        Format::GolangMigrate => recorded.parse::<u64>().ok().map(|v| v.to_string()),
        Format::Numbered => recorded.parse::<u32>().ok().map(|v| v.to_string()),
        Format::Diesel => Some(recorded.replace('-', "")),
        Format::Dbmate => Some(recorded.to_owned()),
    }
}

/// How long the name part of a file name may get.
const MAX_SLUG: usize = 48;

/// `<id>_<slug>.sql`: the id first, so an imported history lists in its own order.
pub fn file_name(id: &str, name: &str) -> String {
    let lowered = name.to_ascii_lowercase();
    let mut slug = String::new();
    for word in lowered
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if slug.len() + word.len() + 1 > MAX_SLUG {
            break;
        }
        if !slug.is_empty() {
            slug.push('_');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        format!("{id}.sql")
    } else {
        format!("{id}_{slug}.sql")
    }
}
