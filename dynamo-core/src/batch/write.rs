//! Batch writes: [`BatchWriteList`] over any tables, and [`BatchWrite`], its
//! one-table case behind [`Table::batch_write`]. Both end in the one result
//! shape, [`BatchWriteError`].

use std::fmt;

use super::plan::{self, PlannedWrite};
use super::run::{self, Leftover, Limiters, Undone};
use crate::client::{Client, RetryConfig};
use crate::error::Error;
use crate::item::DynamoItem;
use crate::table::Table;
use crate::wire::{DeleteRequest, PutRequest, WriteRequest};

/// Puts and deletes across tables, 25 per call. Built by
/// [`crate::Connection::batch_write`].
///
/// BatchWriteItem takes no conditions, so it cannot check a
/// `#[dynamo(version)]` field: a put of a versioned type is refused unless
/// [`BatchWriteList::ignore_versions`] says to write the items as they are.
#[must_use = "a batch does nothing until sent"]
pub struct BatchWriteList {
    client: Client,
    writes: Vec<PlannedWrite>,
    /// The first item or key that did not convert.
    error: Option<Error>,
    /// The first versioned put: (type, table, version attribute).
    versioned: Option<(&'static str, String, &'static str)>,
    ignore_versions: bool,
    limiters: Limiters,
    retry: RetryConfig,
}

/// Writes of a batch that were not done, and why. Every write not confirmed
/// by the service is here, by table, never dropped.
///
/// # Example
/// ```no_run
/// # use dynamo_core::{DynamoItem, Table};
/// # async fn run<T: DynamoItem>(table: Table<T>, items: Vec<T>) -> Result<(), dynamo_core::Error> {
/// if let Err(e) = table.batch_write(items, []).send().await {
///     // Definitely not written: safe to send again.
///     let retry: Vec<T> = e.unprocessed_puts(&table)?;
///     // Sent in a call whose answer was lost: read them back before
///     // deciding, or put them again when the put is idempotent.
///     let unsure: Vec<T> = e.maybe_written_puts(&table)?;
///     table.batch_write(retry.into_iter().chain(unsure), []).send().await?;
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BatchWriteError {
    error: Option<Error>,
    leftovers: Vec<Leftover>,
}

impl BatchWriteList {
    pub(crate) fn new(client: Client) -> BatchWriteList {
        BatchWriteList {
            client,
            writes: Vec::new(),
            error: None,
            versioned: None,
            ignore_versions: false,
            limiters: Limiters::default(),
            retry: RetryConfig::default(),
        }
    }

