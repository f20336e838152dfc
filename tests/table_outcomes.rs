//! Typed errors that say what happened and where, over HTTP to dynamo-local:
//! a write whose returned item does not fit `T` says the write was applied,
//! a versioned write's own failed condition is not a version conflict, errors
//! name their table, a misfit cursor is invalid input, and a batch's failure
//! converts into `Error` keeping its leftovers.

mod common;

use common::{Account, Message, with_table};
use dynamo::expr::expect;
use dynamo::wire::{GetItemInput, Key};
use dynamo::{AttributeValue, Cursor, Error, ErrorKind};

#[tokio::test]
async fn a_returned_item_that_does_not_fit_says_the_write_was_applied() {
    let (_local, table) = with_table::<Message>().await;
    // No item yet: the new item holds only the key and `views`, and lacks
    // the required `SentBy`.
    let e = table
        .update(("f".into(), "new".into()))
        .add(Message::VIEWS, 1u64)
        .return_new()
        .await
        .expect_err("the new item lacks SentBy");
    assert_eq!(e.kind(), ErrorKind::WriteApplied, "{e:?}");
    assert!(e.is_write_applied() && !e.is_retryable());
    assert_eq!(e.table_name(), Some("messages"));
    let shown = e.to_string();
    for part in [
        "UpdateItem",
        "messages",
        "Message.sent_by",
        "SentBy",
        "missing",
    ] {
        assert!(shown.contains(part), "{part} in {shown}");
    }
    // It was applied once.
    let stored = table
        .client()
        .get_item(&GetItemInput {
            table_name: "messages".into(),
            key: Key {
                hash_key_element: AttributeValue::S("f".into()),
                range_key_element: Some(AttributeValue::S("new".into())),
            },
            attributes_to_get: None,
            consistent_read: Some(true),
        })
        .await
        .expect("raw read")
        .item
        .expect("stored");
    assert_eq!(
        stored.get("views"),
        Some(&AttributeValue::N(dynamo::Number::from(1u8)))
    );
}

#[tokio::test]
async fn a_versioned_put_failing_its_own_condition_is_not_a_version_conflict() {
    let (_local, table) = with_table::<Account>().await;
    let mut account = Account {
        id: 7,
        balance: 10,
        version: 0,
    };
    table.save(&mut account).await.expect("saved");
    // Right version, false condition: a failed condition, not a conflict.
    let e = table
        .put(&account)
        .condition(expect::equals(Account::BALANCE, 999i64))
        .await
        .expect_err("balance is 10");
    assert_eq!(e.kind(), ErrorKind::ConditionalCheckFailed, "{e:?}");
    // Stale version, same condition: the version differs.
    let mut stale = account.clone();
    stale.version = 0;
    let e = table
        .put(&stale)
        .condition(expect::equals(Account::BALANCE, 999i64))
        .await
        .expect_err("stale");
    assert_eq!(e.kind(), ErrorKind::VersionConflict, "{e:?}");
    assert!(e.is_conditional_check_failed());
    assert_eq!(e.table_name(), Some("accounts"));
    // Stale version alone.
    let e = table.put(&stale).await.expect_err("stale");
    assert_eq!(e.kind(), ErrorKind::VersionConflict);
}

#[tokio::test]
async fn get_errors_name_the_table_field_and_reason() {
    let (_local, table) = with_table::<Message>().await;
    table.put(&Message::new("f", "s")).await.expect("put");
    let e = table
        .get(("f".into(), "s".into()))
        .attributes_named(["forum_name", "subject"])
        .await
        .expect_err("SentBy projected away");
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert_eq!(e.table_name(), Some("messages"));
    let shown = e.to_string();
    assert!(
        shown.contains("Message.sent_by") && shown.contains("missing"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_cursor_of_another_table_is_invalid_input() {
    let key = Key {
        hash_key_element: AttributeValue::S("forum".into()),
        range_key_element: Some(AttributeValue::S("subject".into())),
    };
    let e = Cursor::<Account>::from_key(key).expect_err("Account's key is one number");
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e:?}");
}

async fn store_all(table: &dynamo::Table<Message>, items: Vec<Message>) -> Result<(), Error> {
    table
        .batch_write(items, Vec::<(String, String)>::new())
        .retry(
            dynamo::client::RetryConfig::default()
                .max_attempts(2)
                .base_delay(std::time::Duration::from_millis(1)),
        )
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_batch_write_error_converts_into_error_with_its_leftovers() {
    let (local, table) = with_table::<Message>().await;
    // Every write comes back unprocessed, until retries run out.
    local.faults().unprocessed_every(1);
    let items: Vec<Message> = (0..5)
        .map(|i| Message::new("f", &format!("s{i}")))
        .collect();
    let e = store_all(&table, items).await.expect_err("all unprocessed");
    assert_eq!(e.kind(), ErrorKind::Unprocessed, "{e:?}");
    let batch = e.batch_write().expect("leftovers reachable");
    assert_eq!(batch.len(), 5);
    assert_eq!(batch.unprocessed_puts(&table).expect("typed").len(), 5);
}

#[tokio::test]
async fn subtract_decrements_an_unsigned_counter() {
    let (_local, table) = with_table::<Message>().await;
    let mut m = Message::new("f", "count");
    m.views = 5;
    table.put(&m).await.expect("put");
    let after = table
        .update(("f".into(), "count".into()))
        .subtract(Message::VIEWS, 2u64)
        .return_new()
        .await
        .expect("subtract")
        .expect("item");
    assert_eq!(after.views, 3);
    // A set operand is not a number: rejected before sending.
    let e = table
        .update(("f".into(), "count".into()))
        .subtract(
            Message::TAGS,
            std::collections::BTreeSet::from(["a".to_owned()]),
        )
        .send()
        .await
        .expect_err("a set");
    assert_eq!(e.kind(), ErrorKind::Conversion, "{e:?}");
    assert!(e.to_string().contains("subtract needs a number"), "{e}");
}

#[tokio::test]
async fn an_update_without_actions_names_its_table() {
    let (_local, table) = with_table::<Message>().await;
    let e = table
        .update(("f".into(), "none".into()))
        .send()
        .await
        .expect_err("no action");
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e:?}");
    assert_eq!(e.table_name(), Some("messages"));
    assert!(e.to_string().contains("messages"), "{e}");
}
