//! The connection string as written: the URL or `key=value` form, split into what
//! tokio-postgres parses itself and the keywords handled here.
//!
//! tokio-postgres parses both forms (percent-decoding, IPv6 brackets, several hosts) but knows
//! only `sslmode=disable|prefer|require` and rejects every option it does not know. So the
//! keywords libpq has and tokio-postgres lacks — TLS files and modes, `service`, `passfile`,
//! and `connect_timeout`, whose default is ours — are taken out of the text first, and the
//! rest goes to tokio-postgres unchanged. Which keywords the text names at all is kept too:
//! a keyword the text sets is never overridden by a service file or a variable.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use crate::connection_error::UrlError;
use crate::keywords::OWN_KEYWORDS;
use crate::percent::{percent_decode, percent_encode};
use crate::pg_text::with_causes;

/// A connection string taken apart.
pub(crate) struct Written {
    /// What tokio-postgres parsed.
    pub config: tokio_postgres::Config,
    /// The keywords of [`OWN_KEYWORDS`] the text gives, with their values.
    pub own: BTreeMap<&'static str, String>,
    /// Every keyword named in the `key=value` pairs or the URL's query.
    pub named: BTreeSet<String>,
}

/// Parses `text`; an empty text is an empty connection string, as for libpq.
pub(crate) fn parse(text: &str) -> Result<Written, UrlError> {
    let text = text.trim();
    let (rest, pairs) = if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        split_url(text)
    } else {
        split_key_values(text)?
    };
    let mut written = Written {
        config: tokio_postgres::Config::new(),
        own: BTreeMap::new(),
        named: BTreeSet::new(),
    };
    for (key, value) in pairs {
        written.named.insert(key.clone());
        if let Some(own) = OWN_KEYWORDS.iter().find(|own| **own == key) {
            written.own.insert(own, value);
        }
    }
    if !rest.is_empty() {
        written.config = tokio_postgres::Config::from_str(&rest).map_err(|error| {
            let reason = with_causes(&error);
            UrlError::Invalid { reason }
        })?;
    }
    Ok(written)
}

/// The URL without the query parameters of [`OWN_KEYWORDS`], and every parameter it gives.
///
/// Hosts and ports move from the authority into `host=` and `port=` parameters: tokio-postgres
/// would give a host without a port 5432, which would then read as set, and `PGPORT` could no
/// longer fill it in as it does for libpq.
fn split_url(text: &str) -> (String, Vec<(String, String)>) {
    let (base, query) = text.split_once('?').unwrap_or((text, ""));
    let (scheme, rest) = base.split_once("://").unwrap_or((base, ""));
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let (credentials, hosts) = match authority.rsplit_once('@') {
        Some((credentials, hosts)) => (format!("{credentials}@"), hosts),
        None => (String::new(), authority),
    };
    let mut pairs = host_and_port_pairs(hosts);
    let mut kept: Vec<String> = pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", percent_encode(value)))
        .collect();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(key);
        if !OWN_KEYWORDS.contains(&key.as_str()) {
            kept.push(pair.to_owned());
        }
        pairs.push((key, percent_decode(value)));
    }
    let mut rest = format!("{scheme}://{credentials}{path}");
    if !kept.is_empty() {
        rest = format!("{rest}?{}", kept.join("&"));
    }
    (rest, pairs)
}

/// `host=` and `port=` for the authority's `host[:port],…` list (IPv6 in brackets), each
/// only when the list gives one.
fn host_and_port_pairs(list: &str) -> Vec<(String, String)> {
    if list.is_empty() {
        return Vec::new();
    }
    let (mut hosts, mut ports) = (Vec::new(), Vec::new());
    for chunk in list.split(',') {
        let (host, port) = match chunk.strip_prefix('[') {
            Some(bracketed) => match bracketed.split_once(']') {
                Some((host, after)) => (host, after.strip_prefix(':')),
                None => (chunk, None),
            },
            None => match chunk.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (chunk, None),
            },
        };
        hosts.push(percent_decode(host));
        ports.push(port.map(percent_decode).unwrap_or_default());
    }
    let mut pairs = vec![("host".to_owned(), hosts.join(","))];
    if ports.iter().any(|port| !port.is_empty()) {
        pairs.push(("port".to_owned(), ports.join(",")));
    }
    pairs
}

/// The `key=value` text without the pairs of [`OWN_KEYWORDS`], and every pair.
fn split_key_values(text: &str) -> Result<(String, Vec<(String, String)>), UrlError> {
    let mut kept = Vec::new();
    let mut pairs = Vec::new();
    for pair in key_value_pairs(text)? {
        if !OWN_KEYWORDS.contains(&pair.key.as_str()) {
            kept.push(pair.raw);
        }
        pairs.push((pair.key, pair.value));
    }
    Ok((kept.join(" "), pairs))
}

/// One `key=value` of the libpq form: the key, the unquoted value, and the text as written.
struct KeyValue {
    key: String,
    value: String,
    raw: String,
}

fn key_value_pairs(text: &str) -> Result<Vec<KeyValue>, UrlError> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    let mut pairs = Vec::new();
    let skip_spaces = |at: &mut usize| {
        while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
            *at += 1;
        }
    };
    loop {
        skip_spaces(&mut at);
        if at >= chars.len() {
            return Ok(pairs);
        }
        let start = at;
        while chars
            .get(at)
            .is_some_and(|c| *c != '=' && !c.is_whitespace())
        {
            at += 1;
        }
        let key: String = chars[start..at].iter().collect();
        skip_spaces(&mut at);
        if chars.get(at) != Some(&'=') {
            let reason = format!("expected `=` after `{key}`");
            return Err(UrlError::Invalid { reason });
        }
        at += 1;
        skip_spaces(&mut at);
        let value = read_value(&chars, &mut at)?;
        let raw = chars[start..at].iter().collect();
        pairs.push(KeyValue { key, value, raw });
    }
}

/// A bare or single-quoted value (`\` escapes the next character in both, as in libpq).
fn read_value(chars: &[char], at: &mut usize) -> Result<String, UrlError> {
    let quoted = chars.get(*at) == Some(&'\'');
    if quoted {
        *at += 1;
    }
    let mut value = String::new();
    while let Some(&c) = chars.get(*at) {
        match c {
            '\'' if quoted => {
                *at += 1;
                return Ok(value);
            }
            c if c.is_whitespace() && !quoted => return Ok(value),
            '\\' => {
                *at += 1;
                value.extend(chars.get(*at));
            }
            c => value.push(c),
        }
        *at += 1;
    }
    if quoted {
        let reason = "unterminated quoted value".to_owned();
        return Err(UrlError::Invalid { reason });
    }
    Ok(value)
}
