//! The binary's control-plane options: the service's limits on by default
//! (and `--no-control-plane-limits`), and one delay per table state.

mod binary_support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

async fn child(args: &[&str]) -> (tokio::process::Child, String) {
    let mut command = binary_support::dynamo_local();
    command.args(["--port", "0"]).args(args);
    binary_support::spawn(command).await
}

async fn call(endpoint: &str, operation: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{endpoint}/"))
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", format!("DynamoDB_20111205.{operation}"))
        .timeout(Duration::from_secs(10))
        .body(body.to_string())
        .send()
        .await
        .expect("answer");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn create(name: &str) -> Value {
    json!({
        "TableName": name,
        "KeySchema": {"HashKeyElement": {"AttributeName": "k", "AttributeType": "S"}},
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    })
}

fn throughput(name: &str, read: i64, write: i64) -> Value {
    json!({
        "TableName": name,
        "ProvisionedThroughput": {"ReadCapacityUnits": read, "WriteCapacityUnits": write}
    })
}

async fn status_of(endpoint: &str, name: &str) -> String {
    let (_, table) = call(endpoint, "DescribeTable", json!({"TableName": name})).await;
    table["Table"]["TableStatus"]
        .as_str()
        .unwrap_or("-")
        .to_owned()
}

/// The service's limits (at most double per call, one decrease a day) hold
/// by default, and `--no-control-plane-limits` lifts them.
#[tokio::test]
async fn control_plane_limits_are_on_unless_lifted() {
    let (_limited, endpoint) = child(&[]).await;
    assert_eq!(call(&endpoint, "CreateTable", create("tbl")).await.0, 200);
    let (status, error) = call(&endpoint, "UpdateTable", throughput("tbl", 11, 5)).await;
    assert_eq!(status, 400);
    assert_eq!(
        error["__type"],
        "com.amazonaws.dynamodb.v20111205#LimitExceededException"
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 100 percent")),
        "{error}"
    );
    assert_eq!(
        call(&endpoint, "UpdateTable", throughput("tbl", 4, 5))
            .await
            .0,
        200
    );
    let (status, error) = call(&endpoint, "UpdateTable", throughput("tbl", 3, 5)).await;
    assert_eq!(status, 400, "a second decrease the same day: {error}");

    let (_open, endpoint) = child(&["--no-control-plane-limits"]).await;
    assert_eq!(call(&endpoint, "CreateTable", create("tbl")).await.0, 200);
    assert_eq!(
        call(&endpoint, "UpdateTable", throughput("tbl", 50, 5))
            .await
            .0,
        200
    );
    assert_eq!(
        call(&endpoint, "UpdateTable", throughput("tbl", 4, 5))
            .await
            .0,
        200
    );
    assert_eq!(
        call(&endpoint, "UpdateTable", throughput("tbl", 3, 5))
            .await
            .0,
        200
    );
}

/// `--create-table-ms` and `--delete-table-ms` beside `--transition-delay-ms`:
/// CREATING lasts its own delay, UPDATING the general one (zero here).
#[tokio::test]
async fn each_table_state_has_its_own_delay() {
    let (_child, endpoint) = child(&["--create-table-ms", "400", "--delete-table-ms", "400"]).await;
    let started = Instant::now();
    let (_, created) = call(&endpoint, "CreateTable", create("slow")).await;
    assert_eq!(created["TableDescription"]["TableStatus"], "CREATING");
    while status_of(&endpoint, "slow").await == "CREATING" {
        assert!(started.elapsed() < Duration::from_secs(5), "still CREATING");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(status_of(&endpoint, "slow").await, "ACTIVE");
    let (_, updated) = call(&endpoint, "UpdateTable", throughput("slow", 6, 5)).await;
    assert_eq!(updated["TableDescription"]["TableStatus"], "UPDATING");
    assert_eq!(
        status_of(&endpoint, "slow").await,
        "ACTIVE",
        "no update delay"
    );
    let (_, deleted) = call(&endpoint, "DeleteTable", json!({"TableName": "slow"})).await;
    assert_eq!(deleted["TableDescription"]["TableStatus"], "DELETING");
    assert_eq!(status_of(&endpoint, "slow").await, "DELETING");
}
