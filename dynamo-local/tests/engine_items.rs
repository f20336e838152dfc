//! PutItem, GetItem, DeleteItem: values, keys, limits, Expected, ReturnValues, capacity.

mod common;

use common::*;
use serde_json::json;

fn setup() -> Db {
    let db = db();
    hash_table(&db, "items");
    range_table(&db, "comp", "N");
    db
}

#[test]
fn put_then_get_round_trips_every_type() {
    let db = setup();
    let item = json!({
        "id": {"S": "k1"}, "s": {"S": "héllo"}, "n": {"N": "1.50E+2"}, "b": {"B": "AQIDBA=="},
        "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "-2.5"]}, "bs": {"BS": ["AQ==", "Ag=="]}
    });
    let out = put(&db, "items", item);
    assert_eq!(out, json!({"ConsumedCapacityUnits": 1.0}));
    let got = get_id(&db, "items", "k1").expect("item");
    assert_eq!(got["s"], json!({"S": "héllo"}));
    assert_eq!(got["n"], json!({"N": "150"}));
    assert_eq!(got["b"], json!({"B": "AQIDBA=="}));
    assert_eq!(members(&got["ss"]["SS"]), ["a", "b"]);
    assert_eq!(members(&got["ns"]["NS"]), ["-2.5", "1"]);
    assert_eq!(members(&got["bs"]["BS"]), ["AQ==", "Ag=="]);
    assert_eq!(got.as_object().map(|o| o.len()), Some(7));
}

#[test]
fn numbers_are_canonical_on_output() {
    let db = setup();
    for (input, output) in [
        ("1.10", "1.1"),
        ("1E+2", "100"),
        ("-0.0", "0"),
        ("1e+20", "100000000000000000000"),
        ("0.000120", "0.00012"),
    ] {
        put(&db, "items", json!({"id": {"S": input}, "v": {"N": input}}));
        let got = get_id(&db, "items", input).expect("item");
        assert_eq!(got["v"]["N"], output, "{input}");
    }
}

#[test]
fn get_missing_item_has_no_item() {
    let db = setup();
    let out = ok(
        &db,
        "GetItem",
        json!({"TableName": "items", "Key": {"HashKeyElement": {"S": "none"}}}),
    );
    assert_eq!(out, json!({"ConsumedCapacityUnits": 0.5}));
    let out = ok(
        &db,
        "GetItem",
        json!({"TableName": "items", "Key": {"HashKeyElement": {"S": "none"}}, "ConsistentRead": true}),
    );
    assert_eq!(out, json!({"ConsumedCapacityUnits": 1.0}));
}

#[test]
fn get_projection_has_no_implicit_keys() {
    let db = setup();
    put(
        &db,
        "comp",
        json!({"user": {"S": "Julie"}, "time": {"N": "1307654345"}, "status": {"S": "online"}, "friends": {"SS": ["Lynda, Aaron"]}}),
    );
    let key = json!({"HashKeyElement": {"S": "Julie"}, "RangeKeyElement": {"N": "1307654345"}});
    let out = ok(
        &db,
        "GetItem",
        json!({"TableName": "comp", "Key": key, "AttributesToGet": ["status", "friends", "missing"], "ConsistentRead": true}),
    );
    assert_eq!(
        out,
        json!({"Item": {"friends": {"SS": ["Lynda, Aaron"]}, "status": {"S": "online"}}, "ConsumedCapacityUnits": 1.0})
    );
    let out = ok(
        &db,
        "GetItem",
        json!({"TableName": "comp", "Key": key, "AttributesToGet": ["Julie"]}),
    );
    assert_eq!(out, json!({"Item": {}, "ConsumedCapacityUnits": 0.5}));
    let e = err(
        &db,
        "GetItem",
        json!({"TableName": "comp", "Key": key, "AttributesToGet": []}),
    );
    assert_validation(
        &e,
        "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
}

#[test]
fn put_replaces_whole_item_and_returns_all_old() {
    let db = setup();
    put(
        &db,
        "items",
        json!({"id": {"S": "a"}, "x": {"S": "1"}, "y": {"S": "2"}}),
    );
    let out = ok(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"S": "a"}, "z": {"N": "3"}}, "ReturnValues": "ALL_OLD"}),
    );
    assert_eq!(
        out["Attributes"],
        json!({"id": {"S": "a"}, "x": {"S": "1"}, "y": {"S": "2"}})
    );
    assert_eq!(
        get_id(&db, "items", "a"),
        Some(json!({"id": {"S": "a"}, "z": {"N": "3"}}))
    );
    let out = ok(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"S": "new"}}, "ReturnValues": "ALL_OLD"}),
    );
    assert!(out.get("Attributes").is_none());
    let out = ok(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"S": "a"}}, "ReturnValues": "NONE"}),
    );
    assert!(out.get("Attributes").is_none());
    for rv in ["UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"] {
        let e = err(
            &db,
            "PutItem",
            json!({"TableName": "items", "Item": {"id": {"S": "a"}}, "ReturnValues": rv}),
        );
        assert_eq!(
            e.message.as_deref(),
            Some("Return values set to invalid value")
        );
    }
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"S": "a"}}, "ReturnValues": "SOME"}),
    );
    assert_validation(
        &e,
        "Value 'SOME' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]",
    );
}

