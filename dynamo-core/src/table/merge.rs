//! A save that writes only the attributes `T` names (an UpdateItem of PUTs,
//! and DELETEs or nothing for `None`), so attributes another program or an
//! older version of the struct stored survive it.

use std::collections::HashMap;
use std::future::IntoFuture;

use crate::error::Error;
use crate::expr::expect::Expect;
use crate::item::DynamoItem;
use crate::value::Item;
use crate::wire::{AttributeAction, AttributeValueUpdate, Expected, Op, ReturnValue};

use super::update::send_update;
use super::{BoxFuture, Table, add_conditions, item_version, to_typed};

/// An UpdateItem that writes one `T`'s own attributes into the stored item;
/// `.await` it. Built by [`Table::merge`].
#[must_use = "a merge does nothing until awaited"]
pub struct Merge<'a, T> {
    table: &'a Table<T>,
    item: &'a T,
    none: NoneIs,
    expected: Result<Expected, Error>,
}

/// What a merge does with an attribute of `T` that `item` leaves out (a
/// `None`, an empty set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoneIs {
    /// DELETE it from the stored item, as a put would.
    Removed,
    /// Leave the stored value as it is.
    Skipped,
}

impl<T: DynamoItem> Table<T> {
    /// Writes `item` into the stored item with the same key, creating it
    /// when there is none, without touching attributes that `T` does not
    /// name. Each attribute of `T` is set (`PUT`); one that `item` leaves
    /// out (`None`, an empty set) is removed, unless [`Merge::skip_none`]
    /// keeps the stored value.
    ///
    /// Where [`Table::put`] replaces the whole item, and so deletes what
    /// another program or an older version of `T` stored there, a merge
    /// keeps it (DynamoDBMapper's `UPDATE` save behaviour). A
    /// `#[dynamo(flatten)]` field's attributes are set too; one removed from
    /// that map stays stored.
    ///
    /// Versioning is as on [`Table::put`]: for a `T` with a
    /// `#[dynamo(version)]` field the merge only succeeds if the stored
    /// version equals `item`'s (0: no item yet), and stores the next one.
    ///
    /// # Example
    /// ```no_run
    /// # use dynamo_core::{DynamoItem, Table};
    /// # async fn run<T: DynamoItem>(table: Table<T>, item: T) -> Result<(), dynamo_core::Error> {
    /// table.merge(&item).await?; // a `None` field removes its attribute
    /// table.merge(&item).skip_none().await?; // a `None` field keeps it
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Conversion errors, [`crate::ErrorKind::VersionConflict`] when the
    /// stored version differs, [`Error::is_conditional_check_failed`] when
    /// a condition is false, and the client's errors.
    pub fn merge<'a>(&'a self, item: &'a T) -> Merge<'a, T> {
        Merge {
            table: self,
            item,
            none: NoneIs::Removed,
            expected: Ok(Expected::new()),
        }
    }

    /// Merges `item` like [`Table::merge`] and, on success, updates it in
    /// place to the stored item (its version incremented; a flattened
    /// field then holds every attribute the other fields do not name).
    ///
    /// # Errors
    /// As [`Table::merge`]; a stored item that does not fit `T` is
    /// [`crate::ErrorKind::WriteApplied`].
    pub async fn save_merged(&self, item: &mut T) -> Result<(), Error> {
        if let Some(stored) = self.merge(item).return_new().await? {
            *item = stored;
        }
        Ok(())
    }
}

impl<'a, T: DynamoItem> Merge<'a, T> {
    /// Leaves the stored value of an attribute that `item` leaves out
    /// (`None`, an empty set) as it is, instead of removing it
    /// (DynamoDBMapper's `UPDATE_SKIP_NULL_ATTRIBUTES`).
    pub fn skip_none(mut self) -> Merge<'a, T> {
        self.none = NoneIs::Skipped;
        self
    }

    /// Adds conditions the stored item must meet.
    pub fn condition(mut self, conditions: Expect<T>) -> Merge<'a, T> {
        self.expected = add_conditions(self.expected, conditions, self.table.name());
        self
    }

    /// Sends the merge.
    ///
    /// # Errors
    /// As [`Table::merge`].
    pub async fn send(self) -> Result<(), Error> {
        self.run(ReturnValue::None).await.map(|_| ())
    }

    /// Sends the merge and returns the whole stored item as it is
    /// afterwards, attributes `T` does not name left out (or in its
    /// flattened field).
    ///
    /// # Errors
    /// As [`Table::merge`]; a stored item that does not fit `T` is
    /// [`crate::ErrorKind::WriteApplied`].
    pub async fn return_new(self) -> Result<Option<T>, Error> {
        let table = self.table;
        let out = self.run(ReturnValue::AllNew).await?;
        to_typed(Op::UpdateItem, table.name(), out)
    }

    async fn run(self, return_values: ReturnValue) -> Result<Option<Item>, Error> {
        let name = self.table.name();
        let conversion = |e| Error::conversion(e).with_table(Some(name));
        let expected = self.expected?;
        let key = T::key_to_wire(&self.item.key()).map_err(conversion)?;
        let mut item = self.item.to_item().map_err(conversion)?;
        item.remove(T::HASH_KEY);
        if let Some(range) = T::RANGE_KEY {
            item.remove(range);
        }
        let version = match T::VERSION_ATTRIBUTE {
            Some(attr) => {
                let version = item_version(attr, item.get(attr));
                item.remove(attr);
                Some(version.map_err(|e| e.with_table(Some(name)))?)
            }
            None => None,
        };
        let updates = merge_updates::<T>(item, self.none);
        send_update(self.table, key, updates, expected, version, return_values).await
    }
}

/// The `AttributeUpdates` of a merge: a PUT of every attribute in `item`
/// (its key and version already taken out), and, when `none` says so, a
/// DELETE of every other non-key attribute `T` names.
fn merge_updates<T: DynamoItem>(item: Item, none: NoneIs) -> HashMap<String, AttributeValueUpdate> {
    let mut updates: HashMap<String, AttributeValueUpdate> =
        HashMap::with_capacity(T::ATTRIBUTES.len().max(item.len()));
    if none == NoneIs::Removed {
        let own = |a: &str| {
            a != T::HASH_KEY && Some(a) != T::RANGE_KEY && Some(a) != T::VERSION_ATTRIBUTE
        };
        for attr in T::ATTRIBUTES.iter().copied().filter(|a| own(a)) {
            if !item.contains_key(attr) {
                let remove = AttributeValueUpdate {
                    value: None,
                    action: Some(AttributeAction::Delete),
                };
                updates.insert(attr.to_owned(), remove);
            }
        }
    }
    for (attr, value) in item {
        let put = AttributeValueUpdate {
            value: Some(value),
            action: Some(AttributeAction::Put),
        };
        updates.insert(attr, put);
    }
    updates
}

impl<'a, T: DynamoItem> IntoFuture for Merge<'a, T> {
    type Output = Result<(), Error>;
    type IntoFuture = BoxFuture<'a, Result<(), Error>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
