//! The SQL the chapters discuss, read from the files the book includes whole: a reader sees
//! exactly the SQL these tests run. Hypothetical files and revisions live in `book/sql/`; the
//! view_count revision the examples use is the one the repository ships.

use cracks::workspace_root;

/// The id of the view_count revision the repository ships (`migrations/`).
pub const VIEW_COUNT: &str = "47c32d68e5ff";

/// Its file name.
pub const VIEW_COUNT_FILE: &str = "20261126T1000_episode_view_count.sql";

/// The id of the guest socials revision a second branch adds (`book/sql/10/`).
pub const SOCIALS: &str = "b81f04d6ce27";

/// `book/sql/<relative>`, whole.
pub fn book_sql(relative: &str) -> String {
    read(&format!("book/sql/{relative}"))
}

/// The shipped view_count revision, whole.
pub fn view_count_revision() -> String {
    read(&format!("migrations/{VIEW_COUNT_FILE}"))
}

fn read(relative: &str) -> String {
    let path = workspace_root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
