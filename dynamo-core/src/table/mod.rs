//! [`Table<T>`]: typed, async access to one table whose items are `T`.
//!
//! Every operation is a builder: set options, then `.await` it (or call
//! `.send()`). Arguments are checked when the builder runs, so chains need no
//! `?` per step.

mod merge;
mod read;
mod scan;
mod update;
mod write;

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use crate::batch::{BatchGet, BatchGetOutcome, BatchWrite, BatchWriteError};
pub use merge::Merge;
pub use read::Get;
pub use scan::{BadItem, Page, Query, RawPage, Scan};
pub use update::{Update, UpdateReturn};
pub use write::{Delete, Put};

use crate::client::Client;
use crate::error::Error;
use crate::expr::expect::Expect;
use crate::item::DynamoItem;
use crate::limiter::CapacityLimiter;
use crate::value::{AttributeValue, Number};
use crate::wire::{
    DescribeTableInput, Expected, ExpectedAttributeValue, GetItemInput, Key, Op,
    ProvisionedThroughputDescription, TableDescription, TableStatus,
};

/// Typed handle to one table. Cheap to clone, `Send + Sync`.
///
/// # Example
/// ```no_run
/// # use dynamo_core::{Connection, DynamoItem, Table};
/// # async fn run<T: DynamoItem>(conn: Connection, item: T, key: T::Key) -> Result<(), dynamo_core::Error> {
/// let table: Table<T> = conn.table::<T>();
/// table.put(&item).await?;
/// let again: Option<T> = table.get(key).consistent().await?;
/// # Ok(()) }
/// ```
pub struct Table<T> {
    inner: Arc<Inner>,
    limiter: Option<CapacityLimiter>,
    _item: PhantomData<fn() -> T>,
}

struct Inner {
    client: Client,
    name: String,
    info: RwLock<TableInfo>,
}

/// What is known of a table: all `None` for a table made without a call
/// until [`Table::refresh`] asks the service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableInfo {
    /// Lifecycle state.
    pub status: Option<TableStatus>,
    /// Creation time.
    pub created: Option<SystemTime>,
    /// Approximate item count (updated every few hours by AWS).
    pub item_count: Option<u64>,
    /// Approximate size in bytes (updated every few hours by AWS).
    pub size_bytes: Option<u64>,
    /// Provisioned read capacity units.
    pub read_capacity_units: Option<u64>,
    /// Provisioned write capacity units.
    pub write_capacity_units: Option<u64>,
}

