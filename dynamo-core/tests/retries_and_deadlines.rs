//! Retry settings from the environment and profiles, the retry quota, and
//! the per-call deadline: bounds on behaviour (a call fails within its
//! deadline plus a margin), not benchmarks.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::{AKID, Reply, SECRET, Server, fast_retry};
use dynamo_core::ErrorKind;
use dynamo_core::client::{Client, ClientBuilder, RetryMode};
use dynamo_core::wire::ListTablesInput;
use tokio::net::TcpListener;

const MARGIN: Duration = Duration::from_millis(700);

fn list() -> ListTablesInput {
    ListTablesInput::default()
}

fn env_for(server: &Server, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let mut env = HashMap::from([
        ("AWS_ACCESS_KEY_ID".to_owned(), AKID.to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), SECRET.to_owned()),
        ("AWS_ENDPOINT_URL_DYNAMODB".to_owned(), server.url()),
        ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ("HOME".to_owned(), "/nonexistent-dynamo-home".to_owned()),
    ]);
    for (k, v) in extra {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    env
}

fn throttled() -> Reply {
    Reply::error(
        400,
        "com.amazonaws.dynamodb.v20111205#ProvisionedThroughputExceededException",
        "slow down",
    )
}

/// A listener that accepts connections and never answers.
async fn silent_listener() -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    (url, task)
}

#[tokio::test]
async fn a_silent_endpoint_fails_within_the_connection_deadline() {
    let (url, task) = silent_listener().await;
    let client = common::over_transport_under_test(Client::builder())
        .endpoint_url(url)
        .credentials(dynamo_core::Credentials::new(AKID, SECRET, None))
        .operation_timeout(Duration::from_millis(800))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client.list_tables(&list()).await.expect_err("silence");
    assert!(started.elapsed() < Duration::from_millis(800) + MARGIN);
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.to_string().contains("deadline of 800ms"), "{err}");
    task.abort();
}

#[tokio::test]
async fn a_per_call_deadline_overrides_the_connection_one() {
    let (url, task) = silent_listener().await;
    let client = common::over_transport_under_test(Client::builder())
        .endpoint_url(url)
        .credentials(dynamo_core::Credentials::new(AKID, SECRET, None))
        .build()
        .expect("client");
    assert_eq!(client.operation_timeout(), Duration::from_secs(30));
    let quick = client.with_operation_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let err = quick.list_tables(&list()).await.expect_err("silence");
    assert!(started.elapsed() < Duration::from_millis(300) + MARGIN);
    assert_eq!(err.kind(), ErrorKind::Timeout);
    task.abort();
}

#[tokio::test]
async fn a_closed_port_fails_within_two_seconds_with_default_settings() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let client = common::over_transport_under_test(Client::builder())
        .endpoint_url(url)
        .credentials(dynamo_core::Credentials::new(AKID, SECRET, None))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client.list_tables(&list()).await.expect_err("refused");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.kind(), ErrorKind::Transport);
}

#[tokio::test]
async fn aws_max_attempts_and_profile_max_attempts_are_honoured() {
    let server = Server::start(|_, _| throttled()).await;
    let env = env_for(&server, &[("AWS_MAX_ATTEMPTS", "2")]);
    let client = ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .build()
        .expect("client");
    assert_eq!(client.retry_config().attempts(), 2);
    client.list_tables(&list()).await.expect_err("throttled");
    assert_eq!(server.count(), 2);

    let dir = std::env::temp_dir().join(format!("dynamo-retry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[default]\nmax_attempts = 4\nretry_mode = adaptive\n",
    )
    .expect("write");
    let config = config.to_string_lossy().into_owned();
    let env = env_for(&server, &[("AWS_CONFIG_FILE", &config)]);
    let built = ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .build()
        .expect("client");
    assert_eq!(built.retry_config().attempts(), 4);
    assert_eq!(built.retry_config().retry_mode(), RetryMode::Adaptive);
    // The variable wins over the profile.
    let env = env_for(
        &server,
        &[("AWS_CONFIG_FILE", &config), ("AWS_RETRY_MODE", "standard")],
    );
    let built = ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .build()
        .expect("client");
    assert_eq!(built.retry_config().retry_mode(), RetryMode::Standard);
    let _ = std::fs::remove_dir_all(&dir);

    // Without settings the standard mode's 3; `legacy` is DynamoDB's 10.
    let env = env_for(&server, &[]);
    let built = ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .build()
        .expect("client");
    assert_eq!(built.retry_config().attempts(), 3);
    let env = env_for(&server, &[("AWS_RETRY_MODE", "legacy")]);
    let built = ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .build()
        .expect("client");
    assert_eq!(built.retry_config().attempts(), 10);

    for (var, value) in [("AWS_MAX_ATTEMPTS", "0"), ("AWS_RETRY_MODE", "eager")] {
        let env = env_for(&server, &[(var, value)]);
        let err = ClientBuilder::from_env_with(|n| env.get(n).cloned())
            .build()
            .expect_err("bad setting");
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.to_string().contains(var), "{err}");
    }
}

#[tokio::test]
async fn the_retry_quota_stops_an_outage_from_multiplying_load() {
    let server = Server::start(|_, _| Reply::error(503, "ServiceUnavailable", "down")).await;
    let client = server
        .client_builder()
        .retry_config(fast_retry(10))
        .build()
        .expect("client");
    for _ in 0..20 {
        client.list_tables(&list()).await.expect_err("outage");
    }
    // 500 tokens pay 100 retries of 5; every call's first attempt is free.
    assert_eq!(server.count(), 20 + 100);
}

#[tokio::test]
async fn adaptive_mode_recovers_after_throttling() {
    let server = Server::start(|i, _| {
        if i < 2 {
            throttled()
        } else {
            Reply::ok(r#"{"TableNames":[]}"#)
        }
    })
    .await;
    let client = server
        .client_builder()
        .retry_config(fast_retry(3).mode(RetryMode::Adaptive))
        .build()
        .expect("client");
    client.list_tables(&list()).await.expect("third attempt");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_name_that_does_not_resolve_fails_within_two_seconds() {
    // `.invalid` never resolves; the resolver is bounded by the connect timeout.
    let client = common::over_transport_under_test(Client::builder())
        .endpoint_url("http://dynamo.does-not-resolve.invalid:8000")
        .credentials(dynamo_core::Credentials::new(AKID, SECRET, None))
        .no_proxy()
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client.list_tables(&list()).await.expect_err("no such name");
    assert!(
        started.elapsed() < Duration::from_secs(2) + MARGIN,
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(err.kind(), ErrorKind::Transport | ErrorKind::Timeout),
        "{err}"
    );
}
