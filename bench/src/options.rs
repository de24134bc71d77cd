//! The bench's command line, parsed by hand: a handful of flags do not earn a dependency.

use crate::tools::{ALL, Kind};

/// The usage text.
pub const USAGE: &str = "\
usage: cargo run --release -p bench -- COMMAND [OPTIONS]

commands:
  run        install what is missing, build clipdex-migrate, measure everything, print the report
  install    install the competitors into bench/.work/tools (and build clipdex-migrate)
  generate   write the workloads and schemas into bench/.work without running anything
  fleet      fleet upgrade over tenant schemas and databases against single-target loops
  layout     profile clipdex-migrate's runs (valgrind) and write crates/cli/link-order.txt

options:
  --sizes 100,1000,5000   workload sizes (default: 100,1000,5000)
  --reps N                timed runs per measure, after one warm-up (default: 5)
  --quick-reps N          rounds of the quick measures: no-op, status commands, select 1
                          and the no-op floor (default: 15)
  --schema-reps N         timed runs of the schema phase (default: --reps)
  --tools a,b,...         only these: floor, floor-per-revision, clipdex-migrate, sqlx-cli, dbmate,
                          alembic, psql-loop
  --no-build              use target/release/clipdex-migrate as it is
  --no-schema             skip the schema introspection/diff phase
  --schema-only           only the schema introspection/diff phase

fleet options:
  --schemas N             tenant schemas (default: 1000)
  --databases N           tenant databases (default: 200)
  --alembic-schemas N     tenant schemas the Alembic loop runs on (default: 100)
  --reps N                timed runs of each fleet measure (default: 3; each loop runs once)";

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Measure.
    Run,
    /// Install only.
    Install,
    /// Generate files only.
    Generate,
    /// The fleet measures.
    Fleet,
    /// Write the release build's function order.
    Layout,
    /// Print the usage.
    Help,
    /// Internal: the in-process schema measure, as a child of `run`.
    SchemaProbe {
        /// Schema A's URL.
        from: String,
        /// Schema B's URL.
        to: String,
    },
    /// Internal: the no-op floor, timed by `run` (see `noop_floor.rs`).
    NoopFloor {
        /// The migrations directory whose files are read.
        dir: std::path::PathBuf,
        /// The database asked `select 1` meanwhile.
        url: String,
    },
}

/// The parsed command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to do.
    pub command: Command,
    /// Workload sizes.
    pub sizes: Vec<usize>,
    /// Timed runs per measure.
    pub reps: usize,
    /// Rounds of the quick measures (no-op, status commands, select 1, the no-op floor).
    pub quick_reps: usize,
    /// Timed runs of the schema phase, when not `reps`.
    pub schema_reps: Option<usize>,
    /// The migration tools to measure.
    pub tools: Vec<Kind>,
    /// Build clipdex-migrate first.
    pub build: bool,
    /// Run the migration measures.
    pub migrations: bool,
    /// Run the schema phase.
    pub schema: bool,
    /// The fleet measures' sizes.
    pub fleets: crate::fleet_setup::Fleets,
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut args = args.into_iter();
    let command = match args.next().as_deref() {
        Some("run") => Command::Run,
        Some("install") => Command::Install,
        Some("generate") => Command::Generate,
        Some("fleet") => Command::Fleet,
        Some("layout") => Command::Layout,
        Some("help" | "--help" | "-h") | None => Command::Help,
        Some("schema-probe") => {
            let mut url = || args.next().ok_or("schema-probe needs two URLs");
            Command::SchemaProbe {
                from: url()?.to_owned(),
                to: url()?.to_owned(),
            }
        }
        Some("noop-floor") => Command::NoopFloor {
            dir: args.next().ok_or("noop-floor needs a directory")?.into(),
            url: args.next().ok_or("noop-floor needs a database URL")?,
        },
        Some(other) => return Err(format!("unknown command `{other}`")),
    };
    let mut options = Options {
        command,
        sizes: vec![100, 1000, 5000],
        reps: 5,
        quick_reps: 15,
        schema_reps: None,
        tools: ALL.to_vec(),
        build: true,
        migrations: true,
        schema: true,
        fleets: crate::fleet_setup::Fleets {
            schemas: 1000,
            databases: 200,
            alembic_schemas: 100,
        },
    };
    if options.command == Command::Fleet {
        options.reps = 3;
    }
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--sizes" => options.sizes = list(&value()?, parse_number)?,
            "--reps" => options.reps = parse_number(&value()?)?.max(1),
            "--quick-reps" => options.quick_reps = parse_number(&value()?)?.max(1),
            "--schema-reps" => options.schema_reps = Some(parse_number(&value()?)?.max(1)),
            "--tools" => options.tools = list(&value()?, parse_kind)?,
            "--no-build" => options.build = false,
            "--no-schema" => options.schema = false,
            "--schema-only" => options.migrations = false,
            "--schemas" => options.fleets.schemas = parse_number(&value()?)?.max(1),
            "--databases" => options.fleets.databases = parse_number(&value()?)?.max(1),
            "--alembic-schemas" => options.fleets.alembic_schemas = parse_number(&value()?)?,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(options)
}

fn list<T>(text: &str, item: fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(item)
        .collect()
}

fn parse_number(text: &str) -> Result<usize, String> {
    text.replace('_', "")
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    ALL.into_iter()
        .find(|kind| kind.label() == text)
        .ok_or_else(|| format!("unknown tool `{text}`"))
}
