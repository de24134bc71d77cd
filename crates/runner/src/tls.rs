//! TLS for `sslmode` with libpq's meanings, on rustls with the `ring` provider.
//!
//! - `verify-full`: the chain to `sslrootcert` and the host name;
//! - `verify-ca`: the chain only (a certificate for another host is accepted);
//! - `require` (and `prefer`): encryption without verification — unless `sslrootcert` is
//!   given, in which case libpq verifies the chain as for `verify-ca`, and so do we.
//!
//! Roots come only from `sslrootcert` (or libpq's default `~/.postgresql/root.crt`), and the
//! platform's store only when `sslrootcert=system` says so: a database server's certificate is
//! normally issued by a private CA, so the public web roots would add trust without adding a
//! connection that works. A client certificate (`sslcert`/`sslkey`) is sent when one is set,
//! for servers whose `pg_hba.conf` asks for `cert` authentication.

use std::sync::Arc;

use rustls::SignatureScheme;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, Error, RootCertStore};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::connection_error::ConnectError;
use crate::ssl_mode::SslMode;
use crate::tls_files::{load_client_cert, load_roots};
use crate::url::DatabaseUrl;

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verification {
    None,
    ChainOnly,
    ChainAndHost,
}

/// The rustls connector for `url`'s sslmode, roots and client certificate.
pub(crate) fn connector(url: &DatabaseUrl) -> Result<MakeRustlsConnect, ConnectError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // libpq: a root certificate (given, or in the default file) verifies the chain in every
    // mode, as `verify-ca` does.
    let verification = match (url.ssl_mode(), url.root_certs().is_some()) {
        (SslMode::VerifyFull, _) => Verification::ChainAndHost,
        (SslMode::VerifyCa, _) | (_, true) => Verification::ChainOnly,
        _ => Verification::None,
    };
    let verifier: Arc<dyn ServerCertVerifier> = match verification {
        Verification::None => Arc::new(NoVerification(provider.clone())),
        _ => {
            let roots = roots(url)?;
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|error| setup_error(url, error.to_string()))?;
            if verification == Verification::ChainOnly {
                Arc::new(ChainOnly(webpki))
            } else {
                webpki
            }
        }
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| setup_error(url, error.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let config = match &url.client_cert {
        Some(client) => {
            let (chain, key) = load_client_cert(client)?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|error| ConnectError::ClientKey {
                    origin: client.key_origin.to_string(),
                    reason: format!("it does not go with the certificate: {error}"),
                })?
        }
        None => builder.with_no_client_auth(),
    };
    Ok(MakeRustlsConnect::new(config))
}

fn setup_error(url: &DatabaseUrl, reason: String) -> ConnectError {
    ConnectError::TlsSetup {
        target: url.redacted(),
        reason,
    }
}

/// The roots to verify against; `verify-ca` and `verify-full` without any are an error.
fn roots(url: &DatabaseUrl) -> Result<Arc<RootCertStore>, ConnectError> {
    match url.root_certs() {
        Some(roots) => load_roots(roots),
        None => Err(ConnectError::NoRootCert {
            mode: url.ssl_mode().as_str(),
            default_path: url.default_root_cert.clone().unwrap_or_default(),
        }),
    }
}

/// `verify-ca`: the chain must lead to a root, the name may be anything.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let verified =
            self.0
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        match verified {
            // The name is checked after the chain: this error means the chain is good.
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// `require`/`prefer` without a root: encryption against passive eavesdropping only, as in
/// libpq. Handshake signatures are still checked, so the session key is the certificate's.
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        let algorithms = &self.0.signature_verification_algorithms;
        verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        let algorithms = &self.0.signature_verification_algorithms;
        verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
