//! TLS for `sslmode` with libpq's meanings, on rustls with the `ring` provider.
//!
//! - `verify-full`: the chain to `sslrootcert` and the host name;
//! - `verify-ca`: the chain only (a certificate for another host is accepted);
//! - `require` (and `prefer`): encryption without verification — unless `sslrootcert` is
//!   given, in which case libpq verifies the chain as for `verify-ca`, and so do we.
//!
//! Roots come only from `sslrootcert` (or libpq's default `~/.postgresql/root.crt`): a
//! database server's certificate is normally issued by a private CA, so the public web roots
//! would add trust without adding a connection that works.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::SignatureScheme;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, Error, RootCertStore};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::connection_error::ConnectError;
use crate::url::{DatabaseUrl, SslMode};

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verification {
    None,
    ChainOnly,
    ChainAndHost,
}

/// The rustls connector for `url`'s sslmode and root certificate.
pub(crate) fn connector(url: &DatabaseUrl) -> Result<MakeRustlsConnect, ConnectError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // libpq: `require` with a root certificate (given, or in the default file) verifies the
    // chain, as `verify-ca` does.
    let has_root = url.root_cert().is_some()
        || (url.ssl_mode() == SslMode::Require && default_root_cert().is_file());
    let verification = match (url.ssl_mode(), has_root) {
        (SslMode::VerifyFull, _) => Verification::ChainAndHost,
        (SslMode::VerifyCa, _) | (_, true) => Verification::ChainOnly,
        _ => Verification::None,
    };
    let verifier: Arc<dyn ServerCertVerifier> = match verification {
        Verification::None => Arc::new(NoVerification(provider.clone())),
        _ => {
            let roots = load_roots(url)?;
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
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| setup_error(url, error.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn setup_error(url: &DatabaseUrl, reason: String) -> ConnectError {
    ConnectError::TlsSetup {
        target: url.redacted(),
        reason,
    }
}

/// The roots from `sslrootcert`, else from libpq's default file.
fn load_roots(url: &DatabaseUrl) -> Result<Arc<RootCertStore>, ConnectError> {
    let path = match url.root_cert() {
        Some(path) => path.to_owned(),
        None => {
            let default_path = default_root_cert();
            if !default_path.is_file() {
                return Err(ConnectError::NoRootCert {
                    mode: url.ssl_mode().as_str(),
                    default_path,
                });
            }
            default_path
        }
    };
    read_roots(&path)
}

/// `~/.postgresql/root.crt`, where libpq looks when `sslrootcert` is not set.
fn default_root_cert() -> PathBuf {
    let home = std::env::var_os("HOME").unwrap_or_default();
    Path::new(&home).join(".postgresql").join("root.crt")
}

fn read_roots(path: &Path) -> Result<Arc<RootCertStore>, ConnectError> {
    let unusable = |reason: String| ConnectError::RootCert {
        path: path.to_owned(),
        reason,
    };
    let certificates = CertificateDer::pem_file_iter(path)
        .map_err(|error| unusable(error.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| unusable(error.to_string()))?;
    if certificates.is_empty() {
        return Err(unusable("no PEM certificate in it".to_owned()));
    }
    let mut roots = RootCertStore::empty();
    for certificate in certificates {
        roots
            .add(certificate)
            .map_err(|error| unusable(error.to_string()))?;
    }
    Ok(Arc::new(roots))
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
