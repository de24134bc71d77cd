//! `schema`: the revisions' head schema must equal the declared schema of `schema/`.
//!
//! Both are catalogs PostgreSQL built, compared by definition, never by text. Each differing
//! object is one finding that names the `schema/` file declaring it, and the report carries
//! the SQL both ways: what a new revision would have to run, and the reverse.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schema::Catalog;
use shadow::DeclaredSchema;

use crate::inventory::{Difference, Entry, ObjectKey, differences, inventory};
use crate::report::{CheckKind, CheckReport, Finding};

/// Compares `head` (the revisions replayed) with `declared`, adding findings and diffs.
pub(crate) fn compare(
    head: &Catalog,
    declared: &DeclaredSchema,
    schema_dir: &Path,
    report: &mut CheckReport,
) {
    if *head == declared.catalog {
        return;
    }
    let head_objects = inventory(head);
    let declared_objects = inventory(&declared.catalog);
    let origins = Origins::of(declared);
    let found: Vec<Finding> = differences(&head_objects, &declared_objects)
        .iter()
        .map(|difference| finding(difference, &origins, schema_dir))
        .collect();
    let none_found = found.is_empty();
    report.findings.extend(found);
    if none_found {
        // Equal object by object yet unequal as catalogs: say so rather than nothing.
        let message = format!(
            "the revisions' head schema and {} differ (see the SQL below)",
            dir_name(schema_dir)
        );
        report
            .findings
            .push(Finding::new(CheckKind::Schema, message));
    }
    add_diffs(head, &declared.catalog, &dir_name(schema_dir), report);
}

/// The SQL both ways: what a new revision would run, and back.
fn add_diffs(head: &Catalog, declared: &Catalog, dir: &str, report: &mut CheckReport) {
    let up = diff_sql(head, declared);
    let title = format!("what a new revision would run to make the revisions' head equal {dir}");
    report.diff(CheckKind::Schema, title, up);
    let down = diff_sql(declared, head);
    let title = format!("and the reverse: from {dir} back to the revisions' head");
    report.diff(CheckKind::Schema, title, down);
}

/// The SQL from one catalog to the other, or, when none can be written, why, as a comment.
pub(crate) fn diff_sql(from: &Catalog, to: &Catalog) -> String {
    match schema::diff(from, to) {
        Ok(diff) => diff.to_sql(),
        Err(error) => format!("-- no SQL can be written: {error}\n"),
    }
}

fn finding(difference: &Difference<'_>, origins: &Origins, schema_dir: &Path) -> Finding {
    let dir = dir_name(schema_dir);
    match difference {
        Difference::OnlyInSecond((kind, name)) => {
            let file = origins.file_of(&(kind, name.clone()));
            // A finding located at its file is printed after the file: do not name it twice.
            let who = file.map_or_else(|| format!("{dir} "), |_| String::new());
            let message = format!("{who}declares {kind} {name}, which no revision creates");
            located(message, file)
        }
        Difference::OnlyInFirst((kind, name)) => {
            let message =
                format!("the revisions create {kind} {name}, which {dir} does not declare");
            Finding::new(CheckKind::Schema, message)
        }
        Difference::Changed(key, head, declared) => {
            let (kind, name) = key;
            let file = origins.file_of(key);
            let who = file.map_or_else(|| dir.to_string(), |_| "the file".to_owned());
            let message = match (head, declared) {
                (Some(head), Some(declared)) if head != declared => {
                    format!(
                        "{kind} {name} differs: the revisions make `{head}`, {who} declares `{declared}`"
                    )
                }
                _ => format!("{kind} {name} is defined differently by the revisions and by {who}"),
            };
            located(message, file)
        }
    }
}

fn located(message: String, file: Option<&Path>) -> Finding {
    let finding = Finding::new(CheckKind::Schema, message);
    match file {
        Some(file) => finding.at(file, None),
        None => finding,
    }
}

/// Which `schema/` file first declared each object.
struct Origins {
    first_file: BTreeMap<ObjectKey, PathBuf>,
}

impl Origins {
    fn of(declared: &DeclaredSchema) -> Origins {
        let mut first_file = BTreeMap::new();
        for file in &declared.files {
            let objects: BTreeMap<ObjectKey, Entry> = inventory(&file.catalog_after);
            for key in objects.into_keys() {
                first_file.entry(key).or_insert_with(|| file.path.clone());
            }
        }
        Origins { first_file }
    }

    fn file_of(&self, key: &ObjectKey) -> Option<&Path> {
        self.first_file.get(key).map(PathBuf::as_path)
    }
}

/// The `schema/` file that first declares table `name`.
pub(crate) fn file_declaring_table(
    declared: &DeclaredSchema,
    name: &schema::QualifiedName,
) -> Option<PathBuf> {
    let key = ("table", crate::inventory::short(name));
    Origins::of(declared).file_of(&key).map(Path::to_path_buf)
}

/// `schema/`: a directory as messages name it.
pub(crate) fn dir_name(dir: &Path) -> String {
    format!("{}/", dir.display().to_string().trim_end_matches('/'))
}
