//! The clipdex schema as a figure, from the catalog PostgreSQL builds: post 9's from the four
//! legacy files (run by the post-9 loop), post 11's from `schema/`. Tables with their columns,
//! foreign keys as edges; in post 11's figure, what post 9 did not have is highlighted.

use std::path::Path;
use std::process::Command;

use super::html;

/// One column: name, type as PostgreSQL prints it, and whether it is part of the primary key.
#[derive(Debug, PartialEq)]
pub struct Column {
    name: String,
    data_type: String,
    not_null: bool,
    primary_key: bool,
}

/// One table and its columns, in column order.
#[derive(Debug)]
pub struct Table {
    name: String,
    columns: Vec<Column>,
}

/// The tables of schema `public`, and their foreign keys as `(from, to, columns)`.
#[derive(Debug, Default)]
pub struct Catalog {
    tables: Vec<Table>,
    foreign_keys: Vec<(String, String, String)>,
}

const COLUMNS: &str = "
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       EXISTS (SELECT FROM pg_index i
               WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey))
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum";

const FOREIGN_KEYS: &str = "
SELECT c.relname, r.relname, string_agg(a.attname, ', ' ORDER BY k.ord)
FROM pg_constraint co
JOIN pg_class c ON c.oid = co.conrelid
JOIN pg_class r ON r.oid = co.confrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(co.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
WHERE co.contype = 'f' AND n.nspname = 'public'
GROUP BY co.oid, c.relname, r.relname
ORDER BY 1, 2, 3";

/// Post 9's and post 11's catalogs, each built on a fresh throwaway database.
pub async fn catalogs(root: &Path) -> Result<(Catalog, Catalog), String> {
    let post_09 = scratch::database()
        .await
        .map_err(|error| format!("a database for the schema figures: {error}"))?;
    let mut legacy = files(&root.join("migrations/legacy"))?;
    legacy.retain(|file| {
        file.file_name().is_some_and(|name| {
            name.to_string_lossy()
                .starts_with(|c: char| c.is_ascii_digit())
        })
    });
    apply(post_09.url(), &legacy)?;
    let post_11 = scratch::database()
        .await
        .map_err(|error| format!("a database for the schema figures: {error}"))?;
    apply(post_11.url(), &files(&root.join("schema"))?)?;
    Ok((read(post_09.url())?, read(post_11.url())?))
}

fn files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    found.sort();
    Ok(found)
}

fn apply(url: &str, files: &[std::path::PathBuf]) -> Result<(), String> {
    for file in files {
        let mut args = vec!["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f"];
        let file = file.to_string_lossy();
        args.push(&file);
        psql(&args)?;
    }
    Ok(())
}

fn read(url: &str) -> Result<Catalog, String> {
    let mut catalog = Catalog::default();
    for row in rows(url, COLUMNS)? {
        let [table, name, data_type, not_null, primary_key] = &row[..] else {
            return Err(format!("unexpected catalog row {row:?}"));
        };
        if catalog.tables.last().is_none_or(|last| last.name != *table) {
            catalog.tables.push(Table {
                name: table.clone(),
                columns: Vec::new(),
            });
        }
        let last = catalog.tables.last_mut().ok_or("no table")?;
        last.columns.push(Column {
            name: name.clone(),
            data_type: data_type.clone(),
            not_null: not_null == "t",
            primary_key: primary_key == "t",
        });
    }
    for row in rows(url, FOREIGN_KEYS)? {
        let [from, to, columns] = &row[..] else {
            return Err(format!("unexpected catalog row {row:?}"));
        };
        catalog
            .foreign_keys
            .push((from.clone(), to.clone(), columns.clone()));
    }
    Ok(catalog)
}

/// The rows of `query`, fields split on the unit separator.
fn rows(url: &str, query: &str) -> Result<Vec<Vec<String>>, String> {
    let text = psql(&["-X", "-A", "-t", "-F", "\u{1f}", "-d", url, "-c", query])?;
    Ok(text
        .lines()
        .map(|line| line.split('\u{1f}').map(str::to_owned).collect())
        .collect())
}

fn psql(args: &[&str]) -> Result<String, String> {
    let program = scratch::pg_bin_dir()
        .map(|dir| dir.join("psql"))
        .unwrap_or_else(|_| "psql".into());
    let output = Command::new(&program)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .map_err(|error| format!("cannot run psql: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "psql failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| "psql wrote non-UTF-8".to_owned())
}

/// The figure: one node per table, one edge per foreign key. With `before`, what it lacks (a
/// table, or a column) is highlighted as new.
pub fn dot(title: &str, catalog: &Catalog, before: Option<&Catalog>) -> String {
    let mut out = String::new();
    out.push_str("// Generated by `cargo xtask diagrams` from the catalog; do not edit.\n");
    out.push_str("digraph schema {\n");
    out.push_str(&format!("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=\"{title}\", nodesep=0.3, ranksep=0.8];\n"));
    out.push_str("  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n");
    for table in &catalog.tables {
        let old = before.and_then(|b| b.tables.iter().find(|t| t.name == table.name));
        out.push_str(&node(table, before.is_some(), old));
    }
    for (from, to, columns) in &catalog.foreign_keys {
        out.push_str(&format!(
            "  \"{from}\" -> \"{to}\" [label=\"{}\"];\n",
            html(columns)
        ));
    }
    out.push_str("}\n");
    out
}

const NEW: &str = "#fff2b3";

fn node(table: &Table, compared: bool, old: Option<&Table>) -> String {
    let header_colour = if compared && old.is_none() {
        NEW
    } else {
        "#dde6f3"
    };
    let mut label = format!(
        "<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr><td colspan=\"2\" bgcolor=\"{header_colour}\"><b>{}</b></td></tr>",
        html(&table.name)
    );
    for column in &table.columns {
        let is_new =
            compared && old.is_none_or(|old| !old.columns.iter().any(|c| c.name == column.name));
        let colour = if is_new {
            format!(" bgcolor=\"{NEW}\"")
        } else {
            String::new()
        };
        let name = if column.primary_key {
            format!("<u>{}</u>", html(&column.name))
        } else {
            html(&column.name)
        };
        let null = if column.not_null { "" } else { "?" };
        label.push_str(&format!(
            "<tr><td align=\"left\"{colour}>{name}</td><td align=\"left\"{colour}><font color=\"#555555\">{}{null}</font></td></tr>",
            html(&column.data_type)
        ));
    }
    label.push_str("</table>>");
    format!("  \"{}\" [label={label}];\n", table.name)
}
