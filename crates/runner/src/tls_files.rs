//! The files TLS reads: the roots the server is verified against (`sslrootcert`: a PEM file,
//! or `system` for the platform's store), and the client certificate and key (`sslcert`,
//! `sslkey`) that `cert` authentication asks for.
//!
//! Everything is read when connecting, not when parsing, and the platform's store only when
//! `sslrootcert=system` asks for it (through `rustls-native-certs`, which also honours
//! `SSL_CERT_FILE` and `SSL_CERT_DIR`). A private key is refused, as libpq refuses it, when the
//! group or others may read it. A key's path is never shown: errors name where it was set.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::connection_error::ConnectError;
use crate::keywords::Origin;

/// What the server's certificate is verified against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCerts {
    /// The certificates of a PEM file (`sslrootcert=PATH`).
    File(PathBuf),
    /// The platform's trusted roots (`sslrootcert=system`, as in libpq 16 and later).
    System,
}

/// A client certificate and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientCert {
    pub cert: PathBuf,
    pub cert_origin: Origin,
    pub key: PathBuf,
    pub key_origin: Origin,
}

/// The roots in `roots`.
pub(crate) fn load_roots(roots: &RootCerts) -> Result<Arc<RootCertStore>, ConnectError> {
    match roots {
        RootCerts::File(path) => read_roots(path),
        RootCerts::System => system_roots(),
    }
}

fn read_roots(path: &Path) -> Result<Arc<RootCertStore>, ConnectError> {
    let unusable = |reason: String| ConnectError::RootCert {
        path: path.to_owned(),
        reason,
    };
    let certificates = read_certificates(path).map_err(unusable)?;
    let mut roots = RootCertStore::empty();
    for certificate in certificates {
        roots
            .add(certificate)
            .map_err(|error| unusable(error.to_string()))?;
    }
    Ok(Arc::new(roots))
}

fn system_roots() -> Result<Arc<RootCertStore>, ConnectError> {
    let loaded = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(loaded.certs);
    if added == 0 {
        let reason = match loaded.errors.first() {
            Some(error) => error.to_string(),
            None => "the store holds no certificate".to_owned(),
        };
        return Err(ConnectError::SystemRoots { reason });
    }
    Ok(Arc::new(roots))
}

/// The certificate chain and the private key, checked.
pub(crate) fn load_client_cert(
    client: &ClientCert,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), ConnectError> {
    let chain = read_certificates(&client.cert).map_err(|reason| ConnectError::ClientCert {
        origin: client.cert_origin.to_string(),
        path: client.cert.clone(),
        reason,
    })?;
    let key_error = |reason: String| ConnectError::ClientKey {
        origin: client.key_origin.to_string(),
        reason,
    };
    check_key_permissions(&client.key).map_err(key_error)?;
    let key = PrivateKeyDer::from_pem_file(&client.key).map_err(|error| {
        key_error(format!(
            "no unencrypted PEM private key in it ({error}); encrypted keys are not supported"
        ))
    })?;
    Ok((chain, key))
}

fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certificates = CertificateDer::pem_file_iter(path)
        .map_err(|error| error.to_string())?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| error.to_string())?;
    if certificates.is_empty() {
        return Err("no PEM certificate in it".to_owned());
    }
    Ok(certificates)
}

/// libpq's rule: a key owned by the user may be read by nobody else (0600 or less); one owned
/// by root may also be read by its group (0640 or less); other owners are not checked.
#[cfg(unix)]
fn check_key_permissions(key: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(key).map_err(|error| format!("cannot read it: {error}"))?;
    if !metadata.is_file() {
        return Err("it is not a regular file".to_owned());
    }
    let mode = metadata.mode();
    let own = std::fs::metadata("/proc/self").map_or(metadata.uid(), |me| me.uid());
    let too_open =
        (metadata.uid() == own && mode & 0o077 != 0) || (metadata.uid() == 0 && mode & 0o037 != 0);
    if too_open {
        return Err("it has group or world access; it must have permissions u=rw (0600) or less if owned by the current user, or u=rw,g=r (0640) or less if owned by root".to_owned());
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_key_permissions(key: &Path) -> Result<(), String> {
    match key.is_file() {
        true => Ok(()),
        false => Err("it is not a readable file".to_owned()),
    }
}
