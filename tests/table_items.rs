//! Table<T> item operations: put, get, delete, update, conditions, returned
//! items, optimistic locking.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{Account, Message, with_table};
use dynamo::expr::{expect, update};
use dynamo::table::UpdateReturn;
use dynamo::{AttributeValue, ErrorKind};
use rust_decimal::Decimal;

fn key(m: &Message) -> (String, String) {
    (m.forum_name.clone(), m.subject.clone())
}

#[tokio::test]
async fn put_get_delete_round_trip() {
    let (_local, table) = with_table::<Message>().await;
    let mut message = Message::new("LOLCat Forum", "Check this out!");
    message.tags = BTreeSet::from(["cats".to_owned(), "gif".to_owned()]);
    message.price = Some(Decimal::new(112345678912345, 14));
    table.put(&message).await.expect("put");

    let read = table.get(key(&message)).consistent().await.expect("get");
    assert_eq!(read.as_ref(), Some(&message));

    let missing = table
        .get(("LOLCat Forum".into(), "nothing".into()))
        .await
        .expect("get");
    assert_eq!(missing, None);

    let old = table
        .delete(key(&message))
        .return_old()
        .await
        .expect("delete");
    assert_eq!(old, Some(message.clone()));
    assert_eq!(
        table.get(key(&message)).consistent().await.expect("get"),
        None
    );
    // Deleting again is fine and returns nothing.
    assert_eq!(
        table
            .delete(key(&message))
            .return_old()
            .await
            .expect("delete"),
        None
    );
}

#[tokio::test]
async fn projection_reads_only_named_attributes() {
    let (_local, table) = with_table::<Message>().await;
    let mut message = Message::new("f", "s");
    message.views = 7;
    message.tags = BTreeSet::from(["cats".to_owned()]);
    table.put(&message).await.expect("put");
    // Fields left out must be optional, sets or defaulted: here sent_by and
    // views are required, so projecting them away is a conversion error.
    let err = table
        .get(key(&message))
        .attributes(Message::BODY)
        .await
        .expect_err("sent_by missing");
    assert_eq!(err.kind(), ErrorKind::Conversion);
    // The key attributes are always read: a projection of the other
    // attributes still builds a `Message`.
    let read = table
        .get(key(&message))
        .attributes((Message::SENT_BY, Message::VIEWS))
        .await
        .expect("projected")
        .expect("found");
    assert_eq!(
        (read.forum_name.as_str(), read.subject.as_str()),
        ("f", "s")
    );
    assert_eq!(read.views, 7);
    assert_eq!(read.body, None);
    assert!(read.tags.is_empty(), "tags were not read");
    // By name, for attributes without a handle; naming a key again is fine.
    let read = table
        .get(key(&message))
        .attributes_named(["forum_name", "SentBy", "views", "tags"])
        .await
        .expect("projected")
        .expect("found");
    assert_eq!(read.tags, message.tags);
    let empty: [&str; 0] = [];
    let err = table
        .get(key(&message))
        .attributes_named(empty)
        .await
        .expect_err("empty projection");
    assert_eq!(err.kind(), ErrorKind::InvalidInput);

    // Query and scan take the same projections.
    let queried = table
        .query("f".to_owned())
        .attributes((Message::SENT_BY, Message::VIEWS))
        .all()
        .await
        .expect("query");
    assert_eq!(queried.len(), 1);
    assert_eq!((queried[0].views, queried[0].body.as_ref()), (7, None));
    let scanned = table
        .scan()
        .attributes((Message::SENT_BY, Message::VIEWS, Message::BODY))
        .all()
        .await
        .expect("scan");
    assert_eq!(scanned[0].body, message.body);
    assert!(scanned[0].tags.is_empty());
}

#[tokio::test]
async fn conditional_puts_and_deletes() {
    let (_local, table) = with_table::<Message>().await;
    let message = Message::new("f", "s");
    table
        .put(&message)
        .if_not_exists()
        .await
        .expect("first put");
    let again = table
        .put(&message)
        .if_not_exists()
        .await
        .expect_err("exists");
    assert!(again.is_conditional_check_failed());

    let mut changed = message.clone();
    changed.sent_by = "User B".into();
    let old = table
        .put(&changed)
        .condition(expect::equals(Message::SENT_BY, "User A"))
        .return_old()
        .await
        .expect("condition holds");
    assert_eq!(old.map(|m| m.sent_by), Some("User A".to_owned()));

    let failed = table
        .put(&message)
        .condition(expect::equals(Message::SENT_BY, "User A"))
        .await
        .expect_err("now User B");
    assert!(failed.is_conditional_check_failed());

    let failed = table
        .delete(key(&message))
        .condition(expect::not_exists(Message::SENT_BY))
        .await
        .expect_err("sent_by exists");
    assert!(failed.is_conditional_check_failed());
    table
        .delete(key(&message))
        .condition(expect::equals(Message::SENT_BY, "User B"))
        .await
        .expect("delete");
}

