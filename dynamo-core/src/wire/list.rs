//! [`AttributeList`]: an item's attributes as a list, names borrowed where
//! they can be. Responses decode into it ([`super::ItemsPage`]) and a typed
//! put writes into it (`super::put`), so neither direction builds a map or
//! copies a declared name.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::Serialize;

use super::shapes::Key;
use crate::item::{AttributeSink, AttributeSource};
use crate::value::{AttributeValue, Item};

/// An item's attributes in the order they were read or written, names
/// borrowed where they can be: from the response body, when query and scan
/// pages decode into it before [`crate::DynamoItem::from_attributes`]; from
/// the declared names, when a typed put writes into it through
/// [`crate::DynamoItem::write_attributes`]. It serializes as the item's JSON
/// map.
///
/// # Example
/// ```
/// use dynamo_core::item::{AttributeList, AttributeSource};
/// let body = r#"{"views": {"N": "3"}, "subject": {"S": "hi"}}"#;
/// let mut list: AttributeList<'_> = serde_json::from_str(body)?;
/// assert_eq!(list.len(), 2);
/// assert!(list.take("subject").is_some());
/// assert!(list.take("subject").is_none());
/// assert_eq!(serde_json::to_string(&list)?, r#"{"views":{"N":"3"}}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttributeList<'a> {
    entries: Vec<(Cow<'a, str>, AttributeValue)>,
}

impl AttributeList<'_> {
    /// Number of attributes left.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no attribute is left.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The attribute `name`, if present.
    pub(crate) fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The key made of the `hash` and `range` attributes, when present.
    pub(crate) fn key_of(&self, hash: &str, range: Option<&str>) -> Option<Key> {
        Some(Key {
            hash_key_element: self.get(hash)?.clone(),
            range_key_element: match range {
                Some(r) => Some(self.get(r)?.clone()),
                None => None,
            },
        })
    }
}

/// The write side, for a typed put.
#[cfg(feature = "client")]
impl AttributeList<'_> {
    /// An empty list with room for `capacity` attributes.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        AttributeList {
            entries: Vec::with_capacity(capacity),
        }
    }

    /// Sets the attribute `name`, replacing what was written for it.
    pub(crate) fn set(&mut self, name: &'static str, value: AttributeValue) {
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((Cow::Borrowed(name), value)),
        }
    }

    /// The same attributes as an [`Item`].
    pub(crate) fn to_item(&self) -> Item {
        self.entries
            .iter()
            .map(|(name, value)| (name.clone().into_owned(), value.clone()))
            .collect()
    }
}

impl AttributeSource for AttributeList<'_> {
    fn take(&mut self, name: &str) -> Option<AttributeValue> {
        let at = self.entries.iter().position(|(n, _)| n == name)?;
        Some(self.entries.swap_remove(at).1)
    }

    fn into_item(self) -> Item {
        self.entries
            .into_iter()
            .map(|(name, value)| (name.into_owned(), value))
            .collect()
    }
}

// Inline: the derive's `write_attributes` calls these from the user's
// crate, one call per field.
impl AttributeSink for AttributeList<'_> {
    #[inline]
    fn put(&mut self, name: &'static str, value: AttributeValue) {
        self.entries.push((Cow::Borrowed(name), value));
    }

    #[inline]
    fn put_named(&mut self, name: String, value: AttributeValue) {
        self.entries.push((Cow::Owned(name), value));
    }

    #[inline]
    fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }
}

impl Serialize for AttributeList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries.iter().map(|(name, value)| (name, value)))
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for AttributeList<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<AttributeList<'a>, D::Error> {
        struct ListVisitor<'a>(PhantomData<&'a ()>);

        impl<'de: 'a, 'a> serde::de::Visitor<'de> for ListVisitor<'a> {
            type Value = AttributeList<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an item: attribute names mapped to AttributeValues")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AttributeList<'a>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(name) = map.next_key::<Name<'a>>()? {
                    entries.push((name.0, map.next_value::<AttributeValue>()?));
                }
                Ok(AttributeList { entries })
            }
        }

        d.deserialize_map(ListVisitor(PhantomData))
    }
}

/// An attribute name, borrowed from the input when it has no escapes.
struct Name<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Name<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Name<'a>, D::Error> {
        struct NameVisitor<'a>(PhantomData<&'a ()>);

        impl<'de: 'a, 'a> serde::de::Visitor<'de> for NameVisitor<'a> {
            type Value = Name<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an attribute name")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'a>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Name<'a>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E>(self, v: String) -> Result<Name<'a>, E> {
                Ok(Name(Cow::Owned(v)))
            }
        }

        d.deserialize_str(NameVisitor(PhantomData))
    }
}