#[test]
fn put_key_errors() {
    let db = setup();
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"other": {"S": "a"}}}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("One or more parameter values were invalid: Missing the key id in the item")
    );
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"N": "1"}}}),
    );
    assert_validation(
        &e,
        "One or more parameter values were invalid: Type mismatch for key id",
    );
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"SS": ["a"]}}}),
    );
    assert_validation(&e, "Type mismatch for key id");
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "comp", "Item": {"user": {"S": "a"}}}),
    );
    assert_validation(&e, "Missing the key time in the item");
    let long = "h".repeat(2049);
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"S": long}}}),
    );
    assert_validation(&e, "Hash primary key values must be under 2048 bytes");
    put(&db, "items", json!({"id": {"S": "h".repeat(2048)}}));
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "comp", "Item": {"user": {"S": "a"}, "time": {"S": "1"}}}),
    );
    assert_validation(&e, "Type mismatch for key time expected: N actual: S");
}

#[test]
fn range_key_size_limit() {
    let db = db();
    ok(
        &db,
        "CreateTable",
        json!({"TableName": "rst", "KeySchema": {"HashKeyElement": {"AttributeName": "h", "AttributeType": "S"}, "RangeKeyElement": {"AttributeName": "r", "AttributeType": "B"}}, "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
    );
    use base64::Engine as _;
    let ok_range = base64::engine::general_purpose::STANDARD.encode(vec![7u8; 1024]);
    let big_range = base64::engine::general_purpose::STANDARD.encode(vec![7u8; 1025]);
    put(&db, "rst", json!({"h": {"S": "a"}, "r": {"B": ok_range}}));
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "rst", "Item": {"h": {"S": "a"}, "r": {"B": big_range}}}),
    );
    assert_validation(&e, "Range primary key values must be under 1024 bytes");
    let e = err(
        &db,
        "GetItem",
        json!({"TableName": "rst", "Key": {"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"B": big_range}}}),
    );
    assert_validation(&e, "Range primary key values must be under 1024 bytes");
}

#[test]
fn item_size_limit_counts_names() {
    let db = setup();
    // "id"(2) + "k"(1) + "v"(1) + 65532 = 65536: exactly the limit.
    put(
        &db,
        "items",
        json!({"id": {"S": "k"}, "v": {"S": "x".repeat(65_532)}}),
    );
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"S": "k"}, "vv": {"S": "x".repeat(65_532)}}}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Item size has exceeded the maximum allowed size")
    );
    let out = ok(
        &db,
        "GetItem",
        json!({"TableName": "items", "Key": {"HashKeyElement": {"S": "k"}}, "ConsistentRead": true}),
    );
    assert_eq!(out["ConsumedCapacityUnits"], 64.0);
    let out = ok(
        &db,
        "DeleteItem",
        json!({"TableName": "items", "Key": {"HashKeyElement": {"S": "k"}}}),
    );
    assert_eq!(out["ConsumedCapacityUnits"], 64.0);
}

