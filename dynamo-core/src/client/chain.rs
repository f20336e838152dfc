//! The default credential chain, in the order the AWS tools use:
//!
//! 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!    `AWS_SESSION_TOKEN`;
//! 2. the profile (`AWS_PROFILE`, else `default`) of the shared files: its
//!    `credential_process`, else its static keys;
//! 3. container credentials (ECS, Fargate, EKS Pod Identity);
//! 4. EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true`.
//!
//! Assume-role profiles (`role_arn`), SSO profiles and web identity
//! (`AWS_WEB_IDENTITY_TOKEN_FILE`) need STS or the SSO portal. With the
//! `aws-config` feature the whole chain is the `aws-config` crate's (which
//! reads the process environment and resolves all of these); without it they
//! are an error that names the profile and the feature.
//!
//! The chain decides where credentials come from each time it is asked, so
//! rotated keys, a re-written profile or a new container token are picked up
//! on refresh; the client caches what it returns until shortly before expiry.

use std::fmt;
use std::time::Duration;

use super::container::ContainerSource;
use super::credentials::{self, Credentials, CredentialsFuture, ProvideCredentials};
use super::env::Env;
use super::fetch::Fetcher;
use super::imds::Imds;
#[cfg(not(feature = "aws-config"))]
use super::process;
use super::profile::{ProfileFiles, ProfileSet};
use crate::error::Error;

/// How long one request to the container endpoint or instance metadata may take.
const METADATA_TIMEOUT: Duration = Duration::from_secs(1);

/// Profile keys only the `aws-config` feature can act on.
const NEEDS_AWS_CONFIG: [&str; 5] = [
    "role_arn",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "credential_source",
];

/// The default credential chain: the environment's keys, then the profile's
/// `credential_process` or static keys, then container credentials, then EC2
/// instance metadata (IMDSv2) unless `AWS_EC2_METADATA_DISABLED=true`. With
/// the `aws-config` feature, everything after the environment's keys is the
/// `aws-config` crate's chain (adding assume-role, web identity and SSO).
///
/// # Example
/// ```no_run
/// use dynamo_core::client::{Client, DefaultCredentialsChain};
/// # fn run() -> Result<(), dynamo_core::Error> {
/// let client = Client::builder()
///     .region("eu-west-1")
///     .credentials_provider(DefaultCredentialsChain::from_env()?)
///     .build()?;
/// # Ok(()) }
/// ```
pub struct DefaultCredentialsChain {
    env: Env,
    profile: String,
    /// `AWS_PROFILE` was set: a missing profile is an error.
    explicit: bool,
    files: ProfileFiles,
    fetcher: Fetcher,
    #[cfg(feature = "aws-config")]
    sdk: tokio::sync::OnceCell<super::sdk::SdkCredentials>,
}

/// Where the chain found credentials.
#[cfg_attr(feature = "aws-config", allow(dead_code))]
enum Source {
    Static(Credentials),
    Process(String),
    Container(ContainerSource),
    Imds(Imds),
}

impl DefaultCredentialsChain {
    /// The chain over the process environment.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Config`] when TLS cannot be set up.
    pub fn from_env() -> Result<DefaultCredentialsChain, Error> {
        DefaultCredentialsChain::new(Env::capture(|n| std::env::var(n).ok()))
    }

    /// The chain over `env`.
    pub(crate) fn new(env: Env) -> Result<DefaultCredentialsChain, Error> {
        let explicit = env.get("AWS_PROFILE").is_some();
        let profile = env
            .string("AWS_PROFILE")
            .unwrap_or_else(|| "default".to_owned());
        let files = ProfileFiles::locate(&|n| env.string(n));
        Ok(DefaultCredentialsChain {
            env,
            profile,
            explicit,
            files,
            fetcher: Fetcher::new(METADATA_TIMEOUT)?,
            #[cfg(feature = "aws-config")]
            sdk: tokio::sync::OnceCell::new(),
        })
    }

    /// Checks, without network, that the chain has a source to try.
    ///
    /// # Errors
    /// As [`ProvideCredentials::provide_credentials`], short of the network.
    pub(crate) fn check(&self) -> Result<(), Error> {
        // aws-config resolves its chain at the first call.
        if cfg!(feature = "aws-config") {
            return Ok(());
        }
        self.plan().map(|_| ())
    }

