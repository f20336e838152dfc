//! The typed layer's PutItem: the item as an [`AttributeList`], written
//! field by field by [`crate::DynamoItem::write_attributes`], so a typed
//! put is serialized without building a map or copying a declared name. The
//! request is [`PutItemInput`](super::PutItemInput)'s, member for member.

use serde::Serialize;

use super::ops::{Operation, decode_write, resend_of_write, returns_nothing};
use super::{AttributeList, Expected, Op, Resend, ReturnValue, WriteItemOutput};

/// A PutItem as the typed layer sends it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TypedPutItemInput {
    pub(crate) table_name: String,
    pub(crate) item: AttributeList<'static>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{AttributeSink, AttributeSource};
    use crate::value::AttributeValue;
    use crate::wire::{ExpectedAttributeValue, PutItemInput};

    #[test]
    fn a_typed_put_sends_the_same_json_as_put_item_input() -> serde_json::Result<()> {
        let mut list = AttributeList::with_capacity(3);
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
