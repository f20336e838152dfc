//! BatchGetItem and BatchWriteItem.

mod common;

use common::*;
use serde_json::{Value, json};

fn setup() -> Db {
    let db = db();
    range_table(&db, "comp1", "N");
    hash_table(&db, "comp2");
    for (u, t, s) in [
        ("Casey", "1319509152", "online"),
        ("Dave", "1319509155", "running"),
        ("Riley", "1319509158", "working"),
    ] {
        put(
            &db,
            "comp1",
            json!({"user": {"S": u}, "time": {"N": t}, "status": {"S": s}}),
        );
    }
    put(
        &db,
        "comp2",
        json!({"id": {"S": "Julie"}, "friends": {"SS": ["Dave", "Peter"]}}),
    );
    put(
        &db,
        "comp2",
        json!({"id": {"S": "Mingus"}, "friends": {"SS": ["Elisabeth"]}}),
    );
    db
}

fn ids(items: &Value, attr: &str) -> Vec<String> {
    let mut out: Vec<String> = items
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i[attr]["S"].as_str().expect("attr").to_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn batch_get_reads_every_table() {
    let db = setup();
    hash_table(&db, "empty");
    let out = ok(
        &db,
        "BatchGetItem",
        json!({"RequestItems": {
            "comp1": {"Keys": [
                {"HashKeyElement": {"S": "Casey"}, "RangeKeyElement": {"N": "1319509152"}},
                {"HashKeyElement": {"S": "Dave"}, "RangeKeyElement": {"N": "1319509155"}},
                {"HashKeyElement": {"S": "Riley"}, "RangeKeyElement": {"N": "1319509158"}},
                {"HashKeyElement": {"S": "Nobody"}, "RangeKeyElement": {"N": "1"}}],
                "AttributesToGet": ["user", "status"]},
            "comp2": {"Keys": [{"HashKeyElement": {"S": "Julie"}}, {"HashKeyElement": {"S": "Mingus"}}], "ConsistentRead": true},
            "empty": {"Keys": [{"HashKeyElement": {"S": "x"}}]}
        }}),
    );
    assert_eq!(out["UnprocessedKeys"], json!({}));
    let c1 = &out["Responses"]["comp1"];
    assert_eq!(ids(&c1["Items"], "user"), ["Casey", "Dave", "Riley"]);
    for item in c1["Items"].as_array().expect("items") {
        assert_eq!(item.as_object().map(|o| o.len()), Some(2));
    }
    assert_eq!(c1["ConsumedCapacityUnits"], 2.0);
    let c2 = &out["Responses"]["comp2"];
    assert_eq!(ids(&c2["Items"], "id"), ["Julie", "Mingus"]);
    assert_eq!(c2["ConsumedCapacityUnits"], 2.0);
    assert_eq!(out["Responses"]["empty"]["Items"], json!([]));
}

#[test]
fn batch_get_errors() {
    let db = setup();
    let e = err(
        &db,
        "BatchGetItem",
        json!({"RequestItems": {"comp2": {"Keys": [{"HashKeyElement": {"S": "Julie"}}, {"HashKeyElement": {"S": "Julie"}}]}}}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Provided list of item keys contains duplicates")
    );
    let e = err(
        &db,
        "BatchGetItem",
        json!({"RequestItems": {"comp2": {"Keys": [{"HashKeyElement": {"S": "Julie"}}]}, "missing": {"Keys": [{"HashKeyElement": {"S": "a"}}]}}}),
    );
    assert_error(&e, "ResourceNotFoundException");
    let keys: Vec<Value> = (0..60)
        .map(|i| json!({"HashKeyElement": {"S": format!("k{i}")}}))
        .collect();
    let more: Vec<Value> = (0..41)
        .map(|i| json!({"HashKeyElement": {"S": format!("k{i}")}, "RangeKeyElement": {"N": "1"}}))
        .collect();
    let e = err(
        &db,
        "BatchGetItem",
        json!({"RequestItems": {"comp2": {"Keys": keys}, "comp1": {"Keys": more}}}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Too many items requested for the BatchGetItem call")
    );
    let keys: Vec<Value> = (0..101)
        .map(|i| json!({"HashKeyElement": {"S": format!("k{i}")}}))
        .collect();
    let e = err(
        &db,
        "BatchGetItem",
        json!({"RequestItems": {"comp2": {"Keys": keys}}}),
    );
    assert_validation(&e, "Member must have length less than or equal to 100");
    assert_validation(
        &err(&db, "BatchGetItem", json!({})),
        "Value null at 'requestItems'",
    );
    assert_validation(
        &err(&db, "BatchGetItem", json!({"RequestItems": {}})),
        "Member must have length greater than or equal to 1",
    );
    assert_validation(
        &err(
            &db,
            "BatchGetItem",
            json!({"RequestItems": {"comp2": {"Keys": []}}}),
        ),
        "Member must have length greater than or equal to 1",
    );
    assert_validation(
        &err(&db, "BatchGetItem", json!({"RequestItems": {"comp2": {}}})),
        "Member must not be null",
    );
    assert_validation(
        &err(
            &db,
            "BatchGetItem",
            json!({"RequestItems": {"comp2": {"Keys": [{"HashKeyElement": {"N": "1"}}]}}}),
        ),
        "The provided key element does not match the schema",
    );
    assert_validation(
        &err(
            &db,
            "BatchGetItem",
            json!({"RequestItems": {"x": {"Keys": [{"HashKeyElement": {"S": "1"}}]}}}),
        ),
        "Member must have length greater than or equal to 3",
    );
    assert_error(
        &err(
            &db,
            "BatchGetItem",
            json!({"RequestItems": {"comp2": {"Keys": {}}}}),
        ),
        "SerializationException",
    );
}

#[test]
fn batch_get_response_cap_leaves_keys_unprocessed() {
    let db = db();
    hash_table(&db, "large");
    let blob = "x".repeat(60_000);
    let mut keys = Vec::new();
    for i in 0..30 {
        put(
            &db,
            "large",
            json!({"id": {"S": format!("k{i:02}")}, "blob": {"S": blob}}),
        );
        keys.push(json!({"HashKeyElement": {"S": format!("k{i:02}")}}));
    }
    let out = ok(
        &db,
        "BatchGetItem",
        json!({"RequestItems": {"large": {"Keys": keys, "AttributesToGet": ["id"], "ConsistentRead": true}}}),
    );
    let got = out["Responses"]["large"]["Items"]
        .as_array()
        .expect("items")
        .len();
    let left = &out["UnprocessedKeys"]["large"];
    let left_keys = left["Keys"].as_array().expect("keys").len();
    assert!(got < 30 && got > 10, "{got}");
    assert_eq!(got + left_keys, 30);
    assert_eq!(left["AttributesToGet"], json!(["id"]));
    assert_eq!(left["ConsistentRead"], true);
    // Resending the unprocessed keys reads the rest.
    let out = ok(
        &db,
        "BatchGetItem",
        json!({"RequestItems": {"large": left}}),
    );
    assert_eq!(
        out["Responses"]["large"]["Items"]
            .as_array()
            .expect("items")
            .len(),
        left_keys
    );
    assert_eq!(out["UnprocessedKeys"], json!({}));
}

#[test]
fn batch_get_unprocessed_fault() {
    let db = setup();
    db.faults().unprocessed_every(2);
    let keys = json!([{"HashKeyElement": {"S": "Julie"}}, {"HashKeyElement": {"S": "Mingus"}}, {"HashKeyElement": {"S": "Nobody"}}]);
    let out = ok(
        &db,
        "BatchGetItem",
        json!({"RequestItems": {"comp2": {"Keys": keys}}}),
    );
    assert_eq!(ids(&out["Responses"]["comp2"]["Items"], "id"), ["Julie"]);
    assert_eq!(
        out["UnprocessedKeys"],
        json!({"comp2": {"Keys": [{"HashKeyElement": {"S": "Mingus"}}]}})
    );
    db.faults().reset();
}

#[test]
fn batch_write_puts_and_deletes() {
    let db = setup();
    let out = ok(
        &db,
        "BatchWriteItem",
        json!({"RequestItems": {
            "comp1": [
                {"PutRequest": {"Item": {"user": {"S": "New"}, "time": {"N": "1"}, "big": {"S": "x".repeat(2000)}}}},
                {"DeleteRequest": {"Key": {"HashKeyElement": {"S": "Casey"}, "RangeKeyElement": {"N": "1319509152"}}}},
                {"DeleteRequest": {"Key": {"HashKeyElement": {"S": "Ghost"}, "RangeKeyElement": {"N": "1"}}}}
            ],
            "comp2": [{"PutRequest": {"Item": {"id": {"S": "Zed"}}}}]
        }}),
    );
    assert_eq!(out["UnprocessedItems"], json!({}));
    assert_eq!(out["Responses"]["comp1"]["ConsumedCapacityUnits"], 4.0);
    assert_eq!(out["Responses"]["comp2"]["ConsumedCapacityUnits"], 1.0);
    assert!(get_id(&db, "comp2", "Zed").is_some());
    let q = ok(
        &db,
        "Query",
        json!({"TableName": "comp1", "HashKeyValue": {"S": "Casey"}}),
    );
    assert_eq!(q["Count"], 0);
    let q = ok(
        &db,
        "Query",
        json!({"TableName": "comp1", "HashKeyValue": {"S": "New"}}),
    );
    assert_eq!(q["Count"], 1);
}

#[test]
fn batch_write_validates_everything_first() {
    let db = setup();
    let bad_batches = [
        (
            json!({"comp2": [{"PutRequest": {"Item": {"id": {"S": "ok1"}}}}, {"PutRequest": {"Item": {"id": {"N": "1"}}}}]}),
            "Type mismatch for key id",
        ),
        (
            json!({"comp2": [{"PutRequest": {"Item": {"id": {"S": "ok1"}}}}, {"DeleteRequest": {"Key": {"HashKeyElement": {"S": "ok1"}}}}]}),
            "Provided list of item keys contains duplicates",
        ),
        (
            json!({"comp2": [{"PutRequest": {"Item": {"id": {"S": "ok1"}}}}, {"PutRequest": {"Item": {"id": {"S": "ok1"}, "x": {"S": "y"}}}}]}),
            "Provided list of item keys contains duplicates",
        ),
        (
            json!({"comp2": [{"PutRequest": {"Item": {"id": {"S": "ok1"}}}}, {"PutRequest": {"Item": {"id": {"S": "ok2"}, "x": {"S": ""}}}}]}),
            "empty string",
        ),
        (
            json!({"comp2": [{"PutRequest": {"Item": {"id": {"S": "ok1"}}}}, {"PutRequest": {"Item": {"id": {"S": "ok2"}, "x": {"S": "x".repeat(70_000)}}}}]}),
            "Item size has exceeded the maximum allowed size",
        ),
        (
            json!({"comp2": [{"PutRequest": {"Item": {"id": {"S": "ok1"}}}}, {"DeleteRequest": {"Key": {"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"S": "b"}}}}]}),
            "The provided key size does not match with that of the schema",
        ),
        (
            json!({"comp2": [{"PutRequest": {"Item": {"id": {"S": "ok1"}}}, "DeleteRequest": {"Key": {"HashKeyElement": {"S": "a"}}}}]}),
            "A WriteRequest must contain exactly one of PutRequest or DeleteRequest",
        ),
        (
            json!({"comp2": [{}]}),
            "A WriteRequest must contain exactly one of PutRequest or DeleteRequest",
        ),
        (
            json!({"comp2": [{"PutRequest": {}}]}),
            "Member must not be null",
        ),
        (
            json!({"comp2": []}),
            "Member must have length greater than or equal to 1",
        ),
    ];
    for (items, msg) in bad_batches {
        let e = err(&db, "BatchWriteItem", json!({"RequestItems": items}));
        assert_validation(&e, msg);
        assert!(get_id(&db, "comp2", "ok1").is_none(), "{msg}");
    }
    let e = err(
        &db,
        "BatchWriteItem",
        json!({"RequestItems": {"comp2": [{"PutRequest": {"Item": {"id": {"S": "ok1"}}}}], "nothere": [{"PutRequest": {"Item": {"id": {"S": "a"}}}}]}}),
    );
    assert_error(&e, "ResourceNotFoundException");
    assert!(get_id(&db, "comp2", "ok1").is_none());
    let many: Vec<Value> = (0..13)
        .map(|i| json!({"PutRequest": {"Item": {"id": {"S": format!("m{i}")}}}}))
        .collect();
    let more: Vec<Value> = (0..13).map(|i| json!({"PutRequest": {"Item": {"user": {"S": format!("m{i}")}, "time": {"N": "1"}}}})).collect();
    let e = err(
        &db,
        "BatchWriteItem",
        json!({"RequestItems": {"comp2": many, "comp1": more}}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Too many items requested for the BatchWriteItem call")
    );
    let many: Vec<Value> = (0..26)
        .map(|i| json!({"PutRequest": {"Item": {"id": {"S": format!("m{i}")}}}}))
        .collect();
    assert_validation(
        &err(
            &db,
            "BatchWriteItem",
            json!({"RequestItems": {"comp2": many}}),
        ),
        "Member must have length less than or equal to 25",
    );
    assert_error(
        &err(
            &db,
            "BatchWriteItem",
            json!({"RequestItems": {"comp2": {}}}),
        ),
        "SerializationException",
    );
}

#[test]
fn batch_write_unprocessed_fault_skips_requests() {
    let db = setup();
    db.faults().unprocessed_every(3);
    let requests: Vec<Value> = (0..7)
        .map(|i| json!({"PutRequest": {"Item": {"id": {"S": format!("w{i}")}}}}))
        .collect();
    let out = ok(
        &db,
        "BatchWriteItem",
        json!({"RequestItems": {"comp2": requests}}),
    );
    assert_eq!(
        out["UnprocessedItems"],
        json!({"comp2": [{"PutRequest": {"Item": {"id": {"S": "w2"}}}}, {"PutRequest": {"Item": {"id": {"S": "w5"}}}}]})
    );
    for i in 0..7 {
        let present = get_id(&db, "comp2", &format!("w{i}")).is_some();
        assert_eq!(present, i != 2 && i != 5, "w{i}");
    }
    db.faults().unprocessed_every(0);
    let out = ok(
        &db,
        "BatchWriteItem",
        json!({"RequestItems": out["UnprocessedItems"]}),
    );
    assert_eq!(out["UnprocessedItems"], json!({}));
    assert!(get_id(&db, "comp2", "w5").is_some());
}
