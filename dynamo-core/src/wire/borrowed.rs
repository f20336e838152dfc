//! Map-free forms of the responses that carry items (GetItem, Query, Scan),
//! generic over how each item is read: as an [`AttributeList`] whose
//! attribute names borrow from the response body, or as [`Decoded<T>`],
//! turned into `T` through [`crate::DynamoItem::from_attributes`] while the
//! body is read. Either way no map is built and no name is copied. The
//! operation decodes its own output ([`ReadsItems::decode_items`]); no other
//! layer parses these bodies. A typed put goes the other way, through
//! `super::put`.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::Deserialize;

use super::ops::{GetItemInput, Operation, QueryInput, ScanInput};
use super::shapes::Key;
use crate::convert::ConvertError;
use crate::item::{AttributeSource, DynamoItem};
use crate::value::{AttributeValue, Item};

/// Operations whose output carries items, decoded with each item read as
/// `I` ([`AttributeList`] or [`Decoded<T>`]).
///
/// ```
/// use dynamo_core::item::AttributeSource;
/// use dynamo_core::wire::{AttributeList, ItemsPage};
/// let body = br#"{"Count": 1, "Items": [{"id": {"S": "a"}}]}"#;
/// let page: ItemsPage<AttributeList<'_>> = ItemsPage::from_body(body)?;
/// assert_eq!(page.count, Some(1));
/// let mut items = page.items.unwrap_or_default();
/// assert!(items[0].take("id").is_some());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub trait ReadsItems: Operation {
    /// The output, each item read as `I`.
    type Items<I>;

    /// Decodes a response body to this request.
    ///
    /// # Errors
    /// A JSON error when the body is not this operation's output.
    fn decode_items<'b, I: Deserialize<'b>>(
        &self,
        body: &'b [u8],
    ) -> serde_json::Result<Self::Items<I>>;
}

/// An item read straight into `T` while the body is decoded. An item that
/// does not fit `T` keeps its own error and its key (when the key
/// attributes are there), so the rest of the page still decodes and the
/// bad item can be found.
#[derive(Debug)]
pub struct Decoded<T>(pub Result<T, Box<(ConvertError, Option<Key>)>>);

impl<'de, T: DynamoItem> Deserialize<'de> for Decoded<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Decoded<T>, D::Error> {
        let attributes = AttributeList::deserialize(d)?;
        let key = attributes.key_of(T::HASH_KEY, T::RANGE_KEY);
        Ok(Decoded(
            T::from_attributes(attributes).map_err(|e| Box::new((e, key))),
        ))
    }
}

/// A GetItem response, its item read as `I`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ItemRead<I> {
    /// The item; absent when no item has the key.
    #[serde(default = "none")]
    pub item: Option<I>,
    /// Read capacity consumed.
    #[serde(default)]
    pub consumed_capacity_units: Option<f64>,
}

/// A Query or Scan response, its items read as `I`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ItemsPage<I> {
    /// Items of this page; absent with `Count`.
    #[serde(default = "none")]
    pub items: Option<Vec<I>>,
    /// Items matched in this page.
    #[serde(default)]
    pub count: Option<i64>,
    /// Items evaluated before the filter (Scan only).
    #[serde(default)]
    pub scanned_count: Option<i64>,
    /// Where the next page starts; absent on the last page.
    #[serde(default)]
    pub last_evaluated_key: Option<Key>,
    /// Read capacity consumed.
    #[serde(default)]
    pub consumed_capacity_units: Option<f64>,
}

/// An absent member (without asking `I: Default`).
fn none<V>() -> Option<V> {
    None
}

impl<I> ItemsPage<I> {
    /// Decodes a Query or Scan response body.
    ///
    /// # Errors
    /// A JSON error when the body is not a Query or Scan output.
    pub fn from_body<'b>(body: &'b [u8]) -> serde_json::Result<ItemsPage<I>>
    where
        I: Deserialize<'b>,
    {
        serde_json::from_slice(body)
    }
}

impl ReadsItems for GetItemInput {
    type Items<I> = ItemRead<I>;

    fn decode_items<'b, I: Deserialize<'b>>(
        &self,
        body: &'b [u8],
    ) -> serde_json::Result<ItemRead<I>> {
        serde_json::from_slice(body)
    }
}

impl ReadsItems for QueryInput {
    type Items<I> = ItemsPage<I>;

    fn decode_items<'b, I: Deserialize<'b>>(
        &self,
        body: &'b [u8],
    ) -> serde_json::Result<ItemsPage<I>> {
        ItemsPage::from_body(body)
    }
}

impl ReadsItems for ScanInput {
    type Items<I> = ItemsPage<I>;

    fn decode_items<'b, I: Deserialize<'b>>(
        &self,
        body: &'b [u8],
    ) -> serde_json::Result<ItemsPage<I>> {
        ItemsPage::from_body(body)
    }
}

/// An item's attributes in the order a response lists them, names borrowed
/// from the response body where it allows: what query and scan pages decode
/// into before [`crate::DynamoItem::from_attributes`], so no map is built and no
/// name is copied for a typed read.
///
/// # Example
/// ```
/// use dynamo_core::item::{AttributeList, AttributeSource};
/// let body = r#"{"views": {"N": "3"}, "subject": {"S": "hi"}}"#;
/// let mut list: AttributeList<'_> = serde_json::from_str(body)?;
/// assert_eq!(list.len(), 2);
/// assert!(list.take("subject").is_some());
/// assert!(list.take("subject").is_none());
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

    fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The key made of the `hash` and `range` attributes, when present.
    fn key_of(&self, hash: &str, range: Option<&str>) -> Option<Key> {
        Some(Key {
            hash_key_element: self.get(hash)?.clone(),
            range_key_element: match range {
                Some(r) => Some(self.get(r)?.clone()),
                None => None,
            },
        })
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
