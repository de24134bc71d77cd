//! One case of the bad-input corpus: read from its directory, set up in a project and a
//! database of its own, run through the binary, and judged. What each file of a case means is
//! in `tests/bad-input/README.md`.

use std::path::{Path, PathBuf};

use files::{copy_dir, free_port, password_cluster, resave, socket_host, write_large_file};

use crate::reliability::oracle::{self, Scope, State};
use crate::support::{Run, run_in};

#[path = "files.rs"]
mod files;

/// The password of the role that the wrong-password cases try to log in as.
const PASSWORD: &str = "bad-input-Sentinel-77";

/// How the case reaches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// The case's fresh database, as the admin (or as the case's limited role).
    Database,
    /// A TCP port nothing listens on.
    Unreachable,
    /// A TCP server that asks for a password, with the wrong one.
    WrongPassword,
    /// The right server, a database that does not exist.
    NoSuchDatabase,
    /// This text as the URL (`{url}` is the case database's URL).
    Raw(String),
}

/// A case as read from its directory.
#[derive(Debug)]
pub struct Case {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
    sum: bool,
    before_exit: i32,
    resave: Option<String>,
    sql: Vec<String>,
    limited_role: bool,
    target: Target,
    large_file: bool,
    /// `None` when the case has no `expected.txt` yet.
    expected: Option<Expected>,
}

/// `expected.txt`: the exit code, the exact first line, and where the error points.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    exit: i32,
    first_line: String,
    at: Option<String>,
}

/// What running a case found.
#[derive(Debug)]
pub struct Outcome {
    pub name: String,
    pub problems: Vec<String>,
    pub leaked_write: bool,
    pub elapsed: std::time::Duration,
}

impl Case {
    /// Reads `setup.txt` (optional) and `expected.txt` of the case in `dir`.
    pub fn load(dir: &Path) -> Case {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let setup = std::fs::read_to_string(dir.join("setup.txt")).unwrap_or_default();
        let mut case = Case {
            name,
            dir: dir.to_owned(),
            args: vec!["upgrade".into()],
            sum: true,
            before_exit: 0,
            resave: None,
            sql: Vec::new(),
            limited_role: false,
            target: Target::Database,
            large_file: false,
            expected: read_expected(dir),
        };
        for (key, value) in key_values(&setup) {
            case.set(&key, value);
        }
        case
    }

    fn set(&mut self, key: &str, value: String) {
        match key {
            "args" => self.args = value.split_whitespace().map(str::to_owned).collect(),
            "sum" => self.sum = value != "none",
            "before-exit" => self.before_exit = value.parse().expect("before-exit: a code"),
            "resave" => self.resave = Some(value),
            "sql" => self.sql.push(value),
            "role" => self.limited_role = value == "limited",
            "generate" => self.large_file = value == "50MB",
            "url" => self.target = target(&value),
            other => panic!("{}: unknown setup key {other}", self.name),
        }
    }

    /// Sets the case up, runs it, and judges it.
    pub async fn run(self) -> Outcome {
        let started = std::time::Instant::now();
        let project = tempfile::tempdir().expect("a project dir");
        let (db, cluster_port) = self.database().await;
        let mut env = Environment::new(db.name(), cluster_port);
        env.replace(&project.path().display().to_string(), "<PROJECT>");
        env.replace(&socket_host(db.url()), "<SOCKET>");
        self.prepare(project.path(), db.url(), &mut env).await;
        let url = self.url(db.url(), &mut env);
        let scope = Scope::with_roles(&env.role);
        let before = oracle::capture(db.url(), &scope).await;
        let mut args = vec!["--database-url", url.as_str()];
        args.extend(self.args.iter().map(String::as_str));
        let run = run_in(project.path(), &args, &[]);
        args.push("--json");
        let json = run_in(project.path(), &args, &[]);
        let after = oracle::capture(db.url(), &scope).await;
        let mut outcome = self.judge(&run, &json, &env, &before, &after);
        outcome.elapsed = started.elapsed();
        outcome
    }

