//! Shared test helpers: every call goes through the engine's public entry point.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use dynamo_local::engine::{ApiError, EngineConfig};
use dynamo_local::faults::Faults;
use dynamo_local::{BackgroundServer, LocalServer};
use serde_json::{Value, json};

/// Bound on every HTTP call, so a broken server fails the test instead of hanging it.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A database under test: a real dynamo-local server on 127.0.0.1, driven
/// over HTTP with a keep-alive client.
pub struct Db {
    server: BackgroundServer,
    endpoint: String,
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl Db {
    /// The fault switches of the server's engine.
    pub fn faults(&self) -> &Faults {
        self.server.engine().faults()
    }
}

/// A fresh database with the default configuration.
pub fn db() -> Db {
    db_with(EngineConfig::default())
}

/// A fresh database with `config`.
pub fn db_with(config: EngineConfig) -> Db {
    let server = LocalServer::builder()
        .engine_config(config)
        .start_in_background()
        .expect("start dynamo-local");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let client = reqwest::Client::builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .expect("client");
    Db {
        endpoint: format!("{}/", server.endpoint()),
        server,
        runtime,
        client,
    }
}

/// Runs `op` with a JSON body.
pub fn call(db: &Db, op: &str, body: Value) -> Result<Value, ApiError> {
    let bytes = serde_json::to_vec(&body).expect("serialize request");
    call_raw(db, op, &bytes)
}

/// Runs `op` with raw body bytes over HTTP; checks the CRC header and turns
/// error bodies back into [`ApiError`].
pub fn call_raw(db: &Db, op: &str, body: &[u8]) -> Result<Value, ApiError> {
    let request = db
        .client
        .post(&db.endpoint)
        .header("X-Amz-Target", format!("DynamoDB_20111205.{op}"))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261126/localhost/localhost/aws4_request,SignedHeaders=host;x-amz-date;x-amz-target,Signature=00")
        .header("X-Amz-Date", "20261126T000000Z")
        .body(body.to_vec());
    let (status, crc, bytes) = db.runtime.block_on(async {
        let response = request.send().await.expect("HTTP call");
        let status = response.status().as_u16();
        let crc = response
            .headers()
            .get("x-amz-crc32")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u32>().ok());
        let bytes = response.bytes().await.expect("response body");
        (status, crc, bytes)
    });
    assert_eq!(crc, Some(crc32fast::hash(&bytes)), "x-amz-crc32 of {op}");
    let json: Value = serde_json::from_slice(&bytes).expect("response is JSON");
    if status == 200 {
        return Ok(json);
    }
    let type_name = json["__type"].as_str().expect("__type").to_owned();
    let message = json
        .get("message")
        .or_else(|| json.get("Message"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Err(ApiError {
        status,
        type_name,
        message,
    })
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
