//! Connection: list, create from the derived schema, get with a schema
//! check, handles without a call, describe, throughput, delete.

mod common;

use common::{Account, Message, local, with_table};
use dynamo::wire::{ScalarAttributeType, TableStatus};
use dynamo::{DynamoItem, ErrorKind, Throughput};
use futures_util::TryStreamExt;

#[tokio::test]
async fn create_list_describe_and_delete() {
    let local = local().await;
    assert!(local.conn.list_tables().await.expect("list").is_empty());

    let table = local
        .conn
        .create_table::<Message>(Throughput::new(10, 5))
        .await
        .expect("create");
    let info = table.info();
    assert_eq!(info.status, Some(TableStatus::Active));
    assert_eq!(info.read_capacity_units, Some(10));
    assert_eq!(info.write_capacity_units, Some(5));
    assert!(info.created.is_some());

    let description = local
        .conn
        .describe_table("messages")
        .await
        .expect("describe");
    let schema = description.key_schema.expect("schema");
    assert_eq!(schema.hash_key_element.attribute_name, "forum_name");
    assert_eq!(
        schema.hash_key_element.attribute_type,
        ScalarAttributeType::S
    );
    assert_eq!(
        schema.range_key_element.map(|r| r.attribute_name),
        Some("subject".to_owned())
    );

    let again = local
        .conn
        .create_table::<Message>(Throughput::new(1, 1))
        .await;
    assert_eq!(again.expect_err("exists").kind(), ErrorKind::ResourceInUse);

    local.conn.delete_table(&table).await.expect("delete");
    assert!(local.conn.list_tables().await.expect("list").is_empty());
    let gone = local
        .conn
        .describe_table("messages")
        .await
        .expect_err("gone");
    assert!(gone.is_not_found());
}

#[tokio::test]
async fn list_tables_pages_through_every_name() {
    let local = local().await;
    for i in 0..130 {
        let name = format!("table-{i:03}");
        local
            .conn
            .client()
            .create_table(&dynamo::wire::CreateTableInput {
                table_name: name,
                key_schema: Account::key_schema(),
                provisioned_throughput: dynamo::wire::ProvisionedThroughput {
                    read_capacity_units: 1,
                    write_capacity_units: 1,
                },
            })
            .await
            .expect("create");
    }
    // 130 names need two ListTables pages of at most 100.
    let names = local.conn.list_tables().await.expect("list");
    assert_eq!(names.len(), 130);
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    let streamed: Vec<String> = local
        .conn
        .list_tables_stream()
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(streamed, names);
}

#[tokio::test]
async fn get_table_checks_the_remote_schema() {
    let (local, _) = with_table::<Message>().await;
    let table = local
        .conn
        .get_table::<Message>()
        .await
        .expect("same schema");
    assert_eq!(table.info().status, Some(TableStatus::Active));

    // A table named "messages" read as Account (hash id N, no range) is refused.
    #[derive(DynamoItem)]
    #[dynamo(table = "messages")]
    struct WrongShape {
        #[dynamo(hash_key)]
        id: u64,
    }
    let err = local
        .conn
        .get_table::<WrongShape>()
        .await
        .expect_err("schemas differ");
    let text = err.to_string();
    assert!(
        text.contains("forum_name") && text.contains("id N"),
        "{text}"
    );

    let missing = local
        .conn
        .get_table::<Account>()
        .await
        .expect_err("missing");
    assert!(missing.is_not_found());
}

#[tokio::test]
async fn table_without_a_call_knows_nothing_until_refresh() {
    let (local, _) = with_table::<Message>().await;
    let table = local.conn.table::<Message>();
    let info = table.info();
    assert_eq!(info.status, None);
    assert_eq!(info.created, None);
    assert_eq!(info.write_capacity_units, None);
    let info = table.refresh().await.expect("refresh");
    assert_eq!(info.write_capacity_units, Some(10));
    assert_eq!(info.item_count, Some(0));
}

#[tokio::test]
async fn update_throughput_waits_until_active() {
    let (local, table) = with_table::<Account>().await;
    local
        .conn
        .update_throughput(&table, Throughput::new(20, 15))
        .await
        .expect("update");
    let info = table.info();
    assert_eq!(info.status, Some(TableStatus::Active));
    assert_eq!(info.read_capacity_units, Some(20));
    assert_eq!(info.write_capacity_units, Some(15));
    let bad = local
        .conn
        .update_throughput(&table, Throughput::new(0, 1))
        .await;
    assert_eq!(bad.expect_err("zero").kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn two_tables_of_one_type_under_runtime_names() {
    let local = local().await;
    let prod = local
        .conn
        .create_table_named::<Message>("prod-messages", Throughput::new(5, 5))
        .await
        .expect("prod created");
    let test = local
        .conn
        .create_table_named::<Message>("test-messages", Throughput::new(5, 5))
        .await
        .expect("test created");
    assert_eq!(prod.name(), "prod-messages");
    prod.put(&Message::new("f", "only in prod"))
        .await
        .expect("put");
    let key = ("f".to_owned(), "only in prod".to_owned());
    assert!(
        prod.get(key.clone())
            .consistent()
            .await
            .expect("get")
            .is_some()
    );
    assert!(
        test.get(key.clone())
            .consistent()
            .await
            .expect("get")
            .is_none()
    );
    let again = local
        .conn
        .get_table_named::<Message>("prod-messages")
        .await
        .expect("prod found");
    assert_eq!(again.scan().all().await.expect("scan").len(), 1);
    let missing = local.conn.get_table_named::<Message>("messages").await;
    assert!(
        missing
            .expect_err("no table of T's own name")
            .is_not_found()
    );
    let e = local
        .conn
        .get_table_named::<Account>("prod-messages")
        .await
        .expect_err("schema differs");
    assert!(e.to_string().contains("prod-messages"), "{e}");
}

#[tokio::test]
async fn a_table_prefix_names_every_typed_table() {
    let local = local().await;
    let prod = local.conn.clone().with_table_prefix("prod-");
    assert_eq!(prod.table_name_of::<Message>(), "prod-messages");
    let table = prod
        .create_table::<Message>(Throughput::new(5, 5))
        .await
        .expect("created");
    assert_eq!(table.name(), "prod-messages");
    let names: Vec<String> = local.conn.list_tables().await.expect("list");
    assert_eq!(names, ["prod-messages"]);
    table
        .batch_write([Message::new("f", "a"), Message::new("f", "b")], [])
        .send()
        .await
        .expect("batch");
    let page = prod
        .table::<Message>()
        .query("f".to_owned())
        .page(None)
        .await;
    assert_eq!(page.expect("query").items.len(), 2);
    let again = prod.get_table::<Message>().await.expect("found");
    assert_eq!(again.name(), "prod-messages");
    let unprefixed = local.conn.get_table::<Message>().await;
    assert!(unprefixed.expect_err("no messages table").is_not_found());
}
