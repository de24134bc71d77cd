//! `sslmode`, with libpq's words: its own module because both the connection string's
//! resolution and the TLS set-up read it, below the URL type that holds it.

/// How TLS is used, with libpq's meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never.
    Disable,
    /// Try TLS without verifying the server; fall back to plain if the server has no TLS.
    Prefer,
    /// Encrypt without verifying the server (verifies the chain when a root is given).
    Require,
    /// Encrypt and verify the chain to the root certificate, not the host name.
    VerifyCa,
    /// Encrypt, verify the chain and that the certificate names the host.
    VerifyFull,
}

impl SslMode {
    /// libpq's word for a mode; `allow` tries TLS like `prefer`.
    pub(crate) fn parse(value: &str) -> Option<SslMode> {
        match value {
            "disable" => Some(SslMode::Disable),
            "allow" | "prefer" => Some(SslMode::Prefer),
            "require" => Some(SslMode::Require),
            "verify-ca" => Some(SslMode::VerifyCa),
            "verify-full" => Some(SslMode::VerifyFull),
            _ => None,
        }
    }

    /// The libpq word.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}
