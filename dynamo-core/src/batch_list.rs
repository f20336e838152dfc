//! Batches across several tables (boto's `BatchList` / `BatchWriteList`),
//! typed per table: each table added gives a [`Slot`] through which its
//! results are read back as that table's item type.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use crate::batch::{self, PlannedWrite, TableRead, WriteRequestIn};
use crate::client::{Client, RetryConfig};
use crate::connection::Connection;
use crate::error::Error;
use crate::item::DynamoItem;
use crate::table::Table;
use crate::value::Item;
use crate::wire::{DeleteRequest, Key, PutRequest, WriteRequest};

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

/// A BatchGetItem over several tables. Built by [`Connection::batch_get`].
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
    retry: RetryConfig,
}

/// Items read by a [`BatchGetList`], by table.
#[derive(Debug)]
pub struct BatchGetResults {
    items: HashMap<String, Vec<Item>>,
    unprocessed: HashMap<String, Vec<Key>>,
}

impl Connection {
    /// A batch read across tables.
    pub fn batch_get(&self) -> BatchGetList {
        BatchGetList {
            client: self.client().clone(),
            keys: Ok(Vec::new()),
            reads: HashMap::new(),
            retry: RetryConfig::default(),
        }
    }

    /// A batch of puts and deletes across tables.
    pub fn batch_write(&self) -> BatchWriteList {
        BatchWriteList {
            client: self.client().clone(),
            writes: Ok(Vec::new()),
            retry: RetryConfig::default(),
        }
    }
}

impl BatchGetList {
    /// Adds keys of one table; read its items back through the slot.
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
        let calls = batch::plan_gets(self.keys?, &self.reads);
        let client = self.client;
        let outcome = batch::run_gets(calls, self.retry, None, |input| {
            let client = client.clone();
            async move { client.batch_get_item(&input).await }
        })
        .await
        .map_err(|(e, _)| e)?;
        let mut unprocessed: HashMap<String, Vec<Key>> = HashMap::new();
        for (table, key) in outcome.unprocessed {
            unprocessed.entry(table).or_default().push(key);
        }
        Ok(BatchGetResults {
            items: outcome.items,
            unprocessed,
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
            .map(|item| T::from_item(item).map_err(Error::conversion))
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
            .map(|k| T::key_from_wire(k).map_err(Error::conversion))
            .collect()
    }
}

/// Puts and deletes across tables, 25 per call. Built by
/// [`Connection::batch_write`].
#[must_use = "a batch does nothing until sent"]
pub struct BatchWriteList {
    client: Client,
    writes: Result<Vec<PlannedWrite>, Error>,
    retry: RetryConfig,
}

/// Writes of a [`BatchWriteList`] that were not done, and why.
#[derive(Debug)]
pub struct BatchWriteListError {
    /// The hard error that stopped the batch, if any (otherwise retries ran
    /// out with requests still unprocessed).
    pub error: Option<Error>,
    leftovers: Vec<WriteRequestIn>,
}

impl BatchWriteList {
    /// Adds items to put into `table`.
    pub fn put<T: DynamoItem>(
        mut self,
        table: &Table<T>,
        items: impl IntoIterator<Item = T>,
    ) -> BatchWriteList {
        let name = table.name();
        for item in items {
            let planned = item.to_item().map(|item| PlannedWrite {
                table: name.to_owned(),
                key_id: item_key_id::<T>(&item),
                request: WriteRequest::Put(PutRequest { item }),
            });
            self.push(planned.map_err(|e| Error::conversion(e).with_table(Some(name))));
        }
        self
    }

    /// Adds keys to delete from `table`.
    pub fn delete<T: DynamoItem>(
        mut self,
        table: &Table<T>,
        keys: impl IntoIterator<Item = T::Key>,
    ) -> BatchWriteList {
        let name = table.name();
        for key in keys {
            let planned = T::key_to_wire(&key).map(|key| PlannedWrite {
                table: name.to_owned(),
                key_id: serde_json::to_string(&key).unwrap_or_default(),
                request: WriteRequest::Delete(DeleteRequest { key }),
            });
            self.push(planned.map_err(|e| Error::conversion(e).with_table(Some(name))));
        }
        self
    }

    fn push(&mut self, write: Result<PlannedWrite, Error>) {
        if let Ok(writes) = &mut self.writes {
            match write {
                Ok(w) => writes.push(w),
                Err(e) => self.writes = Err(e),
            }
        }
    }

    /// How unprocessed requests are retried.
    pub fn retry(mut self, retry: RetryConfig) -> BatchWriteList {
        self.retry = retry;
        self
    }

    /// Sends the writes.
    ///
    /// # Errors
    /// [`BatchWriteListError`] holding every write not confirmed; nothing is
    /// sent when an item or key does not convert.
    pub async fn send(self) -> Result<(), BatchWriteListError> {
        let writes = self.writes.map_err(|e| BatchWriteListError {
            error: Some(e),
            leftovers: Vec::new(),
        })?;
        let client = self.client;
        let result = batch::run_writes(batch::plan_writes(writes), self.retry, None, |input| {
            let client = client.clone();
            async move { client.batch_write_item(&input).await }
        })
        .await;
        match result {
            Ok(left) if left.is_empty() => Ok(()),
            Ok(leftovers) => Err(BatchWriteListError {
                error: None,
                leftovers,
            }),
            Err((e, leftovers)) => Err(BatchWriteListError {
                error: Some(e),
                leftovers,
            }),
        }
    }
}

impl BatchWriteListError {
    /// Items of `table` that were not put.
    ///
    /// # Errors
    /// A conversion error when an item does not fit `T`.
    pub fn unprocessed_puts<T: DynamoItem>(&self, table: &Table<T>) -> Result<Vec<T>, Error> {
        self.leftovers
            .iter()
            .filter(|l| l.table == table.name())
            .filter_map(|l| match &l.request {
                WriteRequest::Put(p) => {
                    Some(T::from_item(p.item.clone()).map_err(Error::conversion))
                }
                WriteRequest::Delete(_) => None,
            })
            .collect()
    }

    /// Keys of `table` that were not deleted.
    ///
    /// # Errors
    /// A conversion error when a key does not fit `T`.
    pub fn unprocessed_deletes<T: DynamoItem>(
        &self,
        table: &Table<T>,
    ) -> Result<Vec<T::Key>, Error> {
        self.leftovers
            .iter()
            .filter(|l| l.table == table.name())
            .filter_map(|l| match &l.request {
                WriteRequest::Delete(d) => {
                    Some(T::key_from_wire(&d.key).map_err(Error::conversion))
                }
                WriteRequest::Put(_) => None,
            })
            .collect()
    }

    /// Number of writes not done, over all tables.
    pub fn len(&self) -> usize {
        self.leftovers.len()
    }

    /// True when every write was done (only a hard error before sending).
    pub fn is_empty(&self) -> bool {
        self.leftovers.is_empty()
    }
}

impl fmt::Display for BatchWriteListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "batch write left {} writes undone", self.leftovers.len())
    }
}

impl std::error::Error for BatchWriteListError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref().map(|e| e as _)
    }
}

/// The identity of an item's key, for keeping one key out of a call twice.
fn item_key_id<T: DynamoItem>(item: &Item) -> String {
    let key = crate::table::key_of_item::<T>(item);
    serde_json::to_string(&key).unwrap_or_default()
}
