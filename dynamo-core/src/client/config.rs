//! Building a [`Client`]: explicitly, or from the environment as the AWS
//! tools read it.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::Client;
use super::chain::DefaultCredentialsChain;
use super::credentials::{Credentials, ProvideCredentials};
use super::endpoint::{Endpoint, EndpointVariant, region_endpoint_variant};
use super::env::{Env, parse_bool};
use super::profile::{ProfileFiles, ProfileSet};
use super::retry::{RetryConfig, RetryMode};
use super::tls::CaBundle;
use super::transport::{HttpSettings, ProxySetting};
use crate::error::Error;

/// Looks a setting up by variable, then profile key: its value and where it came from.
type Setting<'a> = dyn Fn(&str, &str) -> Option<(String, String)> + 'a;

/// Region used for signing when only an endpoint URL is given.
const FALLBACK_REGION: &str = "us-east-1";

/// Builds a [`Client`].
///
/// Settings are checked by [`ClientBuilder::build`], so a chain of setters
/// needs no `?` per step. Defaults: the standard retry mode with 3 attempts
/// ([`RetryConfig::standard`]); a 2 s connect timeout; 10 s per attempt; a 30 s
/// deadline per call that retries and backoff stay within
/// ([`ClientBuilder::operation_timeout`]); idle pooled connections kept 90 s;
/// proxies from `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`;
/// trusted roots: webpki's and the system's.
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
    pub(super) http: HttpSettings,
    operation_timeout: Duration,
    variant: EndpointVariant,
    /// The environment of [`ClientBuilder::from_env_with`].
    env: Option<Env>,
    chain: Option<Arc<DefaultCredentialsChain>>,
    error: Option<Arc<Error>>,
}

