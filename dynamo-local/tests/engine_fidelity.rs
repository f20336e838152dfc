//! Divergences from the service found by differential runs (issue 11), each
//! decided from the 2011-12-05 API reference, which the test cites.

mod common;

use common::*;
use serde_json::json;

/// API_Scan_v20111205, ScanFilter ComparisonOperator: "NOT_CONTAINS: checks
/// for absence of a subsequence, or absence of a value in a set" (service
/// model: "for absence of a substring or absence of a value in a set"). An
/// attribute of another type than the value holds neither, so it matches,
/// as the service answers; CONTAINS still does not.
#[test]
fn not_contains_matches_an_attribute_of_another_type() {
    let db = db();
    hash_table(&db, "things");
    put(&db, "things", json!({"id": {"S": "n"}, "a": {"N": "12"}}));
    put(&db, "things", json!({"id": {"S": "s"}, "a": {"S": "x12"}}));
    put(
        &db,
        "things",
        json!({"id": {"S": "ss"}, "a": {"SS": ["1", "12"]}}),
    );
    let scan = |op: &str| {
        let out = ok(
            &db,
            "Scan",
            json!({"TableName": "things", "ScanFilter": {"a": {
                "ComparisonOperator": op, "AttributeValueList": [{"S": "12"}]}}}),
        );
        let mut ids: Vec<String> = out["Items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"]["S"].as_str().expect("id").to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(scan("NOT_CONTAINS"), ["n"]);
    assert_eq!(scan("CONTAINS"), ["s", "ss"]);
}

/// API_GetItem_v20111205 / API_Query_v20111205 / API_Scan_v20111205 /
/// API_BatchGetItem_v20111205, AttributesToGet: an "array of attribute
/// names"; the service refuses a name given twice with "One or more
/// parameter values were invalid: Duplicate value in attribute name: NAME".
#[test]
fn duplicate_names_in_attributes_to_get_are_refused() {
    let db = db();
    hash_table(&db, "things");
    range_table(&db, "events", "N");
    let names = json!(["a", "b", "a"]);
    for (op, body) in [
        (
            "GetItem",
            json!({"TableName": "things", "Key": {"HashKeyElement": {"S": "k"}}, "AttributesToGet": names}),
        ),
        (
            "Scan",
            json!({"TableName": "things", "AttributesToGet": names}),
        ),
        (
            "Query",
            json!({"TableName": "events", "HashKeyValue": {"S": "u"}, "AttributesToGet": names}),
        ),
        (
            "BatchGetItem",
            json!({"RequestItems": {"things": {"Keys": [{"HashKeyElement": {"S": "k"}}], "AttributesToGet": names}}}),
        ),
    ] {
        let e = err(&db, op, body);
        assert_validation(
            &e,
            "One or more parameter values were invalid: Duplicate value in attribute name: a",
        );
    }
    ok(
        &db,
        "Scan",
        json!({"TableName": "things", "AttributesToGet": ["a", "b"]}),
    );
}

/// API_Query_v20111205, ExclusiveStartKey: "Primary key of the item from
/// which to continue an earlier query", i.e. a key the query could have
/// returned; one outside the RangeKeyCondition is a ValidationException
/// ("The provided starting key is outside query boundaries based on
/// provided conditions"), while a key inside it pages on.
#[test]
fn exclusive_start_key_outside_the_range_condition_is_refused() {
    let db = db();
    range_table(&db, "events", "N");
    for time in ["1", "2", "3", "4"] {
        put(
            &db,
            "events",
            json!({"user": {"S": "u"}, "time": {"N": time}}),
        );
    }
    let query = |start: &str| {
        call(
            &db,
            "Query",
            json!({"TableName": "events", "HashKeyValue": {"S": "u"},
                   "RangeKeyCondition": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "2"}]},
                   "ExclusiveStartKey": {"HashKeyElement": {"S": "u"}, "RangeKeyElement": {"N": start}}}),
        )
    };
    let e = query("1").expect_err("outside GE 2");
    assert_validation(
        &e,
        "The provided starting key is outside query boundaries based on provided conditions",
    );
    let page = query("2").expect("inside");
    assert_eq!(page["Count"], 2);
}

/// API_GetItem_v20111205 / API_Query_v20111205, ConsistentRead: "Type:
/// Boolean". The service's JSON deserializer coerces the strings "true" and
/// "false" to it (issue 11's differential runs); any other string is still a
/// SerializationException.
#[test]
fn boolean_members_accept_true_and_false_strings() {
    let db = db();
    range_table(&db, "events", "N");
    put(
        &db,
        "events",
        json!({"user": {"S": "u"}, "time": {"N": "1"}}),
    );
    for (text, factor) in [("true", 1.0), ("false", 0.5)] {
        let out = ok(
            &db,
            "Query",
            json!({"TableName": "events", "HashKeyValue": {"S": "u"}, "ConsistentRead": text}),
        );
        assert_eq!(out["Count"], 1);
        assert_eq!(out["ConsumedCapacityUnits"], factor, "{text}");
    }
    let e = err(
        &db,
        "Query",
        json!({"TableName": "events", "HashKeyValue": {"S": "u"}, "ScanIndexForward": "yes"}),
    );
    assert_error(&e, "SerializationException");
}

/// Service model (DataTypes, N): "Numbers are positive or negative
/// exact-value decimals and integers. A number can have up to 38 digits
/// precision and can be between 10^-128 to 10^+126": 1E-128 is stored,
/// 1E-129 is an underflow; and a number is digits with an optional `-`, so
/// "+5" cannot be converted to a numeric value.
#[test]
fn numbers_follow_the_service_model_range_and_spelling() {
    let db = db();
    hash_table(&db, "things");
    let put_n = |n: &str| {
        call(
            &db,
            "PutItem",
            json!({"TableName": "things", "Item": {"id": {"S": "k"}, "n": {"N": n}}}),
        )
    };
    put_n("1E-128").expect("10^-128 is in range");
    put_n("-1E-128").expect("so is its negative");
    for (text, message) in [
        ("1E-129", "Number underflow"),
        ("-0.5E-128", "Number underflow"),
        (
            "+5",
            "The parameter cannot be converted to a numeric value: +5",
        ),
    ] {
        let e = put_n(text).expect_err(text);
        assert_validation(&e, message);
    }
    let e = call(
        &db,
        "PutItem",
        json!({"TableName": "things", "Item": {"id": {"S": "k"}, "ns": {"NS": ["1", "+2"]}}}),
    )
    .expect_err("+2 in a set");
    assert_validation(&e, "cannot be converted to a numeric value");
}
