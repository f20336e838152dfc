//! Every JSON example of the API reference (spec/api_2011.md) and every body
//! boto 2.49 sends (spec/boto_wire_capture.txt) deserializes into our wire
//! types and serializes back to equal JSON.

use dynamo_core::wire::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

const EXAMPLES: &str = include_str!("data/api_examples.json");

/// Structural equality where numbers compare by value (`1` equals `1.0`).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(json: &Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(json.clone()).map_err(|e| format!("decode: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("encode: {e}"))?;
    if same_json(json, &back) {
        Ok(())
    } else {
        Err(format!(
            "round trip changed the JSON:\n  in:  {json}\n  out: {back}"
        ))
    }
}

fn check_request(operation: &str, json: &Value) -> Result<(), String> {
    match operation {
        "BatchGetItem" => round_trip::<BatchGetItemInput>(json),
        "BatchWriteItem" => round_trip::<BatchWriteItemInput>(json),
        "CreateTable" => round_trip::<CreateTableInput>(json),
        "DeleteItem" => round_trip::<DeleteItemInput>(json),
        "DeleteTable" => round_trip::<DeleteTableInput>(json),
        "DescribeTable" => round_trip::<DescribeTableInput>(json),
        "GetItem" => round_trip::<GetItemInput>(json),
        "ListTables" => round_trip::<ListTablesInput>(json),
        "PutItem" => round_trip::<PutItemInput>(json),
        "Query" => round_trip::<QueryInput>(json),
        "Scan" => round_trip::<ScanInput>(json),
        "UpdateItem" => round_trip::<UpdateItemInput>(json),
        "UpdateTable" => round_trip::<UpdateTableInput>(json),
        other => Err(format!("unknown operation {other}")),
    }
}

fn check_response(operation: &str, json: &Value) -> Result<(), String> {
    match operation {
        "BatchGetItem" => round_trip::<BatchGetItemOutput>(json),
        "BatchWriteItem" => round_trip::<BatchWriteItemOutput>(json),
        "CreateTable" | "DeleteTable" | "UpdateTable" => round_trip::<CreateTableOutput>(json),
        "DescribeTable" => round_trip::<DescribeTableOutput>(json),
        "GetItem" => round_trip::<GetItemOutput>(json),
        "ListTables" => round_trip::<ListTablesOutput>(json),
        "PutItem" | "DeleteItem" | "UpdateItem" => round_trip::<WriteItemOutput>(json),
        "Query" => round_trip::<QueryOutput>(json),
        "Scan" => round_trip::<ScanOutput>(json),
        other => Err(format!("unknown operation {other}")),
    }
}

#[test]
fn every_documented_example_round_trips() {
    let examples: Vec<Value> = serde_json::from_str(EXAMPLES).expect("examples file is JSON");
    let mut failures = Vec::new();
    let mut checked = 0;
    for example in &examples {
        let operation = example["operation"].as_str().unwrap_or_default();
        let json = &example["json"];
        let result = match example["kind"].as_str() {
            Some("request") => check_request(operation, json),
            Some("response") => check_response(operation, json),
            _ => continue,
        };
        checked += 1;
        if let Err(e) = result {
            failures.push(format!("{operation} {}: {e}", example["kind"]));
        }
    }
    assert!(checked >= 110, "only {checked} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_operation_has_request_examples() {
    let examples: Vec<Value> = serde_json::from_str(EXAMPLES).expect("examples file is JSON");
    for name in Op::ALL.map(Op::name) {
        assert!(
            examples
                .iter()
                .any(|e| e["operation"] == name && e["kind"] == "request"),
            "no request example for {name}"
        );
    }
}

#[test]
fn wrong_member_names_and_types_are_rejected() {
    // A misspelt required member cannot be decoded.
    let bad = serde_json::json!({"TableName": "t", "Kye": {"HashKeyElement": {"S": "a"}}});
    assert!(serde_json::from_value::<GetItemInput>(bad).is_err());
    // A number sent as a JSON number instead of a string is not an N value.
    let bad = serde_json::json!({"TableName": "t", "Item": {"n": {"N": 5}}});
    assert!(serde_json::from_value::<PutItemInput>(bad).is_err());
    // An unknown operator.
    let bad = serde_json::json!({"ComparisonOperator": "LIKE"});
    assert!(serde_json::from_value::<Condition>(bad).is_err());
}

#[test]
fn write_responses_read_attributes_only_when_asked_for() {
    // moto 2.3.2 answers every PutItem with Attributes in a non-wire form.
    let body = br#"{"Attributes": {"forum_name": "a", "n": "1.50"}, "ConsumedCapacityUnits": 1}"#;
    let mut input: PutItemInput = serde_json::from_value(serde_json::json!({
        "TableName": "t", "Item": {"forum_name": {"S": "a"}}
    }))
    .expect("input");
    let out = input.decode_output(body).expect("attributes not asked for");
    assert_eq!(out.attributes, None);
    assert_eq!(out.consumed_capacity_units, Some(1.0));
    // Asked for, a malformed Attributes member is an error, never dropped.
    input.return_values = Some(ReturnValue::AllOld);
    assert!(input.decode_output(body).is_err());
    let good = br#"{"Attributes": {"forum_name": {"S": "a"}}, "ConsumedCapacityUnits": 1}"#;
    assert!(
        input
            .decode_output(good)
            .expect("wire form")
            .attributes
            .is_some()
    );
}
