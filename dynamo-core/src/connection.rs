//! [`Connection`]: tables as a whole — list, create from a derived schema,
//! describe, change throughput, delete — and typed [`Table`] handles.

use std::time::Duration;

use futures_core::Stream;
use futures_util::stream;

use crate::batch::{BatchGetList, BatchWriteList};
use crate::client::{Client, ClientBuilder};
use crate::error::Error;
use crate::item::DynamoItem;
use crate::table::{Table, TableInfo};
use crate::wire::{
    CreateTableInput, DeleteTableInput, DescribeTableInput, KeySchema, ListTablesInput,
    ProvisionedThroughput, TableDescription, TableStatus, UpdateTableInput,
};

/// Read and write capacity units of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throughput {
    /// Strongly consistent 1 KB reads per second.
    pub read: u64,
    /// 1 KB writes per second.
    pub write: u64,
}

impl Throughput {
    /// `read` and `write` capacity units.
    pub fn new(read: u64, write: u64) -> Throughput {
        Throughput { read, write }
    }

    fn to_wire(self) -> Result<ProvisionedThroughput, Error> {
        let units = |v: u64| {
            i64::try_from(v)
                .ok()
                .filter(|v| *v >= 1)
                .ok_or_else(|| Error::invalid_input("capacity units must be at least 1"))
        };
        Ok(ProvisionedThroughput {
            read_capacity_units: units(self.read)?,
            write_capacity_units: units(self.write)?,
        })
    }
}

/// Entry point of the typed layer: one account and region (or one local
/// server). Cheap to clone.
///
/// # Example
/// ```no_run
/// # use dynamo_core::{Connection, DynamoItem, Throughput};
/// # async fn run<T: DynamoItem>() -> Result<(), dynamo_core::Error> {
/// let conn = Connection::from_env()?;
/// let table = conn.create_table::<T>(Throughput::new(10, 10)).await?;
/// println!("{:?}", conn.list_tables().await?);
/// conn.delete_table(&table).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Connection {
    client: Client,
    wait_timeout: Duration,
    /// Put before `T::TABLE_NAME` for every typed table (default empty).
    table_prefix: String,
}

impl Connection {
    /// A connection through `client`.
    pub fn new(client: Client) -> Connection {
        Connection {
            client,
            wait_timeout: Duration::from_secs(600),
            table_prefix: String::new(),
        }
    }

