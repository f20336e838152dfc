//! Put and delete, with conditions, old-item return and optimistic locking.

use std::future::IntoFuture;

use crate::error::Error;
use crate::expr::expect::Expect;
use crate::item::DynamoItem;
use crate::value::{AttributeValue, Item, Number};
use crate::wire::{
    AttributeList, DeleteItemInput, Expected, ExpectedAttributeValue, GetItemInput, Key, Op,
    ReturnValue, TypedPutItemInput, WriteItemOutput,
};

use super::{
    BoxFuture, Table, add_conditions, apply_version, item_version, to_typed, version_error,
};

/// A PutItem of one `T`; `.await` it. Built by [`Table::put`].
#[must_use = "a put does nothing until awaited"]
pub struct Put<'a, T> {
    table: &'a Table<T>,
    item: &'a T,
    expected: Result<Expected, Error>,
    if_new: bool,
}

impl<T: DynamoItem> Table<T> {
    /// Writes `item`, replacing any item with the same key.
    ///
    /// When `T` has a `#[dynamo(version)]` field, the put is conditional: a
    /// version of 0 requires that no item exists yet, any other value that
    /// the stored version equals it; the stored version is then one higher.
    /// A failed check is an [`crate::ErrorKind::VersionConflict`] error.
    ///
    /// # Errors
    /// Conversion errors, [`Error::is_conditional_check_failed`] when a
    /// condition is false, and the client's errors.
    pub fn put<'a>(&'a self, item: &'a T) -> Put<'a, T> {
        Put {
            table: self,
            item,
            expected: Ok(Expected::new()),
            if_new: false,
        }
    }

    /// Puts `item` like [`Table::put`] and, on success, updates it in place
    /// to what was stored (its version incremented).
    ///
    /// # Errors
    /// As [`Table::put`].
    pub async fn save(&self, item: &mut T) -> Result<(), Error> {
        let (_, stored) = self.put(item).run(ReturnValue::None).await?;
        *item = T::from_attributes(stored).map_err(|e| {
            let e = Error::conversion(e).with_table(Some(self.name()));
            Error::write_applied(Op::PutItem.name(), e)
        })?;
        Ok(())
    }

    /// Deletes the item with `key` (no error if there is none).
    pub fn delete(&self, key: T::Key) -> Delete<'_, T> {
        Delete {
            table: self,
            key,
            expected: Ok(Expected::new()),
        }
    }
}

impl<'a, T: DynamoItem> Put<'a, T> {
    /// Adds conditions the stored item must meet.
    pub fn condition(mut self, conditions: Expect<T>) -> Put<'a, T> {
        self.expected = add_conditions(self.expected, conditions, self.table.name());
        self
    }

    /// Only writes if no item with this key exists yet.
    pub fn if_not_exists(mut self) -> Put<'a, T> {
        self.if_new = true;
        self
    }

    /// Sends the put and returns the item it replaced, if any.
    ///
    /// # Errors
    /// As [`Table::put`].
    pub async fn return_old(self) -> Result<Option<T>, Error> {
        let table = self.table;
        let (out, _) = self.run(ReturnValue::AllOld).await?;
        to_typed(Op::PutItem, table.name(), out.attributes)
    }

    /// Sends the put.
    ///
    /// # Errors
    /// As [`Table::put`].
    pub async fn send(self) -> Result<(), Error> {
        self.run(ReturnValue::None).await.map(|_| ())
    }

    /// Sends the put; hands back the item as stored (for `save`).
    ///
    /// The item goes to the request as an [`AttributeList`], written field
    /// by field, not as an [`Item`]: a map is built only on the rare paths
    /// that compare a stored item with it.
    async fn run(
        self,
        return_values: ReturnValue,
    ) -> Result<(WriteItemOutput, AttributeList<'static>), Error> {
        let mut expected = self.expected?;
        let mut item = AttributeList::with_capacity(T::ATTRIBUTES.len());
        self.item
            .write_attributes(&mut item)
            .map_err(|e| Error::conversion(e).with_table(Some(self.table.name())))?;
        let versioned = match T::VERSION_ATTRIBUTE {
            Some(attr) => {
                let next = next_version(attr, item.get(attr), &mut expected)
                    .map_err(|e| e.with_table(Some(self.table.name())))?;
                item.set(attr, next);
                true
            }
            None => false,
        };
        if self.if_new {
            expected.insert(T::HASH_KEY.to_owned(), ExpectedAttributeValue::absent());
        }
        let input = TypedPutItemInput {
            table_name: self.table.name().to_owned(),
            item,
            expected: (!expected.is_empty()).then_some(expected),
            return_values: (return_values != ReturnValue::None).then_some(return_values),
        };
        let out = match self.table.client().put_typed(&input).await {
            Ok(out) => out,
            Err(e) => {
                let Some(key) = input.item.key_of(T::HASH_KEY, T::RANGE_KEY) else {
                    return Err(e);
                };
                let written = input.item.to_item();
                let is_written = |stored: Option<&Item>| stored == Some(&written);
                let e = match settle(self.table, Op::PutItem, e, &key, is_written).await {
                    Ok(_) if return_values == ReturnValue::None => {
                        return Ok((WriteItemOutput::default(), input.item));
                    }
                    Ok(lost) => return Err(Error::applied_unanswered(Op::PutItem.name(), lost)),
                    Err(e) => e,
                };
                let expected = input.expected.as_ref();
                return Err(version_error(self.table, e, versioned, &key, expected).await);
            }
        };
        self.table.charge(Op::PutItem, out.consumed_capacity_units);
        // The request is ours again after the call: hand back the stored item
        // (for `save`) without having copied it.
        Ok((out, input.item))
    }
}

