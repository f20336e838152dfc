//! `--data-dir`: tables, their settings and items survive a restart, and
//! every acknowledged write survives `kill -9` of a child dynamo-local under
//! write load, with no write half-applied. Bounded: a few rounds of at most
//! a second of load each.

mod binary_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use dynamo_local::LocalServer;
use serde_json::{Value, json};

/// A fresh directory under the target dir's temp space, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "dynamo-local-{name}-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// One call; `Err` when the server is gone, else the status and JSON body.
async fn call(
    client: &reqwest::Client,
    endpoint: &str,
    operation: &str,
    body: &Value,
) -> Result<(u16, Value), reqwest::Error> {
    let response = client
        .post(format!("{endpoint}/"))
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", format!("DynamoDB_20111205.{operation}"))
        .body(body.to_string())
        .send()
        .await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok((status, json))
}

async fn ok(client: &reqwest::Client, endpoint: &str, operation: &str, body: Value) -> Value {
    let (status, json) = call(client, endpoint, operation, &body)
        .await
        .expect("server reachable");
    assert_eq!(status, 200, "{operation}: {json}");
    json
}

fn create_table(name: &str, range: bool) -> Value {
    let mut schema = json!({"HashKeyElement": {"AttributeName": "k", "AttributeType": "S"}});
    if range {
        schema["RangeKeyElement"] = json!({"AttributeName": "r", "AttributeType": "N"});
    }
    json!({
        "TableName": name,
        "KeySchema": schema,
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    })
}

