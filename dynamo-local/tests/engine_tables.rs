//! Control plane: CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable.

mod common;

use std::time::Duration;

use common::*;
use dynamo_local::engine::EngineConfig;
use serde_json::json;

fn create_body(name: &str) -> serde_json::Value {
    json!({"TableName": name,
           "KeySchema": {"HashKeyElement": {"AttributeName": "user", "AttributeType": "S"},
                         "RangeKeyElement": {"AttributeName": "time", "AttributeType": "N"}},
           "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 10}})
}

#[test]
fn create_reports_creating_then_active() {
    let db = db();
    let out = ok(&db, "CreateTable", create_body("comp-table"));
    let d = &out["TableDescription"];
    assert_eq!(d["TableStatus"], "CREATING");
    assert_eq!(d["TableName"], "comp-table");
    assert_eq!(
        d["KeySchema"],
        json!({"HashKeyElement": {"AttributeName": "user", "AttributeType": "S"},
               "RangeKeyElement": {"AttributeName": "time", "AttributeType": "N"}})
    );
    assert_eq!(d["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    assert_eq!(d["ProvisionedThroughput"]["WriteCapacityUnits"], 10);
    assert_eq!(d["ProvisionedThroughput"]["NumberOfDecreasesToday"], 0);
    assert!(d.get("ItemCount").is_none());
    let created = d["CreationDateTime"].as_f64().expect("number");
    assert!(created > 1.0e9);

    let t = ok(&db, "DescribeTable", json!({"TableName": "comp-table"}))["Table"].clone();
    assert_eq!(t["TableStatus"], "ACTIVE");
    assert_eq!(t["CreationDateTime"].as_f64(), Some(created));
    assert_eq!(t["ItemCount"], 0);
    assert_eq!(t["TableSizeBytes"], 0);
    assert!(
        t["ProvisionedThroughput"]
            .get("LastIncreaseDateTime")
            .is_none()
    );
}

#[test]
fn create_validation_reports_all_violations() {
    let db = db();
    let e = err(
        &db,
        "CreateTable",
        json!({"TableName": "x!",
               "KeySchema": {"HashKeyElement": {"AttributeName": "", "AttributeType": "X"}},
               "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}}),
    );
    assert_validation(&e, "5 validation errors detected: ");
    let msg = e.message.expect("message");
    assert!(msg.contains("Value 'x!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"));
    assert!(msg.contains("Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
    assert!(msg.contains("at 'keySchema.hashKeyElement.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    assert!(msg.contains("Value 'X' at 'keySchema.hashKeyElement.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [S, N, B]"));
    assert!(msg.contains("Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"));

    let e = err(&db, "CreateTable", json!({}));
    assert_validation(&e, "3 validation errors detected: ");
    assert!(e.message.unwrap_or_default().contains(
        "Value null at 'tableName' failed to satisfy constraint: Member must not be null"
    ));

    let long = "a".repeat(256);
    let mut body = create_body(&long);
    let e = err(&db, "CreateTable", body.clone());
    assert_validation(&e, "1 validation error detected: ");
    assert_validation(&e, "Member must have length less than or equal to 255");
    body["TableName"] = json!("same-name");
    body["KeySchema"]["RangeKeyElement"]["AttributeName"] = json!("user");
    let e = err(&db, "CreateTable", body);
    assert_validation(&e, "have the same name");
}

#[test]
fn create_serialization_errors() {
    let db = db();
    let mut body = create_body("tbl");
    body["ProvisionedThroughput"]["ReadCapacityUnits"] = json!("5");
    assert_error(&err(&db, "CreateTable", body), "SerializationException");
    assert_error(
        &err(&db, "CreateTable", json!({"TableName": 5})),
        "SerializationException",
    );
    assert_error(
        &err(&db, "CreateTable", json!([1])),
        "SerializationException",
    );
    let e = call_raw(&db, "CreateTable", b"").expect_err("empty body");
    assert_eq!(
        e.type_name,
        "com.amazon.coral.service#SerializationException"
    );
    let e = call_raw(&db, "CreateTable", b"{not json").expect_err("bad json");
    assert_error(&e, "SerializationException");
}

#[test]
fn duplicate_create_is_resource_in_use() {
    let db = db();
    ok(&db, "CreateTable", create_body("dup"));
    let e = err(&db, "CreateTable", create_body("dup"));
    assert_eq!(
        e.type_name,
        "com.amazonaws.dynamodb.v20111205#ResourceInUseException"
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Attempt to change a resource which is still in use: Table already exists: dup")
    );
}

#[test]
fn table_limit() {
    let db = db_with(EngineConfig {
        max_tables: Some(2),
        ..EngineConfig::default()
    });
    ok(&db, "CreateTable", create_body("t01"));
    ok(&db, "CreateTable", create_body("t02"));
    assert_error(
        &err(&db, "CreateTable", create_body("t03")),
        "LimitExceededException",
    );
    let default = common::db();
    for i in 0..256 {
        ok(&default, "CreateTable", create_body(&format!("t{i:03}")));
    }
    let e = err(&default, "CreateTable", create_body("t999"));
    assert_error(&e, "LimitExceededException");
}

#[test]
fn describe_missing_table() {
    let db = db();
    let e = err(&db, "DescribeTable", json!({"TableName": "users"}));
    assert_eq!(
        e.type_name,
        "com.amazonaws.dynamodb.v20111205#ResourceNotFoundException"
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Requested resource not found: Table: users not found")
    );
    assert_validation(
        &err(&db, "DescribeTable", json!({})),
        "Member must not be null",
    );
}

#[test]
fn describe_counts_items_live() {
    let db = db();
    hash_table(&db, "counted");
    put(&db, "counted", json!({"id": {"S": "a"}, "v": {"S": "xyz"}}));
    put(&db, "counted", json!({"id": {"S": "b"}}));
    let t = ok(&db, "DescribeTable", json!({"TableName": "counted"}))["Table"].clone();
    assert_eq!(t["ItemCount"], 2);
    // "id"+"a" = 3, "v"+"xyz" = 4, "id"+"b" = 3
    assert_eq!(t["TableSizeBytes"], 10);
    ok(
        &db,
        "DeleteItem",
        json!({"TableName": "counted", "Key": {"HashKeyElement": {"S": "a"}}}),
    );
    let t = ok(&db, "DescribeTable", json!({"TableName": "counted"}))["Table"].clone();
    assert_eq!(t["ItemCount"], 1);
    assert_eq!(t["TableSizeBytes"], 3);
}

#[test]
fn list_tables_pages_in_order() {
    let db = db();
    assert_eq!(ok(&db, "ListTables", json!({})), json!({"TableNames": []}));
    for name in ["comp5", "comp1", "comp3", "comp2", "comp4", "Zeta"] {
        ok(&db, "CreateTable", create_body(name));
    }
    let all = ok(&db, "ListTables", json!({}));
    assert_eq!(
        all,
        json!({"TableNames": ["Zeta", "comp1", "comp2", "comp3", "comp4", "comp5"]})
    );
    let page = ok(
        &db,
        "ListTables",
        json!({"ExclusiveStartTableName": "comp2", "Limit": 2}),
    );
    assert_eq!(
        page,
        json!({"TableNames": ["comp3", "comp4"], "LastEvaluatedTableName": "comp4"})
    );
    let last = ok(
        &db,
        "ListTables",
        json!({"ExclusiveStartTableName": "comp3", "Limit": 2}),
    );
    assert_eq!(last, json!({"TableNames": ["comp4", "comp5"]}));
    let none = ok(&db, "ListTables", json!({"ExclusiveStartTableName": "zzz"}));
    assert_eq!(none, json!({"TableNames": []}));
    let gap = ok(
        &db,
        "ListTables",
        json!({"ExclusiveStartTableName": "comp25", "Limit": 1}),
    );
    assert_eq!(
        gap,
        json!({"TableNames": ["comp3"], "LastEvaluatedTableName": "comp3"})
    );
}

#[test]
fn list_tables_validation() {
    let db = db();
    let e = err(&db, "ListTables", json!({"Limit": 101}));
    assert_eq!(
        e.message.as_deref(),
        Some(
            "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"
        )
    );
    assert_validation(
        &err(&db, "ListTables", json!({"Limit": 0})),
        "greater than or equal to 1",
    );
    assert_validation(
        &err(&db, "ListTables", json!({"ExclusiveStartTableName": "a"})),
        "at 'exclusiveStartTableName'",
    );
    assert_error(
        &err(&db, "ListTables", json!({"Limit": "5"})),
        "SerializationException",
    );
}

#[test]
fn update_table_lifecycle() {
    let db = db();
    ok(&db, "CreateTable", create_body("upd"));
    let out = ok(
        &db,
        "UpdateTable",
        json!({"TableName": "upd", "ProvisionedThroughput": {"ReadCapacityUnits": 20, "WriteCapacityUnits": 5}}),
    );
    let d = &out["TableDescription"];
    assert_eq!(d["TableStatus"], "UPDATING");
    let pt = &d["ProvisionedThroughput"];
    assert!(pt["LastIncreaseDateTime"].as_f64().is_some());
    assert!(pt["LastDecreaseDateTime"].as_f64().is_some());
    assert_eq!(pt["NumberOfDecreasesToday"], 1);
    let t = ok(&db, "DescribeTable", json!({"TableName": "upd"}))["Table"].clone();
    assert_eq!(t["TableStatus"], "ACTIVE");
    assert_eq!(t["ProvisionedThroughput"]["ReadCapacityUnits"], 20);
    assert_eq!(t["ProvisionedThroughput"]["WriteCapacityUnits"], 5);

    let e = err(
        &db,
        "UpdateTable",
        json!({"TableName": "upd", "ProvisionedThroughput": {"ReadCapacityUnits": 20, "WriteCapacityUnits": 5}}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some(
            "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 20. Requested ReadCapacityUnits: 20. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
        )
    );
    let e = err(
        &db,
        "UpdateTable",
        json!({"TableName": "nope", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 5}}),
    );
    assert_error(&e, "ResourceNotFoundException");
    let e = err(&db, "UpdateTable", json!({"TableName": "upd"}));
    assert_validation(&e, "Value null at 'provisionedThroughput'");
    // Without strict rules, repeated decreases and big increases are fine.
    ok(
        &db,
        "UpdateTable",
        json!({"TableName": "upd", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
    );
    ok(
        &db,
        "UpdateTable",
        json!({"TableName": "upd", "ProvisionedThroughput": {"ReadCapacityUnits": 1000, "WriteCapacityUnits": 1}}),
    );
}

#[test]
fn strict_throughput_rules() {
    let db = db_with(EngineConfig {
        strict_throughput_rules: true,
        ..EngineConfig::default()
    });
    ok(&db, "CreateTable", create_body("strict"));
    let e = err(
        &db,
        "UpdateTable",
        json!({"TableName": "strict", "ProvisionedThroughput": {"ReadCapacityUnits": 11, "WriteCapacityUnits": 10}}),
    );
    assert_error(&e, "LimitExceededException");
    assert!(
        e.message
            .unwrap_or_default()
            .contains("at most 100 percent")
    );
    ok(
        &db,
        "UpdateTable",
        json!({"TableName": "strict", "ProvisionedThroughput": {"ReadCapacityUnits": 4, "WriteCapacityUnits": 10}}),
    );
    ok(&db, "DescribeTable", json!({"TableName": "strict"}));
    let e = err(
        &db,
        "UpdateTable",
        json!({"TableName": "strict", "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 10}}),
    );
    assert_error(&e, "LimitExceededException");
}

#[test]
fn delete_table() {
    let db = db();
    ok(&db, "CreateTable", create_body("gone"));
    let out = ok(&db, "DeleteTable", json!({"TableName": "gone"}));
    assert_eq!(out["TableDescription"]["TableStatus"], "DELETING");
    assert_eq!(out["TableDescription"]["TableName"], "gone");
    assert_error(
        &err(&db, "DescribeTable", json!({"TableName": "gone"})),
        "ResourceNotFoundException",
    );
    assert_error(
        &err(&db, "DeleteTable", json!({"TableName": "gone"})),
        "ResourceNotFoundException",
    );
    assert_eq!(ok(&db, "ListTables", json!({})), json!({"TableNames": []}));
    // The name can be reused, and the new table is empty.
    ok(&db, "CreateTable", create_body("gone"));
    let t = ok(&db, "DescribeTable", json!({"TableName": "gone"}))["Table"].clone();
    assert_eq!(t["ItemCount"], 0);
}

#[test]
fn transitions_with_delay() {
    let db = db_with(EngineConfig {
        transition_delay: Duration::from_millis(150),
        ..EngineConfig::default()
    });
    ok(&db, "CreateTable", create_body("slow"));
    let t = ok(&db, "DescribeTable", json!({"TableName": "slow"}))["Table"].clone();
    assert_eq!(t["TableStatus"], "CREATING");
    let e = err(
        &db,
        "GetItem",
        json!({"TableName": "slow", "Key": {"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "1"}}}),
    );
    assert_eq!(e.message.as_deref(), Some("Requested resource not found"));
    let e = err(&db, "DeleteTable", json!({"TableName": "slow"}));
    assert_eq!(
        e.message.as_deref(),
        Some("Attempt to change a resource which is still in use: Table is being created: slow")
    );
    let e = err(
        &db,
        "UpdateTable",
        json!({"TableName": "slow", "ProvisionedThroughput": {"ReadCapacityUnits": 6, "WriteCapacityUnits": 10}}),
    );
    assert_error(&e, "ResourceInUseException");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        ok(&db, "DescribeTable", json!({"TableName": "slow"}))["Table"]["TableStatus"],
        "ACTIVE"
    );

    ok(
        &db,
        "UpdateTable",
        json!({"TableName": "slow", "ProvisionedThroughput": {"ReadCapacityUnits": 6, "WriteCapacityUnits": 10}}),
    );
    let t = ok(&db, "DescribeTable", json!({"TableName": "slow"}))["Table"].clone();
    assert_eq!(t["TableStatus"], "UPDATING");
    assert_eq!(t["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    // Data-plane calls work while UPDATING.
    ok(
        &db,
        "PutItem",
        json!({"TableName": "slow", "Item": {"user": {"S": "a"}, "time": {"N": "1"}}}),
    );
    assert_error(
        &err(&db, "DeleteTable", json!({"TableName": "slow"})),
        "ResourceInUseException",
    );
    std::thread::sleep(Duration::from_millis(200));
    let t = ok(&db, "DescribeTable", json!({"TableName": "slow"}))["Table"].clone();
    assert_eq!(t["TableStatus"], "ACTIVE");
    assert_eq!(t["ProvisionedThroughput"]["ReadCapacityUnits"], 6);

    let out = ok(&db, "DeleteTable", json!({"TableName": "slow"}));
    assert_eq!(out["TableDescription"]["TableStatus"], "DELETING");
    let t = ok(&db, "DescribeTable", json!({"TableName": "slow"}))["Table"].clone();
    assert_eq!(t["TableStatus"], "DELETING");
    assert_eq!(
        ok(&db, "DeleteTable", json!({"TableName": "slow"}))["TableDescription"]["TableStatus"],
        "DELETING"
    );
    let e = err(
        &db,
        "PutItem",
        json!({"TableName": "slow", "Item": {"user": {"S": "a"}, "time": {"N": "1"}}}),
    );
    assert_error(&e, "ResourceNotFoundException");
    assert_error(
        &err(&db, "CreateTable", create_body("slow")),
        "ResourceInUseException",
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_error(
        &err(&db, "DescribeTable", json!({"TableName": "slow"})),
        "ResourceNotFoundException",
    );
    ok(&db, "CreateTable", create_body("slow"));
}

#[test]
fn concurrent_transition_limit() {
    let db = db_with(EngineConfig {
        transition_delay: Duration::from_secs(30),
        max_concurrent_transitions: Some(2),
        ..EngineConfig::default()
    });
    ok(&db, "CreateTable", create_body("c01"));
    ok(&db, "CreateTable", create_body("c02"));
    assert_error(
        &err(&db, "CreateTable", create_body("c03")),
        "LimitExceededException",
    );
}

#[test]
fn unknown_operation_has_no_message() {
    let db = db();
    let e = err(&db, "Frobnicate", json!({}));
    assert_eq!(e.status, 400);
    assert_eq!(
        e.type_name,
        "com.amazon.coral.service#UnknownOperationException"
    );
    assert_eq!(e.message, None);
    assert_eq!(
        e.to_json(),
        br#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#
    );
    assert_error(
        &err(&db, "listTables", json!({})),
        "UnknownOperationException",
    );
}

#[test]
fn faults_fail_and_throttle() {
    let db = db();
    hash_table(&db, "fff");
    db.faults().fail_next(2, 503);
    let e = err(&db, "ListTables", json!({}));
    assert_eq!((e.status, e.name()), (503, "ServiceUnavailableException"));
    assert_eq!(err(&db, "GetItem", json!({})).status, 503);
    ok(&db, "ListTables", json!({}));
    db.faults().fail_next(1, 500);
    let e = err(&db, "ListTables", json!({}));
    assert_eq!(
        e.type_name,
        "com.amazonaws.dynamodb.v20111205#InternalServerError"
    );
    assert_eq!(e.status, 500);

    db.faults().throttle_next(2);
    ok(&db, "ListTables", json!({}));
    let key = json!({"TableName": "fff", "Key": {"HashKeyElement": {"S": "a"}}});
    let e = err(&db, "GetItem", key.clone());
    assert_eq!(
        e.type_name,
        "com.amazonaws.dynamodb.v20111205#ProvisionedThroughputExceededException"
    );
    assert_error(
        &err(&db, "GetItem", key.clone()),
        "ProvisionedThroughputExceededException",
    );
    ok(&db, "GetItem", key.clone());
    db.faults().throttle_next(5);
    db.faults().reset();
    ok(&db, "GetItem", key);
    db.faults().corrupt_crc_next(1);
    assert!(db.faults().take_corrupt_crc());
    assert!(!db.faults().take_corrupt_crc());
}
