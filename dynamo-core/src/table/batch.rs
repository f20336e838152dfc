//! Typed batch get and batch write of any size: chunked to the service
//! limits, unprocessed work resent, leftovers handed back.

use std::collections::HashMap;
use std::fmt;

use crate::batch::{self, PlannedWrite, TableRead};
use crate::client::RetryConfig;
use crate::error::Error;
use crate::item::DynamoItem;
use crate::value::Item;
use crate::wire::{DeleteRequest, Key, PutRequest, WriteRequest};

use super::Table;

/// A batch read of many keys. Built by [`Table::batch_get`].
#[must_use = "a batch does nothing until sent"]
pub struct BatchGet<'a, T: DynamoItem> {
    table: &'a Table<T>,
    keys: Vec<T::Key>,
    read: TableRead,
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

/// A batch write that did not complete: what was not written, and why.
pub struct BatchWriteError<T: DynamoItem> {
    /// The hard error that stopped the batch, if any (otherwise the service
    /// kept leaving requests unprocessed until retries ran out).
    pub error: Option<Error>,
    /// Items not written.
    pub puts: Vec<T>,
    /// Keys not deleted.
    pub deletes: Vec<T::Key>,
}

impl<T: DynamoItem> fmt::Debug for BatchWriteError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWriteError")
            .field("error", &self.error)
            .field("puts", &self.puts.len())
            .field("deletes", &self.deletes.len())
            .finish()
    }
}

impl<T: DynamoItem> fmt::Display for BatchWriteError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "batch write left {} puts and {} deletes undone",
            self.puts.len(),
            self.deletes.len()
        )
    }
}

impl<T: DynamoItem> std::error::Error for BatchWriteError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref().map(|e| e as _)
    }
}

/// A batch write of puts and deletes. Built by [`Table::batch_write`].
#[must_use = "a batch does nothing until sent"]
pub struct BatchWrite<'a, T: DynamoItem> {
    table: &'a Table<T>,
    puts: Vec<T>,
    deletes: Vec<T::Key>,
    retry: RetryConfig,
}

impl<T: DynamoItem> Table<T> {
    /// Reads many items by key, 100 keys per call.
    pub fn batch_get<I: IntoIterator<Item = T::Key>>(&self, keys: I) -> BatchGet<'_, T> {
        BatchGet {
            table: self,
            keys: keys.into_iter().collect(),
            read: TableRead::default(),
            retry: RetryConfig::default(),
        }
    }

    /// Writes `puts` and deletes `deletes`, 25 requests per call.
    pub fn batch_write<P, D>(&self, puts: P, deletes: D) -> BatchWrite<'_, T>
    where
        P: IntoIterator<Item = T>,
        D: IntoIterator<Item = T::Key>,
    {
        BatchWrite {
            table: self,
            puts: puts.into_iter().collect(),
            deletes: deletes.into_iter().collect(),
            retry: RetryConfig::default(),
        }
    }
}

impl<'a, T: DynamoItem> BatchGet<'a, T> {
    /// Strongly consistent reads.
    pub fn consistent(mut self) -> BatchGet<'a, T> {
        self.read.consistent_read = true;
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
        let name = self.table.name().to_owned();
        let mut by_id: HashMap<String, T::Key> = HashMap::with_capacity(self.keys.len());
        let mut wire_keys = Vec::with_capacity(self.keys.len());
        for key in self.keys {
            let wire = T::key_to_wire(&key).map_err(Error::conversion)?;
            by_id.insert(key_id(&wire), key);
            wire_keys.push((name.clone(), wire));
        }
        let reads = HashMap::from([(name.clone(), self.read)]);
        let calls = batch::plan_gets(wire_keys, &reads);
        let client = self.table.client();
        let outcome = batch::run_gets(calls, self.retry, self.table.limiter(), |input| {
            let client = client.clone();
            async move { client.batch_get_item(&input).await }
        })
        .await
        .map_err(|(e, _)| e)?;
        let mut items = Vec::new();
        for item in outcome.items.into_values().flatten() {
            items.push(T::from_item(item).map_err(Error::conversion)?);
        }
        let unprocessed = outcome
            .unprocessed
            .into_iter()
            .filter_map(|(_, key)| by_id.remove(&key_id(&key)))
            .collect();
        Ok(BatchGetOutcome { items, unprocessed })
    }
}

