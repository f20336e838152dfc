//! The client against a real HTTP server on 127.0.0.1: signing, retries,
//! timeouts, CRC checks and lenient response handling.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{AKID, Reply, SECRET, Server, fast_retry, parse_authorization, verifying};
use dynamo_core::client::{Client, Credentials, CredentialsFuture, ProvideCredentials};
use dynamo_core::wire::{
    DeleteItemInput, DescribeTableInput, Key, ListTablesInput, ListTablesOutput,
};
use dynamo_core::{AttributeValue, ErrorKind};

const TABLES: &str = r#"{"TableNames":["a","b"]}"#;
const THROTTLED: &str = "com.amazonaws.dynamodb.v20111205#ProvisionedThroughputExceededException";

fn list() -> ListTablesInput {
    ListTablesInput::default()
}

fn expect_tables(out: &ListTablesOutput) {
    assert_eq!(out.table_names, ["a", "b"]);
}

#[tokio::test]
async fn correctly_signed_request_passes_an_independent_verifier() {
    let server = Server::start(verifying(SECRET, |_, _| Reply::ok(TABLES))).await;
    let out = server.client().list_tables(&list()).await.expect("list");
    expect_tables(&out);

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    assert_eq!(req.path, "/");
    assert_eq!(
        req.header("x-amz-target"),
        Some("DynamoDB_20111205.ListTables")
    );
    assert_eq!(
        req.header("content-type"),
        Some("application/x-amz-json-1.0")
    );
    assert_eq!(req.body.as_ref(), b"{}");
    assert_eq!(req.header("x-amz-security-token"), None);
    let auth = parse_authorization(req.header("authorization").unwrap_or("")).expect("auth");
    assert_eq!(auth.access_key_id, AKID);
    assert!(
        auth.scope.ends_with("/us-east-1/dynamodb/aws4_request"),
        "{}",
        auth.scope
    );
    assert_eq!(auth.signed_headers, ["host", "x-amz-date", "x-amz-target"]);
}

#[tokio::test]
async fn wrong_secret_gets_a_non_retryable_invalid_signature() {
    let server = Server::start(verifying(SECRET, |_, _| Reply::ok(TABLES))).await;
    let client = server
        .client_builder()
        .credentials(Credentials::new(AKID, "not-the-secret", None))
        .build()
        .expect("client");
    let err = client
        .list_tables(&list())
        .await
        .expect_err("bad signature");
    assert_eq!(err.service_code(), Some("InvalidSignatureException"));
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.request_id(), Some("TESTREQUESTID0123456789"));
    assert!(!err.is_retryable());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let server = Server::start(verifying(SECRET, |_, _| Reply::ok(TABLES))).await;
    let client = server
        .client_builder()
        .credentials(Credentials::new(
            AKID,
            SECRET,
            Some("SESSION/TOKEN+1".into()),
        ))
        .build()
        .expect("client");
    expect_tables(&client.list_tables(&list()).await.expect("list"));
    let req = &server.requests()[0];
    assert_eq!(req.header("x-amz-security-token"), Some("SESSION/TOKEN+1"));
    let auth = parse_authorization(req.header("authorization").unwrap_or("")).expect("auth");
    assert_eq!(
        auth.signed_headers,
        ["host", "x-amz-date", "x-amz-security-token", "x-amz-target"]
    );
}

#[tokio::test]
async fn throttled_n_times_then_success_takes_n_plus_one_attempts() {
    const N: usize = 4;
    let server = Server::start(|i, _| {
        if i < N {
            Reply::error(400, THROTTLED, "slow down")
        } else {
            Reply::ok(TABLES)
        }
    })
    .await;
    expect_tables(&server.client().list_tables(&list()).await.expect("list"));
    assert_eq!(server.count(), N + 1);
}

