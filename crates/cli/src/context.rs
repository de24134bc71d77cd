//! The [`Context`] every command starts from: the global flags, the config file, the output
//! settings, and the step most commands begin with — loading the checked migrations, which
//! warns about several heads. Keeping that step here means no command can forget the sum-file
//! check. Commands that need the target database then open it with [`crate::target_db`].

use std::path::PathBuf;

use clipdex_core::{LoadedMigrations, SqlText, SumCheck};

use crate::args::GlobalArgs;
use crate::config::Config;
use crate::error::CliError;
use crate::migrations;
use crate::output::Output;

/// What every command starts from.
#[derive(Debug)]
pub struct Context {
    /// The global flags.
    pub global: GlobalArgs,
    /// The config file's settings (defaults without one).
    pub config: Config,
    /// Where text goes.
    pub out: Output,
    /// The working directory, against which paths are shown.
    pub cwd: PathBuf,
}

impl Context {
    /// The migrations directory as messages show it: `--migrations-dir`, else the config's.
    pub fn migrations_dir(&self) -> PathBuf {
        let dir = match &self.global.migrations_dir {
            Some(dir) => self.cwd.join(dir),
            None => self.config.migrations_dir.clone(),
        };
        migrations::shown_path(&dir, &self.cwd)
    }

    /// Loads and checks the migrations; warns when the graph has several heads.
    pub fn load(&self, sum: SumCheck) -> Result<LoadedMigrations, CliError> {
        self.load_with(sum, SqlText::Kept)
    }

    /// [`Context::load`], keeping the revisions' text or not as `sql_text` says.
    pub fn load_with(
        &self,
        sum: SumCheck,
        sql_text: SqlText,
    ) -> Result<LoadedMigrations, CliError> {
        let loaded = LoadedMigrations::read_dir_with(&self.migrations_dir(), sum, sql_text)?;
        migrations::warn_about_heads(loaded.graph(), &self.out);
        Ok(loaded)
    }
}
