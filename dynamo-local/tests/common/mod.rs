//! Shared test helpers: every call goes through the engine's public entry point.
#![allow(dead_code, unreachable_pub)]

use dynamo_local::engine::{ApiError, Engine, EngineConfig};
use dynamo_local::faults::Faults;
use serde_json::{Value, json};

/// A database under test.
pub struct Db {
    engine: Engine,
}

impl Db {
    /// The fault switches.
    pub fn faults(&self) -> &Faults {
        self.engine.faults()
    }
}

/// A fresh database with the default configuration.
pub fn db() -> Db {
    db_with(EngineConfig::default())
}

/// A fresh database with `config`.
pub fn db_with(config: EngineConfig) -> Db {
    Db {
        engine: Engine::new(config),
    }
}

/// Runs `op` with a JSON body.
pub fn call(db: &Db, op: &str, body: Value) -> Result<Value, ApiError> {
    let bytes = serde_json::to_vec(&body).expect("serialize request");
    call_raw(db, op, &bytes)
}

/// Runs `op` with raw body bytes.
pub fn call_raw(db: &Db, op: &str, body: &[u8]) -> Result<Value, ApiError> {
    let out = db.engine.execute(op, body)?;
    Ok(serde_json::from_slice(&out).expect("response is JSON"))
}

/// Runs `op`, expecting success.
pub fn ok(db: &Db, op: &str, body: Value) -> Value {
    match call(db, op, body) {
        Ok(v) => v,
        Err(e) => panic!("{op} failed: {e}"),
    }
}

/// Runs `op`, expecting an error; returns it.
pub fn err(db: &Db, op: &str, body: Value) -> ApiError {
    match call(db, op, body) {
        Ok(v) => panic!("{op} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

/// Asserts a ValidationException whose message contains `text`.
pub fn assert_validation(e: &ApiError, text: &str) {
    assert_eq!(e.status, 400, "{e}");
    assert_eq!(
        e.type_name, "com.amazon.coral.validate#ValidationException",
        "{e}"
    );
    let msg = e.message.as_deref().unwrap_or_default();
    assert!(msg.contains(text), "message {msg:?} lacks {text:?}");
}

/// Asserts the error name after `#`.
pub fn assert_error(e: &ApiError, name: &str) {
    assert_eq!(e.name(), name, "{e}");
}

/// Creates a hash-only table with an `S` hash key `id`.
pub fn hash_table(db: &Db, name: &str) {
    ok(
        db,
        "CreateTable",
        json!({"TableName": name,
               "KeySchema": {"HashKeyElement": {"AttributeName": "id", "AttributeType": "S"}},
               "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}),
    );
}

/// Creates a hash-range table: hash `user` (S), range `time` (`range_type`).
pub fn range_table(db: &Db, name: &str, range_type: &str) {
    ok(
        db,
        "CreateTable",
        json!({"TableName": name,
               "KeySchema": {"HashKeyElement": {"AttributeName": "user", "AttributeType": "S"},
                             "RangeKeyElement": {"AttributeName": "time", "AttributeType": range_type}},
               "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}),
    );
}

/// Puts `item` into `table`.
pub fn put(db: &Db, table: &str, item: Value) -> Value {
    ok(db, "PutItem", json!({"TableName": table, "Item": item}))
}

/// Gets the item with hash key `id` from a hash table, consistently.
pub fn get_id(db: &Db, table: &str, id: &str) -> Option<Value> {
    let out = ok(
        db,
        "GetItem",
        json!({"TableName": table, "Key": {"HashKeyElement": {"S": id}}, "ConsistentRead": true}),
    );
    out.get("Item").cloned()
}

/// Sorted members of a set value, for order-insensitive comparison.
pub fn members(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .expect("set")
        .iter()
        .map(|m| m.as_str().expect("member").to_owned())
        .collect();
    out.sort();
    out
}
