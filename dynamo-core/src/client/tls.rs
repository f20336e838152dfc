//! Which certificate authorities the client trusts: the webpki roots, the
//! system's native roots, and an optional PEM bundle (`AWS_CA_BUNDLE`, the
//! profile's `ca_bundle`, or [`super::ClientBuilder::ca_bundle`]).

use std::sync::{Arc, OnceLock};

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::Error;

/// A PEM bundle and where its path came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CaBundle {
    pub(crate) path: std::path::PathBuf,
    pub(crate) source: &'static str,
}

/// The system's roots, read once per process (unreadable ones are skipped).
fn native_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| rustls_native_certs::load_native_certs().certs)
}

/// The certificates of a PEM file.
fn read_bundle(bundle: &CaBundle) -> Result<Vec<CertificateDer<'static>>, Error> {
    let bad = |why: &str| {
        Error::config(format!(
            "CA bundle {} (from {}) {why}",
            bundle.path.display(),
            bundle.source
        ))
    };
    let certs = CertificateDer::pem_file_iter(&bundle.path)
        .map_err(|e| bad("cannot be read").with_source(e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad("is not valid PEM").with_source(e))?;
    if certs.is_empty() {
        return Err(bad("holds no certificate"));
    }
    Ok(certs)
}

/// A TLS client configuration trusting webpki, native and `bundle` roots.
pub(crate) fn client_config(bundle: Option<&CaBundle>) -> Result<rustls::ClientConfig, Error> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    // Native roots rustls cannot use are skipped, as every tool does.
    let _ = roots.add_parsable_certificates(native_roots().iter().cloned());
    if let Some(bundle) = bundle {
        for cert in read_bundle(bundle)? {
            roots.add(cert).map_err(|e| {
                Error::config(format!(
                    "CA bundle {} (from {}) has a certificate rustls rejects",
                    bundle.path.display(),
                    bundle.source
                ))
                .with_source(e)
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config("cannot set up TLS").with_source(e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}