#[tokio::test]
async fn tables_settings_and_items_survive_a_restart() {
    let dir = TempDir::new("restart");
    let http = client();
    let server = LocalServer::builder()
        .data_dir(dir.path())
        .start()
        .await
        .expect("start");
    assert!(server.engine().is_durable());
    let second = LocalServer::builder().data_dir(dir.path()).start().await;
    let error = second.expect_err("one process at a time per directory");
    assert!(error.to_string().contains("data directory"), "{error}");
    let endpoint = server.endpoint();
    ok(
        &http,
        &endpoint,
        "CreateTable",
        create_table("events", true),
    )
    .await;
    ok(&http, &endpoint, "CreateTable", create_table("gone", false)).await;
    for n in 0..20 {
        let item = json!({"k": {"S": "a"}, "r": {"N": n.to_string()}, "v": {"SS": ["x", "y"]}});
        ok(
            &http,
            &endpoint,
            "PutItem",
            json!({"TableName": "events", "Item": item}),
        )
        .await;
    }
    ok(
        &http,
        &endpoint,
        "DeleteItem",
        json!({"TableName": "events", "Key": {"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "3"}}}),
    )
    .await;
    ok(
        &http,
        &endpoint,
        "UpdateTable",
        json!({"TableName": "events", "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}}),
    )
    .await;
    ok(
        &http,
        &endpoint,
        "DeleteTable",
        json!({"TableName": "gone"}),
    )
    .await;
    server.shutdown().await;

    let server = LocalServer::builder()
        .data_dir(dir.path())
        .start()
        .await
        .expect("restart");
    let endpoint = server.endpoint();
    let tables = ok(&http, &endpoint, "ListTables", json!({})).await;
    assert_eq!(tables["TableNames"], json!(["events"]));
    let table = ok(
        &http,
        &endpoint,
        "DescribeTable",
        json!({"TableName": "events"}),
    )
    .await;
    assert_eq!(table["Table"]["TableStatus"], "ACTIVE", "{table}");
    assert_eq!(
        table["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"],
        10
    );
    assert_eq!(
        table["Table"]["KeySchema"]["RangeKeyElement"]["AttributeType"],
        "N"
    );
    assert_eq!(table["Table"]["ItemCount"], 19, "{table}");
    let page = ok(
        &http,
        &endpoint,
        "Query",
        json!({"TableName": "events", "HashKeyValue": {"S": "a"}}),
    )
    .await;
    assert_eq!(page["Count"], 19);
    assert_eq!(page["Items"][0]["v"], json!({"SS": ["x", "y"]}));
    server.shutdown().await;
}

/// Starts the binary on `dir`; returns the child and its endpoint.
async fn child(dir: &Path) -> (tokio::process::Child, String) {
    let mut command = binary_support::dynamo_local();
    command.args(["--port", "0", "--data-dir"]).arg(dir);
    binary_support::spawn(command).await
}

/// Acknowledged writes counted over all rounds.
static ACKS: AtomicU64 = AtomicU64::new(0);

/// Acknowledged writes: key → the value its last acknowledged put wrote.
type Acked = Arc<Mutex<BTreeMap<String, u64>>>;

/// Puts items whose two attributes carry the same number, and records each
/// one the server acknowledged, until the server goes away.
async fn write_until_killed(endpoint: String, writer: usize, round: u64, acked: Acked) {
    let http = client();
    for n in 0u64.. {
        let value = round * 1_000_000 + n;
        let key = format!("w{writer}-{}", n % 50);
        let item = json!({
            "k": {"S": key},
            "a": {"N": value.to_string()},
            "b": {"N": value.to_string()},
            "pad": {"S": "x".repeat(200)}
        });
        let request = if n % 5 == 4 {
            json!({"RequestItems": {"load": [{"PutRequest": {"Item": item}}]}})
        } else {
            json!({"TableName": "load", "Item": item})
        };
        let operation = if n % 5 == 4 {
            "BatchWriteItem"
        } else {
            "PutItem"
        };
        match call(&http, &endpoint, operation, &request).await {
            Ok((200, json))
                if json["UnprocessedItems"]
                    .as_object()
                    .is_none_or(|u| u.is_empty()) =>
            {
                acked.lock().expect("lock").insert(key, value);
                ACKS.fetch_add(1, Ordering::Relaxed);
            }
            Ok((status, json)) => panic!("{operation} answered {status}: {json}"),
            Err(_) => return, // killed
        }
    }
}

/// Kills a child at a pseudo-random moment of a write load, several times;
/// after each restart every acknowledged write is there, and every item is
/// whole (its two attributes agree).
#[tokio::test]
async fn acknowledged_writes_survive_kill_9_under_load() {
    let dir = TempDir::new("kill9");
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    eprintln!("kill -9 test seed {seed}");
    let mut random = seed;
    let mut next_delay = move || {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        Duration::from_millis(150 + random % 600)
    };
    let acked: Acked = Arc::default();
    let http = client();
    for round in 0..4u64 {
        let (mut child, endpoint) = child(dir.path()).await;
        if round == 0 {
            ok(&http, &endpoint, "CreateTable", create_table("load", false)).await;
        }
        verify(&http, &endpoint, &acked).await;
        let writers: Vec<_> = (0..8)
            .map(|w| {
                tokio::spawn(write_until_killed(
                    endpoint.clone(),
                    w,
                    round,
                    Arc::clone(&acked),
                ))
            })
            .collect();
        tokio::time::sleep(next_delay()).await;
        child.start_kill().expect("kill -9");
        let _ = child.wait().await;
        for writer in writers {
            tokio::time::timeout(Duration::from_secs(20), writer)
                .await
                .expect("writer stops when the server dies")
                .expect("writer");
        }
        eprintln!(
            "round {round}: killed after {} acknowledged writes in all",
            ACKS.load(Ordering::Relaxed)
        );
    }
    let (_child, endpoint) = child(dir.path()).await;
    verify(&http, &endpoint, &acked).await;
    assert!(
        ACKS.load(Ordering::Relaxed) >= 8,
        "the load wrote something"
    );
}

/// Every acknowledged key holds its last acknowledged value or a later one
/// (a put may reach the disk and be lost on the way back), and every item
/// is whole.
async fn verify(http: &reqwest::Client, endpoint: &str, acked: &Acked) {
    let expected = acked.lock().expect("lock").clone();
    let mut found = BTreeMap::new();
    let mut start: Option<Value> = None;
    loop {
        let mut request = json!({"TableName": "load"});
        if let Some(key) = start.take() {
            request["ExclusiveStartKey"] = key;
        }
        let page = ok(http, endpoint, "Scan", request).await;
        for item in page["Items"].as_array().expect("items") {
            let (a, b) = (&item["a"]["N"], &item["b"]["N"]);
            assert_eq!(a, b, "half-applied item {item}");
            let value: u64 = a.as_str().and_then(|n| n.parse().ok()).expect("a number");
            let key = item["k"]["S"].as_str().expect("key").to_owned();
            found.insert(key, value);
        }
        match page.get("LastEvaluatedKey") {
            Some(key) => start = Some(key.clone()),
            None => break,
        }
    }
    for (key, value) in &expected {
        let stored = found.get(key).copied();
        assert!(
            stored.is_some_and(|s| s >= *value),
            "acknowledged {key} = {value} lost (found {stored:?})"
        );
    }
}

/// SIGTERM: the binary stops cleanly (exit status 0) and what it
/// acknowledged is there for the next server on the directory.
#[tokio::test]
async fn sigterm_stops_the_binary_cleanly_with_its_writes_kept() {
    let dir = TempDir::new("sigterm");
    let http = client();
    let (mut child, endpoint) = child(dir.path()).await;
    ok(&http, &endpoint, "CreateTable", create_table("kept", false)).await;
    for n in 0..10 {
        let item = json!({"k": {"S": format!("k{n}")}, "n": {"N": n.to_string()}});
        ok(
            &http,
            &endpoint,
            "PutItem",
            json!({"TableName": "kept", "Item": item}),
        )
        .await;
    }
    let pid = child.id().expect("pid").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill -TERM");
    assert!(sent.success());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("stops within 10 s")
        .expect("exit status");
    assert!(status.success(), "{status}");

    let server = LocalServer::builder()
        .data_dir(dir.path())
        .start()
        .await
        .expect("reopen");
    let page = ok(
        &http,
        &server.endpoint(),
        "Scan",
        json!({"TableName": "kept"}),
    )
    .await;
    assert_eq!(page["Count"], 10);
    server.shutdown().await;
}
