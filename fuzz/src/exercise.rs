//! What the revision-file fuzz targets do with their input: turn it into files (raw bytes, or
//! edits of a valid revision), load them, go as far as the graph, the sum file and a plan, and
//! check that CRLF line ends and a BOM change nothing. Shared with core's regression test
//! (`crates/core/tests/fuzz_regressions.rs`), which replays every input that ever failed.

#![allow(dead_code)] // each target uses one of the entry points

use clipdex_core::{
    AppliedState, Plan, PlanOptions, RevisionGraph, RevisionSet, SourceFile, SumFile, UpgradeTarget,
};

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// `revision_file`: up to four files, separated by 0xFF (a byte no UTF-8 text holds; a 0xFE
/// after it is dropped): two revisions, an included file and the sum file, so that includes
/// and the sum check are reached too.
pub fn revision_file(data: &[u8]) {
    let names = [
        "20260101T0000_a.sql",
        "20260102T0000_b.sql",
        "inc/part.sql",
        "revisions.sum",
    ];
    let files: Vec<SourceFile> = data
        .split(|&byte| byte == 0xFF)
        .zip(names)
        .map(|(bytes, name)| SourceFile::new(name, bytes.strip_prefix(&[0xFE]).unwrap_or(bytes)))
        .collect();
    load_and_compare_line_ends(files);
}

/// A valid revision to start the edits of [`revision_file_structured`] from.
const VALID: &str = "-- revision: aaaa00000001\n-- parents:\n-- message: a valid start\n-- transaction: none\n\n-- +up\nCREATE TABLE t (id int, note text DEFAULT 'a;b');\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_id ON t (id);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\nDO $body$ BEGIN PERFORM 1; END $body$;\n-- +include inc/part.sql\n\n-- +down\nDROP TABLE t;\n";

/// Pieces the edits insert: header keys, markers and the lexer's delimiters.
const PIECES: [&str; 24] = [
    "-- revision: bbbb00000002",
    "-- parents: aaaa00000001",
    "-- parents: aaaa00000001 aaaa00000001",
    "-- message:",
    "-- transaction: per-revision",
    "-- transaction: none",
    "-- colour: blue",
    "-- +up",
    "-- +down",
    "-- +include inc/part.sql",
    "-- +include ../x.sql",
    "-- +sideways",
    "'",
    "\"",
    "$$",
    "$tag$",
    "/*",
    "*/",
    ";",
    "\\i x",
    "E'\\'",
    "BEGIN ATOMIC",
    "END",
    "\r",
];

/// `revision_file_structured`: the input is a list of 3-byte edits (what, which line, which
/// piece) applied to [`VALID`], so that the fuzzer spends its time near the grammar.
pub fn revision_file_structured(data: &[u8]) {
    let mut lines: Vec<String> = VALID.lines().map(str::to_owned).collect();
    for edit in data.chunks_exact(3) {
        let at = usize::from(edit[1]) % (lines.len() + 1);
        let piece = PIECES[usize::from(edit[2]) % PIECES.len()];
        match edit[0] % 5 {
            0 => lines.insert(at, piece.to_owned()),
            1 if at < lines.len() => {
                lines.remove(at);
            }
            2 if at < lines.len() => lines[at].push_str(piece),
            3 if at < lines.len() => lines.insert(at, lines[at].clone()),
            4 if at < lines.len() => lines[at].insert_str(0, piece),
            _ => {}
        }
    }
    let text = lines.join("\n") + "\n";
    let files = vec![
        SourceFile::new("20260101T0000_a.sql", text.into_bytes()),
        SourceFile::new("inc/part.sql", b"INSERT INTO t VALUES (1);\n".to_vec()),
    ];
    load_and_compare_line_ends(files);
}

/// Loads `files`; when none holds a `\r`, loads them again re-saved with CRLF and a BOM and
/// asserts that the outcome (error or revisions, ids, checksums, statements) is the same.
fn load_and_compare_line_ends(files: Vec<SourceFile>) {
    let resaved: Option<Vec<SourceFile>> = files
        .iter()
        .all(|file| !file.bytes.contains(&b'\r') && !file.path.ends_with("revisions.sum"))
        .then(|| files.iter().map(crlf_with_bom).collect());
    let plain = summary(RevisionSet::from_files(files));
    if let Some(resaved) = resaved {
        assert_eq!(
            plain,
            summary(RevisionSet::from_files(resaved)),
            "CRLF line ends and a BOM changed how the files load"
        );
    }
}

/// The file with a UTF-8 BOM in front (unless it has one: two BOMs make another file) and
/// every `\n` written as `\r\n`.
fn crlf_with_bom(file: &SourceFile) -> SourceFile {
    let bom: &[u8] = if file.bytes.starts_with(UTF8_BOM) {
        &[]
    } else {
        UTF8_BOM
    };
    let mut bytes = bom.to_vec();
    for &byte in &file.bytes {
        if byte == b'\n' {
            bytes.push(b'\r');
        }
        bytes.push(byte);
    }
    SourceFile::new(file.path.clone(), bytes)
}

/// What a load came to, comparable across line-end styles: the error's kind, or each
/// revision's id, parents, checksum and statements; the graph and a plan are exercised too.
fn summary(loaded: Result<RevisionSet, clipdex_core::LoadError>) -> Vec<String> {
    let set = match loaded {
        Ok(set) => set,
        Err(error) => return vec![format!("error: {error}")],
    };
    let _ = SumFile::compute(&set).render();
    if let Ok(graph) = RevisionGraph::build(&set) {
        let options = PlanOptions::default();
        let _ = Plan::upgrade(
            &graph,
            &AppliedState::default(),
            &UpgradeTarget::Heads,
            &options,
        );
    }
    set.revisions()
        .iter()
        .map(|revision| {
            let statements: Vec<&str> = revision
                .up()
                .statements()
                .expect("an in-memory set keeps its text")
                .iter()
                .map(|s| s.sql.as_str())
                .collect();
            format!(
                "{} {:?} {} {:?}",
                revision.id(),
                revision.parents(),
                revision.up_checksum(),
                statements
            )
        })
        .collect()
}
