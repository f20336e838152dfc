//! Bounded resources over real sockets: timeouts for idle connections, slow
//! heads and slow bodies; a connection cap that refuses at once; and the
//! memory of a child `dynamo-local` under 64 concurrent worst-case bodies.
//! Every wait is bounded; every child is killed when its test ends.

mod http_support;

mod binary_support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use dynamo_local::LocalServer;
use http_support::RawConn;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const LIST_TABLES: &str = "POST / HTTP/1.1\r\nHost: localhost\r\n\
    Content-Type: application/x-amz-json-1.0\r\n\
    X-Amz-Target: DynamoDB_20111205.ListTables\r\nContent-Length: 2\r\n\r\n{}";

/// Reads until the peer closes (or `limit` passes); returns what came and
/// whether the connection was closed in time.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut seen = Vec::new();
    let outcome = tokio::time::timeout(limit, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    (String::from_utf8_lossy(&seen).into_owned(), outcome.is_ok())
}

/// Connects and sends `prefix` (possibly nothing): one slowloris client.
async fn slow_client(addr: SocketAddr, prefix: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    if !prefix.is_empty() {
        stream.write_all(prefix.as_bytes()).await.expect("write");
    }
    stream
}

/// The three ways to hold a connection open without finishing a request.
fn slowloris_prefix(i: usize) -> &'static str {
    match i % 3 {
        0 => "",
        1 => "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: Dyn",
        _ => {
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n\
             X-Amz-Target: DynamoDB_20111205.ListTables\r\nContent-Length: 100\r\n\r\n{\"Li"
        }
    }
}

/// Sends ListTables on a fresh connection; the status and how long it took.
async fn timed_list_tables(addr: SocketAddr) -> (u16, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(LIST_TABLES.as_bytes())
        .await
        .expect("write");
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    tokio::time::timeout(Duration::from_secs(10), reader.read_line(&mut status_line))
        .await
        .expect("an answer within 10 s")
        .expect("read");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, started.elapsed())
}

#[tokio::test]
async fn idle_slow_head_and_slow_body_connections_are_closed() {
    let timeout = Duration::from_millis(300);
    let server = LocalServer::builder()
        .idle_timeout(timeout)
        .body_timeout(timeout)
        .start()
        .await
        .expect("start");
    let addr = server.local_addr();
    let margin = Duration::from_secs(3);

    let mut idle = slow_client(addr, "").await;
    let mut slow_head = slow_client(addr, slowloris_prefix(1)).await;
    let mut slow_body = slow_client(addr, slowloris_prefix(2)).await;
    let mut kept_alive = RawConn::connect(addr).await;
    assert_eq!(kept_alive.call("ListTables", "{}").await.status, 200);

    let started = Instant::now();
    let (_, closed) = read_until_closed(&mut idle, margin).await;
    assert!(closed, "an idle connection is closed");
    let (_, closed) = read_until_closed(&mut slow_head, margin).await;
    assert!(closed, "a connection with half a head is closed");
    let (answer, closed) = read_until_closed(&mut slow_body, margin).await;
    assert!(closed, "a connection with half a body is closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        kept_alive.is_closed().await,
        "an idle keep-alive connection is closed"
    );
    assert!(started.elapsed() < margin, "{:?}", started.elapsed());
    server.shutdown().await;
}

/// Starts the dynamo-local binary under `ulimit -n 256` (the limit that once
/// made it stop answering) with `args`; returns the child and its address.
async fn child_server(args: &[&str]) -> (tokio::process::Child, SocketAddr) {
    let mut command = tokio::process::Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -n 256 && exec \"$0\" --port 0 \"$@\"")
        .arg(env!("CARGO_BIN_EXE_dynamo-local"))
        .args(args);
    let (child, endpoint) = binary_support::spawn(command).await;
    let addr = endpoint
        .strip_prefix("http://")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {endpoint:?}"));
    (child, addr)
}

