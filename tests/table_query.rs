//! Query and Scan through Table<T>: range conditions, order, limits, counts,
//! pages with typed cursors, streams over many pages.

mod common;

use common::{Message, with_table};
use dynamo::expr::{filter, range};
use dynamo::{Cursor, Table};
use futures_util::{StreamExt, TryStreamExt};

/// 60 messages in forum "f" (subjects s00..s59, views = index) and 40 in "g".
async fn seeded() -> (common::Local, Table<Message>) {
    let (local, table) = with_table::<Message>().await;
    let mut messages = Vec::new();
    for i in 0..60u64 {
        let mut m = Message::new("f", &format!("s{i:02}"));
        m.views = i;
        messages.push(m);
    }
    for i in 0..40u64 {
        messages.push(Message::new("g", &format!("t{i:02}")));
    }
    table.batch_write(messages, []).send().await.expect("seed");
    (local, table)
}

fn subjects(items: &[Message]) -> Vec<String> {
    items.iter().map(|m| m.subject.clone()).collect()
}

#[tokio::test]
async fn query_with_every_range_operator() {
    let (_local, table) = seeded().await;
    let q = |c| table.query("f".to_owned()).range(c).all();
    assert_eq!(
        subjects(&q(range::eq(Message::SUBJECT, "s05")).await.expect("eq")),
        ["s05"]
    );
    assert_eq!(
        q(range::lt(Message::SUBJECT, "s03"))
            .await
            .expect("lt")
            .len(),
        3
    );
    assert_eq!(
        q(range::le(Message::SUBJECT, "s03"))
            .await
            .expect("le")
            .len(),
        4
    );
    assert_eq!(
        q(range::gt(Message::SUBJECT, "s56"))
            .await
            .expect("gt")
            .len(),
        3
    );
    assert_eq!(
        q(range::ge(Message::SUBJECT, "s56"))
            .await
            .expect("ge")
            .len(),
        4
    );
    assert_eq!(
        q(range::between(Message::SUBJECT, "s10", "s19"))
            .await
            .expect("between")
            .len(),
        10
    );
    assert_eq!(
        q(range::begins_with(Message::SUBJECT, "s4"))
            .await
            .expect("begins")
            .len(),
        10
    );
}

#[tokio::test]
async fn query_order_limit_and_count() {
    let (_local, table) = seeded().await;
    let all = table.query("f".to_owned()).all().await.expect("all");
    assert_eq!(all.len(), 60);
    assert!(all.windows(2).all(|w| w[0].subject < w[1].subject));

    let reversed = table
        .query("f".to_owned())
        .reverse()
        .limit(5)
        .all()
        .await
        .expect("rev");
    assert_eq!(subjects(&reversed), ["s59", "s58", "s57", "s56", "s55"]);

    // limit is a total across pages; page_size is per call.
    let limited = table
        .query("f".to_owned())
        .page_size(7)
        .limit(20)
        .all()
        .await
        .expect("limited");
    assert_eq!(limited.len(), 20);

    assert_eq!(
        table.query("f".to_owned()).count().await.expect("count"),
        60
    );
    assert_eq!(
        table
            .query("g".to_owned())
            .page_size(9)
            .count()
            .await
            .expect("count"),
        40
    );
    assert_eq!(
        table
            .query("none".to_owned())
            .all()
            .await
            .expect("empty")
            .len(),
        0
    );
}

#[tokio::test]
async fn pages_resume_from_a_serialized_cursor() {
    let (_local, table) = seeded().await;
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor<Message>> = None;
    let mut calls = 0;
    loop {
        let page = table
            .query("f".to_owned())
            .page_size(8)
            .page(cursor.take())
            .await
            .expect("page");
        calls += 1;
        seen.extend(subjects(&page.items));
        match page.next {
            // Round-trip the cursor the way a web API would.
            Some(next) => {
                let token = next.to_token();
                let back = Cursor::<Message>::from_token(&token).expect("token");
                let json = serde_json::to_string(&back).expect("serialize");
                cursor = Some(serde_json::from_str(&json).expect("deserialize"));
            }
            None => break,
        }
        assert!(calls < 20, "paging does not end");
    }
    assert_eq!(seen.len(), 60);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert!(Cursor::<Message>::from_token("not a token").is_err());
    // A cursor of another item type's table (a hash-only numeric key).
    let other = dynamo::wire::Key::hash(dynamo::AttributeValue::N(1u8.into()));
    let err = Cursor::<Message>::from_key(other).expect_err("another key schema");
    assert_eq!(err.kind(), dynamo::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("Message items"), "{err}");
    let typed = Cursor::<Message>::from_token(
        &table
            .query("f".to_owned())
            .page_size(1)
            .page(None)
            .await
            .expect("page")
            .next
            .expect("more")
            .to_token(),
    )
    .expect("cursor");
    assert_eq!(
        typed.key().expect("key"),
        ("f".to_owned(), "s00".to_owned())
    );
}

#[tokio::test]
async fn streams_fetch_page_by_page() {
    let (_local, table) = seeded().await;
    let pages: Vec<_> = table
        .query("f".to_owned())
        .page_size(7)
        .pages()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 9, "60 items in pages of 7");
    let streamed: Vec<Message> = table
        .query("f".to_owned())
        .page_size(7)
        .stream()
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(streamed.len(), 60);
    // Dropping a stream early stops fetching.
    let first_three: Vec<_> = table.scan().page_size(2).stream().take(3).collect().await;
    assert_eq!(first_three.len(), 3);
}