impl<'a, T: DynamoItem> BatchWrite<'a, T> {
    /// How unprocessed requests are retried.
    pub fn retry(mut self, retry: RetryConfig) -> BatchWrite<'a, T> {
        self.retry = retry;
        self
    }

    /// Sends the writes; on failure every write not confirmed comes back in
    /// the error.
    ///
    /// # Errors
    /// [`BatchWriteError`] with the undone puts and deletes.
    pub async fn send(self) -> Result<(), BatchWriteError<T>> {
        let name = self.table.name().to_owned();
        let mut puts: HashMap<String, Vec<T>> = HashMap::new();
        let mut deletes: HashMap<String, Vec<T::Key>> = HashMap::new();
        let mut planned = Vec::with_capacity(self.puts.len() + self.deletes.len());
        let failed = |error: Error, puts_left: Vec<T>, deletes_left: Vec<T::Key>| BatchWriteError {
            error: Some(error),
            puts: puts_left,
            deletes: deletes_left,
        };
        let mut pending_puts = self.puts.into_iter();
        while let Some(item) = pending_puts.next() {
            let wire_item = match item.to_item() {
                Ok(i) => i,
                Err(e) => {
                    let mut left = vec![item];
                    left.extend(pending_puts);
                    left.extend(puts.into_values().flatten());
                    return Err(failed(Error::conversion(e), left, self.deletes));
                }
            };
            let id = key_id(&key_of_item::<T>(&wire_item));
            puts.entry(id.clone()).or_default().push(item);
            planned.push(PlannedWrite {
                table: name.clone(),
                key_id: id,
                request: WriteRequest::Put(PutRequest { item: wire_item }),
            });
        }
        let mut pending_deletes = self.deletes.into_iter();
        while let Some(key) = pending_deletes.next() {
            let wire = match T::key_to_wire(&key) {
                Ok(k) => k,
                Err(e) => {
                    let mut left = vec![key];
                    left.extend(pending_deletes);
                    left.extend(deletes.into_values().flatten());
                    return Err(failed(
                        Error::conversion(e),
                        puts.into_values().flatten().collect(),
                        left,
                    ));
                }
            };
            let id = key_id(&wire);
            deletes.entry(id.clone()).or_default().push(key);
            planned.push(PlannedWrite {
                table: name.clone(),
                key_id: id,
                request: WriteRequest::Delete(DeleteRequest { key: wire }),
            });
        }
        let chunks = batch::plan_writes(planned);
        let client = self.table.client();
        let result = batch::run_writes(chunks, self.retry, self.table.limiter(), |input| {
            let client = client.clone();
            async move { client.batch_write_item(&input).await }
        })
        .await;
        let (error, leftovers) = match result {
            Ok(left) if left.is_empty() => return Ok(()),
            Ok(left) => (None, left),
            Err((e, left)) => (Some(e), left),
        };
        let mut undone = BatchWriteError {
            error,
            puts: Vec::new(),
            deletes: Vec::new(),
        };
        for left in leftovers {
            match left.request {
                WriteRequest::Put(p) => {
                    let id = key_id(&key_of_item::<T>(&p.item));
                    if let Some(v) = puts.get_mut(&id).and_then(|v| v.pop()) {
                        undone.puts.push(v);
                    }
                }
                WriteRequest::Delete(d) => {
                    if let Some(k) = deletes.get_mut(&key_id(&d.key)).and_then(|v| v.pop()) {
                        undone.deletes.push(k);
                    }
                }
            }
        }
        Err(undone)
    }
}

/// A stable identity of a wire key.
fn key_id(key: &Key) -> String {
    serde_json::to_string(key).unwrap_or_default()
}

/// The key of a wire item, by `T`'s key attribute names.
pub(crate) fn key_of_item<T: DynamoItem>(item: &Item) -> Key {
    let get = |name: &str| item.get(name).cloned();
    Key {
        hash_key_element: get(T::HASH_KEY).unwrap_or(crate::AttributeValue::S(String::new())),
        range_key_element: T::RANGE_KEY.and_then(get),
    }
}
