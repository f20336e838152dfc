//! The engine's Rust interface, without HTTP: what the server and the fuzz target call.

use dynamo_local::engine::{ApiError, Engine, EngineConfig};
use serde_json::{Value, json};

fn exec(engine: &Engine, op: &str, body: Value) -> Result<Value, ApiError> {
    let bytes = serde_json::to_vec(&body).expect("request");
    let out = engine.execute(op, &bytes)?;
    Ok(serde_json::from_slice(&out).expect("response JSON"))
}

#[test]
fn engine_is_shareable() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Engine>();
    let engine = Engine::new(EngineConfig::default());
    let clone = engine.clone();
    exec(
        &engine,
        "CreateTable",
        json!({"TableName": "shared",
        "KeySchema": {"HashKeyElement": {"AttributeName": "id", "AttributeType": "N"}},
        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
    )
    .expect("create");
    exec(
        &clone,
        "PutItem",
        json!({"TableName": "shared", "Item": {"id": {"N": "1"}}}),
    )
    .expect("put");
    let got = exec(
        &engine,
        "GetItem",
        json!({"TableName": "shared", "Key": {"HashKeyElement": {"N": "1.0"}}}),
    )
    .expect("get");
    assert_eq!(
        got,
        json!({"Item": {"id": {"N": "1"}}, "ConsumedCapacityUnits": 0.5})
    );
}

#[test]
fn errors_serialize_as_the_service_sends_them() {
    let engine = Engine::new(EngineConfig::default());
    let e = engine.execute("Nope", b"{}").expect_err("unknown");
    assert_eq!(
        e.to_json(),
        br#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#
    );
    let e = engine.execute("ListTables", b"").expect_err("empty body");
    assert_eq!(
        e.to_json(),
        br#"{"__type":"com.amazon.coral.service#SerializationException"}"#
    );
    let e = engine
        .execute("DescribeTable", br#"{"TableName":"abc"}"#)
        .expect_err("missing");
    assert_eq!(
        String::from_utf8(e.to_json()).expect("utf8"),
        r#"{"__type":"com.amazonaws.dynamodb.v20111205#ResourceNotFoundException","message":"Requested resource not found: Table: abc not found"}"#
    );
    assert_eq!(e.name(), "ResourceNotFoundException");
    // boto's ensure_ascii escapes, whitespace and surrogate pairs are accepted.
    let out = engine
        .execute(
            "ListTables",
            b" {\n \"Limit\" : 5 , \"ExclusiveStartTableName\": \"\\u0061bc\" } ",
        )
        .expect("escapes");
    assert_eq!(out, br#"{"TableNames":[]}"#);
}

#[test]
fn faults_apply_only_where_documented() {
    let engine = Engine::new(EngineConfig::default());
    engine.faults().throttle_next(1);
    // Control-plane calls are not throttled and do not consume the fault.
    engine.execute("ListTables", b"{}").expect("list");
    let e = engine
        .execute("Scan", br#"{"TableName":"abc"}"#)
        .expect_err("throttled");
    assert_eq!(e.name(), "ProvisionedThroughputExceededException");
    let e = engine
        .execute("Scan", br#"{"TableName":"abc"}"#)
        .expect_err("missing table");
    assert_eq!(e.name(), "ResourceNotFoundException");
    // Unknown operations are rejected before any fault fires.
    engine.faults().fail_next(1, 503);
    assert_eq!(
        engine.execute("Nope", b"{}").expect_err("unknown").name(),
        "UnknownOperationException"
    );
    assert_eq!(
        engine.execute("ListTables", b"{}").expect_err("503").status,
        503
    );
    engine.execute("ListTables", b"{}").expect("recovered");
}
