//! UpdateItem: typed set / add / delete-elements / remove, conditions,
//! optimistic locking and typed return values.

use std::collections::HashMap;
use std::future::IntoFuture;

use crate::attr::{Addable, Attr, SetValue, Settable, ValueFor};
use crate::error::Error;
use crate::expr::expect::Expect;
use crate::expr::update::Actions;
use crate::item::DynamoItem;
use crate::value::{AttributeValue, Item, Number};
use crate::wire::{
    AttributeAction, AttributeValueUpdate, Expected, Key, Op, ReturnValue, UpdateItemInput,
};

use super::write::settle;
use super::{
    BoxFuture, Table, add_conditions, apply_version, item_version, to_typed, version_error,
};

/// An UpdateItem; `.await` it, or pick what to return. Built by
/// [`Table::update`] or [`Table::update_from`].
#[must_use = "an update does nothing until awaited"]
pub struct Update<'a, T: DynamoItem> {
    table: &'a Table<T>,
    key: Result<T::Key, Error>,
    actions: Actions<T>,
    expected: Result<Expected, Error>,
    version: Option<Number>,
}

/// What [`Update::returning`] hands back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateReturn {
    /// The attributes named in the update, as they were before.
    UpdatedOld,
    /// The attributes named in the update, as they are after.
    UpdatedNew,
}

impl<T: DynamoItem> Table<T> {
    /// Changes attributes of the item with `key`, creating it when an action
    /// sets or adds a value and no item exists.
    ///
    /// # Errors
    /// [`Error::is_conditional_check_failed`] when a condition is false, and
    /// the client's errors.
    pub fn update(&self, key: T::Key) -> Update<'_, T> {
        Update {
            table: self,
            key: Ok(key),
            actions: Actions::default(),
            expected: Ok(Expected::new()),
            version: None,
        }
    }

    /// Updates the stored copy of `item` (same key). For a versioned `T` the
    /// update only succeeds if the stored version still equals `item`'s, and
    /// the stored version is incremented.
    pub fn update_from(&self, item: &T) -> Update<'_, T> {
        let mut update = self.update(item.key());
        if let Some(attr) = T::VERSION_ATTRIBUTE {
            let version = item
                .to_item()
                .map_err(Error::conversion)
                .and_then(|map| item_version(attr, map.get(attr)));
            match version {
                Ok(version) => update.version = Some(version),
                Err(e) => update.key = Err(e.with_table(Some(self.name()))),
            }
        }
        update
    }
}

impl<'a, T: DynamoItem> Update<'a, T> {
    /// Sets or replaces a non-key attribute (`PUT`); a value without an
    /// attribute form (`None`, an empty set) removes it.
    pub fn set<V, R: Settable>(
        mut self,
        attr: Attr<T, V, R>,
        value: impl ValueFor<V>,
    ) -> Update<'a, T> {
        self.actions = self.actions.set(attr, value);
        self
    }

    /// Adds to a number or unions into a set (`ADD`).
    pub fn add<V: Addable, R: Settable>(
        mut self,
        attr: Attr<T, V, R>,
        value: impl ValueFor<V::Operand>,
    ) -> Update<'a, T> {
        self.actions = self.actions.add(attr, value);
        self
    }

    /// Subtracts from a number, unsigned counters included (an `ADD` of the
    /// negated amount; see [`crate::expr::update::subtract`]).
    pub fn subtract<V: Addable, R: Settable>(
        mut self,
        attr: Attr<T, V, R>,
        value: impl ValueFor<V::Operand>,
    ) -> Update<'a, T> {
        self.actions = self.actions.subtract(attr, value);
        self
    }

    /// Removes members from a set (`DELETE` with a value); an emptied set
    /// disappears.
    pub fn delete_elements<V: SetValue, R: Settable>(
        mut self,
        attr: Attr<T, V, R>,
        members: impl ValueFor<V::Set>,
    ) -> Update<'a, T> {
        self.actions = self.actions.delete_elements(attr, members);
        self
    }

    /// Removes a non-key attribute (`DELETE` without a value).
    pub fn remove<V, R: Settable>(mut self, attr: Attr<T, V, R>) -> Update<'a, T> {
        self.actions = self.actions.remove(attr);
        self
    }

    /// Adds actions built with [`crate::expr::update`].
    pub fn with(mut self, actions: Actions<T>) -> Update<'a, T> {
        self.actions = self.actions.and(actions);
        self
    }

    /// Adds conditions the stored item must meet.
    pub fn condition(mut self, conditions: Expect<T>) -> Update<'a, T> {
        self.expected = add_conditions(self.expected, conditions, self.table.name());
        self
    }

    /// For a versioned `T`: requires the stored version to equal `version`
    /// (0: no item yet).
    pub fn if_version(mut self, version: u64) -> Update<'a, T> {
        self.version = Some(Number::from(version));
        self
    }

    /// Sends the update.
    ///
    /// # Errors
    /// As [`Table::update`].
    pub async fn send(self) -> Result<(), Error> {
        self.run(ReturnValue::None).await.map(|_| ())
    }

    /// Sends the update and returns the whole item as it is afterwards.
    ///
    /// # Errors
    /// As [`Table::update`], plus conversion errors.
    pub async fn return_new(self) -> Result<Option<T>, Error> {
        let table = self.table;
        let out = self.run(ReturnValue::AllNew).await?;
        to_typed(Op::UpdateItem, table.name(), out)
    }

    /// Sends the update and returns the whole item as it was before.
    ///
    /// # Errors
    /// As [`Table::update`], plus conversion errors.
    pub async fn return_old(self) -> Result<Option<T>, Error> {
        let table = self.table;
        let out = self.run(ReturnValue::AllOld).await?;
        to_typed(Op::UpdateItem, table.name(), out)
    }

    /// Sends the update and returns only the updated attributes, before or
    /// after the change.
    ///
    /// # Errors
    /// As [`Table::update`].
    pub async fn returning(self, which: UpdateReturn) -> Result<Item, Error> {
        let rv = match which {
            UpdateReturn::UpdatedOld => ReturnValue::UpdatedOld,
            UpdateReturn::UpdatedNew => ReturnValue::UpdatedNew,
        };
        self.run(rv).await.map(Option::unwrap_or_default)
    }

    async fn run(self, return_values: ReturnValue) -> Result<Option<Item>, Error> {
        let key = T::key_to_wire(&self.key?)
            .map_err(|e| Error::conversion(e).with_table(Some(self.table.name())))?;
        let updates = self
            .actions
            .into_wire()
            .map_err(|e| Error::conversion(e).with_table(Some(self.table.name())))?;
        let expected = self.expected?;
        send_update(
            self.table,
            key,
            updates,
            expected,
            self.version,
            return_values,
        )
        .await
    }
}