/// Hundreds of slowloris connections (idle, half a head, half a body) at
/// `ulimit -n 256`: below the cap a normal client is answered 200 within a
/// second; above it, the excess and the normal client get a 503 at once
/// instead of hanging, and once the slowloris leaves, 200 again.
#[tokio::test]
async fn slowloris_does_not_keep_a_normal_client_from_an_answer() {
    let (mut child, addr) = child_server(&[]).await;
    // At ulimit 256 the default cap is 256 - 32 = 224 connections.
    let mut held = Vec::new();
    for i in 0..200 {
        held.push(slow_client(addr, slowloris_prefix(i)).await);
    }
    let (status, elapsed) = timed_list_tables(addr).await;
    assert_eq!(status, 200);
    assert!(elapsed < Duration::from_secs(1), "answered in {elapsed:?}");

    for i in 200..300 {
        held.push(slow_client(addr, slowloris_prefix(i)).await);
    }
    let (status, elapsed) = timed_list_tables(addr).await;
    assert_eq!(status, 503, "over the cap: refused, not left hanging");
    assert!(elapsed < Duration::from_secs(1), "refused in {elapsed:?}");

    drop(held);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (status, elapsed) = timed_list_tables(addr).await;
        if status == 200 {
            assert!(elapsed < Duration::from_secs(1), "answered in {elapsed:?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still refusing after the slowloris left"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().await.expect("kill");
}

/// Peak resident memory of a process, in bytes (`VmHWM` of /proc/PID/status).
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number");
    kib * 1024
}

/// A body of about 1 MiB built from `head`, repeated `entry`s and `tail`.
fn one_mib(head: &str, entry: &str, tail: &str) -> String {
    let mut body = String::from(head);
    while body.len() + entry.len() + tail.len() < 1024 * 1024 {
        body.push_str(entry);
    }
    body.pop(); // the last separator
    body.push_str(tail);
    body
}

/// 64 clients at once, each sending a 1 MiB body of the shapes that cost
/// the most to parse (a list of `1`s, tiny batch entries): the child grows
/// by less than the bound its docs state, 32 × the 8 MiB in-flight budget
/// plus 8 MiB for connection buffers and the runtime. (With a 64 MiB budget
/// the same run peaked at 551 MiB.)
#[tokio::test]
async fn worst_case_bodies_keep_memory_under_the_stated_bound() {
    let (mut child, addr) = child_server(&[]).await;
    let pid = child.id().expect("pid");
    let baseline = peak_rss(pid);
    let numbers = one_mib(r#"{"RequestItems":{"tbl":["#, "1,", "]}}");
    let entries = one_mib(
        r#"{"RequestItems":{"tbl":["#,
        r#"{"PutRequest":{"Item":{"a":{"S":"x"}}}},"#,
        "]}}",
    );
    let mut clients = Vec::new();
    for i in 0..64 {
        let body = if i % 2 == 0 {
            numbers.clone()
        } else {
            entries.clone()
        };
        clients.push(tokio::spawn(async move {
            let mut conn = RawConn::connect(addr).await;
            conn.call("BatchWriteItem", &body).await.status
        }));
    }
    for client in clients {
        let status = tokio::time::timeout(Duration::from_secs(120), client)
            .await
            .expect("answered in time")
            .expect("client task");
        assert_eq!(status, 400, "refused as invalid, not dropped");
    }
    let peak = peak_rss(pid);
    let bound = baseline + (32 * 8 + 8) * 1024 * 1024;
    eprintln!(
        "dynamo-local peak RSS {} MiB (baseline {} MiB) for 64 concurrent 1 MiB bodies",
        peak >> 20,
        baseline >> 20
    );
    assert!(peak < bound, "peak {} MiB over the bound", peak >> 20);
    child.kill().await.expect("kill");
}

#[tokio::test]
async fn limits_it_cannot_honour_are_refused_at_start() {
    for builder in [
        LocalServer::builder().max_body_size(dynamo_local::MAX_BODY_SIZE_LIMIT + 1),
        LocalServer::builder().max_connections(0),
        LocalServer::builder().idle_timeout(Duration::ZERO),
    ] {
        let error = builder.start().await.expect_err("refused");
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{error}");
    }
}

/// A client that pipelines Scans of a ~1 MB table and stops reading: once a
/// write has waited the body timeout the server drops the connection
/// (without the deadline it would hold it, and the answer, for ever).
#[tokio::test]
async fn a_client_that_stops_reading_loses_the_connection() {
    let server = LocalServer::builder()
        .body_timeout(Duration::from_millis(300))
        .start()
        .await
        .expect("start");
    let addr = server.local_addr();
    let mut setup = RawConn::connect(addr).await;
    let create = r#"{"TableName":"big","KeySchema":{"HashKeyElement":{"AttributeName":"k","AttributeType":"S"}},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}"#;
    assert_eq!(setup.call("CreateTable", create).await.status, 200);
    let pad = "x".repeat(60_000);
    for i in 0..16 {
        let put =
            format!(r#"{{"TableName":"big","Item":{{"k":{{"S":"{i}"}},"pad":{{"S":"{pad}"}}}}}}"#);
        assert_eq!(setup.call("PutItem", &put).await.status, 200);
    }
    let scan = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n\
                X-Amz-Target: DynamoDB_20111205.Scan\r\nContent-Length: 19\r\n\r\n{\"TableName\":\"big\"}";
    assert_eq!(
        scan.len() - scan.find("\r\n\r\n").expect("head end") - 4,
        19
    );
    let scans = 40;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(scan.repeat(scans).as_bytes())
        .await
        .expect("pipeline");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut received = 0usize;
    let drained = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received += n,
            }
        }
    })
    .await;
    assert!(
        drained.is_ok(),
        "the connection is still open after {received} bytes"
    );
    assert!(
        received < scans * 960_000,
        "the server wrote every answer ({received} bytes)"
    );
    assert_eq!(
        setup.call("ListTables", "{}").await.status,
        200,
        "others are served"
    );
    server.shutdown().await;
}
