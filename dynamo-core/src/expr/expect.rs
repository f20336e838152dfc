//! Conditions of a conditional write (`Expected` of PutItem, UpdateItem and
//! DeleteItem).
//!
//! The 2011-12-05 API can say only "the attribute equals this value" and "the
//! attribute is absent"; `{"Exists": true}` without a value is invalid, so it
//! is not offered. Conditions on several attributes are ANDed.
//!
//! # Example
//! ```
//! use dynamo_core::attr::{Attr, NotKey};
//! use dynamo_core::expr::expect;
//! use dynamo_core::wire::ExpectedAttributeValue;
//! struct Message;
//! const VIEWS: Attr<Message, u64, NotKey> = Attr::new("Message", "views", "views");
//! const BY: Attr<Message, Option<String>, NotKey> = Attr::new("Message", "by", "SentBy");
//! let expected = expect::equals(VIEWS, 3).and(expect::not_exists(BY)).into_wire()?;
//! assert_eq!(expected["SentBy"], ExpectedAttributeValue::absent());
//! # Ok::<(), dynamo_core::convert::ConvertError>(())
//! ```

use std::marker::PhantomData;

use super::Entries;
use crate::attr::{Attr, ValueFor};
use crate::convert::ConvertError;
use crate::wire::{Expected, ExpectedAttributeValue};

/// Conditions on items of type `T`, all of which must hold.
#[must_use]
pub struct Expect<T> {
    entries: Entries<ExpectedAttributeValue>,
    item: PhantomData<fn() -> T>,
}

item_typed!(Expect, entries, default);

/// The attribute exists and equals `value`. A value with no attribute form
/// (`None`, an empty set) means the attribute is absent.
pub fn equals<T, V, R>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> Expect<T> {
    Expect::default().equals(attr, value)
}

/// The attribute does not exist (for a key attribute: the item does not
/// exist).
pub fn not_exists<T, V, R>(attr: Attr<T, V, R>) -> Expect<T> {
    Expect::default().not_exists(attr)
}

impl<T> Expect<T> {
    /// No conditions.
    pub fn new() -> Self {
        Expect::default()
    }

    /// Adds [`equals`].
    pub fn equals<V, R>(self, attr: Attr<T, V, R>, value: impl ValueFor<V>) -> Self {
        let entry = value.into_attribute().map(|v| match v {
            Some(v) => ExpectedAttributeValue::equals(v),
            None => ExpectedAttributeValue::absent(),
        });
        self.with(attr.path(), entry)
    }

    /// Adds [`not_exists`].
    pub fn not_exists<V, R>(self, attr: Attr<T, V, R>) -> Self {
        self.with(attr.path(), Ok(ExpectedAttributeValue::absent()))
    }

    /// Both sets of conditions.
    pub fn and(self, other: Expect<T>) -> Self {
        Expect {
            entries: self.entries.merge(other.entries),
            item: PhantomData,
        }
    }

    /// True when there are no conditions (and no error).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `Expected` map.
    ///
    /// # Errors
    /// The first [`ConvertError`]: a value that cannot be stored, or an
    /// attribute named twice.
    pub fn into_wire(self) -> Result<Expected, ConvertError> {
        self.entries.map
    }

    fn with(
        mut self,
        path: crate::convert::AttributePath,
        entry: Result<ExpectedAttributeValue, ConvertError>,
    ) -> Self {
        self.entries = self.entries.insert(path, entry);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Hash, NotKey};
    use crate::value::AttributeValue;

    struct M;
    const ID: Attr<M, String, Hash> = Attr::new("M", "id", "Id");
    const TAGS: Attr<M, std::collections::BTreeSet<String>, NotKey> =
        Attr::new("M", "tags", "tags");

    #[test]
    fn equals_and_absent() {
        let e = equals(ID, "a")
            .and(not_exists(TAGS))
            .into_wire()
            .expect("valid");
        assert_eq!(
            e["Id"],
            ExpectedAttributeValue::equals(AttributeValue::S("a".into()))
        );
        assert_eq!(e["tags"], ExpectedAttributeValue::absent());
    }

    #[test]
    fn empty_set_means_absent() {
        let e = equals(TAGS, std::collections::BTreeSet::new())
            .into_wire()
            .expect("valid");
        assert_eq!(e["tags"], ExpectedAttributeValue::absent());
    }

    #[test]
    fn errors_name_the_attribute() {
        let e = equals(ID, "").into_wire().unwrap_err();
        assert!(e.to_string().starts_with("M.id (attribute \"Id\")"), "{e}");
        let e = equals(ID, "a").and(not_exists(ID)).into_wire().unwrap_err();
        assert!(e.to_string().contains("named twice"), "{e}");
    }
}
