//! A shadow server of another major PostgreSQL version than the target's is refused by every
//! command that compares schemas with the target (`drift`, `stamp --verify`, `check`,
//! `revision --autogenerate`), with one line naming both versions and the ways out; the
//! refusal is waived by `--allow-version-mismatch`. The other version's server is the
//! development cluster of a directory of its own, started from the binaries
//! `scripts/install-postgres.sh` installs (CI installs them before the tests).

use std::path::PathBuf;
use std::process::Command;

use crate::support::{self, BASELINE, Project, repository_root, run_in};

/// A development cluster of another major version, destroyed on drop.
struct OtherVersion {
    dir: PathBuf,
    bin_dir: String,
    url: String,
    major: u32,
}

impl OtherVersion {
    /// PostgreSQL 13, or 18 when the test servers already run 13.
    async fn start(ours: u32) -> OtherVersion {
        let major = if ours == 13 { 18 } else { 13 };
        let script = repository_root().join("scripts/install-postgres.sh");
        let output = Command::new("bash")
            .arg(&script)
            .args(["--bindir", &major.to_string()])
            .output()
            .expect("run scripts/install-postgres.sh");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "PostgreSQL {major} is needed: scripts/install-postgres.sh {major} failed: {stderr}"
        );
        let bin_dir = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        let dir = std::env::temp_dir().join(format!("cdx-vers-{}", std::process::id()));
        let mut other = OtherVersion {
            dir,
            bin_dir,
            url: String::new(),
            major,
        };
        let up = other.dev(&["dev", "up"]);
        other.url = up.expect_code(0).stdout.trim().to_owned();
        other
    }

    fn dev(&self, args: &[&str]) -> support::Run {
        let env = [
            ("CLIPDEX_DEV_DIR", self.dir.to_str().unwrap()),
            ("CLIPDEX_PG_BINDIR", self.bin_dir.as_str()),
        ];
        run_in(&repository_root(), args, &env)
    }
}

impl Drop for OtherVersion {
    fn drop(&mut self) {
        let destroyed = self.dev(&["dev", "destroy"]);
        if destroyed.code != 0 {
            eprintln!("could not destroy {}: {destroyed}", self.dir.display());
        }
    }
}

#[tokio::test]
async fn a_shadow_server_of_another_major_version_is_refused_unless_allowed() {
    let db = scratch::database().await.unwrap();
    let client = support::connect(db.url()).await;
    let ours: i32 = client
        .query_one(
            "SELECT current_setting('server_version_num')::int / 10000",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let ours = u32::try_from(ours).unwrap();
    let other = OtherVersion::start(ours).await;
    let project = Project::repository();
    project.run_on(db.url(), &["upgrade", "-q"]).expect_code(0);

    let shadowed = |args: &[&str]| {
        let mut all = vec![
            "--database-url",
            db.url(),
            "--shadow-url",
            other.url.as_str(),
        ];
        all.extend_from_slice(args);
        project.run(&all)
    };
    let expected = format!(
        "runs PostgreSQL {} and the target database PostgreSQL {ours}: ",
        other.major
    );
    for args in [
        &["drift"][..],
        &["stamp", BASELINE, "--verify"],
        &["check"],
        &["revision", "--autogenerate", "-m", "x"],
    ] {
        let run = shadowed(args);
        run.expect_code(4);
        let errors = run.error_lines();
        assert_eq!(errors.len(), 1, "{args:?}: {run}");
        assert!(errors[0].contains(&expected), "{args:?}: {run}");
        assert!(
            errors[0].ends_with("or pass --allow-version-mismatch"),
            "{run}"
        );
    }
    let allowed = shadowed(&["drift", "--allow-version-mismatch", "--json"]);
    assert!(matches!(allowed.code, 0 | 1), "{allowed}");
    let shadow = allowed.json()["shadow"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(shadow.ends_with("(the shadow URL)"), "{allowed}");
}
