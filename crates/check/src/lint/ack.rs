//! In-file acknowledgments: `-- check: allow <hazard> — <reason>` on the line (or lines)
//! directly above a statement.
//!
//! A hazard is sometimes the right call (a small table, a maintenance window); the author says
//! so where the statement is, with a reason a reviewer can read. The reason is required. An
//! acknowledgment that matches no hazard of the statement below it is itself reported, so that
//! stale ones do not pile up and a typo in a hazard's name does not silently allow nothing.
//! Comments are found with core's tokens, so a `-- check:` inside a string is not one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clipdex_core::{SqlTokenKind, checksum::normalise, tokenize};

use super::HAZARDS;
use crate::report::{CheckKind, Finding};

/// The rule name of findings about acknowledgments themselves.
pub(crate) const ACKNOWLEDGMENT_RULE: &str = "acknowledgment";

/// One well-formed acknowledgment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Acknowledgment {
    pub hazard: String,
    pub used: bool,
}

/// Every acknowledgment of the files read so far, by file and line.
#[derive(Debug, Default)]
pub(crate) struct Acknowledgments {
    files: BTreeMap<PathBuf, BTreeMap<u32, Acknowledgment>>,
    /// Malformed acknowledgments, reported once per file.
    pub problems: Vec<Finding>,
}

impl Acknowledgments {
    /// Marks and returns whether `hazard` is acknowledged for the statement starting at `line`
    /// of `file`: by an acknowledgment on one of the lines directly above it.
    pub fn allows(&mut self, file: &Path, line: u32, hazard: &str) -> bool {
        let acknowledgments = self.file(file);
        let mut above = line.saturating_sub(1);
        while let Some(found) = acknowledgments.get_mut(&above) {
            if found.hazard == hazard {
                found.used = true;
                return true;
            }
            above = above.saturating_sub(1);
        }
        false
    }

    /// Reads `file`'s acknowledgments (once) so that unused ones can be reported.
    pub fn read(&mut self, file: &Path) {
        self.file(file);
    }

    /// One finding per acknowledgment that allowed nothing.
    pub fn unused(&self) -> Vec<Finding> {
        let mut found = Vec::new();
        for (file, lines) in &self.files {
            for (line, acknowledgment) in lines.iter().filter(|(_, a)| !a.used) {
                let message = format!(
                    "`check: allow {}` matches no {} hazard of the statement directly below it; remove it, or move it right above the statement it is for",
                    acknowledgment.hazard, acknowledgment.hazard
                );
                found.push(rule_finding(message, file, *line));
            }
        }
        found
    }

    fn file(&mut self, file: &Path) -> &mut BTreeMap<u32, Acknowledgment> {
        if !self.files.contains_key(file) {
            let parsed = parse_file(file, &mut self.problems);
            self.files.insert(file.to_owned(), parsed);
        }
        self.files.get_mut(file).expect("inserted above")
    }
}

/// The acknowledgments of `file`: whole-line `-- check:` comments. An unreadable file has none
/// (the revision loaded from it, so this happens only to in-memory sets).
fn parse_file(file: &Path, problems: &mut Vec<Finding>) -> BTreeMap<u32, Acknowledgment> {
    let Ok(bytes) = std::fs::read(file) else {
        return BTreeMap::new();
    };
    let text = String::from_utf8_lossy(&normalise(&bytes)).into_owned();
    let mut found = BTreeMap::new();
    let mut previous_line = 0;
    for token in tokenize(&text) {
        let first_on_line = token.line != previous_line;
        previous_line = token.line;
        let is_line_comment = token.kind == SqlTokenKind::Comment && token.text.starts_with("--");
        let Some(body) = is_line_comment
            .then(|| token.text[2..].trim())
            .and_then(|b| b.strip_prefix("check:"))
        else {
            continue;
        };
        match parse_body(body.trim()) {
            Ok(hazard) if first_on_line => {
                found.insert(
                    token.line,
                    Acknowledgment {
                        hazard,
                        used: false,
                    },
                );
            }
            Ok(_) => problems.push(rule_finding(
                "an acknowledgment must be a comment line of its own, directly above the statement"
                    .to_owned(),
                file,
                token.line,
            )),
            Err(problem) => problems.push(rule_finding(problem, file, token.line)),
        }
    }
    found
}

/// `allow <hazard> — <reason>` → the hazard, or what is wrong with it.
fn parse_body(body: &str) -> Result<String, String> {
    const SHAPE: &str = "write `-- check: allow <hazard> — <reason>`";
    let Some(rest) = body
        .strip_prefix("allow")
        .filter(|r| r.starts_with(char::is_whitespace))
    else {
        return Err(format!("not an acknowledgment: {SHAPE}"));
    };
    let rest = rest.trim_start();
    let hazard: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    if !HAZARDS.contains(&hazard.as_str()) {
        return Err(format!(
            "`{hazard}` is not a hazard the lint knows (known: {})",
            HAZARDS.join(", ")
        ));
    }
    let after = rest[hazard.len()..].trim_start();
    let reason = ["—", "–", "--", "-", ":"]
        .iter()
        .find_map(|dash| after.strip_prefix(dash))
        .map(str::trim)
        .unwrap_or("");
    if reason.is_empty() {
        return Err(format!(
            "the acknowledgment of {hazard} gives no reason: {SHAPE}"
        ));
    }
    Ok(hazard)
}

fn rule_finding(message: String, file: &Path, line: u32) -> Finding {
    Finding {
        rule: Some(ACKNOWLEDGMENT_RULE.to_owned()),
        ..Finding::new(CheckKind::Lint, message).at(file, Some(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_required_and_the_hazard_must_be_known() {
        assert_eq!(
            parse_body("allow set-not-null — a tiny table"),
            Ok("set-not-null".into())
        );
        assert_eq!(
            parse_body("allow set-not-null - a tiny table"),
            Ok("set-not-null".into())
        );
        let missing = parse_body("allow set-not-null").unwrap_err();
        assert!(missing.contains("gives no reason"), "{missing}");
        let dash_only = parse_body("allow set-not-null —  ").unwrap_err();
        assert!(dash_only.contains("gives no reason"), "{dash_only}");
        let unknown = parse_body("allow set-not-nul — typo").unwrap_err();
        assert!(
            unknown.contains("`set-not-nul` is not a hazard"),
            "{unknown}"
        );
        assert!(parse_body("ignore everything").is_err());
    }
}
