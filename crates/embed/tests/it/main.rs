//! The integration tests of `embed`: the macro as applications call it, through `runner`'s
//! wrapper, here under another name than `runner` (the dependency is renamed `migrate`).

/// Compiled in through the renamed dependency: the expansion must name `migrate`'s types.
static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!("../../migrations");

#[test]
fn the_macro_works_when_the_runner_dependency_is_renamed() {
    let migrations = migrate::Migrations::embedded(MIGRATIONS).expect("valid migrations");
    assert_eq!(migrations.graph().roots()[0].id(), "af9a37e3eebf");
    let embedded: Vec<&str> = MIGRATIONS.files().iter().map(|f| f.path()).collect();
    assert!(embedded.contains(&"revisions.sum"), "{embedded:?}");
}
