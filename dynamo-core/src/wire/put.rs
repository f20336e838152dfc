//! The typed layer's PutItem: the item as [`WriteList`], written field by
//! field by [`crate::DynamoItem::write_attributes`], so a typed put is
//! serialized without building a map or copying a declared name. The
//! request is [`PutItemInput`](super::PutItemInput)'s, member for member.

use std::borrow::Cow;

use serde::Serialize;

use super::ops::{Operation, decode_write, resend_of_write, returns_nothing};
use super::{Expected, Op, Resend, ReturnValue, WriteItemOutput};
use crate::item::AttributeSink;
use crate::value::{AttributeValue, Item};

/// A PutItem as the typed layer sends it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TypedPutItemInput {
    pub(crate) table_name: String,
    pub(crate) item: WriteList,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) expected: Option<Expected>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) return_values: Option<ReturnValue>,
}

impl Operation for TypedPutItemInput {
    const OP: Op = Op::PutItem;
    type Output = WriteItemOutput;

    fn decode_output(&self, body: &[u8]) -> serde_json::Result<WriteItemOutput> {
        decode_write(self.return_values, body)
    }

    fn resend(&self) -> Resend {
        resend_of_write(self.expected.as_ref(), None)
    }

    fn applied_without_body(&self) -> bool {
        returns_nothing(self.return_values)
    }
}

/// An item as a typed put writes it: its attributes in the order
/// [`crate::DynamoItem::write_attributes`] puts them, declared names borrowed, so
/// the request is serialized without building a map or copying a name.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct WriteList {
    entries: Vec<(Cow<'static, str>, AttributeValue)>,
}

impl WriteList {
    /// An empty list with room for `capacity` attributes.
    pub(crate) fn with_capacity(capacity: usize) -> WriteList {
        WriteList {
            entries: Vec::with_capacity(capacity),
        }
    }

    /// The attribute `name`, if written.
    pub(crate) fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
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

    /// The attributes as an [`Item`].
    pub(crate) fn into_item(self) -> Item {
        self.entries
            .into_iter()
            .map(|(name, value)| (name.into_owned(), value))
            .collect()
    }
}

// Inline: the derive's `write_attributes` calls these from the user's
// crate, one call per field.
impl AttributeSink for WriteList {
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

impl Serialize for WriteList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries.iter().map(|(name, value)| (name, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::TypedPutItemInput;
    use crate::wire::{Expected, ExpectedAttributeValue, PutItemInput, ReturnValue};

    #[test]
    fn a_typed_put_sends_the_same_json_as_put_item_input() -> serde_json::Result<()> {
        let mut list = WriteList::with_capacity(3);
        list.put("id", AttributeValue::S("a".into()));
        list.put("version", AttributeValue::N(1u8.into()));
        list.put_named("extra".to_owned(), AttributeValue::S("x".into()));
        list.set("version", AttributeValue::N(2u8.into()));
        assert_eq!(list.get("version"), Some(&AttributeValue::N(2u8.into())));
        assert_eq!(list.to_item().len(), 3, "set replaces, it does not add");
        assert_eq!(list.clone().into_item(), list.to_item());

        let expected = Expected::from([("version".to_owned(), ExpectedAttributeValue::absent())]);
        let typed = TypedPutItemInput {
            table_name: "t".into(),
            item: list.clone(),
            expected: Some(expected.clone()),
            return_values: Some(ReturnValue::AllOld),
        };
        let plain = PutItemInput {
            table_name: "t".into(),
            item: list.to_item(),
            expected: Some(expected),
            return_values: Some(ReturnValue::AllOld),
        };
        assert_eq!(serde_json::to_value(&typed)?, serde_json::to_value(&plain)?);
        Ok(())
    }
}
