//! The Layer1 client: one method per operation, taking and returning the
//! [`crate::wire`] types.
//!
//! Each call serializes its input once, signs it with SigV4, sends it over a
//! pooled keep-alive connection, checks the response's `x-amz-crc32`, and
//! retries what the [`retry`] policy says may be retried.

mod config;
mod credentials;
mod endpoint;
mod profile;
pub mod retry;
mod signing;
mod transport;

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::HeaderValue;
use tracing::Instrument;

pub use config::ClientBuilder;
pub use credentials::{
    Credentials, CredentialsFuture, EnvironmentCredentials, ProfileCredentials, ProvideCredentials,
};
pub use endpoint::region_endpoint;
pub use retry::RetryConfig;

use crate::error::Error;
use crate::wire::{self, Operation};
use endpoint::Endpoint;
use retry::RetryAction;
use signing::SigningCredentials;
use transport::{HttpSettings, Transport};

/// Credentials are refreshed this long before they expire.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// A DynamoDB (API 2011-12-05) client.
///
/// Cheap to clone: clones share the connection pool and the credentials.
///
/// # Example
/// ```no_run
/// use dynamo_core::client::{Client, Credentials};
/// use dynamo_core::wire::ListTablesInput;
/// # async fn run() -> Result<(), dynamo_core::Error> {
/// let client = Client::builder()
///     .endpoint_url("http://127.0.0.1:8000")
///     .credentials(Credentials::new("AKID", "secret", None))
///     .build()?;
/// let tables = client.list_tables(&ListTablesInput::default()).await?;
/// println!("{:?}", tables.table_names);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    region: String,
    endpoint: Endpoint,
    transport: Transport,
    retry: RetryConfig,
    provider: Arc<dyn ProvideCredentials>,
    credentials: RwLock<Option<Arc<SigningCredentials>>>,
    /// Held while asking the provider, so concurrent calls ask once.
    refreshing: tokio::sync::Mutex<()>,
}

