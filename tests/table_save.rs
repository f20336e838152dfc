//! Typed writes keep what the type does not know, over HTTP to dynamo-local:
//! a `#[dynamo(flatten)]` field carries attributes stored by other writers
//! through a read-modify-write.

mod common;

use dynamo::wire::{GetItemInput, Key, PutItemInput};
use dynamo::{AttributeValue, DynamoItem, Item};

#[derive(Debug, Clone, PartialEq, DynamoItem)]
#[dynamo(table = "open_messages")]
struct OpenMessage {
    #[dynamo(hash_key)]
    id: String,
    body: String,
    #[dynamo(flatten)]
    other: Item,
}

fn extras() -> Item {
    Item::from([
        ("a_new_key".to_owned(), AttributeValue::S("testing".into())),
        ("views".to_owned(), AttributeValue::N(7u8.into())),
        (
            "tags".to_owned(),
            AttributeValue::SS(vec!["a".into(), "b".into()]),
        ),
    ])
}

async fn raw_get(table: &dynamo::Table<OpenMessage>, id: &str) -> Item {
    table
        .client()
        .get_item(&GetItemInput {
            table_name: "open_messages".into(),
            key: Key::hash(AttributeValue::S(id.into())),
            attributes_to_get: None,
            consistent_read: Some(true),
        })
        .await
        .expect("raw read")
        .item
        .expect("stored")
}

#[tokio::test]
async fn flatten_keeps_attributes_stored_by_another_writer() {
    let (_local, table) = common::with_table::<OpenMessage>().await;
    let mut item = extras();
    item.insert("id".into(), AttributeValue::S("m1".into()));
    item.insert("body".into(), AttributeValue::S("first".into()));
    table
        .client()
        .put_item(&PutItemInput {
            table_name: "open_messages".into(),
            item,
            expected: None,
            return_values: None,
        })
        .await
        .expect("raw put");

    let mut message = table
        .get("m1".to_owned())
        .consistent()
        .await
        .expect("get")
        .expect("found");
    assert_eq!(message.body, "first");
    assert_eq!(message.other, extras());
    message.body = "second".into();
    table.put(&message).await.expect("put");

    let stored = raw_get(&table, "m1").await;
    assert_eq!(
        stored.get("body"),
        Some(&AttributeValue::S("second".into()))
    );
    for (name, value) in extras() {
        assert_eq!(stored.get(&name), Some(&value), "{name} kept");
    }
    assert_eq!(stored.len(), 2 + extras().len());
}