#[tokio::test]
async fn gives_up_after_the_attempt_limit_with_the_last_error() {
    let server = Server::start(|i, _| {
        Reply::error(
            400,
            "com.amazon.coral.service#ThrottlingException",
            &format!("try {i}"),
        )
    })
    .await;
    let client = server
        .client_builder()
        .retry_config(fast_retry(3))
        .build()
        .expect("client");
    let input = DescribeTableInput {
        table_name: "users".into(),
    };
    let err = client.describe_table(&input).await.expect_err("throttled");
    assert!(err.is_throttled() && err.is_retryable());
    assert_eq!(err.message(), Some("try 2"));
    assert_eq!(err.table_name(), Some("users"));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn server_errors_500_and_503_are_retried() {
    let server = Server::start(|i, _| match i {
        0 => Reply::error(
            500,
            "com.amazonaws.dynamodb.v20111205#InternalServerError",
            "oops",
        ),
        1 => Reply::raw(503, "<html>unavailable</html>").content_type("text/html"),
        _ => Reply::ok(TABLES),
    })
    .await;
    expect_tables(&server.client().list_tables(&list()).await.expect("list"));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn non_json_503_error_takes_its_code_from_the_status() {
    let server = Server::start(|_, _| Reply::raw(503, "busy").content_type("text/plain")).await;
    let client = server
        .client_builder()
        .retry_config(fast_retry(2))
        .build()
        .expect("client");
    let err = client.list_tables(&list()).await.expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.service_code(), Some("ServiceUnavailable"));
    assert_eq!(err.kind(), ErrorKind::Service);
    assert!(err.is_retryable());
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn crc_mismatch_is_retried_then_succeeds() {
    let server = Server::start(|i, _| {
        if i < 2 {
            Reply::ok(TABLES).bad_crc()
        } else {
            Reply::ok(TABLES)
        }
    })
    .await;
    expect_tables(&server.client().list_tables(&list()).await.expect("list"));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn crc_mismatch_every_time_is_reported_as_such() {
    let server = Server::start(|_, _| Reply::ok(TABLES).bad_crc()).await;
    let client = server
        .client_builder()
        .retry_config(fast_retry(2))
        .build()
        .expect("client");
    let err = client.list_tables(&list()).await.expect_err("crc");
    assert_eq!(err.kind(), ErrorKind::Crc32Mismatch);
    assert_eq!(server.count(), 2);
}

fn delete_input() -> DeleteItemInput {
    DeleteItemInput {
        table_name: "users".into(),
        key: Key::hash(AttributeValue::S("alice".into())),
        expected: None,
        return_values: None,
    }
}

#[tokio::test]
async fn conditional_check_failure_is_not_retried() {
    let server = Server::start(|_, _| {
        Reply::error(
            400,
            "com.amazonaws.dynamodb.v20111205#ConditionalCheckFailedException",
            "The conditional request failed",
        )
    })
    .await;
    let err = server
        .client()
        .delete_item(&delete_input())
        .await
        .expect_err("ccf");
    assert!(err.is_conditional_check_failed());
    assert!(!err.is_retryable());
    assert_eq!(err.table_name(), Some("users"));
    assert_eq!(err.message(), Some("The conditional request failed"));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn validation_and_not_found_are_not_retried() {
    let cases = [
        (
            "com.amazon.coral.validate#ValidationException",
            ErrorKind::Validation,
        ),
        (
            "com.amazonaws.dynamodb.v20111205#ResourceNotFoundException",
            ErrorKind::NotFound,
        ),
    ];
    for (type_, kind) in cases {
        let server = Server::start(move |_, _| Reply::error(400, type_, "no")).await;
        let err = server
            .client()
            .delete_item(&delete_input())
            .await
            .expect_err("error");
        assert_eq!(err.kind(), kind);
        assert_eq!(err.is_validation(), kind == ErrorKind::Validation);
        assert_eq!(err.is_not_found(), kind == ErrorKind::NotFound);
        assert!(!err.is_retryable());
        assert_eq!(server.count(), 1, "{type_}");
    }
}

#[tokio::test]
async fn a_stalled_server_times_out() {
    let server = Server::start(|_, _| Reply::ok(TABLES).stall(Duration::from_secs(5))).await;
    let client = server
        .client_builder()
        .request_timeout(Duration::from_millis(200))
        .retry_config(fast_retry(2))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client.list_tables(&list()).await.expect_err("timeout");
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = common::over_transport_under_test(Client::builder())
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::new(AKID, SECRET, None))
        .retry_config(fast_retry(3))
        .build()
        .expect("client");
    let err = client.list_tables(&list()).await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn dropped_connections_are_retried_up_to_the_limit() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let client = common::over_transport_under_test(Client::builder())
        .endpoint_url(format!("http://{addr}"))
        .credentials(Credentials::new(AKID, SECRET, None))
        .retry_config(fast_retry(4))
        .build()
        .expect("client");
    let err = client.list_tables(&list()).await.expect_err("dropped");
    task.abort();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn html_content_type_connection_close_and_no_crc_are_fine() {
    let server = Server::start(|_, _| {
        Reply::ok(TABLES)
            .content_type("text/html; charset=utf-8")
            .close()
            .no_crc()
    })
    .await;
    let client = server.client();
    for _ in 0..3 {
        expect_tables(&client.list_tables(&list()).await.expect("list"));
    }
    assert_eq!(server.count(), 3);
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn keep_alive_reuses_one_connection() {
    let server = Server::start(|_, _| Reply::ok(TABLES)).await;
    let client = server.client();
    for _ in 0..3 {
        expect_tables(&client.clone().list_tables(&list()).await.expect("list"));
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn undecodable_success_is_a_decode_error_and_not_retried() {
    let server = Server::start(|_, _| Reply::ok(r#"{"TableNames":"nope"}"#)).await;
    let err = server
        .client()
        .list_tables(&list())
        .await
        .expect_err("decode");
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.request_id(), Some("TESTREQUESTID0123456789"));
    assert_eq!(server.count(), 1);
}

/// Hands out `T1` first and `T2` afterwards.
#[derive(Debug, Default)]
struct Rotating {
    calls: AtomicUsize,
}

impl ProvideCredentials for Rotating {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let token = if n == 0 { "T1" } else { "T2" };
        Box::pin(async move { Ok(Credentials::new(AKID, SECRET, Some(token.into()))) })
    }
}

#[tokio::test]
async fn expired_token_refreshes_credentials_once_and_retries() {
    let server = Server::start(verifying(SECRET, |_, req| {
        if req.header("x-amz-security-token") == Some("T1") {
            Reply::error(
                400,
                "com.amazon.coral.service#ExpiredTokenException",
                "The security token included in the request is expired",
            )
        } else {
            Reply::ok(TABLES)
        }
    }))
    .await;
    let provider = Arc::new(Rotating::default());
    let client = server
        .client_builder()
        .credentials_provider(provider.clone())
        .build()
        .expect("client");
    expect_tables(&client.list_tables(&list()).await.expect("list"));
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    assert_eq!(server.count(), 2);
    // Later calls use the cached fresh credentials.
    expect_tables(&client.list_tables(&list()).await.expect("list"));
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn expired_token_twice_is_reported() {
    let server = Server::start(|_, _| {
        Reply::error(
            400,
            "com.amazon.coral.service#ExpiredTokenException",
            "expired",
        )
    })
    .await;
    let err = server
        .client()
        .list_tables(&list())
        .await
        .expect_err("expired");
    assert_eq!(err.service_code(), Some("ExpiredTokenException"));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn generic_call_sends_the_operation_of_its_input() {
    let server = Server::start(|_, _| Reply::ok(TABLES)).await;
    let out = server.client().call(&list()).await.expect("call");
    expect_tables(&out);
    assert_eq!(server.requests()[0].operation(), "ListTables");
}

/// Counts calls and hands out fixed credentials.
#[derive(Debug, Default)]
struct Counting {
    calls: AtomicUsize,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(Credentials::new(AKID, SECRET, None))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_on_spawned_tasks_share_one_credentials_load() {
    let server = Server::start(verifying(SECRET, |_, _| Reply::ok(TABLES))).await;
    let provider = Arc::new(Counting::default());
    let client = server
        .client_builder()
        .credentials_provider(provider.clone())
        .build()
        .expect("client");
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_tables(&list()).await })
        })
        .collect();
    for task in tasks {
        expect_tables(&task.await.expect("join").expect("list"));
    }
    assert_eq!(server.count(), 8);
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
}

/// With `--features reqwest`, requests go through the user's own client.
#[cfg(feature = "reqwest")]
#[tokio::test]
async fn the_users_reqwest_client_sends_the_requests() {
    let server = Server::start(verifying(SECRET, |_, _| Reply::ok(TABLES))).await;
    let mut headers = http::HeaderMap::new();
    headers.insert("x-sent-by", http::HeaderValue::from_static("users-reqwest"));
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest client");
    let client = server
        .client_builder()
        .reqwest_client(http)
        .build()
        .expect("client");
    expect_tables(&client.list_tables(&list()).await.expect("list"));
    let seen = server.requests();
    assert_eq!(seen[0].header("x-sent-by"), Some("users-reqwest"));
}
