//! One diff whose statements only apply in dependency order: a foreign key to a unique
//! constraint the same diff adds, a function used by a column default and by a domain, and a
//! policy on a column the diff drops. Applied both ways, the catalogs come out equal, and the
//! statements come in the order PostgreSQL needs.

use crate::support;

use schema::diff;
use support::{apply, catalog_of, database_from};

const A: &str = "
CREATE TABLE shows (id bigint PRIMARY KEY, slug text);
CREATE TABLE clips (id bigint PRIMARY KEY, show_slug text, team text);
ALTER TABLE clips ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_clips ON clips USING (team = current_user);
";

const B: &str = "
CREATE TABLE shows (id bigint PRIMARY KEY, slug text CONSTRAINT shows_slug_key UNIQUE);
CREATE FUNCTION default_slug() RETURNS text LANGUAGE sql AS $$SELECT 'untitled'$$;
CREATE DOMAIN slug AS text DEFAULT default_slug() CHECK (VALUE <> '');
CREATE TABLE clips (
    id bigint PRIMARY KEY,
    show_slug text REFERENCES shows (slug),
    label slug,
    fallback text DEFAULT default_slug()
);
ALTER TABLE clips ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_clips ON clips USING (show_slug IS NOT NULL);
";

/// The position of the first statement containing `text`.
fn position(sql: &[&str], text: &str) -> usize {
    sql.iter()
        .position(|s| s.contains(text))
        .unwrap_or_else(|| panic!("no statement contains {text:?}:\n{}", sql.join("\n")))
}

#[tokio::test]
async fn statements_come_in_dependency_order_both_ways() {
    let a = database_from(A).await.expect("A applies");
    let b = database_from(B).await.expect("B applies");
    let (from, to) = (catalog_of(&a).await.unwrap(), catalog_of(&b).await.unwrap());

    let forward = diff(&from, &to).expect("diffs");
    let sql: Vec<&str> = forward.changes.iter().map(|c| c.sql.as_str()).collect();
    assert!(
        position(&sql, "ADD CONSTRAINT shows_slug_key") < position(&sql, "FOREIGN KEY (show_slug)")
    );
    assert!(
        position(&sql, "FUNCTION public.default_slug()")
            < position(&sql, "CREATE DOMAIN public.slug")
    );
    assert!(
        position(&sql, "FUNCTION public.default_slug()") < position(&sql, "ADD COLUMN fallback")
    );
    assert!(position(&sql, "DROP POLICY team_clips") < position(&sql, "DROP COLUMN team"));
    apply(&a, &forward)
        .await
        .unwrap_or_else(|e| panic!("{e}\n--- diff ---\n{}", forward.to_sql()));
    assert_eq!(catalog_of(&a).await.unwrap(), to, "A→B");

    let back = diff(&to, &from).expect("diffs");
    let sql: Vec<&str> = back.changes.iter().map(|c| c.sql.as_str()).collect();
    assert!(
        position(&sql, "DROP CONSTRAINT clips_show_slug_fkey")
            < position(&sql, "DROP CONSTRAINT shows_slug_key")
    );
    assert!(
        position(&sql, "DROP DOMAIN public.slug")
            < position(&sql, "DROP FUNCTION public.default_slug()")
    );
    assert!(position(&sql, "ADD COLUMN team") < position(&sql, "POLICY team_clips ON"));
    apply(&b, &back)
        .await
        .unwrap_or_else(|e| panic!("{e}\n--- diff ---\n{}", back.to_sql()));
    assert_eq!(catalog_of(&b).await.unwrap(), from, "B→A");
}