impl TableInfo {
    pub(crate) fn from_description(d: &TableDescription) -> TableInfo {
        let throughput = d.provisioned_throughput.as_ref();
        let units = |f: fn(&ProvisionedThroughputDescription) -> Option<i64>| {
            throughput.and_then(f).and_then(|v| u64::try_from(v).ok())
        };
        TableInfo {
            status: d.table_status,
            created: d
                .creation_date_time
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| UNIX_EPOCH + Duration::from_secs_f64(s)),
            item_count: d.item_count.and_then(|v| u64::try_from(v).ok()),
            size_bytes: d.table_size_bytes.and_then(|v| u64::try_from(v).ok()),
            read_capacity_units: units(|t| t.read_capacity_units),
            write_capacity_units: units(|t| t.write_capacity_units),
        }
    }
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Table<T> {
        Table {
            inner: Arc::clone(&self.inner),
            limiter: self.limiter.clone(),
            _item: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.inner.name)
            .field("item", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

impl<T: DynamoItem> Table<T> {
    /// A handle on a table of another name holding `T` items.
    pub(crate) fn named(client: Client, name: String, info: TableInfo) -> Table<T> {
        Table {
            inner: Arc::new(Inner {
                client,
                name,
                info: RwLock::new(info),
            }),
            limiter: None,
            _item: PhantomData,
        }
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The client this table calls through.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// What was last learnt about the table (see [`Table::refresh`]).
    pub fn info(&self) -> TableInfo {
        self.inner
            .info
            .read()
            .map(|i| i.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Asks the service for the table's state, throughput and size.
    ///
    /// # Errors
    /// [`Error::is_not_found`] when the table does not exist.
    pub async fn refresh(&self) -> Result<TableInfo, Error> {
        let out = self
            .client()
            .describe_table(&DescribeTableInput {
                table_name: self.name().to_owned(),
            })
            .await?;
        let info = out
            .table
            .as_ref()
            .map(TableInfo::from_description)
            .unwrap_or_default();
        self.set_info(info.clone());
        Ok(info)
    }

    pub(crate) fn set_info(&self, info: TableInfo) {
        match self.inner.info.write() {
            Ok(mut guard) => *guard = info,
            Err(e) => *e.into_inner() = info,
        }
    }

    /// The same table, with reads and writes paced by a capacity budget:
    /// queries, scans and batches wait while the budget is overdrawn and
    /// charge it with the `ConsumedCapacityUnits` the service reports.
    pub fn with_limiter(&self, limiter: CapacityLimiter) -> Table<T> {
        Table {
            limiter: Some(limiter),
            ..self.clone()
        }
    }

    pub(crate) fn limiter(&self) -> Option<&CapacityLimiter> {
        self.limiter.as_ref()
    }

    /// Records what a call consumed: a `tracing` event, and the limiter's
    /// budget when there is one.
    pub(crate) fn charge(&self, operation: Op, units: Option<f64>) {
        tracing::debug!(
            table = self.name(),
            operation = operation.name(),
            consumed_capacity = units.unwrap_or_default(),
            "capacity consumed"
        );
        if let (Some(l), Some(u)) = (&self.limiter, units) {
            l.consume(u);
        }
    }
}

/// The item a write of `op` on `table` returned (`Attributes`) as `T`; an
/// absent or empty map is `None`. The write happened either way, so a
/// returned item that does not fit `T` is [`crate::ErrorKind::WriteApplied`].
fn to_typed<T: DynamoItem>(
    op: Op,
    table: &str,
    item: Option<crate::Item>,
) -> Result<Option<T>, Error> {
    item.filter(|a| !a.is_empty())
        .map(T::from_item)
        .transpose()
        .map_err(|e| Error::write_applied(op.name(), Error::conversion(e).with_table(Some(table))))
}

/// The `AttributesToGet` of a typed read of `T` projected to `names`: the
/// key attributes (no `T` can be built without them), then `names`, each
/// once.
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] when `names` is empty.
fn projection<T: DynamoItem>(names: Vec<String>) -> Result<Vec<String>, Error> {
    if names.is_empty() {
        return Err(Error::invalid_input("attributes to get must not be empty"));
    }
    let key = std::iter::once(T::HASH_KEY).chain(T::RANGE_KEY);
    let mut all: Vec<String> = key.map(str::to_owned).collect();
    for name in names {
        if !all.contains(&name) {
            all.push(name);
        }
    }
    Ok(all)
}

/// The names of a typed projection.
fn projected<T>(projection: &impl crate::attr::Projection<T>) -> Vec<String> {
    let mut names = Vec::new();
    projection.names(&mut names);
    names.into_iter().map(str::to_owned).collect()
}

/// The future behind each builder's `IntoFuture`.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Adds typed conditions on an item of `table` to those gathered so far,
/// keeping the first error.
fn add_conditions<T>(
    expected: Result<Expected, Error>,
    conditions: Expect<T>,
    table: &str,
) -> Result<Expected, Error> {
    let mut expected = expected?;
    let conditions = conditions
        .into_wire()
        .map_err(|e| Error::conversion(e).with_table(Some(table)))?;
    expected.extend(conditions);
    Ok(expected)
}

/// Optimistic locking, shared by put and update: the write only succeeds if
/// the stored version `attr` equals `current` (0: no item yet).
fn apply_version(attr: &str, current: &Number, expected: &mut Expected) {
    let check = if current.is_zero() {
        ExpectedAttributeValue::absent()
    } else {
        ExpectedAttributeValue::equals(AttributeValue::N(current.clone()))
    };
    expected.insert(attr.to_owned(), check);
}

/// The version an item of `T` was read at, from its version attribute
/// `attr` (0 when it has none).
fn item_version(attr: &str, value: Option<&AttributeValue>) -> Result<Number, Error> {
    match value {
        Some(AttributeValue::N(n)) => Ok(n.clone()),
        None => Ok(Number::from(0u8)),
        Some(_) => Err(Error::invalid_input(format!(
            "version attribute {attr} is not a number"
        ))),
    }
}

/// A failed condition on a versioned write of `key` is a version conflict
/// only when the stored version differs from the one `expected` checks: when
/// the version was the only condition that is certain, otherwise a
/// consistent read of the version decides. Anything else stays as it is.
async fn version_error<T: DynamoItem>(
    table: &Table<T>,
    e: Error,
    versioned: bool,
    key: &Key,
    expected: Option<&Expected>,
) -> Error {
    let (Some(attr), Some(expected)) = (T::VERSION_ATTRIBUTE, expected) else {
        return e;
    };
    let Some(check) = expected.get(attr) else {
        return e;
    };
    if !versioned || !e.is_conditional_check_failed() {
        return e;
    }
    let conflict = || {
        Error::version_conflict("the stored item's version differs from the expected one")
            .with_table(Some(table.name()))
    };
    if expected.len() == 1 {
        return conflict();
    }
    let read = GetItemInput {
        table_name: table.name().to_owned(),
        key: key.clone(),
        attributes_to_get: Some(vec![attr.to_owned()]),
        consistent_read: Some(true),
    };
    let Ok(out) = table.client().get_item(&read).await else {
        return e;
    };
    let stored = out.item.as_ref().and_then(|i| i.get(attr));
    let differs = match (&check.value, check.exists) {
        (Some(v), _) => stored != Some(v),
        (None, Some(false)) => stored.is_some(),
        (None, _) => false,
    };
    if differs { conflict() } else { e }
}
