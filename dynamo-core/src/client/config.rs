//! Building a [`Client`]: explicitly, or from the environment as the AWS
//! tools read it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::Client;
use super::credentials::{self, Credentials, ProfileCredentials, ProvideCredentials};
use super::endpoint::{Endpoint, region_endpoint};
use super::profile::{ProfileFiles, ProfileSet};
use super::retry::RetryConfig;
use super::transport::HttpSettings;
use crate::error::Error;

/// Region used for signing when only an endpoint URL is given.
const FALLBACK_REGION: &str = "us-east-1";

/// Builds a [`Client`].
///
/// Settings are checked by [`ClientBuilder::build`], so a chain of setters
/// needs no `?` per step. Defaults: 10 attempts with 50 ms exponential
/// backoff (see [`RetryConfig`]), 5 s connect timeout, 30 s request timeout,
/// idle pooled connections kept 90 s.
///
/// # Example
/// ```
/// use std::time::Duration;
/// use dynamo_core::client::{Client, Credentials};
/// let client = Client::builder()
///     .endpoint_url("http://127.0.0.1:8000")
///     .credentials(Credentials::new("AKID", "secret", None))
///     .request_timeout(Duration::from_secs(5))
///     .build()?;
/// assert_eq!(client.region(), "us-east-1");
/// # Ok::<(), dynamo_core::Error>(())
/// ```
#[must_use]
#[derive(Clone)]
pub struct ClientBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    retry: RetryConfig,
    http: HttpSettings,
    error: Option<Arc<Error>>,
}

impl Default for ClientBuilder {
    fn default() -> ClientBuilder {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> ClientBuilder {
        ClientBuilder {
            region: None,
            endpoint_url: None,
            credentials: None,
            retry: RetryConfig::default(),
            http: HttpSettings {
                connect_timeout: Duration::from_secs(5),
                request_timeout: Duration::from_secs(30),
                pool_idle_timeout: Duration::from_secs(90),
            },
            error: None,
        }
    }

    /// A builder set from the process environment; see
    /// [`ClientBuilder::from_env_with`].
    pub fn from_env() -> ClientBuilder {
        ClientBuilder::from_env_with(|name| std::env::var(name).ok())
    }

    /// A builder set from the variables `lookup` returns, read as the AWS
    /// tools read them:
    ///
    /// * profile: `AWS_PROFILE`, else `default`; its files from
    ///   `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`, else
    ///   `~/.aws/credentials` and `~/.aws/config` (`[profile name]` sections);
    /// * region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's
    ///   `region`;
    /// * endpoint: `AWS_ENDPOINT_URL_DYNAMODB`, else `AWS_ENDPOINT_URL`, else
    ///   the profile's `endpoint_url` (all ignored when
    ///   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else the region's;
    /// * credentials: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
    ///   `AWS_SESSION_TOKEN`, else the profile's keys (re-read on refresh).
    ///
    /// Problems (an unreadable file, a profile without keys) are reported by
    /// [`ClientBuilder::build`].
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> ClientBuilder {
        let lookup = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut builder = ClientBuilder::new();
        let profile = lookup("AWS_PROFILE").unwrap_or_else(|| "default".to_owned());
        let files = ProfileFiles::locate(&lookup);
        let set = match files.load() {
            Ok(set) => set,
            Err(e) => {
                builder.error = Some(Arc::new(e));
                ProfileSet::default()
            }
        };
        builder.region = lookup("AWS_REGION")
            .or_else(|| lookup("AWS_DEFAULT_REGION"))
            .or_else(|| set.config_value(&profile, "region").map(str::to_owned));
        builder.endpoint_url = env_endpoint(&lookup, &set, &profile);
        builder.credentials = env_credentials(&lookup, &set, &profile, files);
        builder
    }

    /// Sets the region (e.g. `us-east-1`); it names the endpoint unless
    /// [`ClientBuilder::endpoint_url`] is set, and is always used for signing.
    pub fn region(mut self, region: impl Into<String>) -> ClientBuilder {
        self.region = Some(region.into());
        self
    }

    /// Sends requests to this URL (e.g. `http://127.0.0.1:8000`) instead of
    /// the region's endpoint. The region defaults to `us-east-1`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses these fixed credentials.
    pub fn credentials(self, credentials: Credentials) -> ClientBuilder {
        self.credentials_provider(credentials)
    }

    /// Gets credentials from `provider`.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> ClientBuilder {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Sets the retry policy.
    pub fn retry_config(mut self, retry: RetryConfig) -> ClientBuilder {
        self.retry = retry;
        self
    }

    /// Sets how long opening a connection may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.http.connect_timeout = timeout;
        self
    }

    /// Sets how long one attempt may take, from sending to the end of the body.
    pub fn request_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.http.request_timeout = timeout;
        self
    }

    /// Sets how long an idle pooled connection is kept.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.http.pool_idle_timeout = timeout;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Config`] without a region or endpoint, or with a
    /// bad one; [`crate::ErrorKind::Credentials`] without credentials or when
    /// the environment's profile files could not be read.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(e) = self.error {
            return Err(Arc::try_unwrap(e).unwrap_or_else(|e| {
                Error::credentials(e.message().unwrap_or("cannot read AWS profile files"))
            }));
        }
        let (region, url) = match (self.region, self.endpoint_url) {
            (region, Some(url)) => (region.unwrap_or_else(|| FALLBACK_REGION.to_owned()), url),
            (Some(region), None) => {
                let url = region_endpoint(&region)
                    .ok_or_else(|| Error::config(format!("`{region}` is not a region name")))?;
                (region, url)
            }
            (None, None) => {
                return Err(Error::config(
                    "no region: set AWS_REGION or call `region` or `endpoint_url`",
                ));
            }
        };
        let endpoint = Endpoint::parse(&url)?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::credentials("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or call `credentials`")
        })?;
        Client::from_parts(region, endpoint, credentials, self.retry, self.http)
    }
}

fn env_endpoint(
    lookup: &dyn Fn(&str) -> Option<String>,
    set: &ProfileSet,
    profile: &str,
) -> Option<String> {
    let ignore = lookup("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if ignore {
        return None;
    }
    lookup("AWS_ENDPOINT_URL_DYNAMODB")
        .or_else(|| lookup("AWS_ENDPOINT_URL"))
        .or_else(|| set.config_value(profile, "endpoint_url").map(str::to_owned))
}

fn env_credentials(
    lookup: &dyn Fn(&str) -> Option<String>,
    set: &ProfileSet,
    profile: &str,
    files: ProfileFiles,
) -> Option<Arc<dyn ProvideCredentials>> {
    if let Some(creds) = credentials::EnvironmentCredentials::load(lookup) {
        return Some(Arc::new(creds));
    }
    credentials::credentials_from(set, profile)?;
    Some(Arc::new(ProfileCredentials::with_files(
        profile,
        files.credentials,
        files.config,
    )))
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("http", &self.http)
            .finish()
    }
}
