//! GetItem: one item by key, optionally consistent and projected.

use std::future::IntoFuture;

use crate::error::Error;
use crate::item::DynamoItem;
use crate::wire::{Decoded, GetItemInput, ItemRead, Op};

use super::{BoxFuture, Table};

/// A GetItem; `.await` it for `Option<T>`. Built by [`Table::get`].
#[must_use = "a get does nothing until awaited"]
pub struct Get<'a, T: DynamoItem> {
    table: &'a Table<T>,
    key: T::Key,
    consistent: bool,
    attributes: Option<Vec<String>>,
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
            attributes: None,
        }
    }
}

impl<'a, T: DynamoItem> Get<'a, T> {
    /// Strongly consistent read (costs twice the capacity).
    pub fn consistent(mut self) -> Get<'a, T> {
        self.consistent = true;
        self
    }

    /// Reads only these attributes. The others must be optional, defaulted
    /// or sets in `T`, or the conversion fails.
    pub fn attributes<I, S>(mut self, names: I) -> Get<'a, T>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.attributes = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Sends the read.
    ///
    /// # Errors
    /// As [`Table::get`].
    pub async fn send(self) -> Result<Option<T>, Error> {
        if self.attributes.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::invalid_input("attributes to get must not be empty"));
        }
        let input = GetItemInput {
            table_name: self.table.name().to_owned(),
            key: T::key_to_wire(&self.key)
                .map_err(|e| Error::conversion(e).with_table(Some(self.table.name())))?,
            attributes_to_get: self.attributes,
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