/// Sends one UpdateItem of `updates` to the item with `key`, with the
/// version check and increment when `T` is versioned and `version` is
/// given, then settles a lost answer and tells a version conflict from a
/// failed condition. Shared by [`Update`] and [`super::Merge`].
pub(super) async fn send_update<T: DynamoItem>(
    table: &Table<T>,
    key: Key,
    mut updates: HashMap<String, AttributeValueUpdate>,
    mut expected: Expected,
    version: Option<Number>,
    return_values: ReturnValue,
) -> Result<Option<Item>, Error> {
    let checked_version = version.clone();
    let versioned = version_update::<T>(version, &mut updates, &mut expected);
    if updates.is_empty() {
        return Err(Error::invalid_input("an update needs at least one action")
            .with_table(Some(table.name())));
    }
    let input = UpdateItemInput {
        table_name: table.name().to_owned(),
        key,
        attribute_updates: updates,
        expected: (!expected.is_empty()).then_some(expected),
        return_values: (return_values != ReturnValue::None).then_some(return_values),
    };
    let out = match table.client().update_item(&input).await {
        Ok(out) => out,
        Err(e) => {
            let next = checked_version
                .filter(|_| versioned)
                .map(|v| v.checked_add(&Number::from(1u8)));
            let written = |stored: Option<&Item>| {
                let next = match next {
                    Some(Ok(n)) => Some(n),
                    Some(Err(_)) => return false,
                    None => None,
                };
                stored.is_some_and(|s| wrote::<T>(s, &input.attribute_updates, next.as_ref()))
            };
            let e = match settle(table, Op::UpdateItem, e, &input.key, written).await {
                Ok(_) if return_values == ReturnValue::None => return Ok(None),
                Ok(lost) => return Err(Error::applied_unanswered(Op::UpdateItem.name(), lost)),
                Err(e) => e,
            };
            let expected = input.expected.as_ref();
            return Err(version_error(table, e, versioned, &input.key, expected).await);
        }
    };
    table.charge(Op::UpdateItem, out.consumed_capacity_units);
    Ok(out.attributes)
}

/// Whether `stored` is what `updates` made of the item: every PUT value
/// stored, every removed attribute gone, the version (when checked) at
/// `next`. Any other action cannot be told from the stored item.
fn wrote<T: DynamoItem>(
    stored: &Item,
    updates: &HashMap<String, AttributeValueUpdate>,
    next: Option<&Number>,
) -> bool {
    updates.iter().all(|(attr, update)| {
        let action = update.action.unwrap_or(AttributeAction::Put);
        match (action, &update.value) {
            _ if Some(attr.as_str()) == T::VERSION_ATTRIBUTE && next.is_some() => {
                matches!(stored.get(attr), Some(AttributeValue::N(n)) if Some(n) == next)
            }
            (AttributeAction::Put, Some(v)) => stored.get(attr) == Some(v),
            (AttributeAction::Delete, None) => !stored.contains_key(attr),
            _ => false,
        }
    })
}

/// Adds the version check and increment when `T` is versioned and a version
/// to check was given. Returns whether it did.
fn version_update<T: DynamoItem>(
    version: Option<Number>,
    updates: &mut HashMap<String, AttributeValueUpdate>,
    expected: &mut Expected,
) -> bool {
    let (Some(attr), Some(version)) = (T::VERSION_ATTRIBUTE, version) else {
        return false;
    };
    apply_version(attr, &version, expected);
    updates.insert(
        attr.to_owned(),
        AttributeValueUpdate {
            value: Some(AttributeValue::N(Number::from(1u8))),
            action: Some(AttributeAction::Add),
        },
    );
    true
}

impl<'a, T: DynamoItem> IntoFuture for Update<'a, T> {
    type Output = Result<(), Error>;
    type IntoFuture = BoxFuture<'a, Result<(), Error>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
