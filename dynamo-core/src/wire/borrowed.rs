//! Map-free forms of the responses that carry items (GetItem, Query, Scan),
//! generic over how each item is read: as an [`AttributeList`] whose
//! attribute names borrow from the response body, or as [`Decoded<T>`],
//! turned into `T` through [`crate::DynamoItem::from_attributes`] while the
//! body is read. Either way no map is built and no name is copied. The
//! operation decodes its own output ([`ReadsItems::decode_items`]); no other
//! layer parses these bodies.

use serde::Deserialize;

use super::list::AttributeList;
use super::ops::{GetItemInput, Operation, QueryInput, ScanInput};
use super::shapes::Key;
use crate::convert::ConvertError;
use crate::item::DynamoItem;

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
