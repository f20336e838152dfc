//! The engine never panics: arbitrary bytes, mutated requests, odd numbers.

mod common;

use common::*;
use dynamo_core::wire::Op;
use dynamo_local::engine::{Engine, EngineConfig};
use serde_json::{Value, json};

/// One of the 13 operations, or (for `i == 13`) a name that is none of them.
fn operation(i: usize) -> &'static str {
    Op::ALL.get(i).map_or("Bogus", |op| op.name())
}

/// A small deterministic generator (xorshift) so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn samples() -> Vec<(&'static str, Value)> {
    vec![
        (
            "PutItem",
            json!({"TableName": "robust", "Item": {"user": {"S": "a"}, "time": {"N": "1"}, "ss": {"SS": ["x"]}}, "Expected": {"ss": {"Exists": false}}, "ReturnValues": "ALL_OLD"}),
        ),
        (
            "GetItem",
            json!({"TableName": "robust", "Key": {"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "1"}}, "AttributesToGet": ["ss"]}),
        ),
        (
            "UpdateItem",
            json!({"TableName": "robust", "Key": {"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "1"}}, "AttributeUpdates": {"n": {"Value": {"N": "1"}, "Action": "ADD"}}, "ReturnValues": "ALL_NEW"}),
        ),
        (
            "Query",
            json!({"TableName": "robust", "HashKeyValue": {"S": "a"}, "RangeKeyCondition": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "0"}, {"N": "5"}]}, "Limit": 2, "ExclusiveStartKey": {"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "0"}}, "ScanIndexForward": false}),
        ),
        (
            "Scan",
            json!({"TableName": "robust", "ScanFilter": {"ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "x"}]}}, "Limit": 3}),
        ),
        (
            "BatchGetItem",
            json!({"RequestItems": {"robust": {"Keys": [{"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "1"}}]}}}),
        ),
        (
            "BatchWriteItem",
            json!({"RequestItems": {"robust": [{"PutRequest": {"Item": {"user": {"S": "b"}, "time": {"N": "2"}}}}, {"DeleteRequest": {"Key": {"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "1"}}}}]}}),
        ),
        (
            "DeleteItem",
            json!({"TableName": "robust", "Key": {"HashKeyElement": {"S": "b"}, "RangeKeyElement": {"N": "2"}}}),
        ),
        (
            "UpdateTable",
            json!({"TableName": "robust", "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}}),
        ),
        (
            "ListTables",
            json!({"Limit": 5, "ExclusiveStartTableName": "abc"}),
        ),
    ]
}

fn replacement(rng: &mut Rng) -> Value {
    let options = [
        json!(null),
        json!(0),
        json!(-1),
        json!(1e300),
        json!(""),
        json!("x"),
        json!([]),
        json!({}),
        json!([{}]),
        json!({"S": ""}),
        json!({"N": "1e999999999999999999999"}),
        json!({"N": "-"}),
        json!({"NS": ["1", "1"]}),
        json!({"B": "=="}),
        json!({"SS": [null]}),
        json!(true),
        json!({"HashKeyElement": {"S": "a"}}),
        json!({"ComparisonOperator": "IN"}),
        json!("NULL"),
        json!({"HashKeyElement": {"N": "1"}, "RangeKeyElement": {"N": "99999999999999999999999999999999999999"}}),
    ];
    options[rng.below(options.len())].clone()
}

fn mutate(value: &mut Value, rng: &mut Rng, depth: usize) {
    if depth > 6 || rng.below(4) == 0 {
        *value = replacement(rng);
        return;
    }
    match value {
        Value::Object(map) if !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.below(keys.len())];
            if rng.below(8) == 0 {
                map.remove(key);
            } else if let Some(child) = map.get_mut(key) {
                mutate(child, rng, depth + 1);
            }
        }
        Value::Array(list) if !list.is_empty() => {
            let i = rng.below(list.len());
            mutate(&mut list[i], rng, depth + 1);
        }
        _ => *value = replacement(rng),
    }
}

#[test]
fn mutated_requests_never_panic() {
    let db = db();
    range_table(&db, "robust", "N");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let samples = samples();
    for _ in 0..4000 {
        let (op, sample) = &samples[rng.below(samples.len())];
        let mut body = sample.clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut body, &mut rng, 0);
        }
        let op = if rng.below(20) == 0 {
            operation(rng.below(Op::ALL.len() + 1))
        } else {
            op
        };
        if let Err(e) = call(&db, op, body) {
            assert!(matches!(e.status, 400 | 500 | 503));
            let parsed: Value = serde_json::from_slice(&e.to_json()).expect("error JSON");
            assert!(parsed["__type"].as_str().is_some_and(|t| t.contains('#')));
        }
    }
    // The engine still answers afterwards (a mutated call may have deleted the table).
    ok(&db, "ListTables", json!({}));
}

#[test]
fn arbitrary_bytes_never_panic() {
    let engine = Engine::new(EngineConfig::default());
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let fragments: [&[u8]; 10] = [
        b"{",
        b"}",
        b"\"TableName\"",
        b":",
        b"[",
        b"]",
        b"\"S\"",
        b"\xff\xfe",
        b"\\u0000",
        b"1e400",
    ];
    for _ in 0..3000 {
        let mut body = Vec::new();
        for _ in 0..rng.below(12) {
            if rng.below(3) == 0 {
                body.push((rng.next() & 0xff) as u8);
            } else {
                body.extend_from_slice(fragments[rng.below(fragments.len())]);
            }
        }
        let op = operation(rng.below(Op::ALL.len() + 1));
        let _ = engine.execute(op, &body);
    }
    let deep = "[".repeat(100_000);
    assert!(engine.execute("PutItem", deep.as_bytes()).is_err());
}

#[test]
fn extreme_numbers_are_rejected_cleanly() {
    let db = db();
    hash_table(&db, "nums");
    for n in [
        "1e999999999999999999999",
        "-1e-999999999999999999999",
        "1e9223372036854775807",
        "1e-9223372036854775808",
        ".",
        "+",
        "1e",
        "0x10",
        "Infinity",
        " 1",
        "1 ",
        "+1.0", // no leading `+`, as the service (engine_fidelity.rs)
    ] {
        let e = err(
            &db,
            "PutItem",
            json!({"TableName": "nums", "Item": {"id": {"S": "a"}, "n": {"N": n}}}),
        );
        assert_error(&e, "ValidationException");
    }
    for (n, want) in [
        ("0e999999999999", "0"),
        ("-1.0", "-1"),
        (".5", "0.5"),
        ("5.", "5"),
    ] {
        put(&db, "nums", json!({"id": {"S": n}, "n": {"N": n}}));
        assert_eq!(get_id(&db, "nums", n).expect("item")["n"]["N"], want, "{n}");
    }
}
