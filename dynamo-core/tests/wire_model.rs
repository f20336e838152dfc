//! Every operation's request, as the client sends it, checked against the
//! input shape of the botocore service model (`tests/data`, verbatim
//! Apache-2.0 botocore data): required members, no unknown members, JSON
//! types, lengths and value ranges, patterns and enums.

mod common;

use std::collections::{BTreeSet, HashMap};

use base64::Engine as _;
use common::{Reply, Server};
use dynamo_core::wire::*;
use dynamo_core::{AttributeValue, Binary, Client, Item, Number};
use serde_json::Value;

fn model() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/dynamodb-2011-12-05.json"
    );
    let text = std::fs::read_to_string(path).expect("model file");
    serde_json::from_str(&text).expect("model JSON")
}

/// The input shape of `operation`.
fn input_shape<'m>(model: &'m Value, operation: &str) -> &'m Value {
    &model["operations"][operation]["input"]
}

/// Checks `value` against `shape`, pushing one message per violation.
fn check(shape: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    match shape["type"].as_str().unwrap_or("") {
        "structure" => check_structure(shape, value, path, errors),
        "list" => check_list(shape, value, path, errors),
        "map" => check_map(shape, value, path, errors),
        scalar => check_scalar(shape, scalar, value, path, errors),
    }
}

fn check_scalar(shape: &Value, type_: &str, value: &Value, path: &str, errors: &mut Vec<String>) {
    let mut fail = |what: String| errors.push(format!("{path}: {what}"));
    match type_ {
        "string" => match value.as_str() {
            Some(s) => check_string(shape, s, &mut fail),
            None => fail(format!("expected a string, got {value}")),
        },
        "blob" => match value.as_str() {
            Some(s) => {
                if base64::engine::general_purpose::STANDARD.decode(s).is_err() {
                    fail("blob is not base64".into());
                }
                check_length(shape, s.len(), &mut fail);
            }
            None => fail(format!("expected a base64 string, got {value}")),
        },
        "long" => match value.as_i64() {
            Some(n) => check_range(shape, n, &mut fail),
            None => fail(format!("expected a long, got {value}")),
        },
        "integer" => match value.as_i64().filter(|n| i32::try_from(*n).is_ok()) {
            Some(n) => check_range(shape, n, &mut fail),
            None => fail(format!("expected an integer, got {value}")),
        },
        "double" => {
            if !value.is_number() {
                fail(format!("expected a number, got {value}"));
            }
        }
        "boolean" => {
            if !value.is_boolean() {
                fail(format!("expected a boolean, got {value}"));
            }
        }
        other => fail(format!("the walker does not know shape type `{other}`")),
    }
}

fn check_structure(shape: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        return errors.push(format!("{path}: expected an object, got {value}"));
    };
    let members = shape["members"].as_object().cloned().unwrap_or_default();
    for (name, member) in &members {
        if member["required"] == Value::Bool(true) && !object.contains_key(name) {
            errors.push(format!("{path}: required member `{name}` is missing"));
        }
    }
    for (name, v) in object {
        match members.get(name) {
            Some(member) => check(member, v, &format!("{path}.{name}"), errors),
            None => errors.push(format!("{path}: unknown member `{name}`")),
        }
    }
}

fn check_list(shape: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(items) = value.as_array() else {
        return errors.push(format!("{path}: expected an array, got {value}"));
    };
    check_length(shape, items.len(), &mut |m| {
        errors.push(format!("{path}: {m}"))
    });
    for (i, item) in items.iter().enumerate() {
        check(&shape["members"], item, &format!("{path}[{i}]"), errors);
    }
}

fn check_map(shape: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        return errors.push(format!("{path}: expected an object, got {value}"));
    };
    check_length(shape, object.len(), &mut |m| {
        errors.push(format!("{path}: {m}"))
    });
    for (key, v) in object {
        check(
            &shape["keys"],
            &Value::String(key.clone()),
            &format!("{path}{{key {key}}}"),
            errors,
        );
        check(&shape["members"], v, &format!("{path}{{{key}}}"), errors);
    }
}