#[tokio::test]
async fn updates_set_add_delete_elements_remove() {
    let (_local, table) = with_table::<Message>().await;
    let k = ("f".to_owned(), "s".to_owned());
    // An update of a missing item creates it (SentBy is required, so set it).
    let created = table
        .update(k.clone())
        .set(Message::SENT_BY, "User A")
        .add(Message::VIEWS, 1u64)
        .add(
            Message::TAGS,
            BTreeSet::from(["a".to_owned(), "b".to_owned(), "c".to_owned()]),
        )
        .return_new()
        .await
        .expect("update")
        .expect("item");
    assert_eq!(created.views, 1);
    assert_eq!(created.tags.len(), 3);

    let old = table
        .update(k.clone())
        .add(Message::VIEWS, 2u64)
        .delete_elements(
            Message::TAGS,
            BTreeSet::from(["a".to_owned(), "c".to_owned()]),
        )
        .set(Message::PRICE, Some(Decimal::new(45, 1)))
        .return_old()
        .await
        .expect("update")
        .expect("item");
    assert_eq!(old.views, 1);
    assert_eq!(old.price, None);

    let updated = table
        .update(k.clone())
        .remove(Message::PRICE)
        .delete_elements(Message::TAGS, BTreeSet::from(["b".to_owned()]))
        .returning(UpdateReturn::UpdatedOld)
        .await
        .expect("update");
    assert_eq!(
        updated.get("price"),
        Some(&AttributeValue::N("4.5".parse().expect("n")))
    );
    let now = table
        .get(k.clone())
        .consistent()
        .await
        .expect("get")
        .expect("item");
    assert_eq!(now.views, 3);
    assert!(now.tags.is_empty(), "emptied set is dropped");
    assert_eq!(now.price, None);

    let new_attrs = table
        .update(k.clone())
        .with(update::add(Message::VIEWS, 10u64))
        .returning(UpdateReturn::UpdatedNew)
        .await
        .expect("update");
    assert_eq!(new_attrs.len(), 1);
    assert_eq!(
        new_attrs.get("views"),
        Some(&AttributeValue::N(13u8.into()))
    );

    let failed = table
        .update(k.clone())
        .set(Message::SENT_BY, "User C")
        .condition(expect::equals(Message::VIEWS, 99u64))
        .await
        .expect_err("views is 13");
    assert!(failed.is_conditional_check_failed());
    let empty = table.update(k).await.expect_err("no actions");
    assert_eq!(empty.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn versioned_puts_and_updates() {
    let (_local, table) = with_table::<Account>().await;
    let mut account = Account {
        id: 1,
        balance: 100,
        version: 0,
    };
    table.save(&mut account).await.expect("first save");
    assert_eq!(account.version, 1);
    // A stale copy (version 0 = "new") conflicts.
    let stale = Account {
        id: 1,
        balance: 5,
        version: 0,
    };
    let err = table.put(&stale).await.expect_err("exists");
    assert_eq!(err.kind(), ErrorKind::VersionConflict);

    account.balance = 150;
    table.save(&mut account).await.expect("second save");
    assert_eq!(account.version, 2);

    let mut copy = account.clone();
    copy.version = 1;
    let err = table
        .update_from(&copy)
        .add(Account::BALANCE, 1i64)
        .await
        .expect_err("stale version");
    assert_eq!(err.kind(), ErrorKind::VersionConflict);
    let after = table
        .update_from(&account)
        .add(Account::BALANCE, -50i64)
        .return_new()
        .await
        .expect("fresh version")
        .expect("item");
    assert_eq!((after.balance, after.version), (100, 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_exactly_one_wins_per_round() {
    let (_local, table) = with_table::<Account>().await;
    let mut account = Account {
        id: 7,
        balance: 0,
        version: 0,
    };
    table.save(&mut account).await.expect("create");
    let table = Arc::new(table);
    for round in 0..10 {
        let current = table.get(7).consistent().await.expect("get").expect("item");
        let mut tasks = Vec::new();
        for writer in 0..8 {
            let table = Arc::clone(&table);
            let mut mine = current.clone();
            mine.balance = i64::from(writer);
            tasks.push(tokio::spawn(async move { table.put(&mine).await }));
        }
        let mut wins = 0;
        for task in tasks {
            match task.await.expect("task") {
                Ok(()) => wins += 1,
                Err(e) => assert_eq!(e.kind(), ErrorKind::VersionConflict, "round {round}"),
            }
        }
        assert_eq!(wins, 1, "round {round}");
        let stored = table.get(7).consistent().await.expect("get").expect("item");
        assert_eq!(stored.version, current.version + 1);
    }
}
