//! The Layer1 client: one method per operation, taking and returning the
//! [`crate::wire`] types.
//!
//! Each call serializes its input once, signs it with SigV4, sends it over a
//! pooled keep-alive connection, checks the response's `x-amz-crc32`, and
//! retries what the [`retry`] policy says may be retried, all within the
//! call's deadline ([`ClientBuilder::operation_timeout`]). Each call is one
//! tracing span (see [`telemetry`]).

mod chain;
mod config;
#[cfg_attr(feature = "aws-config", allow(dead_code))]
mod container;
mod credentials;
mod deadline;
mod dns;
mod endpoint;
mod env;
mod fetch;
mod imds;
#[cfg_attr(feature = "aws-config", allow(dead_code))]
mod process;
mod profile;
mod proxy;
mod rate_limit;
pub mod retry;
#[cfg(feature = "aws-config")]
mod sdk;
mod signing;
pub mod telemetry;
mod tls;
mod transport;

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use bytes::Bytes;
use http::HeaderValue;
use tracing::Instrument;

pub use chain::DefaultCredentialsChain;
pub use config::ClientBuilder;
pub use credentials::{
    Credentials, CredentialsFuture, EnvironmentCredentials, ProfileCredentials, ProvideCredentials,
};
pub use endpoint::{EndpointVariant, region_endpoint, region_endpoint_variant};
pub use retry::{RetryConfig, RetryMode};

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, ErrorKind};
use crate::wire::{self, Op, Operation, Resend};
use endpoint::Endpoint;
use rate_limit::RateLimiter;
use retry::{RetryAction, RetryQuota};
use signing::SigningCredentials;
use telemetry::Tables;
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
    operation_timeout: Duration,
}

struct Inner {
    region: String,
    endpoint: Endpoint,
    transport: Transport,
    retry: RetryConfig,
    quota: RetryQuota,
    limiter: RateLimiter,
    provider: Arc<dyn ProvideCredentials>,
    credentials: RwLock<Option<Arc<SigningCredentials>>>,
    /// Held while asking the provider, so concurrent calls ask once.
    refreshing: tokio::sync::Mutex<()>,
}

