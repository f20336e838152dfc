//! Credentials and where they come from.
//!
//! The client asks a [`ProvideCredentials`] for [`Credentials`] before its
//! first request, caches them, and asks again when they are about to expire
//! or when the service answers `ExpiredTokenException`. Built-in providers:
//! [`Credentials`] itself (static keys), [`EnvironmentCredentials`] (the
//! `AWS_ACCESS_KEY_ID` family) and [`ProfileCredentials`] (the shared
//! `~/.aws/credentials` and `~/.aws/config` files).

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use super::profile::{self, ProfileSet};
use crate::error::Error;

/// An access key, its secret and an optional session token.
///
/// `Debug` shows the access key id only; the secret and the token are
/// redacted.
///
/// # Example
/// ```
/// use dynamo_core::client::Credentials;
/// let creds = Credentials::new("AKID", "wJalrXUtnFEMI", Some("TOKEN".into()));
/// let shown = format!("{creds:?}");
/// assert!(shown.contains("AKID"));
/// assert!(!shown.contains("wJalrXUtnFEMI") && !shown.contains("TOKEN"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-term keys, or temporary ones when `session_token` is set.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// Sets when these credentials stop working; the client asks its provider
    /// for new ones shortly before.
    #[must_use]
    pub fn with_expiry(mut self, expiry: SystemTime) -> Credentials {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When these credentials expire, if they do.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// The future a [`ProvideCredentials`] returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, Error>> + Send + 'a>>;

/// A source of credentials.
///
/// The method is asynchronous so that providers may fetch credentials over
/// the network (STS, instance metadata, a vault); synchronous providers
/// return a ready future with `Box::pin(std::future::ready(...))`. The client
/// calls it once before its first request and again only to refresh, so it
/// need not cache. Implementations must not log or print secrets.
///
/// # Example
/// ```
/// use dynamo_core::client::{Credentials, CredentialsFuture, ProvideCredentials};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> CredentialsFuture<'_> {
///         Box::pin(async { Ok(Credentials::new("AKID", "from-the-vault", None)) })
///     }
/// }
/// ```
pub trait ProvideCredentials: fmt::Debug + Send + Sync + 'static {
    /// Loads credentials.
    ///
    /// # Errors
    /// An error of kind [`crate::ErrorKind::Credentials`] when none can be found.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`
/// from the process environment each time it is asked.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentCredentials;

impl EnvironmentCredentials {
    /// Reads the variables through `lookup`.
    pub(crate) fn load(lookup: &dyn Fn(&str) -> Option<String>) -> Option<Credentials> {
        let id = lookup("AWS_ACCESS_KEY_ID").filter(|v| !v.is_empty())?;
        let secret = lookup("AWS_SECRET_ACCESS_KEY").filter(|v| !v.is_empty())?;
        let token = lookup("AWS_SESSION_TOKEN").filter(|v| !v.is_empty());
        Some(Credentials::new(id, secret, token))
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let found = EnvironmentCredentials::load(&|name| std::env::var(name).ok());
        Box::pin(std::future::ready(found.ok_or_else(|| {
            Error::credentials("AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is not set")
        })))
    }
}

/// Reads a named profile from the shared credentials and config files each
/// time it is asked, so rotated keys are picked up on refresh.
///
/// Keys `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token`
/// are taken from the profile's `[name]` section of the credentials file,
/// else from its `[profile name]` (or `[default]`) section of the config file.
#[derive(Debug, Clone)]
pub struct ProfileCredentials {
    profile: String,
    credentials_file: Option<PathBuf>,
    config_file: Option<PathBuf>,
}

impl ProfileCredentials {
    /// The profile `name`, from the files named by `AWS_SHARED_CREDENTIALS_FILE`
    /// and `AWS_CONFIG_FILE`, else `~/.aws/credentials` and `~/.aws/config`.
    pub fn new(name: impl Into<String>) -> ProfileCredentials {
        let lookup = |name: &str| std::env::var(name).ok();
        let files = profile::ProfileFiles::locate(&lookup);
        ProfileCredentials::with_files(name, files.credentials, files.config)
    }

    /// The profile `name` from the given files (a missing file counts as empty).
    pub fn with_files(
        name: impl Into<String>,
        credentials_file: Option<PathBuf>,
        config_file: Option<PathBuf>,
    ) -> ProfileCredentials {
        ProfileCredentials {
            profile: name.into(),
            credentials_file,
            config_file,
        }
    }

    /// Loads the profile now.
    pub(crate) fn load(&self) -> Result<Credentials, Error> {
        let files = profile::ProfileFiles {
            credentials: self.credentials_file.clone(),
            config: self.config_file.clone(),
        };
        let set = files.load()?;
        credentials_from(&set, &self.profile).ok_or_else(|| {
            Error::credentials(format!(
                "profile `{}` has no aws_access_key_id and aws_secret_access_key",
                self.profile
            ))
        })
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

/// The credentials of `profile`, the credentials file winning over the config file.
pub(crate) fn credentials_from(set: &ProfileSet, profile: &str) -> Option<Credentials> {
    let section = set.credentials_section(profile)?;
    let value = |key: &str| section.get(key).filter(|v| !v.is_empty()).cloned();
    let id = value("aws_access_key_id")?;
    let secret = value("aws_secret_access_key")?;
    Some(Credentials::new(id, secret, value("aws_session_token")))
}

#[cfg_attr(feature = "aws-config", allow(dead_code))]
/// Parses an RFC 3339 `Expiration` (e.g. `2026-12-02T18:00:00Z`).
pub(crate) fn parse_expiration(text: &str, what: &str) -> Result<SystemTime, Error> {
    use aws_smithy_types::DateTime;
    use aws_smithy_types::date_time::Format;
    DateTime::from_str(text.trim(), Format::DateTime)
        .ok()
        .and_then(|t| SystemTime::try_from(t).ok())
        .ok_or_else(|| {
            Error::credentials(format!(
                "{what}: Expiration `{text}` is not an RFC 3339 time"
            ))
        })
}

/// The credentials JSON of the container endpoint and instance metadata:
/// `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`.
#[cfg_attr(feature = "aws-config", allow(dead_code))]
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ServedCredentials {
    pub(crate) code: Option<String>,
    pub(crate) access_key_id: Option<String>,
    pub(crate) secret_access_key: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) expiration: Option<String>,
}

#[cfg_attr(feature = "aws-config", allow(dead_code))]
impl ServedCredentials {
    /// Parses a credentials answer; `what` names the source in errors (the
    /// body itself is never quoted: it holds secrets).
    pub(crate) fn parse(body: &[u8], what: &str) -> Result<Credentials, Error> {
        let served: ServedCredentials = serde_json::from_slice(body).map_err(|e| {
            Error::credentials(format!("{what}: the answer is not credentials JSON")).with_source(e)
        })?;
        if let Some(code) = served.code.as_deref().filter(|c| *c != "Success") {
            return Err(Error::credentials(format!(
                "{what}: answered Code `{code}`"
            )));
        }
        let missing =
            |field: &str| Error::credentials(format!("{what}: the answer has no {field}"));
        let id = served
            .access_key_id
            .filter(|v| !v.is_empty())
            .ok_or_else(|| missing("AccessKeyId"))?;
        let secret = served
            .secret_access_key
            .filter(|v| !v.is_empty())
            .ok_or_else(|| missing("SecretAccessKey"))?;
        let mut creds = Credentials::new(id, secret, served.token.filter(|t| !t.is_empty()));
        if let Some(expiration) = served.expiration {
            creds = creds.with_expiry(parse_expiration(&expiration, what)?);
        }
        Ok(creds)
    }
}
