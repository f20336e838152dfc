//! HTTPS: a rustls server configuration built from a PEM certificate chain
//! and private key (ring provider, TLS 1.2 and 1.3, HTTP/1.1 over ALPN).

use std::io;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// A certificate chain and key as PEM text, parsed when the server starts.
#[derive(Clone)]
pub(crate) struct TlsPem {
    cert_chain: Vec<u8>,
    key: Vec<u8>,
}

impl TlsPem {
    pub(crate) fn new(cert_chain: Vec<u8>, key: Vec<u8>) -> TlsPem {
        TlsPem { cert_chain, key }
    }

    /// The acceptor for this certificate, or an `InvalidInput` error saying
    /// which part is unusable (never quoting the key).
    pub(crate) fn acceptor(&self) -> io::Result<TlsAcceptor> {
        let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidInput, what);
        let certs = CertificateDer::pem_slice_iter(&self.cert_chain)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid(format!("TLS certificate chain is not valid PEM: {e}")))?;
        if certs.is_empty() {
            return Err(invalid(
                "TLS certificate chain holds no CERTIFICATE block".to_owned(),
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(&self.key)
            .map_err(|e| invalid(format!("TLS private key is not a PEM private key: {e}")))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(format!("TLS protocol versions: {e}")))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| invalid(format!("TLS certificate and key do not fit: {e}")))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

impl std::fmt::Debug for TlsPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsPem")
            .field("cert_chain_bytes", &self.cert_chain.len())
            .field("key", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_pem_is_an_invalid_input_error_without_the_key() {
        let pem = TlsPem::new(b"not a cert".to_vec(), b"SECRET-KEY-TEXT".to_vec());
        let error = pem.acceptor().err().expect("refused");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("certificate chain"), "{error}");
        assert!(!format!("{pem:?}").contains("SECRET-KEY-TEXT"));
    }
}
