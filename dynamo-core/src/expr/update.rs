//! Updates of UpdateItem (`AttributeUpdates`): `PUT`, `ADD` and `DELETE`.
//!
//! Only non-key handles are accepted ([`Settable`]); `add` only on numbers
//! and sets ([`Addable`]), with an operand of the same kind;
//! `delete_elements` only on sets ([`SetValue`]).
//!
//! # Example
//! ```
//! use std::collections::BTreeSet;
//! use dynamo_core::attr::{Attr, NotKey};
//! use dynamo_core::expr::update;
//! use dynamo_core::wire::AttributeAction;
//! struct Message;
//! const VIEWS: Attr<Message, u64, NotKey> = Attr::new("Message", "views", "views");
//! const TAGS: Attr<Message, BTreeSet<String>, NotKey> = Attr::new("Message", "tags", "tags");
//! const BY: Attr<Message, Option<String>, NotKey> = Attr::new("Message", "by", "SentBy");
//! let actions = update::add(VIEWS, 2)
//!     .delete_elements(TAGS, BTreeSet::from(["old".to_owned()]))
//!     .set(BY, "Adam")
//!     .into_wire()?;
//! assert_eq!(actions["views"].action, Some(AttributeAction::Add));
//! assert_eq!(actions["tags"].action, Some(AttributeAction::Delete));
//! # Ok::<(), dynamo_core::convert::ConvertError>(())
//! ```

use std::collections::HashMap;
use std::marker::PhantomData;

use super::Entries;
use crate::attr::{Addable, Attr, SetValue, Settable, ValueFor};
use crate::convert::{AttributePath, ConvertError};
use crate::value::AttributeValue;
use crate::wire::{AttributeAction, AttributeValueUpdate};

/// Update actions on items of type `T`.
#[must_use]
pub struct Actions<T> {
    entries: Entries<Option<AttributeValueUpdate>>,
    item: PhantomData<fn() -> T>,
}

item_typed!(Actions, entries, default);

/// Sets or replaces the attribute. A value with no attribute form (`None`,
/// an empty set) removes the attribute instead.
pub fn set<T, V, R: Settable>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> Actions<T> {
    Actions::default().set(attr, value)
}

/// Adds to a number (absent counts as 0) or unions into a set. Adding an
/// empty set does nothing.
pub fn add<T, V: Addable, R: Settable>(
    attr: Attr<T, V, R>,
    value: impl ValueFor<V::Operand>,
) -> Actions<T> {
    Actions::default().add(attr, value)
}

/// Subtracts from a number (absent counts as 0): an `ADD` of the negated
/// amount, so it works on unsigned counters too. Like any numeric `ADD` it
/// is not sent again after an attempt whose answer was lost. A set operand
/// is a conversion error (use [`delete_elements`]).
pub fn subtract<T, V: Addable, R: Settable>(
    attr: Attr<T, V, R>,
    value: impl ValueFor<V::Operand>,
) -> Actions<T> {
    Actions::default().subtract(attr, value)
}

/// The number `n` negated.
fn negated(n: &crate::value::Number) -> Result<crate::value::Number, ConvertError> {
    if n.is_zero() {
        return Ok(n.clone());
    }
    let text = match n.as_str().strip_prefix('-') {
        Some(positive) => positive.to_owned(),
        None => format!("-{}", n.as_str()),
    };
    crate::value::Number::parse(&text).map_err(ConvertError::custom)
}

/// Removes the given members from a set attribute (the attribute goes away
/// when no member is left). Removing an empty set does nothing.
pub fn delete_elements<T, V: SetValue, R: Settable>(
    attr: Attr<T, V, R>,
    members: impl ValueFor<V::Set>,
) -> Actions<T> {
    Actions::default().delete_elements(attr, members)
}

/// Removes the attribute. Any non-key attribute may be removed; removing
/// one the struct requires makes later reads of the item fail, so prefer it
/// on `Option`, set and `#[dynamo(default)]` fields.
pub fn remove<T, V, R: Settable>(attr: Attr<T, V, R>) -> Actions<T> {
    Actions::default().remove(attr)
}

fn action(action: AttributeAction, value: Option<AttributeValue>) -> AttributeValueUpdate {
    AttributeValueUpdate {
        value,
        action: Some(action),
    }
}

impl<T> Actions<T> {
    /// No actions.
    pub fn new() -> Self {
        Actions::default()
    }

    /// Adds [`set`].
    pub fn set<V, R: Settable>(self, attr: Attr<T, V, R>, value: impl ValueFor<V>) -> Self {
        let entry = value.into_attribute().map(|v| {
            Some(match v {
                Some(v) => action(AttributeAction::Put, Some(v)),
                None => action(AttributeAction::Delete, None),
            })
        });
        self.with(attr.path(), entry)
    }