impl Default for ClientBuilder {
    fn default() -> ClientBuilder {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// Default deadline of one call, retries included.
    pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

    /// A builder with nothing set.
    pub fn new() -> ClientBuilder {
        ClientBuilder {
            region: None,
            endpoint_url: None,
            credentials: None,
            retry: RetryConfig::standard(),
            http: HttpSettings::default(),
            operation_timeout: ClientBuilder::DEFAULT_OPERATION_TIMEOUT,
            variant: EndpointVariant::default(),
            env: None,
            chain: None,
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
    ///   `region` (else instance metadata, with [`ClientBuilder::load`]);
    /// * endpoint: `AWS_ENDPOINT_URL_DYNAMODB`, else `AWS_ENDPOINT_URL`, else
    ///   the profile's `endpoint_url` (all ignored when
    ///   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else the region's, in
    ///   the variant `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`
    ///   (profile `use_fips_endpoint` / `use_dualstack_endpoint`) ask for;
    /// * credentials: the [`DefaultCredentialsChain`] over these variables;
    /// * retries: `AWS_RETRY_MODE` and `AWS_MAX_ATTEMPTS`, else the
    ///   profile's `retry_mode` and `max_attempts`;
    /// * trust: `AWS_CA_BUNDLE`, else the profile's `ca_bundle`;
    /// * proxies: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY` (or
    ///   lowercase).
    ///
    /// Problems (an unreadable file, a bad setting) are reported by
    /// [`ClientBuilder::build`].
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> ClientBuilder {
        let env = Env::capture(lookup);
        let mut builder = ClientBuilder::new();
        let profile = env
            .string("AWS_PROFILE")
            .unwrap_or_else(|| "default".to_owned());
        let files = ProfileFiles::locate(&|n| env.string(n));
        let set = match files.load() {
            Ok(set) => set,
            Err(e) => {
                builder.error = Some(Arc::new(e));
                ProfileSet::default()
            }
        };
        let setting = |var: &str, key: &str| {
            env.string(var).map(|v| (v, var.to_owned())).or_else(|| {
                set.config_value(&profile, key)
                    .map(|v| (v.to_owned(), format!("`{key}` of profile `{profile}`")))
            })
        };
        builder.region = env
            .first(&["AWS_REGION", "AWS_DEFAULT_REGION"])
            .map(str::to_owned)
            .or_else(|| set.config_value(&profile, "region").map(str::to_owned));
        builder.endpoint_url = env_endpoint(&env, &set, &profile);
        if let Err(e) = builder.read_settings(&setting) {
            builder.error.get_or_insert(Arc::new(e));
        }
        if let Some((path, source)) = setting("AWS_CA_BUNDLE", "ca_bundle") {
            let source = if source == "AWS_CA_BUNDLE" {
                "AWS_CA_BUNDLE"
            } else {
                "the profile's ca_bundle"
            };
            builder.http.ca_bundle = Some(CaBundle {
                path: PathBuf::from(path),
                source,
            });
        }
        builder.http.proxy = ProxySetting::Env(env.clone());
        match DefaultCredentialsChain::new(env.clone()) {
            Ok(chain) => builder.chain = Some(Arc::new(chain)),
            Err(e) => {
                builder.error.get_or_insert(Arc::new(e));
            }
        }
        builder.env = Some(env);
        builder
    }

    /// A builder taking the region, endpoint, FIPS and dual-stack settings,
    /// credentials, retry and timeout settings of an AWS SDK configuration,
    /// so an application that already uses the SDK shares them.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run() -> Result<(), dynamo_core::Error> {
    /// let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    /// let client = dynamo_core::client::ClientBuilder::from_sdk_config(&sdk).build()?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "aws-config")]
    pub fn from_sdk_config(config: &aws_types::SdkConfig) -> ClientBuilder {
        use aws_smithy_types::retry::RetryMode as SdkMode;
        let mut builder = ClientBuilder::new();
        builder.region = config.region().map(|r| r.as_ref().to_owned());
        builder.endpoint_url = config.endpoint_url().map(str::to_owned);
        builder.variant = EndpointVariant {
            fips: config.use_fips().unwrap_or(false),
            dual_stack: config.use_dual_stack().unwrap_or(false),
        };
        if let Some(provider) = config.credentials_provider() {
            builder.credentials = Some(Arc::new(super::sdk::SdkCredentials(provider)));
        }
        if let Some(retry) = config.retry_config() {
            let mode = match retry.mode() {
                SdkMode::Adaptive => RetryMode::Adaptive,
                _ => RetryMode::Standard,
            };
            builder.retry = builder.retry.max_attempts(retry.max_attempts()).mode(mode);
        }
        if let Some(timeouts) = config.timeout_config() {
            if let Some(t) = timeouts.connect_timeout() {
                builder.http.connect_timeout = t;
            }
            if let Some(t) = timeouts.operation_attempt_timeout() {
                builder.http.request_timeout = t;
            }
            if let Some(t) = timeouts.operation_timeout() {
                builder.operation_timeout = t;
            }
        }
        builder
    }

    /// Reads the retry and endpoint-variant settings.
    fn read_settings(&mut self, setting: &Setting<'_>) -> Result<(), Error> {
        if let Some((value, source)) = setting("AWS_RETRY_MODE", "retry_mode") {
            let mode = RetryMode::parse(&value).ok_or_else(|| {
                Error::config(format!(
                    "{source} is `{value}`; expected standard, adaptive or legacy"
                ))
            })?;
            self.retry = self.retry.mode(mode);
            if value.trim().eq_ignore_ascii_case("legacy") {
                self.retry = self.retry.max_attempts(RetryConfig::DEFAULT_MAX_ATTEMPTS);
            }
        }
        if let Some((value, source)) = setting("AWS_MAX_ATTEMPTS", "max_attempts") {
            let attempts = value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    Error::config(format!(
                        "{source} is `{value}`; expected a whole number from 1"
                    ))
                })?;
            self.retry = self.retry.max_attempts(attempts);
        }
        let flag = |var: &str, key: &str| -> Result<bool, Error> {
            match setting(var, key) {
                None => Ok(false),
                Some((value, source)) => parse_bool(&value).ok_or_else(|| {
                    Error::config(format!("{source} is `{value}`; expected true or false"))
                }),
            }
        };
        self.variant = EndpointVariant {
            fips: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?,
            dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")?,
        };
        Ok(())
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

    /// Uses the region's FIPS endpoint.
    pub fn use_fips(mut self, fips: bool) -> ClientBuilder {
        self.variant.fips = fips;
        self
    }

    /// Uses the region's dual-stack (IPv4 and IPv6) endpoint.
    pub fn use_dual_stack(mut self, dual_stack: bool) -> ClientBuilder {
        self.variant.dual_stack = dual_stack;
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

    /// Sets how long opening a connection may take (default 2 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.http.connect_timeout = timeout;
        self
    }

    /// Sets how long one attempt may take, from sending to the end of the
    /// body (default 10 s).
    pub fn request_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.http.request_timeout = timeout;
        self
    }

    /// Sets the deadline of one call, every attempt, backoff and credential
    /// load included (default 30 s). A call that reaches it fails with
    /// [`crate::ErrorKind::Timeout`]. [`Client::with_operation_timeout`]
    /// changes it for some calls.
    pub fn operation_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.operation_timeout = timeout;
        self
    }