fn check_string(shape: &Value, s: &str, fail: &mut dyn FnMut(String)) {
    check_length(shape, s.chars().count(), fail);
    if let Some(pattern) = shape["pattern"].as_str() {
        match char_class_pattern(pattern) {
            Some(allowed) if !s.is_empty() && s.chars().all(&allowed) => {}
            Some(_) => fail(format!("`{s}` does not match pattern {pattern}")),
            None => fail(format!("the walker does not support pattern {pattern}")),
        }
    }
    if let Some(allowed) = shape["enum"].as_array()
        && !allowed.iter().any(|a| a.as_str() == Some(s))
    {
        fail(format!("`{s}` is not one of {allowed:?}"));
    }
}

/// For strings, blobs, lists and maps `min_length`/`max_length` bound the length.
fn check_length(shape: &Value, len: usize, fail: &mut dyn FnMut(String)) {
    let len = len as i64;
    if let Some(min) = shape["min_length"].as_i64().filter(|&min| len < min) {
        fail(format!("length {len} is below {min}"));
    }
    if let Some(max) = shape["max_length"].as_i64().filter(|&max| len > max) {
        fail(format!("length {len} is above {max}"));
    }
}

/// For numbers the model uses `min_length`/`max_length` as value bounds.
fn check_range(shape: &Value, n: i64, fail: &mut dyn FnMut(String)) {
    if let Some(min) = shape["min_length"].as_i64().filter(|&min| n < min) {
        fail(format!("value {n} is below {min}"));
    }
    if let Some(max) = shape["max_length"].as_i64().filter(|&max| n > max) {
        fail(format!("value {n} is above {max}"));
    }
}

/// A matcher for patterns of the form `[...]+` (the only form the model uses);
/// `None` for any other form, so an unsupported pattern fails the test.
fn char_class_pattern(pattern: &str) -> Option<impl Fn(char) -> bool> {
    let class: Vec<char> = pattern
        .strip_prefix('[')?
        .strip_suffix("]+")?
        .chars()
        .collect();
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < class.len() {
        if i + 2 < class.len() && class[i + 1] == '-' {
            ranges.push((class[i], class[i + 2]));
            i += 3;
        } else {
            ranges.push((class[i], class[i]));
            i += 1;
        }
    }
    Some(move |c: char| ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi))
}

fn validate(model: &Value, operation: &str, body: &Value) -> Vec<String> {
    let shape = input_shape(model, operation);
    assert_eq!(shape["type"], "structure", "{operation} has no input shape");
    let mut errors = Vec::new();
    check(shape, body, operation, &mut errors);
    errors
}

// ---- representative requests ----

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(Number::parse(v).expect("number"))
}

fn key() -> Key {
    Key::hash_range(s("alice"), n("1329"))
}

fn item() -> Item {
    HashMap::from([
        ("user".to_owned(), s("alice")),
        ("time".to_owned(), n("1329")),
        (
            "tags".to_owned(),
            AttributeValue::SS(vec!["a".into(), "b".into()]),
        ),
        (
            "scores".to_owned(),
            AttributeValue::NS(vec![Number::from(1), Number::from(2)]),
        ),
        (
            "pic".to_owned(),
            AttributeValue::B(Binary::from(vec![0u8, 1, 2, 255])),
        ),
        (
            "pics".to_owned(),
            AttributeValue::BS(vec![Binary::from(vec![1u8]), Binary::from(vec![2u8])]),
        ),
    ])
}

fn expected() -> Expected {
    HashMap::from([
        ("version".to_owned(), ExpectedAttributeValue::equals(n("3"))),
        ("locked".to_owned(), ExpectedAttributeValue::absent()),
    ])
}

fn schema() -> KeySchema {
    KeySchema {
        hash_key_element: KeySchemaElement {
            attribute_name: "user".into(),
            attribute_type: ScalarAttributeType::S,
        },
        range_key_element: Some(KeySchemaElement {
            attribute_name: "time".into(),
            attribute_type: ScalarAttributeType::N,
        }),
    }
}

fn throughput() -> ProvisionedThroughput {
    ProvisionedThroughput {
        read_capacity_units: 10,
        write_capacity_units: 5,
    }
}

