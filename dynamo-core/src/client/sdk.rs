//! The `aws-config` feature: the AWS SDK's own credential chain
//! (assume-role, web identity, SSO and the rest) behind the default chain,
//! and an application's [`aws_types::SdkConfig`] as a starting point.

use std::fmt;

use aws_credential_types::provider::{ProvideCredentials as _, SharedCredentialsProvider};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

use super::credentials::{Credentials, CredentialsFuture, ProvideCredentials};
use crate::error::Error;

/// An `aws-config` credentials provider seen as ours.
pub(crate) struct SdkCredentials(pub(crate) SharedCredentialsProvider);

impl fmt::Debug for SdkCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SdkCredentials")
    }
}

impl SdkCredentials {
    pub(crate) async fn load(&self) -> Result<Credentials, Error> {
        let found = self.0.provide_credentials().await.map_err(|e| {
            Error::credentials("the aws-config credential chain found no credentials")
                .with_source(e)
        })?;
        let mut creds = Credentials::new(
            found.access_key_id(),
            found.secret_access_key(),
            found.session_token().map(str::to_owned),
        );
        if let Some(expiry) = found.expiry() {
            creds = creds.with_expiry(expiry);
        }
        Ok(creds)
    }
}

impl ProvideCredentials for SdkCredentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// aws-config's default chain for `profile`, over the process environment,
/// with a rustls (ring) HTTPS client for STS, SSO and instance metadata.
pub(crate) async fn default_chain(profile: &str) -> Result<SdkCredentials, Error> {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .profile_name(profile)
        .load()
        .await;
    config
        .credentials_provider()
        .map(SdkCredentials)
        .ok_or_else(|| Error::credentials("aws-config has no credential chain"))
}
