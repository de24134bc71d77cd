use super::*;

const SENTINEL: &str = "Zq7-sentinel-PW";

fn parse(text: &str) -> DatabaseUrl {
    DatabaseUrl::parse_without_environment(text).unwrap()
}

/// `text` completed from exactly these variables.
fn parse_with(text: &str, variables: &[(&str, &str)]) -> Result<DatabaseUrl, UrlError> {
    DatabaseUrl::parse_in(text, &Environment::from_pairs(variables.iter().copied()))
}

#[test]
fn the_url_form_keeps_tls_options_and_hides_the_password() {
    let url = parse(&format!(
        "postgresql://app:{SENTINEL}@db.example:6432/clipdex?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5"
    ));
    assert_eq!(url.ssl_mode(), SslMode::VerifyFull);
    assert_eq!(url.root_cert(), Some(std::path::Path::new("/etc/ca.pem")));
    assert_eq!(url.database_name(), Some("clipdex"));
    assert_eq!(url.password().as_deref(), Some(SENTINEL));
    let shown = url.to_string();
    assert_eq!(
        shown,
        "postgresql://app:***@db.example:6432/clipdex?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"
    );
    assert_eq!(url.redacted(), shown);
    assert!(!format!("{url:?}").contains(SENTINEL));
}

#[test]
fn the_key_value_form_accepts_quotes_and_the_libpq_modes() {
    let url = parse(&format!(
        "host=/tmp/sock port=5433 user=app password='{SENTINEL} x' dbname=clipdex sslmode=verify-ca sslrootcert='/etc/my ca.pem'"
    ));
    assert_eq!(url.ssl_mode(), SslMode::VerifyCa);
    assert_eq!(
        url.root_cert(),
        Some(std::path::Path::new("/etc/my ca.pem"))
    );
    assert_eq!(url.password(), Some(format!("{SENTINEL} x")));
    assert_eq!(
        url.to_string(),
        "postgresql://app:***@%2Ftmp%2Fsock:5433/clipdex?sslmode=verify-ca&sslrootcert=%2Fetc%2Fmy%20ca.pem"
    );
    assert_eq!(parse("host=h dbname=d").ssl_mode(), SslMode::Prefer);
    assert_eq!(parse("host=h sslmode=disable").ssl_mode(), SslMode::Disable);
    assert_eq!(
        parse("postgres://h/d?sslmode=require").ssl_mode(),
        SslMode::Require
    );
}

#[test]
fn pgpassword_fills_in_a_missing_password_only() {
    let env_pw = [("PGPASSWORD", "env-pw")];
    let from_env = parse_with("postgresql://app@h/d", &env_pw).unwrap();
    assert_eq!(from_env.password().as_deref(), Some("env-pw"));
    assert_eq!(
        from_env.to_string(),
        "postgresql://app:***@h:5432/d?sslmode=prefer"
    );
    let given = parse_with("postgresql://app:given@h/d", &env_pw).unwrap();
    assert_eq!(given.password().as_deref(), Some("given"));
}

#[test]
fn errors_never_show_the_password() {
    let cases = [
        format!("postgresql://app:{SENTINEL}@h:notaport/d"),
        format!("postgresql://app:{SENTINEL}@h/d?sslmode=sometimes"),
        format!("postgresql://app:{SENTINEL}@h/d?frobnicate={SENTINEL}"),
        format!("host=h password={SENTINEL} port=x"),
        format!("host=h password='{SENTINEL}"),
        format!("host=h password={SENTINEL} sslmode={SENTINEL}"),
        SENTINEL.to_owned(),
    ];
    for text in cases {
        let error = parse_with(&text, &[("PGPASSWORD", SENTINEL)]).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(SENTINEL), "{text} gave {shown}");
        assert!(!shown.contains('\n'), "{shown}");
    }
}

#[test]
fn another_database_on_the_same_server_keeps_everything_else() {
    let url = parse("postgresql://app:s3cret@db.example:6543/clipdex?sslmode=verify-full");
    let shadow = url.with_database("clipdex_shadow_1_1");
    assert_eq!(shadow.database_name(), Some("clipdex_shadow_1_1"));
    assert_eq!(
        shadow.to_string(),
        "postgresql://app:***@db.example:6543/clipdex_shadow_1_1?sslmode=verify-full"
    );
    assert_eq!(shadow.password().as_deref(), Some("s3cret"));
    assert_eq!(
        url.database_name(),
        Some("clipdex"),
        "the original is unchanged"
    );
}
