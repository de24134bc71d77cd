//! Connection URLs that tokio-postgres, `psql` and the other libpq tools all accept.
//!
//! For a unix socket the directory goes, percent-encoded, where the host goes:
//! `postgresql://postgres@%2Fdev%2Fshm%2Fcdx-41-1:5432/t_41_1`. tokio-postgres documents this
//! form, libpq accepts it, and the URL has no query string, so code that swaps the database
//! name (the text after the last `/`) keeps working. The alternative
//! `postgresql:///t_41_1?host=/dev/shm/cdx-41-1` also parses in both, but puts slashes after the
//! database name.

use std::path::Path;

/// The URL of database `database` as user `postgres` on the server whose socket is in `dir`.
pub(crate) fn socket_url(dir: &Path, port: u16, database: &str) -> String {
    let host = percent_encode(&dir.to_string_lossy());
    format!(
        "postgresql://postgres@{host}:{port}/{}",
        percent_encode(database)
    )
}

/// The URL of database `database` as user `postgres` on a TCP server.
pub(crate) fn tcp_url(host: &str, port: u16, database: &str) -> String {
    format!(
        "postgresql://postgres@{host}:{port}/{}",
        percent_encode(database)
    )
}

/// `admin_url` with its database replaced by `database`. Accepts both URL and `key=value`
/// connection strings (as libpq and tokio-postgres do).
pub(crate) fn with_database(admin_url: &str, database: &str) -> String {
    let Some(scheme_end) = ["postgresql://", "postgres://"]
        .iter()
        .find_map(|scheme| admin_url.starts_with(scheme).then_some(scheme.len()))
    else {
        // key=value form: a later keyword overrides an earlier one.
        return format!("{admin_url} dbname={database}");
    };
    let rest = &admin_url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let query = rest[authority_end..]
        .find('?')
        .map(|at| &rest[authority_end + at..]);
    format!(
        "{}{}/{}{}",
        &admin_url[..scheme_end],
        &rest[..authority_end],
        percent_encode(database),
        query.unwrap_or("")
    )
}

/// The database a connection string names, if it parses and names one.
pub(crate) fn database_name(url: &str) -> Option<String> {
    let config: tokio_postgres::Config = url.parse().ok()?;
    config.get_dbname().map(str::to_owned)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use tokio_postgres::config::Host;

    #[test]
    fn socket_urls_parse_in_tokio_postgres_as_a_socket_directory() {
        let url = socket_url(Path::new("/dev/shm/cdx-41-1"), 5433, "t_41_1");
        assert_eq!(
            url,
            "postgresql://postgres@%2Fdev%2Fshm%2Fcdx-41-1:5433/t_41_1"
        );
        let config = tokio_postgres::Config::from_str(&url).unwrap();
        assert_eq!(config.get_hosts(), [Host::Unix("/dev/shm/cdx-41-1".into())]);
        assert_eq!(config.get_ports(), [5433]);
        assert_eq!(config.get_dbname(), Some("t_41_1"));
        assert_eq!(config.get_user(), Some("postgres"));
    }

    #[test]
    fn the_database_is_replaced_in_every_url_shape() {
        let cases = [
            ("postgresql://u:p@h:5/admin", "postgresql://u:p@h:5/t_1"),
            ("postgresql://u@h", "postgresql://u@h/t_1"),
            (
                "postgres://h/admin?sslmode=disable",
                "postgres://h/t_1?sslmode=disable",
            ),
            (
                "postgresql://h?sslmode=disable",
                "postgresql://h/t_1?sslmode=disable",
            ),
            ("postgresql://%2Ftmp/x", "postgresql://%2Ftmp/t_1"),
            (
                "host=/tmp user=postgres",
                "host=/tmp user=postgres dbname=t_1",
            ),
        ];
        for (admin, expected) in cases {
            assert_eq!(with_database(admin, "t_1"), expected, "from {admin}");
            let config = tokio_postgres::Config::from_str(expected).unwrap();
            assert_eq!(config.get_dbname(), Some("t_1"), "{expected}");
        }
    }
}
