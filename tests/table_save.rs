//! Typed writes keep what the type does not know, over HTTP to dynamo-local:
//! a `#[dynamo(flatten)]` field carries attributes stored by other writers
//! through a read-modify-write, and a merge (`Table::merge`, an UpdateItem
//! of the struct's own attributes) keeps them without one.

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

#[tokio::test]
async fn flatten_keeps_attributes_stored_by_another_writer() {
    let (_local, table) = common::with_table::<OpenMessage>().await;
    let mut item = extras();
    item.insert("id".into(), AttributeValue::S("m1".into()));
    item.insert("body".into(), AttributeValue::S("first".into()));
    raw_put(&table, item).await;

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

    let stored = raw_read(&table, "m1").await;
    assert_eq!(
        stored.get("body"),
        Some(&AttributeValue::S("second".into()))
    );
    for (name, value) in extras() {
        assert_eq!(stored.get(&name), Some(&value), "{name} kept");
    }
    assert_eq!(stored.len(), 2 + extras().len());

    // A merge writes the flattened attributes too.
    message
        .other
        .insert("a_new_key".into(), AttributeValue::S("changed".into()));
    table.merge(&message).await.expect("merge");
    let stored = raw_read(&table, "m1").await;
    assert_eq!(
        stored.get("a_new_key"),
        Some(&AttributeValue::S("changed".into()))
    );
    assert_eq!(stored.len(), 2 + extras().len());
}

/// The same item seen by a struct that names only some of its attributes
/// and has no flatten field.
#[derive(Debug, Clone, PartialEq, DynamoItem)]
#[dynamo(table = "notes")]
struct Note {
    #[dynamo(hash_key)]
    id: String,
    body: String,
    subtitle: Option<String>,
}

/// A versioned view of a shared item.
#[derive(Debug, Clone, PartialEq, DynamoItem)]
#[dynamo(table = "ledgers")]
struct Ledger {
    #[dynamo(hash_key)]
    id: String,
    owner: String,
    #[dynamo(version)]
    version: u64,
}

async fn raw_put<T: DynamoItem>(table: &dynamo::Table<T>, item: Item) {
    table
        .client()
        .put_item(&PutItemInput {
            table_name: table.name().into(),
            item,
            expected: None,
            return_values: None,
        })
        .await
        .expect("raw put");
}