impl<'a, T: DynamoItem> IntoFuture for Put<'a, T> {
    type Output = Result<(), Error>;
    type IntoFuture = BoxFuture<'a, Result<(), Error>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// For a versioned put: makes it conditional on the item's version
/// (`current`, of attribute `attr`) and returns the next version to store.
fn next_version(
    attr: &str,
    current: Option<&AttributeValue>,
    expected: &mut Expected,
) -> Result<AttributeValue, Error> {
    let current = item_version(attr, current)?;
    apply_version(attr, &current, expected);
    let next = current
        .checked_add(&Number::from(1u8))
        .map_err(|e| Error::invalid_input(format!("version attribute {attr}: {e}")))?;
    Ok(AttributeValue::N(next))
}

/// A DeleteItem; `.await` it. Built by [`Table::delete`].
#[must_use = "a delete does nothing until awaited"]
pub struct Delete<'a, T: DynamoItem> {
    table: &'a Table<T>,
    key: T::Key,
    expected: Result<Expected, Error>,
}

impl<'a, T: DynamoItem> Delete<'a, T> {
    /// Adds conditions the stored item must meet.
    pub fn condition(mut self, conditions: Expect<T>) -> Delete<'a, T> {
        self.expected = add_conditions(self.expected, conditions, self.table.name());
        self
    }

    /// Sends the delete and returns the deleted item, if there was one.
    ///
    /// # Errors
    /// [`Error::is_conditional_check_failed`] when a condition is false, and
    /// the client's errors.
    pub async fn return_old(self) -> Result<Option<T>, Error> {
        let table = self.table;
        let out = self.run(ReturnValue::AllOld).await?;
        to_typed(Op::DeleteItem, table.name(), out.attributes)
    }

    /// Sends the delete.
    ///
    /// # Errors
    /// As [`Delete::return_old`].
    pub async fn send(self) -> Result<(), Error> {
        self.run(ReturnValue::None).await.map(|_| ())
    }

    async fn run(self, return_values: ReturnValue) -> Result<WriteItemOutput, Error> {
        let expected = self.expected?;
        let input = DeleteItemInput {
            table_name: self.table.name().to_owned(),
            key: T::key_to_wire(&self.key)
                .map_err(|e| Error::conversion(e).with_table(Some(self.table.name())))?,
            expected: (!expected.is_empty()).then_some(expected),
            return_values: (return_values != ReturnValue::None).then_some(return_values),
        };
        let out = match self.table.client().delete_item(&input).await {
            Ok(out) => out,
            Err(e) => {
                let gone = |stored: Option<&Item>| stored.is_none();
                return match settle(self.table, Op::DeleteItem, e, &input.key, gone).await {
                    Ok(_) if return_values == ReturnValue::None => Ok(WriteItemOutput::default()),
                    Ok(lost) => Err(Error::applied_unanswered(Op::DeleteItem.name(), lost)),
                    Err(e) => Err(e),
                };
            }
        };
        self.table
            .charge(Op::DeleteItem, out.consumed_capacity_units);
        Ok(out)
    }
}

impl<'a, T: DynamoItem> IntoFuture for Delete<'a, T> {
    type Output = Result<(), Error>;
    type IntoFuture = BoxFuture<'a, Result<(), Error>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Settles a conditional write of `key` whose re-send failed its condition
/// after an attempt whose answer was lost ([`Error::is_maybe_applied_by_condition`]):
/// a consistent read finds whether the stored item is the one this call
/// wrote (`written`). `Ok(e)` when it is (`e` then only tells how the
/// answer was lost); otherwise, or when the read fails, `Err(e)` as it was.
pub(super) async fn settle<T: DynamoItem>(
    table: &Table<T>,
    op: Op,
    e: Error,
    key: &Key,
    written: impl FnOnce(Option<&Item>) -> bool,
) -> Result<Error, Error> {
    if !e.is_maybe_applied_by_condition() {
        return Err(e);
    }
    let read = GetItemInput {
        table_name: table.name().to_owned(),
        key: key.clone(),
        attributes_to_get: None,
        consistent_read: Some(true),
    };
    match table.client().get_item(&read).await {
        Ok(out) if written(out.item.as_ref()) => {
            tracing::debug!(
                table = table.name(),
                operation = op.name(),
                "a consistent read found this call's write applied"
            );
            Ok(e)
        }
        _ => Err(e),
    }
}
