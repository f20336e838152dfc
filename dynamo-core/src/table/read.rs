//! GetItem: one item by key, optionally consistent and projected.

use std::future::IntoFuture;

use crate::attr::Projection;
use crate::error::Error;
use crate::item::DynamoItem;
use crate::wire::{Decoded, GetItemInput, ItemRead, Op};

use super::{BoxFuture, Table, projected, projection};

/// A GetItem; `.await` it for `Option<T>`. Built by [`Table::get`].
#[must_use = "a get does nothing until awaited"]
pub struct Get<'a, T: DynamoItem> {
    table: &'a Table<T>,
    key: T::Key,
    consistent: bool,
    attributes: Result<Option<Vec<String>>, Error>,
}

impl<T: DynamoItem> Table<T> {
    /// Reads the item with `key`; `None` when there is none.
    ///
    /// # Errors
    /// Conversion errors when the stored item does not fit `T`, and the
    /// client's errors.
    pub fn get(&self, key: T::Key) -> Get<'_, T> {
        Get {
            table: self,
            key,
            consistent: false,
            attributes: Ok(None),
        }
    }
}

impl<'a, T: DynamoItem> Get<'a, T> {
    /// Strongly consistent read (costs twice the capacity).
    pub fn consistent(mut self) -> Get<'a, T> {
        self.consistent = true;
        self
    }

    /// Reads only these attributes of `T`, and its key: one handle or a
    /// tuple of them. The fields left out must be optional, defaulted or
    /// sets in `T`, or the conversion fails.
    ///
    /// # Example
    /// ```no_run
    /// # use dynamo_core::{DynamoItem, Table};
    /// # use dynamo_core::attr::{Attr, NotKey};
    /// # async fn run<T: DynamoItem>(table: Table<T>, key: T::Key, body: Attr<T, String, NotKey>) -> Result<(), dynamo_core::Error> {
    /// // With `#[derive(DynamoItem)]`, `body` is `Message::BODY`.
    /// let item: Option<T> = table.get(key).attributes(body).await?;
    /// # Ok(()) }
    /// ```
    pub fn attributes(self, projection: impl Projection<T>) -> Get<'a, T> {
        self.project(projected(&projection))
    }

    /// Reads only the attributes named, and the key: for attributes that
    /// `T` has no handle for (those a `#[dynamo(flatten)]` field collects).
    /// As with [`Get::attributes`], the fields left out must be optional.
    pub fn attributes_named<I, S>(self, names: I) -> Get<'a, T>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.project(names.into_iter().map(Into::into).collect())
    }

    fn project(mut self, names: Vec<String>) -> Get<'a, T> {
        self.attributes = projection::<T>(names).map(Some);
        self
    }

    /// Sends the read.
    ///
    /// # Errors
    /// As [`Table::get`].
    pub async fn send(self) -> Result<Option<T>, Error> {
        let input = GetItemInput {
            table_name: self.table.name().to_owned(),
            key: T::key_to_wire(&self.key)
                .map_err(|e| Error::conversion(e).with_table(Some(self.table.name())))?,
            attributes_to_get: self
                .attributes
                .map_err(|e| e.with_table(Some(self.table.name())))?,
            consistent_read: self.consistent.then_some(true),
        };
        let table = Some(self.table.name());
        let out: ItemRead<Decoded<T>> = self.table.client().call_items(&input, table).await?;
        self.table.charge(Op::GetItem, out.consumed_capacity_units);
        out.item
            .map(|item| item.0)
            .transpose()
            .map_err(|failure| Error::conversion(failure.0).with_table(table))
    }
}

impl<'a, T: DynamoItem> IntoFuture for Get<'a, T> {
    type Output = Result<Option<T>, Error>;
    type IntoFuture = BoxFuture<'a, Result<Option<T>, Error>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