    /// A builder of the client underneath (endpoint, region, credentials,
    /// retry policy, timeouts); finish it with [`ClientBuilder::connect`].
    ///
    /// # Example
    /// ```no_run
    /// use std::time::Duration;
    /// use dynamo_core::{Connection, Credentials};
    /// use dynamo_core::client::RetryConfig;
    /// # fn run() -> Result<(), dynamo_core::Error> {
    /// let conn = Connection::builder()
    ///     .endpoint_url("http://127.0.0.1:8000")
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("AKID", "secret", None))
    ///     .retry_config(RetryConfig::default().max_attempts(5))
    ///     .request_timeout(Duration::from_secs(5))
    ///     .connect()?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> ClientBuilder {
        Client::builder()
    }

    /// A connection configured from the environment and the shared AWS
    /// files, as the AWS tools read them.
    ///
    /// # Errors
    /// Configuration and credential errors.
    pub fn from_env() -> Result<Connection, Error> {
        Ok(Connection::new(Client::from_env()?))
    }

    /// Like [`Connection::from_env`], but on EC2 without a configured region
    /// reads the instance's region from instance metadata.
    ///
    /// # Errors
    /// Configuration and credential errors.
    pub async fn load_from_env() -> Result<Connection, Error> {
        Ok(Connection::new(ClientBuilder::from_env().load().await?))
    }

    /// A connection to `region`, finding credentials (and every other
    /// setting) as [`Connection::from_env`] does.
    ///
    /// # Errors
    /// Configuration and credential errors.
    pub fn connect_to_region(region: &str) -> Result<Connection, Error> {
        ClientBuilder::from_env().region(region).connect()
    }

    /// A connection to `region` signing with these keys, as the seed's
    /// `connect_to_region(region, aws_access_key_id=…, aws_secret_access_key=…)`.
    ///
    /// # Example
    /// ```no_run
    /// # fn run() -> Result<(), dynamo_core::Error> {
    /// let conn = dynamo_core::Connection::connect_to_region_with_keys(
    ///     "us-west-2",
    ///     "<YOUR_AWS_KEY_ID>",
    ///     "<YOUR_AWS_SECRET_KEY>",
    /// )?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A configuration error when `region` is not a region name.
    pub fn connect_to_region_with_keys(
        region: &str,
        access_key_id: &str,
        secret_access_key: &str,
    ) -> Result<Connection, Error> {
        Client::builder()
            .region(region)
            .credentials(crate::client::Credentials::new(
                access_key_id,
                secret_access_key,
                None,
            ))
            .connect()
    }

    /// A connection sharing an AWS SDK configuration's region, endpoint,
    /// credentials, retry and timeout settings (feature `aws-config`).
    ///
    /// # Errors
    /// Configuration errors, e.g. an `SdkConfig` without a region or endpoint.
    #[cfg(feature = "aws-config")]
    pub fn from_sdk_config(config: &aws_types::SdkConfig) -> Result<Connection, Error> {
        ClientBuilder::from_sdk_config(config).connect()
    }

    /// This connection with another deadline per call (see
    /// [`ClientBuilder::operation_timeout`]); shares everything else.
    #[must_use]
    pub fn with_operation_timeout(mut self, timeout: Duration) -> Connection {
        self.client = self.client.with_operation_timeout(timeout);
        self
    }

    /// This connection with `prefix` put before every typed table's name
    /// (`prod-` makes `messages` `prod-messages`) in [`Connection::table`],
    /// [`Connection::create_table`] and [`Connection::get_table`], so every
    /// operation, batch and query on those handles uses the prefixed name.
    /// Names given explicitly (`*_named`, `table_from_schema`) are used as
    /// they are.
    ///
    /// ```no_run
    /// # fn run(conn: dynamo_core::Connection) {
    /// let prod = conn.with_table_prefix("prod-");
    /// # }
    /// ```
    #[must_use]
    pub fn with_table_prefix(mut self, prefix: impl Into<String>) -> Connection {
        self.table_prefix = prefix.into();
        self
    }

    /// The name `T`'s table has on this connection.
    pub fn table_name_of<T: DynamoItem>(&self) -> String {
        format!("{}{}", self.table_prefix, T::TABLE_NAME)
    }

    /// How long table changes are waited for (default 10 minutes).
    pub fn with_wait_timeout(mut self, timeout: Duration) -> Connection {
        self.wait_timeout = timeout;
        self
    }

    /// The Layer1 client underneath.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A batch read across tables.
    pub fn batch_get(&self) -> BatchGetList {
        BatchGetList::new(self.client().clone())
    }

    /// A batch of puts and deletes across tables.
    pub fn batch_write(&self) -> BatchWriteList {
        BatchWriteList::new(self.client().clone())
    }

    /// Every table name, across all pages.
    ///
    /// # Errors
    /// The client's errors.
    pub async fn list_tables(&self) -> Result<Vec<String>, Error> {
        let mut names = Vec::new();
        let mut tables = Box::pin(self.list_tables_stream());
        while let Some(name) = futures_util::StreamExt::next(&mut tables).await {
            names.push(name?);
        }
        Ok(names)
    }

    /// Every table name, fetched a page at a time.
    pub fn list_tables_stream(&self) -> impl Stream<Item = Result<String, Error>> + Send + 'static {
        let client = self.client.clone();
        let pages = stream::try_unfold(Some(None::<String>), move |state| {
            let client = client.clone();
            async move {
                let Some(start) = state else {
                    return Ok(None);
                };
                let out = client
                    .list_tables(&ListTablesInput {
                        exclusive_start_table_name: start,
                        limit: None,
                    })
                    .await?;
                let next = out.last_evaluated_table_name.map(Some);
                Ok::<_, Error>(Some((
                    stream::iter(out.table_names.into_iter().map(Ok)),
                    next,
                )))
            }
        });
        futures_util::TryStreamExt::try_flatten(pages)
    }

    /// Creates `T`'s table with the key schema derived from `T` and waits
    /// until it is `ACTIVE`.
    ///
    /// # Errors
    /// `ResourceInUse` when it exists, a timeout when it does not become
    /// active in time, and the client's errors.
    pub async fn create_table<T: DynamoItem>(
        &self,
        throughput: Throughput,
    ) -> Result<Table<T>, Error> {
        self.create_table_named(&self.table_name_of::<T>(), throughput)
            .await
    }

    /// Like [`Connection::create_table`], under the name `name` (e.g.
    /// `prod-messages`) instead of `T`'s.
    ///
    /// # Errors
    /// As [`Connection::create_table`].
    pub async fn create_table_named<T: DynamoItem>(
        &self,
        name: &str,
        throughput: Throughput,
    ) -> Result<Table<T>, Error> {
        let input = CreateTableInput {
            table_name: name.to_owned(),
            key_schema: T::key_schema(),
            provisioned_throughput: throughput.to_wire()?,
        };
        self.client.create_table(&input).await?;
        let description = self
            .wait_for(name, |s| s == Some(TableStatus::Active))
            .await?;
        let info = description
            .as_ref()
            .map(TableInfo::from_description)
            .unwrap_or_default();
        Ok(Table::named(self.client.clone(), name.to_owned(), info))
    }

    /// A handle on `T`'s existing table, after one DescribeTable call that
    /// checks the remote key schema against `T`'s.
    ///
    /// # Errors
    /// Not found, a schema mismatch (naming both schemas), and the client's errors.
    pub async fn get_table<T: DynamoItem>(&self) -> Result<Table<T>, Error> {
        self.get_table_named(&self.table_name_of::<T>()).await
    }

    /// Like [`Connection::get_table`], for the table named `name`.
    ///
    /// # Errors
    /// As [`Connection::get_table`].
    pub async fn get_table_named<T: DynamoItem>(&self, name: &str) -> Result<Table<T>, Error> {
        let description = self.describe_table(name).await?;
        let expected = T::key_schema();
        match &description.key_schema {
            Some(remote) if *remote == expected => {}
            remote => {
                return Err(Error::invalid_input(format!(
                    "table {} has key schema {}, but {} expects {}",
                    name,
                    remote
                        .as_ref()
                        .map_or_else(|| "(none)".to_owned(), describe_schema),
                    std::any::type_name::<T>(),
                    describe_schema(&expected)
                )));
            }
        }
        Ok(Table::named(
            self.client.clone(),
            name.to_owned(),
            TableInfo::from_description(&description),
        ))
    }

    /// A handle on `T`'s table without calling the service: creation time,
    /// status, item count, size and throughput stay unknown until
    /// [`Table::refresh`].
    pub fn table<T: DynamoItem>(&self) -> Table<T> {
        Table::named(
            self.client.clone(),
            self.table_name_of::<T>(),
            TableInfo::default(),
        )
    }

    /// Like [`Connection::table`], for a table of another name holding `T`
    /// items (e.g. one table per tenant or per month).
    pub fn table_from_schema<T: DynamoItem>(&self, name: impl Into<String>) -> Table<T> {
        Table::named(self.client.clone(), name.into(), TableInfo::default())
    }

    /// What the service says about a table.
    ///
    /// # Errors
    /// Not found and the client's errors.
    pub async fn describe_table(&self, name: &str) -> Result<TableDescription, Error> {
        let out = self
            .client
            .describe_table(&DescribeTableInput {
                table_name: name.to_owned(),
            })
            .await?;
        out.table
            .ok_or_else(|| Error::invalid_input("DescribeTable answered without a table"))
    }

    /// Changes a table's throughput and waits until it is `ACTIVE` again.
    ///
    /// # Errors
    /// The service's throughput rules, a timeout, and the client's errors.
    pub async fn update_throughput<T: DynamoItem>(
        &self,
        table: &Table<T>,
        throughput: Throughput,
    ) -> Result<(), Error> {
        let input = UpdateTableInput {
            table_name: table.name().to_owned(),
            provisioned_throughput: throughput.to_wire()?,
        };
        self.client.update_table(&input).await?;
        let wanted = (throughput.read, throughput.write);
        let description = self
            .wait_for_description(table.name(), |d| {
                let t = d.provisioned_throughput.clone().unwrap_or_default();
                d.table_status == Some(TableStatus::Active)
                    && (t.read_capacity_units, t.write_capacity_units)
                        == (i64::try_from(wanted.0).ok(), i64::try_from(wanted.1).ok())
            })
            .await?;
        if let Some(d) = description {
            table.set_info(TableInfo::from_description(&d));
        }
        Ok(())
    }

    /// Deletes a table and waits until it is gone.
    ///
    /// # Errors
    /// Not found, in use, a timeout, and the client's errors.
    pub async fn delete_table<T: DynamoItem>(&self, table: &Table<T>) -> Result<(), Error> {
        self.client
            .delete_table(&DeleteTableInput {
                table_name: table.name().to_owned(),
            })
            .await?;
        self.wait_for(table.name(), |s| s.is_none())
            .await
            .map(|_| ())
    }

    /// Polls DescribeTable until `done(status)`; a missing table has status `None`.
    async fn wait_for(
        &self,
        name: &str,
        done: impl Fn(Option<TableStatus>) -> bool,
    ) -> Result<Option<TableDescription>, Error> {
        self.poll(name, |d| done(d.and_then(|d| d.table_status)))
            .await
    }

    async fn wait_for_description(
        &self,
        name: &str,
        done: impl Fn(&TableDescription) -> bool,
    ) -> Result<Option<TableDescription>, Error> {
        self.poll(name, |d| d.is_some_and(&done)).await
    }

    async fn poll(
        &self,
        name: &str,
        done: impl Fn(Option<&TableDescription>) -> bool,
    ) -> Result<Option<TableDescription>, Error> {
        let deadline = tokio::time::Instant::now() + self.wait_timeout;
        let mut delay = Duration::from_millis(20);
        loop {
            let description = match self.describe_table(name).await {
                Ok(d) => Some(d),
                Err(e) if e.is_not_found() => None,
                Err(e) => return Err(e),
            };
            if done(description.as_ref()) {
                return Ok(description);
            }
            if tokio::time::Instant::now() + delay > deadline {
                let message = format!(
                    "table {name} did not reach the wanted state within {:?}",
                    self.wait_timeout
                );
                return Err(Error::timeout(message.clone())
                    .with_message(message)
                    .with_table(Some(name)));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }
}

impl ClientBuilder {
    /// Builds the client and wraps it in a [`Connection`].
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn connect(self) -> Result<Connection, Error> {
        Ok(Connection::new(self.build()?))
    }
}

/// `forum_name S, subject S` style description of a key schema.
fn describe_schema(schema: &KeySchema) -> String {
    let mut s = format!(
        "(hash {} {}",
        schema.hash_key_element.attribute_name,
        schema.hash_key_element.attribute_type.as_str()
    );
    if let Some(r) = &schema.range_key_element {
        s.push_str(&format!(
            ", range {} {}",
            r.attribute_name,
            r.attribute_type.as_str()
        ));
    }
    s.push(')');
    s
}