#[test]
fn value_validation_messages() {
    let db = setup();
    let cases = [
        (
            json!({"S": ""}),
            "One or more parameter values were invalid: An AttributeValue may not contain an empty string",
        ),
        (
            json!({"B": ""}),
            "One or more parameter values were invalid: An AttributeValue may not contain an empty string",
        ),
        (
            json!({"SS": []}),
            "One or more parameter values were invalid: An AttributeValue may not contain an empty set",
        ),
        (
            json!({"SS": ["a", ""]}),
            "An AttributeValue may not contain an empty string",
        ),
        (
            json!({"SS": ["a", "a"]}),
            "Input collection contains duplicates",
        ),
        (
            json!({"NS": ["1", "1.0"]}),
            "Input collection contains duplicates",
        ),
        (
            json!({"BS": ["AQ==", "AQ=="]}),
            "Input collection contains duplicates",
        ),
        (
            json!({}),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        (
            json!({"NULL": true}),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        (json!({"BOOL": true}), "Supplied AttributeValue is empty"),
        (
            json!({"S": "a", "N": "1"}),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
        ),
        (
            json!({"N": "abc"}),
            "The parameter cannot be converted to a numeric value: abc",
        ),
        (
            json!({"N": "NaN"}),
            "The parameter cannot be converted to a numeric value: NaN",
        ),
        (
            json!({"N": ""}),
            "The parameter cannot be converted to a numeric value",
        ),
        (
            json!({"N": "1234567890123456789012345678901234567890"}),
            "Attempting to store more than 38 significant digits in a Number",
        ),
        (
            json!({"N": "1E+126"}),
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
        (
            json!({"N": "1E-131"}),
            "Number underflow. Attempting to store a number with magnitude smaller than supported range",
        ),
        (
            json!({"NS": ["1", "x"]}),
            "The parameter cannot be converted to a numeric value: x",
        ),
    ];
    for (value, msg) in cases {
        let e = err(
            &db,
            "PutItem",
            json!({"TableName": "items", "Item": {"id": {"S": "a"}, "v": value}}),
        );
        assert_eq!(e.type_name, "com.amazon.coral.validate#ValidationException");
        assert_eq!(
            e.message.as_deref().map(|m| m.contains(msg)),
            Some(true),
            "{value}: {e}"
        );
    }
    put(
        &db,
        "items",
        // The service model's lower end, 10^-128 (engine_fidelity.rs).
        json!({"id": {"S": "a"}, "n": {"N": "9.9999999999999999999999999999999999999E+125"}, "m": {"N": "-1E-128"}}),
    );
}

#[test]
fn serialization_errors() {
    let db = setup();
    for value in [
        json!({"S": 5}),
        json!({"N": 5}),
        json!({"B": "***"}),
        json!({"SS": "a"}),
        json!({"SS": [1]}),
        json!({"BS": ["AQ="]}),
        json!("text"),
        json!([1]),
    ] {
        let e = err(
            &db,
            "PutItem",
            json!({"TableName": "items", "Item": {"id": {"S": "a"}, "v": value}}),
        );
        assert_eq!(
            e.type_name, "com.amazon.coral.service#SerializationException",
            "{value}"
        );
    }
    let e = err(&db, "PutItem", json!({"TableName": "items", "Item": [1]}));
    assert_error(&e, "SerializationException");
    let e = err(
        &db,
        "GetItem",
        json!({"TableName": "items", "Key": {"HashKeyElement": {"S": "a"}}, "ConsistentRead": "yes"}),
    );
    assert_error(&e, "SerializationException");
    // Unknown members are ignored; null members are absent.
    let out = ok(
        &db,
        "GetItem",
        json!({"TableName": "items", "Key": {"HashKeyElement": {"S": "a"}}, "Bogus": 1, "AttributesToGet": null}),
    );
    assert!(out.get("Item").is_none());
}

#[test]
fn key_shape_errors() {
    let db = setup();
    let get = |key: serde_json::Value, table: &str| {
        err(&db, "GetItem", json!({"TableName": table, "Key": key}))
    };
    let e = get(
        json!({"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "1"}}),
        "items",
    );
    assert_eq!(
        e.message.as_deref(),
        Some(
            "One or more parameter values were invalid: The provided key size does not match with that of the schema"
        )
    );
    let e = get(json!({"HashKeyElement": {"S": "a"}}), "comp");
    assert_validation(
        &e,
        "The provided key size does not match with that of the schema",
    );
    let e = get(json!({"HashKeyElement": {"N": "1"}}), "items");
    assert_eq!(
        e.message.as_deref(),
        Some("The provided key element does not match the schema")
    );
    let e = get(
        json!({"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"S": "1"}}),
        "comp",
    );
    assert_validation(&e, "The provided key element does not match the schema");
    let e = get(json!({"HashKeyElement": {"SS": ["a"]}}), "items");
    assert_validation(&e, "The provided key element does not match the schema");
    let e = get(json!({"RangeKeyElement": {"S": "a"}}), "items");
    assert_validation(
        &e,
        "Value null at 'key.hashKeyElement' failed to satisfy constraint: Member must not be null",
    );
    let e = err(&db, "GetItem", json!({"TableName": "items"}));
    assert_validation(
        &e,
        "Value null at 'key' failed to satisfy constraint: Member must not be null",
    );
    let e = err(
        &db,
        "GetItem",
        json!({"Key": {"HashKeyElement": {"S": "a"}}}),
    );
    assert_validation(&e, "Value null at 'tableName'");
}

#[test]
fn missing_table_is_resource_not_found() {
    let db = setup();
    for (op, body) in [
        (
            "GetItem",
            json!({"TableName": "nope", "Key": {"HashKeyElement": {"S": "a"}}}),
        ),
        (
            "PutItem",
            json!({"TableName": "nope", "Item": {"id": {"S": "a"}}}),
        ),
        (
            "DeleteItem",
            json!({"TableName": "nope", "Key": {"HashKeyElement": {"S": "a"}}}),
        ),
        (
            "UpdateItem",
            json!({"TableName": "nope", "Key": {"HashKeyElement": {"S": "a"}}, "AttributeUpdates": {}}),
        ),
        (
            "Query",
            json!({"TableName": "nope", "HashKeyValue": {"S": "a"}}),
        ),
        ("Scan", json!({"TableName": "nope"})),
    ] {
        let e = err(&db, op, body);
        assert_eq!(
            e.type_name, "com.amazonaws.dynamodb.v20111205#ResourceNotFoundException",
            "{op}"
        );
        assert_eq!(
            e.message.as_deref(),
            Some("Requested resource not found"),
            "{op}"
        );
    }
}

#[test]
fn conditional_put() {
    let db = setup();
    let body = |expected: serde_json::Value| json!({"TableName": "items", "Item": {"id": {"S": "c"}, "v": {"N": "1"}}, "Expected": expected});
    ok(&db, "PutItem", body(json!({"id": {"Exists": false}})));
    let e = err(&db, "PutItem", body(json!({"id": {"Exists": false}})));
    assert_eq!(
        e.type_name,
        "com.amazonaws.dynamodb.v20111205#ConditionalCheckFailedException"
    );
    assert_eq!(e.message.as_deref(), Some("The conditional request failed"));
    ok(&db, "PutItem", body(json!({"v": {"Value": {"N": "1.0"}}})));
    ok(
        &db,
        "PutItem",
        body(json!({"v": {"Value": {"N": "1"}, "Exists": true}, "zz": {"Exists": false}})),
    );
    assert_error(
        &err(&db, "PutItem", body(json!({"v": {"Value": {"S": "1"}}}))),
        "ConditionalCheckFailedException",
    );
    assert_error(
        &err(&db, "PutItem", body(json!({"v": {"Value": {"N": "2"}}}))),
        "ConditionalCheckFailedException",
    );
    assert_error(
        &err(
            &db,
            "PutItem",
            body(json!({"missing": {"Value": {"N": "1"}}})),
        ),
        "ConditionalCheckFailedException",
    );
    assert_error(
        &err(&db, "PutItem", body(json!({"v": {"Exists": false}}))),
        "ConditionalCheckFailedException",
    );
    // Sets compare order-insensitively.
    put(
        &db,
        "items",
        json!({"id": {"S": "s"}, "tags": {"SS": ["a", "b", "c"]}}),
    );
    ok(
        &db,
        "PutItem",
        json!({"TableName": "items", "Item": {"id": {"S": "s"}, "tags": {"SS": ["a"]}}, "Expected": {"tags": {"Value": {"SS": ["c", "a", "b"]}}}}),
    );
    assert_error(
        &err(
            &db,
            "PutItem",
            json!({"TableName": "items", "Item": {"id": {"S": "s"}}, "Expected": {"tags": {"Value": {"SS": ["a", "b"]}}}}),
        ),
        "ConditionalCheckFailedException",
    );
}

#[test]
fn invalid_expected_entries() {
    let db = setup();
    let body = |expected: serde_json::Value| json!({"TableName": "items", "Item": {"id": {"S": "c"}}, "Expected": expected});
    let e = err(&db, "PutItem", body(json!({"v": {"Exists": true}})));
    assert_eq!(
        e.message.as_deref(),
        Some(
            "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: v"
        )
    );
    let e = err(&db, "PutItem", body(json!({"v": {}})));
    assert_eq!(
        e.message.as_deref(),
        Some(
            "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: v"
        )
    );
    let e = err(
        &db,
        "PutItem",
        body(json!({"v": {"Value": {"S": "x"}, "Exists": false}})),
    );
    assert_eq!(
        e.message.as_deref(),
        Some(
            "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: v"
        )
    );
    let e = err(&db, "PutItem", body(json!({"v": {"Value": {"S": ""}}})));
    assert_validation(&e, "empty string");
    assert_error(
        &err(&db, "PutItem", body(json!({"v": {"Exists": "no"}}))),
        "SerializationException",
    );
    assert!(get_id(&db, "items", "c").is_none());
}

#[test]
fn delete_item_semantics() {
    let db = setup();
    put(
        &db,
        "comp",
        json!({"user": {"S": "Mingus"}, "time": {"N": "200"}, "status": {"S": "shopping"}}),
    );
    let key = json!({"HashKeyElement": {"S": "Mingus"}, "RangeKeyElement": {"N": "200"}});
    let e = err(
        &db,
        "DeleteItem",
        json!({"TableName": "comp", "Key": key, "Expected": {"status": {"Value": {"S": "sleeping"}}}}),
    );
    assert_error(&e, "ConditionalCheckFailedException");
    let out = ok(
        &db,
        "DeleteItem",
        json!({"TableName": "comp", "Key": key, "Expected": {"status": {"Value": {"S": "shopping"}}}, "ReturnValues": "ALL_OLD"}),
    );
    assert_eq!(
        out,
        json!({"Attributes": {"user": {"S": "Mingus"}, "time": {"N": "200"}, "status": {"S": "shopping"}}, "ConsumedCapacityUnits": 1.0})
    );
    // Deleting a missing item succeeds and costs one unit.
    let out = ok(
        &db,
        "DeleteItem",
        json!({"TableName": "comp", "Key": key, "ReturnValues": "ALL_OLD"}),
    );
    assert_eq!(out, json!({"ConsumedCapacityUnits": 1.0}));
    ok(
        &db,
        "DeleteItem",
        json!({"TableName": "comp", "Key": key, "Expected": {"status": {"Exists": false}}}),
    );
    assert_error(
        &err(
            &db,
            "DeleteItem",
            json!({"TableName": "comp", "Key": key, "Expected": {"status": {"Value": {"S": "x"}}}}),
        ),
        "ConditionalCheckFailedException",
    );
    let e = err(
        &db,
        "DeleteItem",
        json!({"TableName": "comp", "Key": key, "ReturnValues": "ALL_NEW"}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Return values set to invalid value")
    );
}

#[test]
fn capacity_units_follow_item_size() {
    let db = setup();
    let out = put(
        &db,
        "items",
        json!({"id": {"S": "big"}, "v": {"S": "x".repeat(3000)}}),
    );
    assert_eq!(out["ConsumedCapacityUnits"], 3.0);
    let out = ok(
        &db,
        "GetItem",
        json!({"TableName": "items", "Key": {"HashKeyElement": {"S": "big"}}}),
    );
    assert_eq!(out["ConsumedCapacityUnits"], 1.5);
    // Replacing a 3 KB item with a small one costs max(old, new).
    let out = put(&db, "items", json!({"id": {"S": "big"}}));
    assert_eq!(out["ConsumedCapacityUnits"], 3.0);
}