/// Sends one request of each operation and returns the bodies the server saw.
async fn send_all(client: &Client) -> Result<(), dynamo_core::Error> {
    let t = || "users-2011_12.05".to_owned();
    client
        .batch_get_item(&BatchGetItemInput {
            request_items: HashMap::from([(
                t(),
                KeysAndAttributes {
                    keys: vec![key(), Key::hash_range(s("bob"), n("-1.5E3"))],
                    attributes_to_get: Some(vec!["user".into(), "pic".into()]),
                    consistent_read: Some(true),
                },
            )]),
        })
        .await?;
    client
        .batch_write_item(&BatchWriteItemInput {
            request_items: HashMap::from([(
                t(),
                vec![
                    WriteRequest::Put(PutRequest { item: item() }),
                    WriteRequest::Delete(DeleteRequest { key: key() }),
                ],
            )]),
        })
        .await?;
    client
        .create_table(&CreateTableInput {
            table_name: t(),
            key_schema: schema(),
            provisioned_throughput: throughput(),
        })
        .await?;
    client
        .delete_item(&DeleteItemInput {
            table_name: t(),
            key: key(),
            expected: Some(expected()),
            return_values: Some(ReturnValue::AllOld),
        })
        .await?;
    client
        .delete_table(&DeleteTableInput { table_name: t() })
        .await?;
    client
        .describe_table(&DescribeTableInput { table_name: t() })
        .await?;
    client
        .get_item(&GetItemInput {
            table_name: t(),
            key: Key::hash(AttributeValue::B(Binary::from(vec![9u8, 8]))),
            attributes_to_get: Some(vec!["tags".into()]),
            consistent_read: Some(false),
        })
        .await?;
    client
        .list_tables(&ListTablesInput {
            exclusive_start_table_name: Some("abc".into()),
            limit: Some(100),
        })
        .await?;
    client
        .put_item(&PutItemInput {
            table_name: t(),
            item: item(),
            expected: Some(expected()),
            return_values: Some(ReturnValue::None),
        })
        .await?;
    client
        .query(&QueryInput {
            table_name: t(),
            attributes_to_get: None,
            limit: Some(25),
            consistent_read: Some(true),
            count: Some(true),
            hash_key_value: s("alice"),
            range_key_condition: Some(Condition::new(
                ComparisonOperator::Between,
                vec![n("1"), n("2")],
            )),
            scan_index_forward: Some(false),
            exclusive_start_key: Some(key()),
        })
        .await?;
    client
        .scan(&ScanInput {
            table_name: t(),
            attributes_to_get: Some(vec!["user".into()]),
            limit: Some(1000),
            count: Some(false),
            scan_filter: Some(HashMap::from([
                (
                    "tags".to_owned(),
                    Condition::new(ComparisonOperator::Contains, vec![s("a")]),
                ),
                (
                    "pic".to_owned(),
                    Condition::new(ComparisonOperator::NotNull, vec![]),
                ),
                (
                    "time".to_owned(),
                    Condition::new(ComparisonOperator::In, vec![n("1"), n("2"), n("3")]),
                ),
            ])),
            exclusive_start_key: Some(Key::hash(s("bob"))),
        })
        .await?;
    client
        .update_item(&UpdateItemInput {
            table_name: t(),
            key: key(),
            attribute_updates: HashMap::from([
                (
                    "count".to_owned(),
                    AttributeValueUpdate {
                        value: Some(n("1")),
                        action: Some(AttributeAction::Add),
                    },
                ),
                (
                    "old".to_owned(),
                    AttributeValueUpdate {
                        value: None,
                        action: Some(AttributeAction::Delete),
                    },
                ),
                (
                    "name".to_owned(),
                    AttributeValueUpdate {
                        value: Some(s("Al")),
                        action: None,
                    },
                ),
                (
                    "tags".to_owned(),
                    AttributeValueUpdate {
                        value: Some(AttributeValue::SS(vec!["z".into()])),
                        action: Some(AttributeAction::Put),
                    },
                ),
            ]),
            expected: Some(expected()),
            return_values: Some(ReturnValue::UpdatedNew),
        })
        .await?;
    client
        .update_table(&UpdateTableInput {
            table_name: t(),
            provisioned_throughput: throughput(),
        })
        .await?;
    Ok(())
}

