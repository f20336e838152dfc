//! Each call is one INFO span named `DynamoDB.<Operation>` with the
//! OpenTelemetry fields, captured here by a test subscriber.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use common::{Reply, Server, fast_retry};
use dynamo_core::AttributeValue;
use dynamo_core::wire::{BatchGetItemInput, GetItemInput, Key, KeysAndAttributes, ListTablesInput};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

#[derive(Debug, Clone, Default)]
struct Captured {
    name: String,
    level: String,
    fields: HashMap<String, String>,
}

#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<HashMap<u64, Captured>>>,
}

struct Fields<'a>(&'a mut HashMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _ctx: Context<'_, S>) {
        let mut captured = Captured {
            name: attrs.metadata().name().to_owned(),
            level: attrs.metadata().level().to_string(),
            fields: HashMap::new(),
        };
        attrs.record(&mut Fields(&mut captured.fields));
        self.spans
            .lock()
            .expect("lock")
            .insert(id.into_u64(), captured);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        if let Some(span) = self.spans.lock().expect("lock").get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut span.fields));
        }
    }
}

impl Capture {
    fn named(&self, name: &str) -> Vec<Captured> {
        self.spans
            .lock()
            .expect("lock")
            .values()
            .filter(|s| s.name == name)
            .cloned()
            .collect()
    }
}

fn key(id: &str) -> Key {
    Key::hash(AttributeValue::S(id.into()))
}

#[tokio::test(flavor = "current_thread")]
async fn calls_are_spans_with_the_opentelemetry_fields() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::start(|i, r| match (i, r.operation()) {
        (0, _) => Reply::error(
            400,
            "com.amazonaws.dynamodb.v20111205#ProvisionedThroughputExceededException",
            "slow",
        ),
        (_, "GetItem") => Reply::ok(r#"{"Item":{"id":{"S":"a"}},"ConsumedCapacityUnits":0.5}"#),
        (_, "BatchGetItem") => Reply::ok(
            r#"{"Responses":{"a":{"Items":[],"ConsumedCapacityUnits":1},"b":{"Items":[],"ConsumedCapacityUnits":2}},"UnprocessedKeys":{}}"#,
        ),
        _ => Reply::error(400, "com.amazon.coral.validate#ValidationException", "no"),
    })
    .await;
    let client = server
        .client_builder()
        .retry_config(fast_retry(3))
        .build()
        .expect("client");

    let get = GetItemInput {
        table_name: "users".into(),
        key: key("a"),
        attributes_to_get: None,
        consistent_read: None,
    };
    client.get_item(&get).await.expect("second attempt");
    let batch = BatchGetItemInput {
        request_items: HashMap::from([
            (
                "b".to_owned(),
                KeysAndAttributes {
                    keys: vec![key("x")],
                    attributes_to_get: None,
                    consistent_read: None,
                },
            ),
            (
                "a".to_owned(),
                KeysAndAttributes {
                    keys: vec![key("y")],
                    attributes_to_get: None,
                    consistent_read: None,
                },
            ),
        ]),
    };
    client.batch_get_item(&batch).await.expect("batch");
    client
        .list_tables(&ListTablesInput::default())
        .await
        .expect_err("validation");

    let get = capture.named("DynamoDB.GetItem");
    assert_eq!(get.len(), 1);
    let f = &get[0].fields;
    assert_eq!(get[0].level, "INFO");
    for (field, value) in [
        ("db.system", "dynamodb"),
        ("db.system.name", "aws.dynamodb"),
        ("rpc.system", "aws-api"),
        ("rpc.service", "DynamoDB"),
        ("rpc.method", "GetItem"),
        ("aws.dynamodb.table_names", "users"),
        ("attempts", "2"),
        ("aws.dynamodb.consumed_capacity", "0.5"),
    ] {
        assert_eq!(
            f.get(field).map(String::as_str),
            Some(value),
            "{field}: {f:?}"
        );
    }
    assert!(f.contains_key("aws.request_id"), "{f:?}");
    assert!(!f.contains_key("error.type"), "{f:?}");

    let batch = &capture.named("DynamoDB.BatchGetItem")[0].fields;
    assert_eq!(
        batch.get("aws.dynamodb.table_names").map(String::as_str),
        Some("a,b")
    );
    assert_eq!(
        batch
            .get("aws.dynamodb.consumed_capacity")
            .map(String::as_str),
        Some("3.0")
    );

    let failed = &capture.named("DynamoDB.ListTables")[0].fields;
    assert_eq!(
        failed.get("error.type").map(String::as_str),
        Some("ValidationException")
    );
    assert_eq!(failed.get("attempts").map(String::as_str), Some("1"));
}