    async fn database(&self) -> (scratch::ScratchDatabase, Option<u16>) {
        if self.target != Target::WrongPassword {
            return (scratch::database().await.expect("a database"), None);
        }
        let cluster = password_cluster();
        let db = cluster.create_database().await.expect("a database");
        (db, Some(cluster.port()))
    }

    /// Files first (the large file, the sum, the `before` set, re-saving), then the database.
    async fn prepare(&self, project: &Path, url: &str, env: &mut Environment) {
        copy_dir(&self.dir.join("migrations"), &project.join("migrations"));
        let config = self.dir.join("clipdex-migrate.toml");
        if config.exists() {
            std::fs::copy(&config, project.join("clipdex-migrate.toml")).unwrap();
        }
        if self.large_file {
            write_large_file(&project.join("migrations"));
        }
        if self.sum {
            run_in(project, &["sum"], &[]);
        }
        if self.dir.join("before").exists() {
            self.apply_before(project, url);
        }
        if let Some(style) = &self.resave {
            resave(&project.join("migrations"), style);
        }
        let admin = crate::support::connect(url).await;
        if self.limited_role {
            let role = env.role.clone();
            let create = format!("CREATE ROLE \"{role}\" LOGIN");
            admin.batch_execute(&create).await.expect("create the role");
        }
        for sql in &self.sql {
            let sql = sql.replace("{role}", &env.role).replace("{db}", &env.db);
            admin
                .batch_execute(&sql)
                .await
                .expect("the case's setup SQL");
        }
    }

    /// Applies `before/` (summed in a copy) to the database: the state the case starts from.
    fn apply_before(&self, project: &Path, url: &str) {
        copy_dir(&self.dir.join("before"), &project.join("before"));
        let dir = ["--migrations-dir", "before"];
        run_in(project, &[&dir[..], &["sum"]].concat(), &[]).expect_code(0);
        let upgrade = [&dir[..], &["--database-url", url, "upgrade"]].concat();
        let run = run_in(project, &upgrade, &[]);
        assert_eq!(run.code, self.before_exit, "{}: before/:\n{run}", self.name);
    }

    fn url(&self, db_url: &str, env: &mut Environment) -> String {
        match &self.target {
            Target::Database if self.limited_role => {
                db_url.replacen("postgres@", &format!("{}@", env.role), 1)
            }
            Target::Database => db_url.to_owned(),
            Target::Unreachable => {
                let port = free_port();
                env.replace(&port.to_string(), "<PORT>");
                format!("postgresql://postgres@127.0.0.1:{port}/{}", env.db)
            }
            Target::WrongPassword => {
                let port = env.cluster_port.expect("the password cluster");
                format!(
                    "postgresql://bad_input_pw:{PASSWORD}-wrong@127.0.0.1:{port}/{}",
                    env.db
                )
            }
            Target::NoSuchDatabase => db_url.replacen(&env.db, "no_such_database", 1),
            Target::Raw(text) => text.replace("{url}", db_url),
        }
    }

    fn judge(
        &self,
        run: &Run,
        json: &Run,
        env: &Environment,
        before: &State,
        after: &State,
    ) -> Outcome {
        let mut problems = Vec::new();
        let changes = oracle::changes(before, after);
        let leaked_write = !changes.is_empty();
        if leaked_write {
            problems.push(format!("the database changed:\n{}", changes.join("\n")));
        }
        let actual = actual_expected(run, json, env);
        if Some(&actual) != self.expected.as_ref() {
            let bless = scenario::Bless::from_env().unwrap_or_else(|error| panic!("{error}"));
            if bless.may_write(self.expected.is_some()) {
                write_expected(&self.dir, &actual);
            } else {
                problems.push(mismatch(self.expected.as_ref(), &actual, run));
            }
        }
        if run.code != 0 && json.json()["error"]["exit_code"] != run.code {
            problems.push(format!("--json gives another exit code:\n{json}"));
        }
        if [run, json]
            .iter()
            .any(|run| run.stdout.contains(PASSWORD) || run.stderr.contains(PASSWORD))
        {
            problems.push(format!("the password leaked:\n{run}\n{json}"));
        }
        Outcome {
            name: self.name.clone(),
            problems,
            leaked_write,
            elapsed: std::time::Duration::ZERO,
        }
    }
}