    /// The first source that applies.
    fn plan(&self) -> Result<Source, Error> {
        let env = &self.env;
        if let Some(creds) = credentials::EnvironmentCredentials::load(&|n| env.string(n)) {
            return Ok(Source::Static(creds));
        }
        let set = self.files.load()?;
        if let Some(source) = self.profile_source(&set)? {
            return Ok(source);
        }
        if env.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() {
            return Err(Error::credentials(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set: web identity credentials need STS, \
                 which the `aws-config` feature of dynamo provides",
            ));
        }
        if let Some(container) = ContainerSource::from_env(env)? {
            return Ok(Source::Container(container));
        }
        let disabled = env.flag("AWS_EC2_METADATA_DISABLED").unwrap_or(false);
        if !disabled {
            let endpoint = env
                .get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
                .or_else(|| set.config_value(&self.profile, "ec2_metadata_service_endpoint"));
            let mode = env
                .get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
                .or_else(|| set.config_value(&self.profile, "ec2_metadata_service_endpoint_mode"));
            return Ok(Source::Imds(Imds::new(endpoint, mode)?));
        }
        Err(Error::credentials(format!(
            "no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, profile `{}` \
             has none{}, no container credentials URI is set, and instance metadata is disabled \
             (AWS_EC2_METADATA_DISABLED); set one of these or call `credentials`",
            self.profile,
            self.files.describe()
        )))
    }

    /// The profile's source, if it has one.
    fn profile_source(&self, set: &ProfileSet) -> Result<Option<Source>, Error> {
        let profile = &self.profile;
        if !set.has_profile(profile) {
            if self.explicit {
                return Err(Error::credentials(format!(
                    "profile `{profile}` (AWS_PROFILE) is not defined{}",
                    self.files.describe()
                )));
            }
            return Ok(None);
        }
        let found: Vec<&str> = NEEDS_AWS_CONFIG
            .iter()
            .copied()
            .filter(|key| set.value(profile, key).is_some())
            .collect();
        if !found.is_empty() {
            return Err(Error::credentials(format!(
                "profile `{profile}` has {}: assume-role, web identity and SSO profiles need \
                 the `aws-config` feature of dynamo",
                found.join(", ")
            )));
        }
        if let Some(command) = set.value(profile, "credential_process") {
            return Ok(Some(Source::Process(command.to_owned())));
        }
        Ok(credentials::credentials_from(set, profile).map(Source::Static))
    }

    #[cfg(feature = "aws-config")]
    async fn load(&self) -> Result<Credentials, Error> {
        // The environment comes first in aws-config's chain too; reading it
        // here keeps an environment given to `from_env_with` meaningful.
        if let Some(creds) = credentials::EnvironmentCredentials::load(&|n| self.env.string(n)) {
            return Ok(creds);
        }
        let sdk = self
            .sdk
            .get_or_try_init(|| super::sdk::default_chain(&self.profile))
            .await?;
        sdk.load().await
    }

    #[cfg(not(feature = "aws-config"))]
    async fn load(&self) -> Result<Credentials, Error> {
        match self.plan()? {
            Source::Static(creds) => Ok(creds),
            Source::Process(command) => process::run(&self.profile, &command).await,
            Source::Container(container) => container.load(&self.fetcher).await,
            Source::Imds(imds) => imds.credentials(&self.fetcher).await.map_err(|e| {
                let reason = e.message().unwrap_or_default().to_owned();
                e.with_message(format!(
                    "{reason}; no credentials were in the environment, profile `{}` or container \
                     settings, and instance metadata at {} gave none (off EC2, set \
                     AWS_EC2_METADATA_DISABLED=true)",
                    self.profile,
                    imds.base()
                ))
            }),
        }
    }

    /// The instance's region from instance metadata, unless disabled.
    pub(crate) async fn imds_region(&self) -> Option<Result<String, Error>> {
        if self.env.flag("AWS_EC2_METADATA_DISABLED").unwrap_or(false) {
            return None;
        }
        let imds = match Imds::new(
            self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT"),
            self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"),
        ) {
            Ok(imds) => imds,
            Err(e) => return Some(Err(e)),
        };
        Some(imds.region(&self.fetcher).await)
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("profile", &self.profile)
            .field("files", &self.files)
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}
