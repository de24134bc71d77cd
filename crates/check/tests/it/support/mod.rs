//! Shared by the check tests: a small consistent project in a temporary directory, checked on
//! shadow databases beside a scratch database.
#![allow(dead_code)] // each test binary uses part of it

use std::path::PathBuf;

use check::{CheckKind, CheckOptions, CheckReport, Finding, run_checks};
use clipdex_core::{LoadedMigrations, RevisionSet, SumCheck, SumFile};
use runner::DatabaseUrl;
use shadow::{ShadowConfig, ShadowServer};

/// A project in a temporary directory: `migrations/`, `schema/`, `queries/`.
pub struct Project {
    dir: tempfile::TempDir,
}

pub const EPISODES: &str = "CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL);";
pub const QUOTES: &str = "CREATE TABLE quotes (id bigint PRIMARY KEY, episode_id bigint NOT NULL REFERENCES episodes, body text NOT NULL);\nCREATE INDEX quotes_episode_id_idx ON quotes (episode_id);";

impl Project {
    /// Two revisions, a matching `schema/` and a query that prepares.
    pub fn consistent() -> Project {
        let project = Project {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(project.path("migrations")).unwrap();
        project.revision(
            "001_episodes",
            "aaaa0001",
            "",
            EPISODES,
            Some("DROP TABLE episodes;"),
        );
        project.revision(
            "002_quotes",
            "bbbb0002",
            "aaaa0001",
            QUOTES,
            Some("DROP TABLE quotes;"),
        );
        project.sum();
        project.write("schema/clipdex.sql", &format!("{EPISODES}\n{QUOTES}\n"));
        project.write("queries/episodes.sql", "-- the episode list\nSELECT e.id, e.title\nFROM episodes AS e\nORDER BY e.id DESC\nLIMIT $1;\n");
        project
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn revision(&self, name: &str, id: &str, parents: &str, up: &str, down: Option<&str>) {
        let down = down.map_or(String::new(), |down| format!("\n-- +down\n{down}\n"));
        let text = format!("-- revision: {id}\n-- parents: {parents}\n\n-- +up\n{up}\n{down}");
        self.write(&format!("migrations/{name}.sql"), &text);
    }

    pub fn sum(&self) {
        let set = RevisionSet::read_dir(&self.path("migrations")).unwrap();
        std::fs::write(set.sum_file_path(), SumFile::compute(&set).render()).unwrap();
    }

    pub async fn check(&self, anchor: &scratch::ScratchDatabase) -> CheckReport {
        let loaded =
            LoadedMigrations::read_dir(&self.path("migrations"), SumCheck::Report).unwrap();
        let server = ShadowServer::new(ShadowConfig {
            shadow_url: Some(DatabaseUrl::parse(anchor.url()).unwrap()),
            ..ShadowConfig::default()
        });
        let options = CheckOptions {
            schema_dir: self.path("schema"),
            queries_dir: self.path("queries"),
            ..CheckOptions::default()
        };
        run_checks(&loaded, &server, &options).await.unwrap()
    }
}

pub fn of(report: &CheckReport, check: CheckKind) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.check == check)
        .collect()
}