/// What varies between runs, and the placeholder each becomes in `expected.txt`.
struct Environment {
    db: String,
    role: String,
    cluster_port: Option<u16>,
    replacements: Vec<(String, &'static str)>,
}

impl Environment {
    fn new(db: &str, cluster_port: Option<u16>) -> Environment {
        let role = format!("bi_{db}");
        let mut env = Environment {
            db: db.to_owned(),
            role: role.clone(),
            cluster_port,
            replacements: Vec::new(),
        };
        // The role's name contains the database's: replace it first.
        env.replace(&role, "<ROLE>");
        env.replace(db, "<DB>");
        if let Some(port) = cluster_port {
            env.replace(&port.to_string(), "<PORT>");
        }
        env
    }

    fn replace(&mut self, text: &str, placeholder: &'static str) {
        self.replacements.push((text.to_owned(), placeholder));
    }

    fn normalise(&self, line: &str) -> String {
        let mut line = line.to_owned();
        for (text, placeholder) in &self.replacements {
            line = line.replace(text, placeholder);
        }
        line
    }
}

/// The exit code, the first line (stderr's, or stdout's on success) and the `--json` error's
/// `file:line`, normalised.
fn actual_expected(run: &Run, json: &Run, env: &Environment) -> Expected {
    let output = if run.code == 0 {
        &run.stdout
    } else {
        &run.stderr
    };
    let first_line = env.normalise(output.lines().next().unwrap_or(""));
    let at = (run.code != 0).then(|| json.json()).and_then(|document| {
        let error = &document["error"];
        let file = error["file"].as_str()?;
        Some(env.normalise(&match error["line"].as_u64() {
            Some(line) => format!("{file}:{line}"),
            None => file.to_owned(),
        }))
    });
    Expected {
        exit: run.code,
        first_line,
        at,
    }
}

/// What a case should print, or why it does not: `CLIPDEX_BLESS=1` writes a missing
/// `expected.txt`, and only `CLIPDEX_BLESS=overwrite` rewrites an existing one.
fn mismatch(expected: Option<&Expected>, actual: &Expected, run: &Run) -> String {
    match expected {
        Some(expected) => format!(
            "expected {expected:?}\n  actual {actual:?}\n{run}\n(after a deliberate change, CLIPDEX_BLESS=overwrite rewrites expected.txt)"
        ),
        None => format!(
            "no expected.txt; actual {actual:?}\n{run}\n(CLIPDEX_BLESS=1 writes it from this output: read it before committing)"
        ),
    }
}

fn read_expected(dir: &Path) -> Option<Expected> {
    let text = std::fs::read_to_string(dir.join("expected.txt")).ok()?;
    let mut expected = Expected {
        exit: -1,
        first_line: String::new(),
        at: None,
    };
    for (key, value) in key_values(&text) {
        match key.as_str() {
            "exit" => expected.exit = value.parse().expect("exit: a code"),
            "first line" => expected.first_line = value,
            "at" => expected.at = Some(value),
            other => panic!("{}: unknown expected.txt key {other}", dir.display()),
        }
    }
    Some(expected)
}

fn write_expected(dir: &Path, expected: &Expected) {
    let mut text = format!(
        "exit: {}\nfirst line: {}\n",
        expected.exit, expected.first_line
    );
    if let Some(at) = &expected.at {
        text.push_str(&format!("at: {at}\n"));
    }
    std::fs::write(dir.join("expected.txt"), text).expect("write expected.txt");
}

/// `key: value` lines; `#` starts a comment line.
fn key_values(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (key, value) = line
                .split_once(": ")
                .unwrap_or((line.trim_end_matches(':'), ""));
            (key.trim().to_owned(), value.to_owned())
        })
        .collect()
}

fn target(value: &str) -> Target {
    match value {
        "unreachable" => Target::Unreachable,
        "wrong-password" => Target::WrongPassword,
        "no-such-database" => Target::NoSuchDatabase,
        raw => Target::Raw(raw.to_owned()),
    }
}