    /// Adds items to put into `table`. The table's capacity limiter, if it
    /// has one, paces the calls.
    pub fn put<T: DynamoItem>(
        mut self,
        table: &Table<T>,
        items: impl IntoIterator<Item = T>,
    ) -> BatchWriteList {
        let name = table.name();
        self.limiters.add(name, table.limiter());
        for item in items {
            if let (None, Some(attr)) = (&self.versioned, T::VERSION_ATTRIBUTE) {
                self.versioned = Some((std::any::type_name::<T>(), name.to_owned(), attr));
            }
            let planned = T::key_to_wire(&item.key()).and_then(|key| {
                let item = item.to_item()?;
                Ok(PlannedWrite {
                    table: name.to_owned(),
                    key,
                    request: WriteRequest::Put(PutRequest { item }),
                })
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
        self.limiters.add(name, table.limiter());
        for key in keys {
            let planned = T::key_to_wire(&key).map(|key| PlannedWrite {
                table: name.to_owned(),
                key: key.clone(),
                request: WriteRequest::Delete(DeleteRequest { key }),
            });
            self.push(planned.map_err(|e| Error::conversion(e).with_table(Some(name))));
        }
        self
    }

    fn push(&mut self, write: Result<PlannedWrite, Error>) {
        match write {
            Ok(w) => self.writes.push(w),
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }

    /// Writes items of versioned types as they are: their version attribute
    /// is stored unchanged and not checked against the stored one.
    pub fn ignore_versions(mut self) -> BatchWriteList {
        self.ignore_versions = true;
        self
    }

    /// How unprocessed requests are retried.
    pub fn retry(mut self, retry: RetryConfig) -> BatchWriteList {
        self.retry = retry;
        self
    }

    /// Sends the writes.
    ///
    /// # Errors
    /// [`BatchWriteError`] holding every write not confirmed. Nothing is sent
    /// when an item or key does not convert, when one key is written twice
    /// (the service rejects that), or when a versioned type is put
    /// without [`BatchWriteList::ignore_versions`]: then every other write
    /// comes back as a leftover.
    pub async fn send(self) -> Result<(), BatchWriteError> {
        let refused = match (self.error, self.versioned) {
            (Some(e), _) => Some(e),
            (None, Some((ty, table, attr))) if !self.ignore_versions => Some(
                Error::invalid_input(format!(
                    "a batch write cannot check the version attribute `{attr}` of {ty}; \
                     put versioned items one at a time, or call ignore_versions() to write \
                     them unchecked"
                ))
                .with_table(Some(&table)),
            ),
            (None, _) => duplicate(&self.writes),
        };
        if let Some(error) = refused {
            let leftovers = self
                .writes
                .into_iter()
                .map(|w| Leftover {
                    table: w.table,
                    request: w.request,
                    why: Undone::NotSent,
                })
                .collect();
            return Err(BatchWriteError {
                error: Some(error),
                leftovers,
            });
        }
        let calls = plan::plan_writes(self.writes);
        match run::run_writes(&self.client, calls, &self.retry, &self.limiters).await {
            (None, leftovers) if leftovers.is_empty() => Ok(()),
            (error, leftovers) => Err(BatchWriteError { error, leftovers }),
        }
    }
}

impl BatchWriteError {
    /// The hard error that stopped the batch, if any; `None` when the service
    /// kept leaving requests unprocessed until retries ran out.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// Items of `table` that were definitely not put.
    ///
    /// # Errors
    /// A conversion error when an item does not fit `T`.
    pub fn unprocessed_puts<T: DynamoItem>(&self, table: &Table<T>) -> Result<Vec<T>, Error> {
        self.puts(table, false)
    }

    /// Keys of `table` that were definitely not deleted.
    ///
    /// # Errors
    /// A conversion error when a key does not fit `T`.
    pub fn unprocessed_deletes<T: DynamoItem>(
        &self,
        table: &Table<T>,
    ) -> Result<Vec<T::Key>, Error> {
        self.deletes(table, false)
    }

    /// Items of `table` in a call whose answer was lost: they may have been
    /// put. Putting them again is harmless unless they are versioned.
    ///
    /// # Errors
    /// A conversion error when an item does not fit `T`.
    pub fn maybe_written_puts<T: DynamoItem>(&self, table: &Table<T>) -> Result<Vec<T>, Error> {
        self.puts(table, true)
    }

    /// Keys of `table` in a call whose answer was lost: they may have been
    /// deleted.
    ///
    /// # Errors
    /// A conversion error when a key does not fit `T`.
    pub fn maybe_written_deletes<T: DynamoItem>(
        &self,
        table: &Table<T>,
    ) -> Result<Vec<T::Key>, Error> {
        self.deletes(table, true)
    }

    fn puts<T: DynamoItem>(&self, table: &Table<T>, maybe: bool) -> Result<Vec<T>, Error> {
        self.of(table.name(), maybe)
            .filter_map(|request| match request {
                WriteRequest::Put(p) => Some(T::from_item(p.item.clone())),
                WriteRequest::Delete(_) => None,
            })
            .map(|r| r.map_err(|e| Error::conversion(e).with_table(Some(table.name()))))
            .collect()
    }

    fn deletes<T: DynamoItem>(&self, table: &Table<T>, maybe: bool) -> Result<Vec<T::Key>, Error> {
        self.of(table.name(), maybe)
            .filter_map(|request| match request {
                WriteRequest::Delete(d) => Some(T::key_from_wire(&d.key)),
                WriteRequest::Put(_) => None,
            })
            .map(|r| r.map_err(|e| Error::conversion(e).with_table(Some(table.name()))))
            .collect()
    }

    /// The requests of `table`: those that may have been written (`maybe`),
    /// or those that definitely were not.
    fn of<'a>(
        &'a self,
        table: &'a str,
        maybe: bool,
    ) -> impl Iterator<Item = &'a WriteRequest> + 'a {
        self.leftovers
            .iter()
            .filter(move |l| l.table == table && (l.why == Undone::MaybeWritten) == maybe)
            .map(|l| &l.request)
    }

    /// Number of writes not confirmed (not written, or maybe written), over
    /// all tables.
    pub fn len(&self) -> usize {
        self.leftovers.len()
    }

    /// True when no write is left over (only a hard error before sending,
    /// with nothing else to write).
    pub fn is_empty(&self) -> bool {
        self.leftovers.is_empty()
    }
}

impl fmt::Display for BatchWriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unprocessed = self
            .leftovers
            .iter()
            .filter(|l| l.why == Undone::Unprocessed)
            .count();
        let maybe = self
            .leftovers
            .iter()
            .filter(|l| l.why == Undone::MaybeWritten)
            .count();
        write!(
            f,
            "batch write left {} writes unconfirmed ({unprocessed} unprocessed by the service, \
             {maybe} maybe written by a call whose answer was lost)",
            self.leftovers.len()
        )?;
        if let Some(e) = &self.error {
            write!(f, ": {e}")?;
        }
        Ok(())
    }
}

/// A batch's failure as the crate's [`Error`], for code with one error
/// type: the kind of the hard error (or [`crate::ErrorKind::Unprocessed`]),
/// with the leftovers still reachable through [`Error::batch_write`].
///
/// ```no_run
/// # async fn run(list: dynamo_core::batch::BatchWriteList) -> Result<(), dynamo_core::Error> {
/// list.send().await?; // `?` turns a BatchWriteError into an Error
/// # Ok(()) }
/// ```
impl From<BatchWriteError> for Error {
    fn from(e: BatchWriteError) -> Error {
        Error::of_batch_write(e)
    }
}

impl std::error::Error for BatchWriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref().map(|e| e as _)
    }
}