/// The operation name and parsed body of every request the client sends.
async fn captured() -> Vec<(String, Value)> {
    let server = Server::start(|_, _| Reply::ok("{}")).await;
    send_all(&server.client())
        .await
        .expect("every call succeeds");
    server
        .requests()
        .iter()
        .map(|r| {
            let body = serde_json::from_slice(&r.body).expect("JSON body");
            (r.operation().to_owned(), body)
        })
        .collect()
}

#[tokio::test]
async fn every_request_matches_the_model_input_shape() {
    let model = model();
    let requests = captured().await;
    let seen: BTreeSet<&str> = requests.iter().map(|(op, _)| op.as_str()).collect();
    let all: BTreeSet<&str> = Op::ALL.into_iter().map(Op::name).collect();
    assert_eq!(seen, all, "one request per operation");
    let model_ops: BTreeSet<&str> = model["operations"]
        .as_object()
        .expect("operations")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(model_ops, all, "the model has the same 13 operations");
    for (op, body) in &requests {
        let errors = validate(&model, op, body);
        assert!(
            errors.is_empty(),
            "{op} body {body} violates the model:\n{}",
            errors.join("\n")
        );
    }
}

/// Mutates the captured request of `op` and expects the walker to object.
fn expect_rejected(
    model: &Value,
    requests: &[(String, Value)],
    op: &str,
    mutate: impl Fn(&mut Value),
    what: &str,
) {
    let (_, body) = requests.iter().find(|(o, _)| o == op).expect("captured");
    let mut body = body.clone();
    mutate(&mut body);
    let errors = validate(model, op, &body);
    assert!(!errors.is_empty(), "the walker accepted {what}: {body}");
}

#[tokio::test]
async fn the_walker_rejects_what_the_model_forbids() {
    let model = model();
    let requests = captured().await;
    expect_rejected(
        &model,
        &requests,
        "GetItem",
        |b| {
            let v = b["TableName"].take();
            b.as_object_mut().map(|o| o.remove("TableName"));
            b["Tablename"] = v;
        },
        "a misspelt member",
    );
    expect_rejected(
        &model,
        &requests,
        "DescribeTable",
        |b| {
            b.as_object_mut().map(|o| o.remove("TableName"));
        },
        "a missing required member",
    );
    expect_rejected(
        &model,
        &requests,
        "ListTables",
        |b| b["Limit"] = Value::from(101),
        "a limit above 100",
    );
    expect_rejected(
        &model,
        &requests,
        "ListTables",
        |b| b["Limit"] = Value::from("5"),
        "a limit as a string",
    );
    expect_rejected(
        &model,
        &requests,
        "DeleteTable",
        |b| b["TableName"] = Value::from("ab"),
        "a short table name",
    );
    expect_rejected(
        &model,
        &requests,
        "DeleteTable",
        |b| b["TableName"] = Value::from("a b!"),
        "a name off the pattern",
    );
    expect_rejected(
        &model,
        &requests,
        "PutItem",
        |b| b["ReturnValues"] = Value::from("ALL"),
        "a value outside the enum",
    );
    expect_rejected(
        &model,
        &requests,
        "Query",
        |b| b["ConsistentRead"] = Value::from("true"),
        "a boolean as a string",
    );
    expect_rejected(
        &model,
        &requests,
        "GetItem",
        |b| b["Key"]["HashKeyElement"]["B"] = Value::from("not base64!"),
        "a bad blob",
    );
    expect_rejected(
        &model,
        &requests,
        "CreateTable",
        |b| b["ProvisionedThroughput"]["ReadCapacityUnits"] = Value::from(0),
        "zero capacity",
    );
    expect_rejected(
        &model,
        &requests,
        "Scan",
        |b| b["ScanFilter"]["tags"]["ComparisonOperator"] = Value::from("LIKE"),
        "an unknown operator",
    );
    expect_rejected(
        &model,
        &requests,
        "BatchWriteItem",
        |b| b["RequestItems"] = Value::Array(vec![]),
        "a list where a map belongs",
    );
}
