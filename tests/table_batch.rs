//! Batches of any size: chunking, unprocessed items retried, leftovers
//! returned and never dropped; the capacity limiter.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{Message, with_table};
use dynamo::CapacityLimiter;
use dynamo::client::RetryConfig;

fn messages(n: usize) -> Vec<Message> {
    (0..n)
        .map(|i| {
            let mut m = Message::new(&format!("forum-{}", i % 17), &format!("subject-{i:05}"));
            m.views = i as u64;
            m
        })
        .collect()
}

fn key(m: &Message) -> (String, String) {
    (m.forum_name.clone(), m.subject.clone())
}

#[tokio::test]
async fn a_thousand_items_survive_forced_unprocessed_items() {
    let (local, table) = with_table::<Message>().await;
    // Every third write and read of each batch call comes back unprocessed.
    local.faults().unprocessed_every(3);
    let items = messages(1200);
    table
        .batch_write(items.clone(), [])
        .send()
        .await
        .expect("everything written in the end");
    let found = table
        .batch_get(items.iter().map(key))
        .consistent()
        .send()
        .await
        .expect("read");
    assert!(found.unprocessed.is_empty());
    assert_eq!(found.items.len(), 1200);
    let mut got: Vec<_> = found.items.iter().map(|m| m.views).collect();
    got.sort_unstable();
    assert_eq!(got, (0..1200).collect::<Vec<u64>>());

    // Deletes go through the same way.
    table
        .batch_write([], items.iter().take(1000).map(key))
        .send()
        .await
        .expect("deleted");
    local.faults().reset();
    assert_eq!(table.scan().count().await.expect("count"), 200);
}

#[tokio::test]
async fn leftovers_come_back_when_retries_run_out() {
    let (local, table) = with_table::<Message>().await;
    local.faults().unprocessed_every(2);
    let items = messages(100);
    let err = table
        .batch_write(items.clone(), [])
        .retry(RetryConfig::default().max_attempts(1))
        .send()
        .await
        .expect_err("half is left");
    assert!(err.error().is_none(), "no hard error, only leftovers");
    let left_puts = err.unprocessed_puts(&table).expect("typed leftovers");
    assert!(!left_puts.is_empty() && left_puts.len() < 100);
    assert_eq!(err.len(), left_puts.len());
    local.faults().reset();
    // Written + leftovers = everything, with no overlap: nothing was lost.
    let stored: HashSet<_> = table
        .scan()
        .all()
        .await
        .expect("scan")
        .iter()
        .map(key)
        .collect();
    let left: HashSet<_> = left_puts.iter().map(key).collect();
    assert!(stored.is_disjoint(&left));
    assert_eq!(stored.len() + left.len(), 100);

    local.faults().unprocessed_every(2);
    let outcome = table
        .batch_get(items.iter().map(key))
        .retry(RetryConfig::default().max_attempts(1))
        .send()
        .await
        .expect("partial read");
    assert!(!outcome.unprocessed.is_empty());
    let read: HashSet<_> = outcome.items.iter().map(key).collect();
    let unread: HashSet<_> = outcome.unprocessed.iter().cloned().collect();
    assert!(read.is_disjoint(&unread));
    assert!(read.len() + unread.len() >= stored.len());
}

#[tokio::test]
async fn a_hard_error_returns_everything_not_written() {
    let (local, table) = with_table::<Message>().await;
    // More failures than the client retries: the batch stops with an error.
    local.faults().fail_next(1000, 500);
    let err = table
        .batch_write(messages(60), [])
        .send()
        .await
        .expect_err("server keeps failing");
    assert!(err.error().is_some());
    // A 500 says nothing definite: the failed call's 25 may have been
    // written; the 35 never sent were not.
    assert_eq!(err.maybe_written_puts(&table).expect("typed").len(), 25);
    assert_eq!(err.unprocessed_puts(&table).expect("typed").len(), 35);
    assert_eq!(err.len(), 60);
    local.faults().reset();
}

#[tokio::test]
async fn the_limiter_paces_bulk_reads() {
    let (_local, table) = with_table::<Message>().await;
    table
        .batch_write(messages(200), [])
        .send()
        .await
        .expect("seed");
    // A scan of 200 small items consumes a few units per page; with a budget
    // of 2 units per second and pages of 20 items it has to wait.
    let limiter = CapacityLimiter::per_second(2.0);
    let paced = table.with_limiter(limiter.clone());
    let start = Instant::now();
    let n = paced.scan().page_size(20).count().await.expect("count");
    assert_eq!(n, 200);
    assert!(
        start.elapsed() >= Duration::from_millis(500),
        "the budget never made it wait: {:?}",
        start.elapsed()
    );
    assert!(limiter.available() < 2.0);
}