/// A batch write of puts and deletes into one table: a [`BatchWriteList`]
/// of one table. Built by [`Table::batch_write`].
#[must_use = "a batch does nothing until sent"]
pub struct BatchWrite<'a, T: DynamoItem> {
    table: &'a Table<T>,
    puts: Vec<T>,
    deletes: Vec<T::Key>,
    ignore_versions: bool,
    retry: RetryConfig,
}

impl<T: DynamoItem> Table<T> {
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
            ignore_versions: false,
            retry: RetryConfig::default(),
        }
    }
}

impl<'a, T: DynamoItem> BatchWrite<'a, T> {
    /// How unprocessed requests are retried.
    pub fn retry(mut self, retry: RetryConfig) -> BatchWrite<'a, T> {
        self.retry = retry;
        self
    }

    /// As [`BatchWriteList::ignore_versions`].
    pub fn ignore_versions(mut self) -> BatchWrite<'a, T> {
        self.ignore_versions = true;
        self
    }

    /// Sends the writes; on failure every write not confirmed comes back in
    /// the error.
    ///
    /// # Errors
    /// As [`BatchWriteList::send`]; read the undone writes back with
    /// [`BatchWriteError::unprocessed_puts`] and
    /// [`BatchWriteError::unprocessed_deletes`] (not written), and
    /// [`BatchWriteError::maybe_written_puts`] and
    /// [`BatchWriteError::maybe_written_deletes`] (in a call whose answer was lost).
    pub async fn send(self) -> Result<(), BatchWriteError> {
        let mut list = BatchWriteList::new(self.table.client().clone())
            .retry(self.retry)
            .put(self.table, self.puts)
            .delete(self.table, self.deletes);
        list.ignore_versions = self.ignore_versions;
        list.send().await
    }
}

/// The service rejects a batch naming one key twice: an error naming the
/// table and the positions (counted from 0, in the order added) of the first
/// repeated key, never its value.
fn duplicate(writes: &[PlannedWrite]) -> Option<Error> {
    let mut seen = std::collections::HashMap::new();
    for (at, w) in writes.iter().enumerate() {
        if let Some(first) = seen.insert(plan::key_id(&w.table, &w.key), at) {
            return Some(
                Error::invalid_input(format!(
                    "a batch write names one key of table `{}` twice (writes {first} and {at}, \
                     counted from 0); the service rejects repeated keys in one batch",
                    w.table
                ))
                .with_table(Some(&w.table)),
            );
        }
    }
    None
}