#[tokio::test]
async fn scan_with_filters_limits_and_counts() {
    let (_local, table) = seeded().await;
    assert_eq!(table.scan().all().await.expect("scan").len(), 100);
    let busy = table
        .scan()
        .filter(filter::ge(Message::VIEWS, 50u64))
        .page_size(13)
        .all()
        .await
        .expect("filtered");
    assert_eq!(busy.len(), 10);
    assert!(busy.iter().all(|m| m.views >= 50));
    let count = table
        .scan()
        .filter(
            filter::begins_with(Message::SUBJECT, "t").and(filter::eq(Message::FORUM_NAME, "g")),
        )
        .count()
        .await
        .expect("count");
    assert_eq!(count, 40);
    let page = table
        .scan()
        .filter(filter::eq(Message::FORUM_NAME, "g"))
        .page_size(10)
        .page(None)
        .await
        .expect("page");
    assert_eq!(page.scanned_count, Some(10));
    assert!(page.next.is_some());
    assert_eq!(table.scan().limit(25).all().await.expect("limit").len(), 25);
}

#[tokio::test]
async fn builder_errors_keep_their_kind() {
    let (_local, table) = seeded().await;
    let bad = || {
        table
            .query("f".to_owned())
            .range(range::eq(Message::SUBJECT, ""))
    };
    let err = bad()
        .all()
        .await
        .expect_err("an empty string is not a value");
    assert_eq!(err.kind(), dynamo::ErrorKind::Conversion);
    assert_eq!(err.table_name(), Some("messages"), "{err}");
    let err = bad().page(None).await.expect_err("same through page");
    assert_eq!(err.kind(), dynamo::ErrorKind::Conversion);
    assert_eq!(err.table_name(), Some("messages"), "{err}");
    let err = table.scan().page_size(0).count().await.expect_err("zero");
    assert_eq!(err.kind(), dynamo::ErrorKind::InvalidInput);
    assert_eq!(err.table_name(), Some("messages"), "{err}");
    let empty: [&str; 0] = [];
    let err = table
        .scan()
        .attributes_named(empty)
        .raw_page(None)
        .await
        .expect_err("empty projection");
    assert_eq!(err.kind(), dynamo::ErrorKind::InvalidInput);
    assert_eq!(err.table_name(), Some("messages"), "{err}");
}

/// Stores, through the Layer1 client, a message of forum "f" whose `views`
/// is a string: it does not fit `Message`.
async fn store_bad_message(table: &Table<Message>) {
    use dynamo::AttributeValue;
    use dynamo::wire::PutItemInput;
    let mut item = dynamo::Item::new();
    item.insert("forum_name".into(), AttributeValue::S("f".into()));
    item.insert("subject".into(), AttributeValue::S("s30x".into()));
    item.insert("SentBy".into(), AttributeValue::S("secret-sender".into()));
    item.insert("views".into(), AttributeValue::S("secret-views".into()));
    let input = PutItemInput {
        table_name: table.name().to_owned(),
        item,
        expected: None,
        return_values: None,
    };
    table
        .client()
        .put_item(&input)
        .await
        .expect("bad item stored");
}

fn check_bad(e: &dynamo::Error) {
    assert_eq!(e.kind(), dynamo::ErrorKind::Conversion);
    assert_eq!(e.table_name(), Some("messages"));
    let key = e.item_key().expect("the bad item's key");
    assert_eq!(
        key.range_key_element,
        Some(dynamo::AttributeValue::S("s30x".into()))
    );
    let shown = e.to_string();
    assert!(shown.contains("views"), "{shown}");
    assert!(!shown.contains("secret"), "{shown}");
}

#[tokio::test]
async fn scan_and_query_survive_a_bad_item() {
    let (_local, table) = seeded().await;
    store_bad_message(&table).await;
    for (expected, results) in [
        (
            100,
            table.scan().page_size(7).stream().collect::<Vec<_>>().await,
        ),
        (
            60,
            table
                .query("f".to_owned())
                .page_size(7)
                .stream()
                .collect::<Vec<_>>()
                .await,
        ),
    ] {
        let (good, bad): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        assert_eq!(good.len(), expected);
        assert_eq!(bad.len(), 1);
        check_bad(bad[0].as_ref().expect_err("bad"));
    }
    let e = table
        .scan()
        .all()
        .await
        .expect_err("all reports the bad item");
    check_bad(&e);
    let page = table
        .query("f".to_owned())
        .page(None)
        .await
        .expect("a page with a bad item still arrives");
    assert_eq!(page.items.len(), 60);
    assert_eq!(page.failed.len(), 1);
    check_bad(&page.failed[0]);
    let raw = table
        .query("f".to_owned())
        .raw_page(None)
        .await
        .expect("raw page");
    assert_eq!(raw.items.len(), 61);
    let bad = raw
        .items
        .iter()
        .find(|i| i.get("subject") == Some(&dynamo::AttributeValue::S("s30x".into())))
        .expect("the bad item, raw");
    assert_eq!(
        bad.get("views"),
        Some(&dynamo::AttributeValue::S("secret-views".into()))
    );
}

#[tokio::test]
async fn streams_and_pages_start_from_a_cursor() {
    let (_local, table) = seeded().await;
    let first = table
        .query("f".to_owned())
        .page_size(25)
        .page(None)
        .await
        .expect("first page");
    let cursor = first.next.expect("a cursor");
    let rest: Vec<Message> = table
        .query("f".to_owned())
        .start(cursor.clone())
        .stream()
        .try_collect()
        .await
        .expect("rest");
    assert_eq!(rest.len(), 35);
    assert_eq!(rest[0].subject, "s25");
    let pages: Vec<_> = table
        .query("f".to_owned())
        .page_size(20)
        .start(cursor)
        .pages()
        .try_collect()
        .await
        .expect("pages");
    let counts: Vec<u64> = pages.iter().map(|p| p.count).collect();
    assert_eq!(counts[..2], [20, 15]);
}