#[tokio::test]
async fn multi_table_batches_are_typed_per_table() {
    let (local, messages_table) = with_table::<Message>().await;
    let accounts = local
        .conn
        .create_table::<common::Account>(dynamo::Throughput::new(5, 5))
        .await
        .expect("accounts");
    let items = messages(130);
    let account_rows: Vec<_> = (0..40)
        .map(|id| common::Account {
            id,
            balance: id as i64 * 10,
            version: 1,
        })
        .collect();
    local.faults().unprocessed_every(4);
    local
        .conn
        .batch_write()
        .put(&messages_table, items.clone())
        .put(&accounts, account_rows.clone())
        .ignore_versions()
        .send()
        .await
        .expect("written");

    let mut batch = local.conn.batch_get();
    let m = batch.add(&messages_table, items.iter().map(key));
    let a = batch.add_consistent(&accounts, 0..40u64);
    let mut found = batch.send().await.expect("read");
    assert!(found.unprocessed(&m).expect("keys").is_empty());
    assert!(found.unprocessed(&a).expect("keys").is_empty());
    let mut read_accounts = found.take(&a).expect("accounts");
    read_accounts.sort_by_key(|acc| acc.id);
    assert_eq!(read_accounts, account_rows);
    assert_eq!(found.take(&m).expect("messages").len(), 130);

    // Deletes across tables; leftovers come back typed when retries run out.
    let err = local
        .conn
        .batch_write()
        .delete(&messages_table, items.iter().map(key))
        .delete(&accounts, 0..40u64)
        .retry(RetryConfig::default().max_attempts(1))
        .send()
        .await
        .expect_err("some left");
    let left_messages = err.unprocessed_deletes(&messages_table).expect("keys");
    let left_accounts = err.unprocessed_deletes(&accounts).expect("keys");
    assert_eq!(left_messages.len() + left_accounts.len(), err.len());
    local.faults().reset();
    assert_eq!(
        messages_table.scan().count().await.expect("count") as usize,
        left_messages.len()
    );
    assert_eq!(
        accounts.scan().count().await.expect("count") as usize,
        left_accounts.len()
    );
}

#[test]
fn handles_are_cheap_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<dynamo::Table<Message>>();
    assert_send_sync::<dynamo::Connection>();
    assert_send_sync::<dynamo::Cursor<Message>>();
}

#[tokio::test]
async fn a_versioned_batch_put_is_refused_unless_versions_are_ignored() {
    let (_local, accounts) = with_table::<common::Account>().await;
    let rows: Vec<_> = (1..=3)
        .map(|id| common::Account {
            id,
            balance: 10,
            version: 0,
        })
        .collect();
    let err = accounts
        .batch_write(rows.clone(), [])
        .send()
        .await
        .expect_err("a batch cannot check versions");
    let reason = err.error().expect("the reason");
    assert_eq!(reason.kind(), dynamo::ErrorKind::InvalidInput);
    let text = reason.to_string();
    assert!(
        text.contains("`version`") && text.contains("Account") && text.contains("`accounts`"),
        "{text}"
    );
    // Nothing was sent, and every write comes back.
    let mut left = err.unprocessed_puts(&accounts).expect("typed leftovers");
    left.sort_by_key(|a| a.id);
    assert_eq!(left, rows);
    assert_eq!(accounts.scan().count().await.expect("count"), 0);

    // Asked for, the items are written as they are, version unchanged.
    accounts
        .batch_write(rows.clone(), [])
        .ignore_versions()
        .send()
        .await
        .expect("written unchecked");
    let stored = accounts.get(2).consistent().await.expect("get");
    assert_eq!(stored, Some(rows[1].clone()));
    // Deletes carry no version and need no opt-in.
    accounts
        .batch_write([], [1, 2, 3])
        .send()
        .await
        .expect("deleted");
    assert_eq!(accounts.scan().count().await.expect("count"), 0);
}

#[tokio::test]
async fn the_limiter_paces_multi_table_batches() {
    let (local, table) = with_table::<Message>().await;
    // 75 small puts are three calls of 25 units each; a budget of 20 units
    // per second has to wait before the second and the third call.
    let limiter = CapacityLimiter::per_second(20.0);
    let paced = table.with_limiter(limiter.clone());
    let start = Instant::now();
    local
        .conn
        .batch_write()
        .put(&paced, messages(75))
        .send()
        .await
        .expect("written");
    assert!(
        start.elapsed() >= Duration::from_millis(1000),
        "the budget never made it wait: {:?}",
        start.elapsed()
    );
    assert!(limiter.available() < 0.0, "the writes were charged");

    let reads = CapacityLimiter::per_second(1.0);
    let mut batch = local.conn.batch_get();
    let slot = batch.add(
        &table.with_limiter(reads.clone()),
        messages(75).iter().map(key),
    );
    let mut found = batch.send().await.expect("read");
    assert_eq!(found.take(&slot).expect("typed").len(), 75);
    assert!(reads.available() < 1.0, "the reads were charged");
}

#[tokio::test]
async fn a_key_written_twice_in_one_batch_is_rejected_before_sending() {
    let (_local, table) = with_table::<Message>().await;
    let items = messages(3);
    let e = table
        .batch_write(items.clone(), [key(&items[1])])
        .send()
        .await
        .expect_err("one key twice");
    let cause = e.error().expect("refused");
    assert_eq!(cause.kind(), dynamo::ErrorKind::InvalidInput, "{cause:?}");
    assert_eq!(cause.table_name(), Some("messages"));
    let shown = cause.to_string();
    assert!(shown.contains("writes 1 and 3"), "{shown}");
    assert!(
        !shown.contains(&items[1].subject),
        "no key value in {shown}"
    );
    // Nothing was sent: every write comes back as not written.
    assert_eq!(e.unprocessed_puts(&table).expect("typed").len(), 3);
    assert_eq!(e.unprocessed_deletes(&table).expect("typed").len(), 1);
    let stored = table.get(key(&items[0])).consistent().await.expect("get");
    assert_eq!(stored, None);
}
