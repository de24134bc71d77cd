//! `book/scenarios/import/run.sh`, the import-and-takeover scenario a reader runs, run here on a
//! scratch database with the binary under test; its transcript is the golden file
//! `book/src/output/10-import-takeover.txt` (`CLIPDEX_BLESS=1` rewrites it).

use std::process::Command;

use crate::import_fixture::tool;
use crate::support::repository_root;
use crate::support::transcript::{check_golden, normalise};

#[tokio::test]
async fn the_book_s_import_scenario_takes_over_a_dbmate_database() {
    tool("dbmate");
    let db = scratch::database().await.unwrap();
    let script = repository_root().join("book/scenarios/import/run.sh");
    let output = Command::new("bash")
        .arg(&script)
        .env("CLIPDEX_MIGRATE", env!("CARGO_BIN_EXE_clipdex-migrate"))
        .env("DATABASE_URL", db.url())
        .output()
        .expect("run the scenario");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // dbmate prints its own durations (`in 8.5ms`, `in 891µs`).
    let dbmate_times: String = stdout
        .lines()
        .map(
            |line| match (line.starts_with("Applied: "), line.rfind(" in ")) {
                (true, Some(at)) => format!("{} in …\n", &line[..at]),
                _ => format!("{line}\n"),
            },
        )
        .collect();
    let transcript = normalise(&dbmate_times, &[]);
    assert!(
        transcript.contains("stamped 3 revisions as applied"),
        "{transcript}"
    );
    assert!(transcript.contains("nothing to do"), "{transcript}");
    check_golden("10-import-takeover.txt", &transcript);
}
