//! Batch reads: [`BatchGetList`] over any tables, and [`BatchGet`], its
//! one-table case behind [`Table::batch_get`].

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use super::plan::{self, TableRead};
use super::run::{self, Limiters};
use crate::client::{Client, RetryConfig};
use crate::error::Error;
use crate::item::DynamoItem;
use crate::table::Table;
use crate::value::Item;
use crate::wire::Key;

/// Where one table's results are found in a multi-table batch.
pub struct Slot<T> {
    table: String,
    _item: PhantomData<fn() -> T>,
}

impl<T> Slot<T> {
    fn new(table: &str) -> Slot<T> {
        Slot {
            table: table.to_owned(),
            _item: PhantomData,
        }
    }

    /// The table this slot reads.
    pub fn table_name(&self) -> &str {
        &self.table
    }
}

impl<T> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot").field("table", &self.table).finish()
    }
}

/// A BatchGetItem over several tables, 100 keys per call. Built by
/// [`crate::Connection::batch_get`].
///
/// # Example
/// ```no_run
/// # use dynamo_core::{Connection, DynamoItem, Table};
/// # async fn run<U: DynamoItem, O: DynamoItem>(conn: Connection, users: Table<U>, orders: Table<O>,
/// #     user_keys: Vec<U::Key>, order_keys: Vec<O::Key>) -> Result<(), dynamo_core::Error> {
/// let mut batch = conn.batch_get();
/// let u = batch.add(&users, user_keys);
/// let o = batch.add(&orders, order_keys);
/// let mut found = batch.send().await?;
/// let users: Vec<U> = found.take(&u)?;
/// let orders: Vec<O> = found.take(&o)?;
/// # Ok(()) }
/// ```
#[must_use = "a batch does nothing until sent"]
pub struct BatchGetList {
    client: Client,
    keys: Result<Vec<(String, Key)>, Error>,
    reads: HashMap<String, TableRead>,
    limiters: Limiters,
    retry: RetryConfig,
}

/// Items read by a [`BatchGetList`], by table.
#[derive(Debug)]
pub struct BatchGetResults {
    items: HashMap<String, Vec<Item>>,
    unprocessed: HashMap<String, Vec<Key>>,
}

impl BatchGetList {
    pub(crate) fn new(client: Client) -> BatchGetList {
        BatchGetList {
            client,
            keys: Ok(Vec::new()),
            reads: HashMap::new(),
            limiters: Limiters::default(),
            retry: RetryConfig::default(),
        }
    }

    /// Adds keys of one table; read its items back through the slot. The
    /// table's capacity limiter, if it has one, paces the calls.
    pub fn add<T: DynamoItem>(
        &mut self,
        table: &Table<T>,
        keys: impl IntoIterator<Item = T::Key>,
    ) -> Slot<T> {
        self.add_read(table, keys, false)
    }

    /// Like [`BatchGetList::add`], with strongly consistent reads.
    pub fn add_consistent<T: DynamoItem>(
        &mut self,
        table: &Table<T>,
        keys: impl IntoIterator<Item = T::Key>,
    ) -> Slot<T> {
        self.add_read(table, keys, true)
    }

    fn add_read<T: DynamoItem>(
        &mut self,
        table: &Table<T>,
        keys: impl IntoIterator<Item = T::Key>,
        consistent: bool,
    ) -> Slot<T> {
        let name = table.name();
        self.limiters.add(name, table.limiter());
        let read = self.reads.entry(name.to_owned()).or_default();
        read.consistent_read |= consistent;
        if let Ok(all) = &mut self.keys {
            for key in keys {
                match T::key_to_wire(&key) {
                    Ok(wire) => all.push((name.to_owned(), wire)),
                    Err(e) => {
                        self.keys = Err(Error::conversion(e).with_table(Some(name)));
                        break;
                    }
                }
            }
        }
        Slot::new(name)
    }

    /// How unprocessed keys are retried.
    pub fn retry(mut self, retry: RetryConfig) -> BatchGetList {
        self.retry = retry;
        self
    }

    /// Sends the reads, 100 keys per call.
    ///
    /// # Errors
    /// Conversion errors of the keys, and the client's errors.
    pub async fn send(self) -> Result<BatchGetResults, Error> {
        let calls = plan::plan_gets(self.keys?, &self.reads);
        let outcome = run::run_gets(&self.client, calls, &self.retry, &self.limiters)
            .await
            .map_err(|(e, _)| e)?;
        Ok(BatchGetResults {
            items: outcome.items,
            unprocessed: outcome.unprocessed,
        })
    }
}

impl BatchGetResults {
    /// The items read from the slot's table (taken out of the results).
    ///
    /// # Errors
    /// A conversion error when an item does not fit `T`.
    pub fn take<T: DynamoItem>(&mut self, slot: &Slot<T>) -> Result<Vec<T>, Error> {
        self.items
            .remove(&slot.table)
            .unwrap_or_default()
            .into_iter()
            .map(|item| {
                T::from_item(item).map_err(|e| Error::conversion(e).with_table(Some(&slot.table)))
            })
            .collect()
    }

    /// Keys of the slot's table still unread after every retry.
    ///
    /// # Errors
    /// A conversion error when a key does not fit `T`.
    pub fn unprocessed<T: DynamoItem>(&self, slot: &Slot<T>) -> Result<Vec<T::Key>, Error> {
        self.unprocessed
            .get(&slot.table)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|k| {
                T::key_from_wire(k).map_err(|e| Error::conversion(e).with_table(Some(&slot.table)))
            })
            .collect()
    }
}

/// A batch read of many keys of one table: a [`BatchGetList`] of one
/// table. Built by [`Table::batch_get`].
#[must_use = "a batch does nothing until sent"]
pub struct BatchGet<'a, T: DynamoItem> {
    table: &'a Table<T>,
    keys: Vec<T::Key>,
    consistent: bool,
    retry: RetryConfig,
}

/// What a batch read found, and the keys it could not read.
#[derive(Debug)]
pub struct BatchGetOutcome<T: DynamoItem> {
    /// Items found, in no particular order; missing keys have no item.
    pub items: Vec<T>,
    /// Keys still unprocessed after every retry.
    pub unprocessed: Vec<T::Key>,
}

impl<T: DynamoItem> Table<T> {
    /// Reads many items by key, 100 keys per call.
    pub fn batch_get<I: IntoIterator<Item = T::Key>>(&self, keys: I) -> BatchGet<'_, T> {
        BatchGet {
            table: self,
            keys: keys.into_iter().collect(),
            consistent: false,
            retry: RetryConfig::default(),
        }
    }
}

impl<'a, T: DynamoItem> BatchGet<'a, T> {
    /// Strongly consistent reads.
    pub fn consistent(mut self) -> BatchGet<'a, T> {
        self.consistent = true;
        self
    }

    /// How unprocessed keys are retried.
    pub fn retry(mut self, retry: RetryConfig) -> BatchGet<'a, T> {
        self.retry = retry;
        self
    }

    /// Sends the reads.
    ///
    /// # Errors
    /// Conversion errors and the client's errors.
    pub async fn send(self) -> Result<BatchGetOutcome<T>, Error> {
        let mut list = BatchGetList::new(self.table.client().clone()).retry(self.retry);
        let slot = list.add_read(self.table, self.keys, self.consistent);
        let mut found = list.send().await?;
        Ok(BatchGetOutcome {
            items: found.take(&slot)?,
            unprocessed: found.unprocessed(&slot)?,
        })
    }
}