    /// Sets how long an idle pooled connection is kept.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.http.pool_idle_timeout = timeout;
        self
    }

    /// Also trusts the certificate authorities of this PEM file (beside
    /// webpki's and the system's roots); wins over `AWS_CA_BUNDLE`.
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> ClientBuilder {
        self.http.ca_bundle = Some(CaBundle {
            path: path.into(),
            source: "ClientBuilder::ca_bundle",
        });
        self
    }

    /// Sends every request through the HTTP proxy at `url` (e.g.
    /// `http://user:pass@proxy:3128`), except to hosts `no_proxy` lists
    /// (`NO_PROXY` syntax: comma-separated domains, IPs and networks, `*`).
    /// HTTPS endpoints are reached through `CONNECT` tunnels.
    pub fn proxy(mut self, url: impl Into<String>, no_proxy: Option<&str>) -> ClientBuilder {
        self.http.proxy = ProxySetting::Url {
            url: url.into(),
            no_proxy: no_proxy.map(str::to_owned),
        };
        self
    }

    /// Sends requests through `client`, the application's own reqwest client
    /// (its TLS, proxies and timeouts apply; connect, pool, proxy and CA
    /// settings of this builder do not). Attempt timeouts, the deadline and
    /// retries still apply.
    ///
    /// # Example
    /// ```
    /// # fn run() -> Result<(), dynamo_core::Error> {
    /// use dynamo_core::client::{Client, Credentials};
    /// let http = reqwest::Client::builder().build().expect("reqwest client");
    /// let client = Client::builder()
    ///     .endpoint_url("http://127.0.0.1:8000")
    ///     .credentials(Credentials::new("AKID", "secret", None))
    ///     .reqwest_client(http)
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "reqwest")]
    pub fn reqwest_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http.reqwest = Some(client);
        self
    }

    /// Connects directly, ignoring the proxy variables.
    pub fn no_proxy(mut self) -> ClientBuilder {
        self.http.proxy = ProxySetting::Disabled;
        self
    }

    /// Like [`ClientBuilder::build`], but on EC2 without a configured region
    /// reads the instance's region from instance metadata first.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub async fn load(mut self) -> Result<Client, Error> {
        if self.region.is_none()
            && self.endpoint_url.is_none()
            && let Some(chain) = &self.chain
            && let Some(region) = chain.imds_region().await
        {
            self.region = Some(region.map_err(|e| {
                let reason = e.message().unwrap_or_default().to_owned();
                Error::config(format!(
                    "no region: AWS_REGION is not set and instance metadata gave none ({reason})"
                ))
            })?);
        }
        self.build()
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Config`] without a region or endpoint, or with a
    /// bad one, or with an unreadable CA bundle or bad proxy URL;
    /// [`crate::ErrorKind::Credentials`] when no credentials source applies
    /// or the environment's profile files could not be read.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(e) = self.error {
            return Err(Arc::try_unwrap(e).unwrap_or_else(|e| {
                Error::config(e.message().unwrap_or("bad client configuration"))
            }));
        }
        let (region, url) = match (self.region, self.endpoint_url) {
            (_, Some(_)) if self.variant.fips || self.variant.dual_stack => {
                return Err(Error::config(
                    "FIPS and dual-stack endpoints cannot be combined with a custom endpoint URL",
                ));
            }
            (region, Some(url)) => (region.unwrap_or_else(|| FALLBACK_REGION.to_owned()), url),
            (Some(region), None) => {
                let url = region_endpoint_variant(&region, self.variant)?;
                (region, url)
            }
            (None, None) => {
                return Err(Error::config(
                    "no region: set AWS_REGION or call `region` or `endpoint_url` \
                     (on EC2, `ClientBuilder::load` reads it from instance metadata)",
                ));
            }
        };
        let endpoint = Endpoint::parse(&url)?;
        let credentials: Arc<dyn ProvideCredentials> = match (self.credentials, self.chain) {
            (Some(explicit), _) => explicit,
            (None, Some(chain)) => {
                chain.check()?;
                chain
            }
            (None, None) => {
                return Err(Error::credentials(
                    "no credentials: call `credentials`, or build with `ClientBuilder::from_env` \
                     to use the default credential chain",
                ));
            }
        };
        Client::from_parts(
            region,
            endpoint,
            credentials,
            self.retry,
            self.http,
            self.operation_timeout,
        )
    }
}

fn env_endpoint(env: &Env, set: &ProfileSet, profile: &str) -> Option<String> {
    if env.flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") == Some(true) {
        return None;
    }
    env.first(&["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"])
        .map(str::to_owned)
        .or_else(|| set.config_value(profile, "endpoint_url").map(str::to_owned))
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .field("chain", &self.chain)
            .field("retry", &self.retry)
            .field("http", &self.http)
            .field("operation_timeout", &self.operation_timeout)
            .field("variant", &self.variant)
            .finish()
    }
}