    /// Adds [`add`].
    pub fn add<V: Addable, R: Settable>(
        self,
        attr: Attr<T, V, R>,
        value: impl ValueFor<V::Operand>,
    ) -> Self {
        let entry = value
            .into_attribute()
            .map(|v| v.map(|v| action(AttributeAction::Add, Some(v))));
        self.with(attr.path(), entry)
    }

    /// Adds [`subtract`].
    pub fn subtract<V: Addable, R: Settable>(
        self,
        attr: Attr<T, V, R>,
        value: impl ValueFor<V::Operand>,
    ) -> Self {
        let entry = value.into_attribute().and_then(|v| match v {
            Some(AttributeValue::N(n)) => Ok(Some(action(
                AttributeAction::Add,
                Some(AttributeValue::N(negated(&n)?)),
            ))),
            Some(_) => Err(ConvertError::custom("subtract needs a number")),
            None => Ok(None),
        });
        self.with(attr.path(), entry)
    }

    /// Adds [`delete_elements`].
    pub fn delete_elements<V: SetValue, R: Settable>(
        self,
        attr: Attr<T, V, R>,
        members: impl ValueFor<V::Set>,
    ) -> Self {
        let entry = members.into_attribute().and_then(|v| match v {
            Some(v) if v.value_type().is_set() => {
                Ok(Some(action(AttributeAction::Delete, Some(v))))
            }
            Some(v) => Err(ConvertError::custom(format!(
                "delete_elements needs a set, found {}",
                v.value_type()
            ))),
            None => Ok(None),
        });
        self.with(attr.path(), entry)
    }

    /// Adds [`remove`].
    pub fn remove<V, R: Settable>(self, attr: Attr<T, V, R>) -> Self {
        self.with(attr.path(), Ok(Some(action(AttributeAction::Delete, None))))
    }

    /// True when there are no entries (and no error).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Both sets of actions.
    pub fn and(self, other: Actions<T>) -> Self {
        Actions {
            entries: self.entries.merge(other.entries),
            item: PhantomData,
        }
    }

    /// The `AttributeUpdates` map. Actions that do nothing (adding or
    /// deleting an empty set) are left out.
    ///
    /// # Errors
    /// The first [`ConvertError`]: a value that cannot be stored, or an
    /// attribute named twice.
    pub fn into_wire(self) -> Result<HashMap<String, AttributeValueUpdate>, ConvertError> {
        let map = self.entries.map?;
        Ok(map
            .into_iter()
            .filter_map(|(name, entry)| entry.map(|e| (name, e)))
            .collect())
    }

    fn with(
        mut self,
        path: AttributePath,
        entry: Result<Option<AttributeValueUpdate>, ConvertError>,
    ) -> Self {
        self.entries = self.entries.insert(path, entry);
        self
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::attr::NotKey;

    struct M;
    const N: Attr<M, Option<i64>, NotKey> = Attr::new("M", "n", "n");
    const TAGS: Attr<M, BTreeSet<String>, NotKey> = Attr::new("M", "tags", "tags");
    const NAME: Attr<M, String, NotKey> = Attr::new("M", "name", "Name");

    #[test]
    fn actions_have_the_right_shape() {
        let u = set(NAME, "x")
            .add(N, -2)
            .remove(TAGS)
            .into_wire()
            .expect("valid");
        assert_eq!(
            u["Name"],
            action(AttributeAction::Put, Some(AttributeValue::S("x".into())))
        );
        assert_eq!(
            u["n"],
            action(AttributeAction::Add, Some(AttributeValue::N((-2i8).into())))
        );
        assert_eq!(u["tags"], action(AttributeAction::Delete, None));
    }

    #[test]
    fn none_and_empty_sets() {
        let u = set(N, None).into_wire().expect("valid");
        assert_eq!(u["n"], action(AttributeAction::Delete, None));
        let u = add(TAGS, BTreeSet::new()).into_wire().expect("valid");
        assert!(u.is_empty());
        let u = delete_elements(TAGS, BTreeSet::from(["a".to_owned()]))
            .into_wire()
            .expect("valid");
        assert_eq!(u["tags"].action, Some(AttributeAction::Delete));
        assert!(u["tags"].value.is_some());
    }

    #[test]
    fn errors() {
        assert!(set(NAME, "").into_wire().is_err());
        assert!(set(NAME, "a").and(remove(NAME)).into_wire().is_err());
    }
}
