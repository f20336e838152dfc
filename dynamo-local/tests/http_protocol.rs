//! The HTTP protocol over real sockets: routing, error bodies, limits,
//! response headers, keep-alive, concurrency and shutdown.

mod http_support;

use std::collections::HashSet;

use dynamo_local::LocalServer;
use http_support::{RawConn, STEP};

const UNKNOWN_OPERATION: &str =
    r#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#;
const JSON: (&str, &str) = ("Content-Type", "application/x-amz-json-1.0");

#[tokio::test]
async fn list_tables_answers_with_service_headers() {
    let server = dynamo_local::start().await.expect("start");
    assert!(server.endpoint().starts_with("http://127.0.0.1:"));
    let mut conn = RawConn::connect(server.local_addr()).await;
    let response = conn.call("ListTables", "{}").await;
    assert_eq!(response.status, 200);
    response.assert_service_headers();
    assert!(
        response.json()["TableNames"].is_array(),
        "{:?}",
        response.json()
    );
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_targets_are_unknown_operations() {
    let server = dynamo_local::start().await.expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    for target in [
        "DynamoDB_20120810.ListTables",
        "DynamoDB_20111205.Frobnicate",
        "DynamoDB_20111205.listTables",
        "ListTables",
    ] {
        let response = conn
            .send("POST", &[JSON, ("X-Amz-Target", target)], b"{}")
            .await;
        assert_eq!(response.status, 400, "{target}");
        assert_eq!(response.body, UNKNOWN_OPERATION.as_bytes(), "{target}");
        response.assert_service_headers();
    }
    let response = conn.send("POST", &[JSON], b"{}").await;
    assert_eq!(
        (response.status, response.body.as_slice()),
        (400, UNKNOWN_OPERATION.as_bytes())
    );
    server.shutdown().await;
}

#[tokio::test]
async fn wrong_content_type_or_method_is_404_and_keeps_the_connection() {
    let server = dynamo_local::start().await.expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    let target = ("X-Amz-Target", "DynamoDB_20111205.ListTables");
    for (method, headers) in [
        ("POST", vec![("Content-Type", "text/plain"), target]),
        ("POST", vec![target]),
        ("GET", vec![JSON, target]),
        ("PUT", vec![JSON, target]),
    ] {
        let response = conn.send(method, &headers, b"{}").await;
        assert_eq!(response.status, 404, "{method} {headers:?}");
        assert_eq!(response.body, b"<UnknownOperationException/>\n");
        assert!(response.header("x-amz-crc32").is_some());
    }
    let response = conn
        .send(
            "POST",
            &[("Content-Type", "application/json"), target],
            b"{}",
        )
        .await;
    assert_eq!(
        response.status, 200,
        "application/json is accepted on the same connection"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let server = LocalServer::builder()
        .max_body_size(1024)
        .start()
        .await
        .expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    let padded = format!("{{\"Limit\": 5{}}}", " ".repeat(1024 - 12));
    assert_eq!(padded.len(), 1024);
    let response = conn.call("ListTables", &padded).await;
    assert_eq!(
        response.status,
        200,
        "exactly the limit passes: {:?}",
        response.json()
    );

    let too_big = format!("{{{}}}", " ".repeat(1024));
    let response = conn.call("ListTables", &too_big).await;
    assert_eq!(response.status, 413);
    assert!(response.header("x-amzn-RequestId").is_some());
    server.shutdown().await;

    let server = dynamo_local::start().await.expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    let over_default = format!("{{{}}}", " ".repeat(dynamo_local::DEFAULT_MAX_BODY_SIZE));
    assert_eq!(conn.call("ListTables", &over_default).await.status, 413);
    server.shutdown().await;
}

#[tokio::test]
async fn malformed_json_is_a_serialization_exception_with_crc() {
    let server = dynamo_local::start().await.expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    for body in ["{", "", "not json", "[1,2]"] {
        let response = conn.call("ListTables", body).await;
        assert_eq!(response.status, 400, "{body:?}");
        response.assert_service_headers();
        let json = response.json();
        let kind = json["__type"].as_str().expect("__type");
        assert!(
            kind.ends_with("#SerializationException"),
            "{body:?} -> {json}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn keep_alive_serves_many_requests_with_unique_ids() {
    let server = dynamo_local::start().await.expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    let mut ids = HashSet::new();
    for _ in 0..200 {
        let response = conn.call("ListTables", "{}").await;
        assert_eq!(response.status, 200);
        response.assert_service_headers();
        ids.insert(response.header("x-amzn-RequestId").expect("id").to_owned());
    }
    assert_eq!(ids.len(), 200);
    server.shutdown().await;
}

#[tokio::test]
async fn corrupt_crc_fault_applies_once() {
    let server = dynamo_local::start().await.expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    server.engine().faults().corrupt_crc_next(1);
    let bad = conn.call("ListTables", "{}").await;
    let crc: u32 = bad
        .header("x-amz-crc32")
        .expect("crc")
        .parse()
        .expect("decimal");
    assert_ne!(crc, crc32fast::hash(&bad.body));
    conn.call("ListTables", "{}").await.assert_service_headers();
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_are_all_served() {
    let server = dynamo_local::start().await.expect("start");
    let addr = server.local_addr();
    let clients: Vec<_> = (0..16)
        .map(|_| {
            tokio::spawn(async move {
                let mut conn = RawConn::connect(addr).await;
                let mut ids = Vec::new();
                for _ in 0..25 {
                    let response = conn.call("ListTables", "{}").await;
                    assert_eq!(response.status, 200);
                    ids.push(response.header("x-amzn-RequestId").expect("id").to_owned());
                }
                ids
            })
        })
        .collect();
    let mut all = HashSet::new();
    for client in clients {
        all.extend(
            tokio::time::timeout(STEP, client)
                .await
                .expect("in time")
                .expect("no panic"),
        );
    }
    assert_eq!(all.len(), 16 * 25);
    server.shutdown().await;
}

#[tokio::test]
async fn reqwest_client_works_through_the_endpoint() {
    let server = dynamo_local::start().await.expect("start");
    let client = reqwest::Client::new();
    for _ in 0..3 {
        let response = client
            .post(server.endpoint())
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", "DynamoDB_20111205.ListTables")
            .body("{}")
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), 200);
        let crc: u32 = response.headers()["x-amz-crc32"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("decimal");
        let body = response.bytes().await.expect("body");
        assert_eq!(crc, crc32fast::hash(&body));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_stops_accepting_and_closes_idle_connections() {
    let server = dynamo_local::start().await.expect("start");
    let addr = server.local_addr();
    let mut idle = RawConn::connect(addr).await;
    assert_eq!(idle.call("ListTables", "{}").await.status, 200);
    tokio::time::timeout(STEP, server.shutdown())
        .await
        .expect("shutdown in time");
    assert!(
        idle.is_closed().await,
        "idle keep-alive connection is closed"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "listener is gone"
    );
}

#[test]
fn background_server_serves_synchronous_callers() {
    let server = LocalServer::start_in_background().expect("start");
    let addr = server.local_addr();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut conn = RawConn::connect(addr).await;
        assert_eq!(conn.call("ListTables", "{}").await.status, 200);
    });
    server.shutdown();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "listener is gone after shutdown"
    );
}

#[tokio::test]
async fn engine_results_and_errors_pass_through() {
    let server = dynamo_local::start().await.expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    let create = r#"{"TableName": "things", "KeySchema": {"HashKeyElement": {"AttributeName": "id", "AttributeType": "S"}}, "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}"#;
    assert_eq!(conn.call("CreateTable", create).await.status, 200);
    let put = r#"{"TableName": "things", "Item": {"id": {"S": "caf\u00e9 \ud83d\ude00"}, "n": {"N": "1.50"}}}"#;
    let response = conn.call("PutItem", put).await;
    assert_eq!(response.status, 200, "{:?}", response.json());
    let get =
        r#"{"TableName": "things", "Key": {"HashKeyElement": {"S": "caf\u00e9 \ud83d\ude00"}}}"#;
    let response = conn.call("GetItem", get).await;
    response.assert_service_headers();
    assert_eq!(response.json()["Item"]["id"]["S"], "caf\u{e9} \u{1F600}");

    let missing = conn.call("DescribeTable", r#"{"TableName": "nope"}"#).await;
    assert_eq!(missing.status, 400);
    missing.assert_service_headers();
    assert_eq!(
        missing.json()["__type"],
        "com.amazonaws.dynamodb.v20111205#ResourceNotFoundException"
    );

    server.engine().faults().throttle_next(1);
    let throttled = conn.call("GetItem", get).await;
    assert_eq!(throttled.status, 400);
    let kind = throttled.json()["__type"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        kind.ends_with("#ProvisionedThroughputExceededException"),
        "{kind}"
    );

    for status in [500, 503] {
        server.engine().faults().fail_next(1, status);
        let failed = conn.call("ListTables", "{}").await;
        assert_eq!(failed.status, status);
        failed.assert_service_headers();
        assert!(failed.json()["__type"].is_string());
    }
    assert_eq!(
        conn.call("ListTables", "{}").await.status,
        200,
        "faults were one-shot"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn background_server_runs_beside_another_runtime() {
    let server = tokio::task::spawn_blocking(|| LocalServer::builder().start_in_background())
        .await
        .expect("join")
        .expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    assert_eq!(conn.call("ListTables", "{}").await.status, 200);
    assert!(server.endpoint().starts_with("http://127.0.0.1:"));
    tokio::task::spawn_blocking(move || server.shutdown())
        .await
        .expect("shutdown");
}

#[tokio::test]
async fn chunked_bodies_are_read_and_limited() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = LocalServer::builder()
        .max_body_size(64)
        .start()
        .await
        .expect("start");
    let head = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n\
                X-Amz-Target: DynamoDB_20111205.ListTables\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (chunks, expected) in [
        (vec!["{", "}"], "200 OK"),
        (vec!["{", &" ".repeat(40), &" ".repeat(40), "}"], "413"),
    ] {
        let mut stream = tokio::net::TcpStream::connect(server.local_addr())
            .await
            .expect("connect");
        let mut request = head.to_owned();
        for chunk in &chunks {
            request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
        }
        request.push_str("0\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut response = vec![0; 512];
        let n = tokio::time::timeout(STEP, stream.read(&mut response))
            .await
            .expect("in time")
            .expect("read");
        let text = String::from_utf8_lossy(&response[..n]);
        assert!(text.starts_with(&format!("HTTP/1.1 {expected}")), "{text}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn garbage_on_the_socket_does_not_hurt_the_server() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = dynamo_local::start().await.expect("start");
    let mut stream = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .expect("connect");
    stream
        .write_all(b"\x00\x01NOT HTTP AT ALL\r\n\r\n")
        .await
        .expect("write");
    let mut sink = Vec::new();
    let _ = tokio::time::timeout(STEP, stream.read_to_end(&mut sink))
        .await
        .expect("server answers or closes");
    let mut conn = RawConn::connect(server.local_addr()).await;
    assert_eq!(conn.call("ListTables", "{}").await.status, 200);
    server.shutdown().await;
}
