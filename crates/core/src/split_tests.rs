//! The splitter against psql's rules: one quoting or nesting rule per test, errors as snapshots.

use super::*;

fn split(sql: &str) -> Vec<Statement> {
    split_statements(sql, Path::new("x.sql")).unwrap()
}

fn sqls(sql: &str) -> Vec<String> {
    split(sql)
        .into_iter()
        .map(|statement| statement.sql)
        .collect()
}

fn error(sql: &str) -> String {
    split_statements(sql, Path::new("x.sql"))
        .unwrap_err()
        .to_string()
}

#[test]
fn statements_keep_their_start_line_column_and_index() {
    let statements = split("select 1;  select\n  2;\n\n  -- note\n  select 3");
    let found: Vec<_> = statements
        .iter()
        .map(|s| (s.sql.as_str(), s.line, s.column, s.index))
        .collect();
    assert_eq!(
        found,
        [
            ("select 1", 1, 1, 0),
            ("select\n  2", 1, 12, 1),
            ("select 3", 5, 3, 2),
        ]
    );
}

#[test]
fn the_first_line_can_be_offset() {
    let statements = split_from_line("\nselect 1;", Path::new("r.sql"), 10).unwrap();
    assert_eq!((statements[0].line, statements[0].column), (11, 1));
    assert_eq!(statements[0].origin, Path::new("r.sql"));
}

#[test]
fn empty_statements_and_comment_only_text_are_dropped() {
    assert_eq!(
        sqls(";; ; -- only a comment;\n/* c; */ ;"),
        Vec::<String>::new()
    );
    assert_eq!(sqls("select 1;;select 2"), ["select 1", "select 2"]);
}

#[test]
fn comments_inside_a_statement_are_kept() {
    assert_eq!(
        sqls("-- before\nselect /* a; */ 1 -- b;\n, 2;"),
        ["select /* a; */ 1 -- b;\n, 2"]
    );
}

#[test]
fn semicolons_in_strings_and_identifiers_do_not_split() {
    assert_eq!(
        sqls("select 'a;''b', \"c;\"\"d\"; select 2"),
        ["select 'a;''b', \"c;\"\"d\"", "select 2"]
    );
}

#[test]
fn escape_strings_honour_backslashes() {
    assert_eq!(
        sqls("select E'it\\'s; fine', e'\\\\'; select 2"),
        ["select E'it\\'s; fine', e'\\\\'", "select 2"]
    );
    // Without the E, a backslash is an ordinary character and the quote closes the string.
    assert_eq!(sqls("select 'a\\'; select 2"), ["select 'a\\'", "select 2"]);
}

#[test]
fn dollar_quotes_with_and_without_tags() {
    let sql = "create function f() returns int as $$ select 1; $$ language sql;\n\
               do $body$ begin perform 1; raise notice '$$'; end $body$;";
    let statements = sqls(sql);
    assert_eq!(statements.len(), 2);
    assert!(statements[1].ends_with("end $body$"), "{statements:?}");
}

#[test]
fn a_parameter_is_not_a_dollar_quote() {
    assert_eq!(
        sqls("prepare p as select $1; select 2"),
        ["prepare p as select $1", "select 2"]
    );
    assert_eq!(sqls("select a$b; select 2"), ["select a$b", "select 2"]);
}

#[test]
fn block_comments_nest() {
    assert_eq!(
        sqls("/* outer /* inner; */ still; */ select 1; select 2"),
        ["select 1", "select 2"]
    );
}

#[test]
fn begin_atomic_bodies_keep_their_semicolons() {
    let sql = "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\n\
               BEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\n\
               create procedure p() begin atomic insert into t values (1); end;\n\
               select 3;";
    let statements = sqls(sql);
    assert_eq!(statements.len(), 3, "{statements:?}");
    assert!(statements[0].ends_with("SELECT 2;\nEND"));
    assert!(statements[1].ends_with("values (1); end"));
}

#[test]
fn begin_outside_a_routine_still_splits() {
    assert_eq!(
        sqls("begin; select 1; commit;"),
        ["begin", "select 1", "commit"]
    );
    assert_eq!(
        sqls("create table atomic (begin int); select 1"),
        ["create table atomic (begin int)", "select 1"]
    );
}

#[test]
fn trailing_text_without_a_semicolon_is_a_statement() {
    assert_eq!(sqls("select 1;\nselect 2\n"), ["select 1", "select 2"]);
}

#[test]
fn unterminated_quotes_name_where_they_opened() {
    insta::assert_snapshot!(error("select 1;\nselect 'oops;\nselect 2;"), @"x.sql:2:8: unterminated string literal: the quote opened here never closes");
    insta::assert_snapshot!(error("select E'\\';"), @"x.sql:1:8: unterminated string literal: the quote opened here never closes");
    insta::assert_snapshot!(error("select \"col;"), @r#"x.sql:1:8: unterminated quoted identifier: the `"` opened here never closes"#);
    insta::assert_snapshot!(error("do $fn$ begin end $$;"), @"x.sql:1:4: unterminated dollar quote: no closing `$fn$` for the one opened here");
    insta::assert_snapshot!(error("select 1;\n  /* a /* b */"), @"x.sql:2:3: unterminated block comment: the `/*` opened here never closes (block comments nest)");
}

#[test]
fn psql_meta_commands_are_refused() {
    insta::assert_snapshot!(error("select 1;\n\\i legacy/001_init.sql\n"), @"x.sql:2:1: psql meta-commands are not SQL; `\\i` only works in psql, and migrations are sent to the server (to run another file, use `-- +include PATH`)");
    insta::assert_snapshot!(error("select 'a' \\gexec"), @"x.sql:1:12: psql meta-commands are not SQL; `\\gexec` only works in psql, and migrations are sent to the server (to run another file, use `-- +include PATH`)");
    // A backslash in a string or comment is text.
    assert_eq!(sqls("select '\\i'; -- \\set x\n"), ["select '\\i'"]);
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let alphabet: Vec<char> = "$'\"eE;-/*\\ \n\tab1é_()".chars().collect();
    for _ in 0..2_000 {
        let text: String = (0..24)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % alphabet.len() as u64) as usize]
            })
            .collect();
        let _ = split_statements(&text, Path::new("fuzz.sql"));
    }
}

#[test]
fn a_large_input_splits_in_linear_time() {
    let statement = "insert into t values ('a;b', $$c;d$$); -- e;\n";
    let sql = statement.repeat(200_000);
    let started = std::time::Instant::now();
    let statements = split(&sql);
    assert_eq!(statements.len(), 200_000);
    assert_eq!(statements[199_999].line, 200_000);
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}