macro_rules! operations {
    ($($(#[$doc:meta])* $method:ident($input:ident) -> $output:ident, $table:expr;)*) => {$(
        $(#[$doc])*
        ///
        /// # Errors
        /// The service's error, or a transport, timeout or decoding error,
        /// after the retries the policy allows.
        pub async fn $method(&self, input: &wire::$input) -> Result<wire::$output, Error> {
            let table: fn(&wire::$input) -> Option<&str> = $table;
            self.execute(input, table(input)).await
        }
    )*};
}

impl Client {
    /// A builder with nothing set.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the process environment (see
    /// [`ClientBuilder::from_env_with`]).
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    fn from_parts(
        region: String,
        endpoint: Endpoint,
        provider: Arc<dyn ProvideCredentials>,
        retry: RetryConfig,
        http: HttpSettings,
    ) -> Result<Client, Error> {
        let transport = Transport::new(endpoint.url.clone(), endpoint.host.clone(), http)?;
        Ok(Client {
            inner: Arc::new(Inner {
                region,
                endpoint,
                transport,
                retry,
                provider,
                credentials: RwLock::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The URL requests are sent to.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint.as_str()
    }

    /// The retry policy.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// Sends any operation: `input`'s type names the operation and its output.
    ///
    /// # Errors
    /// As the per-operation methods.
    pub async fn call<O: Operation>(&self, input: &O) -> Result<O::Output, Error> {
        self.execute(input, None).await
    }

    operations! {
        /// Reads items from one or more tables by key.
        batch_get_item(BatchGetItemInput) -> BatchGetItemOutput, |i| single_table(i.request_items.keys());
        /// Puts or deletes up to 25 items in one or more tables.
        batch_write_item(BatchWriteItemInput) -> BatchWriteItemOutput, |i| single_table(i.request_items.keys());
        /// Creates a table.
        create_table(CreateTableInput) -> CreateTableOutput, |i| Some(i.table_name.as_str());
        /// Deletes an item, optionally on conditions.
        delete_item(DeleteItemInput) -> DeleteItemOutput, |i| Some(i.table_name.as_str());
        /// Deletes a table.
        delete_table(DeleteTableInput) -> DeleteTableOutput, |i| Some(i.table_name.as_str());
        /// Describes a table.
        describe_table(DescribeTableInput) -> DescribeTableOutput, |i| Some(i.table_name.as_str());
        /// Reads an item by key.
        get_item(GetItemInput) -> GetItemOutput, |i| Some(i.table_name.as_str());
        /// Lists table names, a page at a time.
        list_tables(ListTablesInput) -> ListTablesOutput, |_| None;
        /// Writes a whole item, optionally on conditions.
        put_item(PutItemInput) -> PutItemOutput, |i| Some(i.table_name.as_str());
        /// Reads the items of one hash key, a page at a time.
        query(QueryInput) -> QueryOutput, |i| Some(i.table_name.as_str());
        /// Reads every item of a table, a page at a time.
        scan(ScanInput) -> ScanOutput, |i| Some(i.table_name.as_str());
        /// Changes attributes of an item, optionally on conditions.
        update_item(UpdateItemInput) -> UpdateItemOutput, |i| Some(i.table_name.as_str());
        /// Changes a table's provisioned throughput.
        update_table(UpdateTableInput) -> UpdateTableOutput, |i| Some(i.table_name.as_str());
    }

    async fn execute<O: Operation>(
        &self,
        input: &O,
        table: Option<&str>,
    ) -> Result<O::Output, Error> {
        let raw = self.send::<O>(input, table).await?;
        decode(input, raw).map_err(|e| e.with_table(table))
    }

    /// Sends `input` and has the operation decode its output with each item
    /// read as `I` ([`wire::ReadsItems`]): the typed layer reads items
    /// straight into `T`s without building maps.
    pub(crate) async fn call_items<O, I>(
        &self,
        input: &O,
        table: Option<&str>,
    ) -> Result<O::Items<I>, Error>
    where
        O: wire::ReadsItems,
        I: serde::de::DeserializeOwned,
    {
        let raw = self.send::<O>(input, table).await?;
        input
            .decode_items(&raw.body)
            .map_err(|e| Error::decode(e, raw.request_id).with_table(table))
    }

    async fn send<O: Operation>(
        &self,
        input: &O,
        table: Option<&str>,
    ) -> Result<transport::RawResponse, Error> {
        let span = tracing::debug_span!(
            "dynamodb",
            operation = O::NAME,
            table = table.unwrap_or_default()
        );
        self.run::<O>(input, table).instrument(span).await
    }

    async fn run<O: Operation>(
        &self,
        input: &O,
        table: Option<&str>,
    ) -> Result<transport::RawResponse, Error> {
        let mut body = Vec::with_capacity(256);
        serde_json::to_writer(&mut body, input).map_err(|e| {
            Error::invalid_input("the request cannot be serialized")
                .with_source(e)
                .with_table(table)
        })?;
        let body = Bytes::from(body);
        let target = target_header(O::NAME)?;
        let payload_hash = signing::payload_hash(&body);
        let max_attempts = self.inner.retry.attempts();
        let mut refreshed = false;
        let mut attempt = 1;
        loop {
            tracing::debug!(attempt, "sending");
            let error = match self.attempt(&target, &body, &payload_hash).await {
                Ok(raw) => return Ok(raw),
                Err(error) => error,
            };
            tracing::debug!(attempt, status = error.status(), error = %error, "attempt failed");
            match retry::classify(&error) {
                _ if attempt >= max_attempts => return Err(error.with_table(table)),
                RetryAction::RefreshCredentials if !refreshed => {
                    refreshed = true;
                    self.refresh_credentials()
                        .await
                        .map_err(|e| e.with_table(table))?;
                }
                RetryAction::Backoff => {
                    let delay = self.inner.retry.delay(attempt - 1);
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "backing off");
                    tokio::time::sleep(delay).await;
                }
                _ => return Err(error.with_table(table)),
            }
            attempt += 1;
        }
    }

    /// Signs and sends one attempt; returns the checked response.
    async fn attempt(
        &self,
        target: &HeaderValue,
        body: &Bytes,
        payload_hash: &[u8; 64],
    ) -> Result<transport::RawResponse, Error> {
        let credentials = self.credentials().await?;
        let target_str = target
            .to_str()
            .map_err(|e| Error::invalid_input("bad operation name").with_source(e))?;
        let signature = signing::sign(
            &credentials,
            &self.inner.region,
            &self.inner.endpoint.host,
            target_str,
            payload_hash,
            SystemTime::now(),
        )?;
        let raw = self
            .inner
            .transport
            .send(target, signature, body.clone())
            .await?;
        tracing::debug!(
            status = raw.status,
            request_id = raw.request_id.as_deref(),
            "response"
        );
        transport::check(raw)
    }

    /// The cached credentials, loaded first or refreshed when near expiry.
    async fn credentials(&self) -> Result<Arc<SigningCredentials>, Error> {
        if let Some(fresh) = self.cached_credentials() {
            return Ok(fresh);
        }
        let _guard = self.inner.refreshing.lock().await;
        // Another call may have loaded them while this one waited.
        if let Some(fresh) = self.cached_credentials() {
            return Ok(fresh);
        }
        self.load_credentials().await
    }

    /// The cached credentials unless missing or about to expire.
    fn cached_credentials(&self) -> Option<Arc<SigningCredentials>> {
        let cached = self
            .inner
            .credentials
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()?;
        (!cached.expires_within(SystemTime::now(), EXPIRY_MARGIN)).then_some(cached)
    }

    /// Replaces credentials the service called expired.
    async fn refresh_credentials(&self) -> Result<Arc<SigningCredentials>, Error> {
        let _guard = self.inner.refreshing.lock().await;
        self.load_credentials().await
    }

    /// Asks the provider for credentials and caches them.
    async fn load_credentials(&self) -> Result<Arc<SigningCredentials>, Error> {
        tracing::debug!("loading credentials");
        let fresh = self.inner.provider.provide_credentials().await?;
        let fresh = Arc::new(SigningCredentials::new(fresh)?);
        *self
            .inner
            .credentials
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(fresh.clone());
        Ok(fresh)
    }
}

/// `X-Amz-Target` values of the 13 operations, so no call has to build one.
const TARGETS: [&str; 13] = [
    "DynamoDB_20111205.BatchGetItem",
    "DynamoDB_20111205.BatchWriteItem",
    "DynamoDB_20111205.CreateTable",
    "DynamoDB_20111205.DeleteItem",
    "DynamoDB_20111205.DeleteTable",
    "DynamoDB_20111205.DescribeTable",
    "DynamoDB_20111205.GetItem",
    "DynamoDB_20111205.ListTables",
    "DynamoDB_20111205.PutItem",
    "DynamoDB_20111205.Query",
    "DynamoDB_20111205.Scan",
    "DynamoDB_20111205.UpdateItem",
    "DynamoDB_20111205.UpdateTable",
];

/// The `X-Amz-Target` header of operation `name`.
fn target_header(name: &str) -> Result<HeaderValue, Error> {
    let known = TARGETS
        .iter()
        .find(|t| t.strip_prefix("DynamoDB_20111205.") == Some(name));
    match known {
        Some(target) => Ok(HeaderValue::from_static(target)),
        None => HeaderValue::from_str(&format!("DynamoDB_20111205.{name}"))
            .map_err(|e| Error::invalid_input("bad operation name").with_source(e)),
    }
}

/// The table of a batch request when it names exactly one.
fn single_table<'a>(mut tables: impl ExactSizeIterator<Item = &'a String>) -> Option<&'a str> {
    if tables.len() == 1 {
        tables.next().map(String::as_str)
    } else {
        None
    }
}

/// Decodes a successful response body.
fn decode<O: Operation>(input: &O, raw: transport::RawResponse) -> Result<O::Output, Error> {
    input
        .decode_output(&raw.body)
        .map_err(|e| Error::decode(e, raw.request_id))
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.inner.region)
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("retry", &self.inner.retry)
            .field("credentials", &self.inner.provider)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_static_target() {
        for name in wire::OPERATION_NAMES {
            assert!(
                TARGETS.iter().any(|t| t.ends_with(&format!(".{name}"))),
                "{name}"
            );
        }
        assert_eq!(
            target_header("ListTables").ok(),
            Some(HeaderValue::from_static("DynamoDB_20111205.ListTables"))
        );
    }
}