macro_rules! operations {
    ($($(#[$doc:meta])* $method:ident($input:ident) -> $output:ident, $tables:expr, $capacity:expr;)*) => {$(
        $(#[$doc])*
        ///
        /// # Errors
        /// The service's error, or a transport, timeout or decoding error,
        /// after the retries the policy and the deadline allow.
        pub async fn $method(&self, input: &wire::$input) -> Result<wire::$output, Error> {
            let tables: fn(&wire::$input) -> Tables<'_> = $tables;
            let capacity: fn(&wire::$output) -> Option<f64> = $capacity;
            self.execute(input, tables(input), capacity).await
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
        operation_timeout: Duration,
    ) -> Result<Client, Error> {
        let transport = Transport::new(endpoint.url.clone(), endpoint.host.clone(), http)?;
        Ok(Client {
            inner: Arc::new(Inner {
                region,
                endpoint,
                transport,
                retry,
                quota: RetryQuota::new(),
                limiter: RateLimiter::new(),
                provider,
                credentials: RwLock::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
            operation_timeout,
        })
    }

    /// This client with another deadline per call; it shares the
    /// connections, credentials and retry quota of `self`.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run(client: dynamo_core::Client) -> Result<(), dynamo_core::Error> {
    /// use std::time::Duration;
    /// use dynamo_core::wire::ListTablesInput;
    /// let quick = client.with_operation_timeout(Duration::from_millis(500));
    /// quick.list_tables(&ListTablesInput::default()).await?;
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn with_operation_timeout(&self, timeout: Duration) -> Client {
        Client {
            inner: self.inner.clone(),
            operation_timeout: timeout,
        }
    }

    /// The deadline of one call.
    pub fn operation_timeout(&self) -> Duration {
        self.operation_timeout
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
        self.execute(input, Tables::None, |_| None).await
    }

    operations! {
        /// Reads items from one or more tables by key.
        batch_get_item(BatchGetItemInput) -> BatchGetItemOutput, |i| Tables::of_batch(i.request_items.keys()), |o| Some(o.responses.values().filter_map(|r| r.consumed_capacity_units).sum());
        /// Puts or deletes up to 25 items in one or more tables.
        batch_write_item(BatchWriteItemInput) -> BatchWriteItemOutput, |i| Tables::of_batch(i.request_items.keys()), |o| Some(o.responses.values().filter_map(|r| r.consumed_capacity_units).sum());
        /// Creates a table.
        create_table(CreateTableInput) -> CreateTableOutput, |i| Tables::One(&i.table_name), |_| None;
        /// Deletes an item, optionally on conditions.
        delete_item(DeleteItemInput) -> DeleteItemOutput, |i| Tables::One(&i.table_name), |o| o.consumed_capacity_units;
        /// Deletes a table.
        delete_table(DeleteTableInput) -> DeleteTableOutput, |i| Tables::One(&i.table_name), |_| None;
        /// Describes a table.
        describe_table(DescribeTableInput) -> DescribeTableOutput, |i| Tables::One(&i.table_name), |_| None;
        /// Reads an item by key.
        get_item(GetItemInput) -> GetItemOutput, |i| Tables::One(&i.table_name), |o| o.consumed_capacity_units;
        /// Lists table names, a page at a time.
        list_tables(ListTablesInput) -> ListTablesOutput, |_| Tables::None, |_| None;
        /// Writes a whole item, optionally on conditions.
        put_item(PutItemInput) -> PutItemOutput, |i| Tables::One(&i.table_name), |o| o.consumed_capacity_units;
        /// Reads the items of one hash key, a page at a time.
        query(QueryInput) -> QueryOutput, |i| Tables::One(&i.table_name), |o| o.consumed_capacity_units;
        /// Reads every item of a table, a page at a time.
        scan(ScanInput) -> ScanOutput, |i| Tables::One(&i.table_name), |o| o.consumed_capacity_units;
        /// Changes attributes of an item, optionally on conditions.
        update_item(UpdateItemInput) -> UpdateItemOutput, |i| Tables::One(&i.table_name), |o| o.consumed_capacity_units;
        /// Changes a table's provisioned throughput.
        update_table(UpdateTableInput) -> UpdateTableOutput, |i| Tables::One(&i.table_name), |_| None;
    }

    async fn execute<O: Operation>(
        &self,
        input: &O,
        tables: Tables<'_>,
        capacity: fn(&O::Output) -> Option<f64>,
    ) -> Result<O::Output, Error> {
        let op = O::OP;
        let span = telemetry::span(op, &tables);
        let table = tables.single();
        let call = async {
            let raw = self.send(op, input, table, &span).await?;
            let request_id = raw.request_id.clone();
            let out = match decode(input, raw) {
                Ok(out) => out,
                // The write happened; nothing was asked of the body.
                Err(_) if op.is_write() && input.applied_without_body() => input
                    .decode_output(b"{}")
                    .map_err(|e| Error::decode(e, request_id.clone()).with_table(table))?,
                Err(e) if op.is_write() => {
                    return Err(Error::write_applied(op.name(), e.with_table(table)));
                }
                Err(e) => return Err(e.with_table(table)),
            };
            telemetry::succeeded(&span, request_id.as_deref(), capacity(&out));
            Ok(out)
        };
        let result = call.instrument(span.clone()).await;
        if let Err(e) = &result {
            telemetry::failed(&span, e);
        }
        result
    }

    /// A PutItem of the typed layer, its item in map-free form
    /// ([`wire::TypedPutItemInput`]).
    pub(crate) async fn put_typed(
        &self,
        input: &wire::TypedPutItemInput,
    ) -> Result<wire::PutItemOutput, Error> {
        let capacity: fn(&wire::PutItemOutput) -> Option<f64> = |o| o.consumed_capacity_units;
        self.execute(input, Tables::One(&input.table_name), capacity)
            .await
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
        let op = O::OP;
        let tables = table.map_or(Tables::None, Tables::One);
        let span = telemetry::span(op, &tables);
        let result = async {
            let raw = self.send(op, input, table, &span).await?;
            let output = input
                .decode_items(&raw.body)
                .map_err(|e| Error::decode(e, raw.request_id.clone()).with_table(table))?;
            telemetry::succeeded(&span, raw.request_id.as_deref(), None);
            Ok(output)
        }
        .instrument(span.clone())
        .await;
        if let Err(e) = &result {
            telemetry::failed(&span, e);
        }
        result
    }

    /// Sends `input` with retries, within the call's deadline.
    ///
    /// The deadline is not one timer around the whole call: every wait in
    /// [`Client::run`] is bounded by it on its own (an attempt's exchange
    /// by its attempt timeout, which never ends past the deadline; a
    /// credential load and the adaptive rate limiter by the deadline; a
    /// backoff is only started when it ends before it). So a call that
    /// finds its credentials cached arms one bound, the attempt's watchdog
    /// slot ([`deadline`]), and no tokio timer.
    async fn send<O: Operation>(
        &self,
        op: Op,
        input: &O,
        table: Option<&str>,
        span: &tracing::Span,
    ) -> Result<transport::RawResponse, Error> {
        let deadline = Instant::now() + self.operation_timeout;
        let sent = AtomicBool::new(false);
        let result = match self.run(op, input, table, span, deadline, &sent).await {
            // An attempt cut short by the deadline is the deadline's failure.
            Err(e)
                if e.kind() == crate::ErrorKind::Timeout
                    && Instant::now() + Duration::from_millis(20) >= deadline =>
            {
                Err(self.deadline_error(op, table))
            }
            other => other,
        };
        // A write cut short after it was sent is not a definite failure
        // unless sending it again would have been harmless.
        match result {
            Err(e)
                if sent.load(Ordering::Relaxed)
                    && e.kind() == crate::ErrorKind::Timeout
                    && input.resend() == Resend::Unsafe =>
            {
                Err(Error::maybe_applied(op.name(), e))
            }
            other => other,
        }
    }

    /// The failure of a call of `op` that did not finish within its deadline.
    fn deadline_error(&self, op: Op, table: Option<&str>) -> Error {
        let message = format!(
            "{} did not finish within its deadline of {:?}",
            op.name(),
            self.operation_timeout
        );
        Error::timeout(message.clone())
            .with_message(message)
            .with_table(table)
    }

    async fn run<O: Operation>(
        &self,
        op: Op,
        input: &O,
        table: Option<&str>,
        span: &tracing::Span,
        deadline: Instant,
        sent: &AtomicBool,
    ) -> Result<transport::RawResponse, Error> {
        // Room for a typical small item's PutItem: growing past the first
        // capacity copies the body (a reallocation under
        // `format_escaped_str` in the client-overhead profile, whose PutItem
        // body is about 330 bytes).
        let mut body = Vec::with_capacity(512);
        serde_json::to_writer(&mut body, input).map_err(|e| {
            Error::invalid_input("the request cannot be serialized")
                .with_source(e)
                .with_table(table)
        })?;
        let body = Bytes::from(body);
        let target = HeaderValue::from_static(op.target());
        let payload_hash = signing::payload_hash(&body);
        let retry = &self.inner.retry;
        let adaptive = retry.retry_mode() == RetryMode::Adaptive;
        let mut refreshed = false;
        let mut last_cost = None;
        let resend = input.resend();
        let mut ambiguous = false;
        let mut attempt = 1;
        loop {
            telemetry::attempts(span, attempt);
            if adaptive
                && tokio::time::timeout_at(deadline, self.inner.limiter.acquire())
                    .await
                    .is_err()
            {
                return Err(self.deadline_error(op, table));
            }
            tracing::debug!(attempt, "sending");
            sent.store(true, Ordering::Relaxed);
            let credentials = match self.cached_credentials() {
                Some(fresh) => Ok(fresh),
                None => match tokio::time::timeout_at(deadline, self.credentials()).await {
                    Ok(loaded) => loaded,
                    Err(_) => return Err(self.deadline_error(op, table)),
                },
            };
            let result = match credentials {
                Ok(credentials) => {
                    self.attempt(op, &credentials, &target, &body, &payload_hash, deadline)
                        .await
                }
                Err(e) => Err(e),
            };
            if adaptive {
                let throttled = result.as_ref().is_err_and(Error::is_throttled);
                self.inner.limiter.record(throttled);
            }
            let error = match result {
                Ok(raw) => {
                    self.inner.quota.succeeded(last_cost);
                    return Ok(raw);
                }
                Err(error) => error,
            };
            tracing::debug!(attempt, status = error.status(), error = %error, "attempt failed");
            let outcome = Outcome::of(&error);
            if op.is_write() && outcome == Outcome::Applied {
                // Never send an applied write again.
                if input.applied_without_body() {
                    self.inner.quota.succeeded(last_cost);
                    return Ok(transport::RawResponse::empty_success(error.request_id()));
                }
                return Err(Error::write_applied(op.name(), error.with_table(table)));
            }
            ambiguous |= outcome == Outcome::Ambiguous;
            // After an attempt that may have been applied, no failure of a
            // write is a definite "no".
            let finish = |error: Error| {
                let error = error.with_table(table);
                if ambiguous && op.is_write() {
                    Error::maybe_applied(op.name(), error)
                } else {
                    error
                }
            };
            if outcome == Outcome::Ambiguous
                && resend == Resend::Unsafe
                && !retry.resends_unsafe_writes()
            {
                return Err(finish(error));
            }
            match retry::classify(&error) {
                _ if attempt >= retry.attempts() => return Err(finish(error)),
                RetryAction::RefreshCredentials if !refreshed => {
                    refreshed = true;
                    match tokio::time::timeout_at(deadline, self.refresh_credentials()).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => return Err(finish(e)),
                        Err(_) => return Err(self.deadline_error(op, table)),
                    }
                }
                RetryAction::Backoff => {
                    let Some(cost) = self.inner.quota.acquire(&error) else {
                        tracing::debug!(attempt, "retry quota exhausted; not retrying");
                        return Err(finish(error));
                    };
                    last_cost = Some(cost);
                    let delay = retry.delay(attempt - 1);
                    if Instant::now() + delay >= deadline {
                        return Err(finish(error));
                    }
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "backing off");
                    tokio::time::sleep(delay).await;
                }
                _ => return Err(finish(error)),
            }
            attempt += 1;
        }
    }

    /// Signs and sends one attempt, answered by `deadline` at the latest;
    /// returns the checked response.
    async fn attempt(
        &self,
        op: Op,
        credentials: &SigningCredentials,
        target: &HeaderValue,
        body: &Bytes,
        payload_hash: &[u8; 64],
        deadline: Instant,
    ) -> Result<transport::RawResponse, Error> {
        let signature = signing::sign(
            credentials,
            &self.inner.region,
            &self.inner.endpoint.host,
            op.target(),
            payload_hash,
            SystemTime::now(),
        )?;
        let limit = deadline.saturating_duration_since(Instant::now());
        let raw = self
            .inner
            .transport
            .send(target, signature, body.clone(), limit)
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

/// Decodes a successful response body.
/// What one failed attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// It never left the client (no credentials, a refused connection).
    NotSent,
    /// The service answered that it did nothing.
    Rejected,
    /// The service answered 2xx, but the answer is corrupt.
    Applied,
    /// It was sent and no trustworthy answer came back.
    Ambiguous,
}

impl Outcome {
    fn of(error: &Error) -> Outcome {
        let success = error.status().is_some_and(|s| (200..300).contains(&s));
        match error.kind() {
            _ if error.was_not_sent() => Outcome::NotSent,
            ErrorKind::Credentials | ErrorKind::Config | ErrorKind::InvalidInput => {
                Outcome::NotSent
            }
            ErrorKind::Crc32Mismatch if success => Outcome::Applied,
            ErrorKind::Crc32Mismatch | ErrorKind::Transport | ErrorKind::Timeout => {
                Outcome::Ambiguous
            }
            _ if error.status().is_some_and(|s| s >= 500) => Outcome::Ambiguous,
            _ => Outcome::Rejected,
        }
    }
}

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
