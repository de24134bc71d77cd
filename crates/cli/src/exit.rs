//! The exit codes, the one contract scripts and CI rely on without reading any text.
//!
//! [`Exit::meaning`] is the one table of what each code means: `--help` and the man page
//! print it, and a test checks that `crates/cli/README.md` carries it word for word
//! ([`Exit::markdown_table`]), so the three cannot drift apart.
//!
//! Which error gets which code is decided in [`crate::diagnose`], from the errors' own kinds;
//! this module only names the codes, and how a command that did not fail ended
//! ([`Verdict`]).

/// Why the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success,
    /// 1: `check`/`drift` found a problem.
    CheckFailed,
    /// 2: usage or configuration error.
    Usage,
    /// 3: the migration files are invalid (parse, graph, sum file).
    InvalidMigrations,
    /// 4: refused by a safety check.
    Refused,
    /// 5: a statement failed in the database.
    StatementFailed,
    /// 6: cannot reach the database, or lost it mid-run.
    Unreachable,
    /// 7: any other error.
    Other,
    /// 8: `current --exit-code` found the database behind its migrations.
    Behind,
    /// 9: `fleet`: some targets failed or did not start; the others are done.
    TargetsFailed,
}

impl Exit {
    /// Every code, in order.
    pub const ALL: [Exit; 10] = [
        Exit::Success,
        Exit::CheckFailed,
        Exit::Usage,
        Exit::InvalidMigrations,
        Exit::Refused,
        Exit::StatementFailed,
        Exit::Unreachable,
        Exit::Other,
        Exit::Behind,
        Exit::TargetsFailed,
    ];

    /// What the code means, as documented.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Success => "success",
            Exit::CheckFailed => "`check`/`drift` found a problem",
            Exit::Usage => "usage or configuration error",
            Exit::InvalidMigrations => "the migration files are invalid (parse, graph, sum file)",
            Exit::Refused => {
                "refused by a safety check (edited/unknown/out-of-order revision, several heads, irreversible, non-empty database, partial revision)"
            }
            Exit::StatementFailed => {
                "a statement failed in the database (rolled back, or left resumable)"
            }
            Exit::Unreachable => {
                "cannot reach the database (connect, authentication, TLS, lock wait timed out), or lost it mid-run"
            }
            Exit::Other => "any other error (I/O, internal)",
            Exit::Behind => {
                "`current --exit-code`: revisions are pending or one is partially applied"
            }
            Exit::TargetsFailed => {
                "`fleet`: some targets failed or never started, the others succeeded; the report names each (codes 2–7 when no target could start)"
            }
        }
    }

    /// The table as Markdown, as `crates/cli/README.md` has it.
    pub fn markdown_table() -> String {
        let mut table = String::from("| code | meaning |\n|---|---|\n");
        for exit in Exit::ALL {
            table.push_str(&format!("| {} | {} |\n", exit.code(), exit.meaning()));
        }
        table
    }

    /// The table as plain text, for `--help` and the man page.
    pub fn text_table() -> String {
        let lines: Vec<String> = Exit::ALL
            .iter()
            .map(|exit| format!("  {}  {}", exit.code(), exit.meaning().replace('`', "")))
            .collect();
        lines.join("\n")
    }

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::CheckFailed => 1,
            Exit::Usage => 2,
            Exit::InvalidMigrations => 3,
            Exit::Refused => 4,
            Exit::StatementFailed => 5,
            Exit::Unreachable => 6,
            Exit::Other => 7,
            Exit::Behind => 8,
            Exit::TargetsFailed => 9,
        }
    }

    /// The `kind` of a `--json` error document.
    pub fn kind(self) -> &'static str {
        match self {
            Exit::Success => "success",
            Exit::CheckFailed => "check_failed",
            Exit::Usage => "usage",
            Exit::InvalidMigrations => "invalid_migrations",
            Exit::Refused => "refused",
            Exit::StatementFailed => "statement_failed",
            Exit::Unreachable => "unreachable",
            Exit::Other => "other",
            Exit::Behind => "behind",
            Exit::TargetsFailed => "targets_failed",
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> std::process::ExitCode {
        std::process::ExitCode::from(exit.code())
    }
}

/// How a command that ran to its end went. `check` and `drift` print a report that may list
/// problems and then end with exit 1, without an error: the report is the one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing to report beyond the output.
    Clean,
    /// The report printed lists problems.
    ProblemsReported,
    /// `current --exit-code`: the database is behind its migrations.
    Behind,
    /// A fleet's report lists targets that failed or never started.
    TargetsFailed,
}

impl From<Verdict> for Exit {
    fn from(verdict: Verdict) -> Exit {
        match verdict {
            Verdict::Clean => Exit::Success,
            Verdict::ProblemsReported => Exit::CheckFailed,
            Verdict::Behind => Exit::Behind,
            Verdict::TargetsFailed => Exit::TargetsFailed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_has_the_exit_code_table_word_for_word() {
        let readme = include_str!("../README.md");
        let table = Exit::markdown_table();
        assert!(
            readme.contains(&table),
            "crates/cli/README.md must contain, under \"Exit codes\":\n{table}"
        );
    }

    #[test]
    fn codes_are_distinct_and_in_order() {
        let codes: Vec<u8> = Exit::ALL.iter().map(|exit| exit.code()).collect();
        assert_eq!(codes, (0..10).collect::<Vec<u8>>());
    }
}