async fn raw_read<T: DynamoItem>(table: &dynamo::Table<T>, id: &str) -> Item {
    table
        .client()
        .get_item(&GetItemInput {
            table_name: table.name().into(),
            key: Key::hash(AttributeValue::S(id.into())),
            attributes_to_get: None,
            consistent_read: Some(true),
        })
        .await
        .expect("raw read")
        .item
        .expect("stored")
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

/// Stores `id` with a body, a subtitle and the extras through Layer1.
async fn store_note(table: &dynamo::Table<Note>, id: &str) {
    let mut item = extras();
    item.insert("id".into(), s(id));
    item.insert("body".into(), s("first"));
    item.insert("subtitle".into(), s("sub"));
    raw_put(table, item).await;
}

fn assert_extras_kept(stored: &Item) {
    for (name, value) in extras() {
        assert_eq!(stored.get(&name), Some(&value), "{name} kept");
    }
}

#[tokio::test]
async fn merge_keeps_attributes_the_struct_does_not_name() {
    let (_local, table) = common::with_table::<Note>().await;

    // A `None` removes its attribute (the default)...
    store_note(&table, "n1").await;
    let mut note = table.get("n1".into()).consistent().await.expect("get");
    let note = note.as_mut().expect("found");
    assert_eq!(note.subtitle.as_deref(), Some("sub"));
    note.body = "second".into();
    note.subtitle = None;
    table.merge(note).await.expect("merge");
    let stored = raw_read(&table, "n1").await;
    assert_eq!(stored.get("body"), Some(&s("second")));
    assert_eq!(stored.get("subtitle"), None, "None removed");
    assert_extras_kept(&stored);
    assert_eq!(stored.len(), 2 + extras().len());

    // ...or keeps the stored value, as the caller chooses.
    store_note(&table, "n2").await;
    let mut note = table.get("n2".into()).consistent().await.expect("get");
    let note = note.as_mut().expect("found");
    note.body = "second".into();
    note.subtitle = None;
    table.merge(note).skip_none().await.expect("merge");
    let stored = raw_read(&table, "n2").await;
    assert_eq!(stored.get("body"), Some(&s("second")));
    assert_eq!(stored.get("subtitle"), Some(&s("sub")), "None skipped");
    assert_extras_kept(&stored);
    assert_eq!(stored.len(), 3 + extras().len());

    // A merge of a new key creates the item; `return_new` reads it back.
    let fresh = Note {
        id: "n3".into(),
        body: "new".into(),
        subtitle: Some("s".into()),
    };
    let back = table.merge(&fresh).return_new().await.expect("merge");
    assert_eq!(back.as_ref(), Some(&fresh));

    // A put, by contrast, replaces the whole item.
    store_note(&table, "n4").await;
    table.put(&fresh_with_id("n4")).await.expect("put");
    assert_eq!(raw_read(&table, "n4").await.get("a_new_key"), None);
}

fn fresh_with_id(id: &str) -> Note {
    Note {
        id: id.into(),
        body: "b".into(),
        subtitle: None,
    }
}

#[tokio::test]
async fn merge_conditions_as_on_put() {
    let (_local, table) = common::with_table::<Note>().await;
    store_note(&table, "n1").await;
    let note = fresh_with_id("n1");
    let err = table
        .merge(&note)
        .condition(dynamo::expr::expect::equals(Note::BODY, "other"))
        .await
        .expect_err("condition false");
    assert!(err.is_conditional_check_failed());
    assert_eq!(raw_read(&table, "n1").await.get("body"), Some(&s("first")));
    table
        .merge(&note)
        .condition(dynamo::expr::expect::equals(Note::BODY, "first"))
        .await
        .expect("condition true");
    let stored = raw_read(&table, "n1").await;
    assert_eq!(stored.get("body"), Some(&s("b")));
    assert_extras_kept(&stored);

    // A condition that cannot be sent names the table and the field.
    let twice = dynamo::expr::expect::equals(Note::BODY, "a").equals(Note::BODY, "b");
    let err = table.merge(&note).condition(twice).await.expect_err("bad");
    assert_eq!(err.kind(), dynamo::ErrorKind::Conversion);
    let shown = err.to_string();
    assert!(
        shown.contains("notes") && shown.contains("Note.body"),
        "{shown}"
    );
}

#[tokio::test]
async fn versioned_merge_checks_and_bumps_the_version() {
    let (_local, table) = common::with_table::<Ledger>().await;
    let mut item = extras();
    item.insert("id".into(), s("l1"));
    item.insert("owner".into(), s("ann"));
    item.insert("version".into(), AttributeValue::N(1u8.into()));
    raw_put(&table, item).await;

    let mut ledger = table
        .get("l1".into())
        .consistent()
        .await
        .expect("get")
        .expect("found");
    let stale = ledger.clone();
    ledger.owner = "bob".into();
    table.save_merged(&mut ledger).await.expect("save");
    assert_eq!(ledger.version, 2, "updated in place");
    let stored = raw_read(&table, "l1").await;
    assert_eq!(stored.get("owner"), Some(&s("bob")));
    assert_eq!(stored.get("version"), Some(&AttributeValue::N(2u8.into())));
    assert_extras_kept(&stored);

    // The copy read at version 1 is now stale.
    let err = table.merge(&stale).await.expect_err("stale");
    assert_eq!(err.kind(), dynamo::ErrorKind::VersionConflict);
    assert!(err.is_conditional_check_failed());
    // A new item (version 0) on a stored key conflicts too.
    let new = Ledger {
        id: "l1".into(),
        owner: "cy".into(),
        version: 0,
    };
    let err = table.merge(&new).await.expect_err("exists");
    assert_eq!(err.kind(), dynamo::ErrorKind::VersionConflict);
    // A false condition of the caller's own is not a version conflict.
    let err = table
        .merge(&ledger)
        .condition(dynamo::expr::expect::equals(Ledger::OWNER, "zed"))
        .await
        .expect_err("condition false");
    assert_eq!(err.kind(), dynamo::ErrorKind::ConditionalCheckFailed);
    assert_eq!(
        raw_read(&table, "l1").await.get("version"),
        Some(&AttributeValue::N(2u8.into()))
    );
}
