//! The default credential chain, each source against a fake the test
//! starts on 127.0.0.1, proven by requests a dynamo-local that verifies
//! signatures accepts with exactly the keys the source served, and by a
//! refresh when they expire. No test reaches a real metadata address: every
//! environment here is the test's own, with IMDS disabled or pointed at a
//! fake.
//!
//! With the `aws-config` feature the chain is the SDK's (see sdk_config.rs).

#![cfg(not(feature = "aws-config"))]

mod fakes;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dynamo_core::client::{Client, ClientBuilder};
use dynamo_core::wire::ListTablesInput;
use dynamo_core::{Connection, ErrorKind};
use fakes::{Fake, Seen, TempDir, served, verifying_local};
use http::Method;

const K1: (&str, &str) = ("AKIDONE", "secret-one");
const K2: (&str, &str) = ("AKIDTWO", "secret-two");
/// Inside the client's 60 s refresh margin: the next call asks again.
const SOON: Duration = Duration::from_secs(30);
const LATER: Duration = Duration::from_secs(3600);

fn client(env: &HashMap<String, String>) -> Client {
    ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .build()
        .expect("client")
}

async fn list(client: &Client) -> Result<(), dynamo_core::Error> {
    client
        .list_tables(&ListTablesInput::default())
        .await
        .map(|_| ())
}

/// A fake IMDSv2: a token first, then reads with it; credentials in turn from `creds`.
async fn fake_imds(creds: Vec<String>) -> Fake {
    let next = AtomicUsize::new(0);
    Fake::start(move |s: &Seen| {
        if s.path == "/latest/api/token" {
            let ttl = s.headers.get("x-aws-ec2-metadata-token-ttl-seconds");
            return match (&s.method, ttl) {
                (&Method::PUT, Some(_)) => (200, "imds-token".into()),
                _ => (400, String::new()),
            };
        }
        let token = s.headers.get("x-aws-ec2-metadata-token");
        if s.method != Method::GET || token.is_none_or(|t| t != "imds-token") {
            return (401, String::new());
        }
        match s.path.as_str() {
            "/latest/meta-data/iam/security-credentials/" => (200, "the-role\n".into()),
            "/latest/meta-data/iam/security-credentials/the-role" => {
                let i = next.fetch_add(1, Ordering::SeqCst).min(creds.len() - 1);
                (200, creds[i].clone())
            }
            "/latest/meta-data/placement/region" => (200, "eu-central-1".into()),
            _ => (404, String::new()),
        }
    })
    .await
}

#[tokio::test]
async fn imds_v2_credentials_sign_requests_and_are_refreshed_before_expiry() {
    let local = verifying_local(&[K1, K2]).await;
    let imds = fake_imds(vec![
        served(K1.0, K1.1, "tok1", SOON),
        served(K2.0, K2.1, "tok2", LATER),
    ])
    .await;
    let dir = TempDir::new("imds");
    let mut env = dir.env(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
        ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
        ("AWS_REGION", "us-east-1".into()),
    ]);
    env.remove("AWS_EC2_METADATA_DISABLED");
    let client = client(&env);
    for _ in 0..3 {
        list(&client).await.expect("signed with the served keys");
    }
    let role = "/latest/meta-data/iam/security-credentials/the-role";
    // First keys expired soon, so the second call loaded new ones; the
    // third used the cached second keys.
    assert_eq!(imds.count(role), 2);
    assert_eq!(imds.count("/latest/api/token"), 2);
}

#[tokio::test]
async fn refreshed_credentials_are_the_ones_used() {
    let local = verifying_local(&[K1]).await;
    // The refresh serves a wrong secret: the next call must fail on it.
    let imds = fake_imds(vec![
        served(K1.0, K1.1, "tok1", SOON),
        served(K1.0, "not-the-secret", "tok2", LATER),
    ])
    .await;
    let dir = TempDir::new("imds-wrong");
    let mut env = dir.env(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
        ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
    ]);
    env.remove("AWS_EC2_METADATA_DISABLED");
    let client = client(&env);
    list(&client).await.expect("first keys");
    let err = list(&client).await.expect_err("wrong refreshed secret");
    assert_eq!(err.status(), Some(400), "{err}");
}

#[tokio::test]
async fn region_comes_from_instance_metadata_with_load() {
    let imds = fake_imds(vec![served(K1.0, K1.1, "t", LATER)]).await;
    let dir = TempDir::new("imds-region");
    let mut env = dir.env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url())]);
    env.remove("AWS_EC2_METADATA_DISABLED");
    let client = ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .load()
        .await
        .expect("client");
    assert_eq!(client.region(), "eu-central-1");
    assert_eq!(
        client.endpoint(),
        "https://dynamodb.eu-central-1.amazonaws.com/"
    );
}

/// A fake container endpoint requiring `Authorization: expected`.
async fn fake_container(expected: &'static str, creds: Vec<String>) -> Fake {
    let next = AtomicUsize::new(0);
    Fake::start(move |s: &Seen| {
        let auth = s.headers.get("authorization").and_then(|v| v.to_str().ok());
        if s.path != "/creds" || auth != Some(expected) {
            return (403, String::new());
        }
        let i = next.fetch_add(1, Ordering::SeqCst).min(creds.len() - 1);
        (200, creds[i].clone())
    })
    .await
}

#[tokio::test]
async fn container_credentials_with_a_token_file_sign_and_refresh() {
    let local = verifying_local(&[K1, K2]).await;
    let fake = fake_container(
        "pod-identity-token",
        vec![
            served(K1.0, K1.1, "t1", SOON),
            served(K2.0, K2.1, "t2", LATER),
        ],
    )
    .await;
    let dir = TempDir::new("container");
    let token_file = dir.file("token", "pod-identity-token\n");
    let env = dir.env(&[
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", fake.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ignored-when-a-file-is-set".into(),
        ),
        ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
    ]);
    let client = client(&env);
    for _ in 0..3 {
        list(&client).await.expect("signed with container keys");
    }
    assert_eq!(fake.count("/creds"), 2);
}

#[tokio::test]
async fn container_credentials_with_a_token_variable() {
    let local = verifying_local(&[K2]).await;
    let fake = fake_container("ecs-token", vec![served(K2.0, K2.1, "t", LATER)]).await;
    let dir = TempDir::new("container-var");
    let env = dir.env(&[
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", fake.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-token".into()),
        ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
    ]);
    list(&client(&env)).await.expect("signed");
    let wrong = dir.env(&[
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", fake.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "other".into()),
        ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
    ]);
    let err = list(&client(&wrong)).await.expect_err("refused token");
    assert_eq!(err.kind(), ErrorKind::Credentials);
    assert!(err.to_string().contains("HTTP 403"), "{err}");
    let remote = dir.env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://192.0.2.1/creds".to_owned(),
    )]);
    let err = ClientBuilder::from_env_with(|n| remote.get(n).cloned())
        .region("us-east-1")
        .build()
        .expect_err("plain http to a remote host");
    assert!(err.to_string().contains("must use https"), "{err}");
}

#[tokio::test]
async fn credential_process_output_signs_and_is_rerun_on_expiry() {
    let local = verifying_local(&[K1, K2]).await;
    let dir = TempDir::new("process");
    let count = dir.0.join("count");
    let one = served(K1.0, K1.1, "s1", SOON).replace("\"Code\":\"Success\"", "\"Version\":1");
    let two = served(K2.0, K2.1, "s2", LATER).replace("\"Code\":\"Success\"", "\"Version\":1");
    let script = dir.file(
        "creds.sh",
        &format!(
            "n=$(cat '{c}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{c}'\n\
             if [ $n = 1 ]; then echo '{one}'; else echo '{two}'; fi\n",
            c = count.display()
        ),
    );
    let config = dir.file(
        "config",
        &format!("[profile proc]\ncredential_process = sh {script}\n"),
    );
    let env = dir.env(&[
        ("AWS_CONFIG_FILE", config),
        ("AWS_PROFILE", "proc".into()),
        ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
    ]);
    let client = client(&env);
    for _ in 0..3 {
        list(&client).await.expect("signed with the process's keys");
    }
    let runs = std::fs::read_to_string(&count).expect("count");
    assert_eq!(runs.trim(), "2");
}

#[tokio::test]
async fn a_failing_credential_process_names_its_profile() {
    let dir = TempDir::new("process-fail");
    let config = dir.file("config", "[profile p]\ncredential_process = exit 3\n");
    let env = dir.env(&[
        ("AWS_CONFIG_FILE", config),
        ("AWS_PROFILE", "p".into()),
        ("AWS_REGION", "us-east-1".into()),
    ]);
    let err = list(&client(&env)).await.expect_err("exit 3");
    assert_eq!(err.kind(), ErrorKind::Credentials);
    assert!(err.to_string().contains("profile `p`"), "{err}");
}

#[tokio::test]
async fn environment_keys_come_first() {
    let local = verifying_local(&[K2]).await;
    let dir = TempDir::new("env-keys");
    let config = dir.file(
        "config",
        "[default]\naws_access_key_id = AKIDONE\naws_secret_access_key = x\n",
    );
    let env = dir.env(&[
        ("AWS_CONFIG_FILE", config),
        ("AWS_ACCESS_KEY_ID", K2.0.into()),
        ("AWS_SECRET_ACCESS_KEY", K2.1.into()),
        ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
    ]);
    list(&client(&env)).await.expect("env keys");
}

#[test]
fn profiles_that_need_sts_or_sso_name_the_feature() {
    let dir = TempDir::new("needs-sdk");
    let config = dir.file(
        "config",
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n\
         [profile base]\naws_access_key_id = A\naws_secret_access_key = B\n\
         [profile sso]\nsso_session = corp\n",
    );
    for (profile, found) in [("admin", "role_arn"), ("sso", "sso_session")] {
        let env = dir.env(&[
            ("AWS_CONFIG_FILE", config.clone()),
            ("AWS_PROFILE", profile.into()),
            ("AWS_REGION", "us-east-1".into()),
        ]);
        let err = ClientBuilder::from_env_with(|n| env.get(n).cloned())
            .build()
            .expect_err("needs aws-config");
        let text = err.to_string();
        assert_eq!(err.kind(), ErrorKind::Credentials);
        assert!(text.contains(&format!("profile `{profile}`")), "{text}");
        assert!(
            text.contains(found) && text.contains("`aws-config` feature"),
            "{text}"
        );
    }
    let env = dir.env(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", dir.file("wi", "jwt")),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod".into()),
        ("AWS_REGION", "us-east-1".into()),
    ]);
    let err = ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .build()
        .expect_err("web identity");
    assert!(err.to_string().contains("`aws-config` feature"), "{err}");
}

#[test]
fn nothing_to_try_is_an_error_that_says_what_was_tried() {
    let dir = TempDir::new("nothing");
    let env = dir.env(&[("AWS_REGION", "us-east-1".into())]);
    let err = ClientBuilder::from_env_with(|n| env.get(n).cloned())
        .build()
        .expect_err("no source");
    let text = err.to_string();
    assert_eq!(err.kind(), ErrorKind::Credentials);
    for part in [
        "AWS_ACCESS_KEY_ID",
        "profile `default`",
        "container",
        "AWS_EC2_METADATA_DISABLED",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[tokio::test]
async fn unreachable_instance_metadata_fails_fast_with_a_hint() {
    // A closed port on 127.0.0.1 stands in for "not on EC2".
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let dir = TempDir::new("imds-closed");
    let mut env = dir.env(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", url),
        ("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9".into()),
    ]);
    env.remove("AWS_EC2_METADATA_DISABLED");
    let started = std::time::Instant::now();
    let err = list(&client(&env)).await.expect_err("no metadata");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), ErrorKind::Credentials);
    assert!(
        err.to_string().contains("AWS_EC2_METADATA_DISABLED=true"),
        "{err}"
    );
}

/// `connect_to_region` reads the process environment, so it runs in a child
/// process with an environment of its own.
#[test]
fn connect_to_region_finds_environment_keys() {
    if std::env::var_os("DYNAMO_CHAIN_CHILD").is_some() {
        let conn = Connection::connect_to_region("us-west-2").expect("keys from the environment");
        assert_eq!(conn.client().region(), "us-west-2");
        assert_eq!(
            conn.client().endpoint(),
            "https://dynamodb.us-west-2.amazonaws.com/"
        );
        let explicit =
            Connection::connect_to_region_with_keys("eu-west-1", "AKID", "secret").expect("keys");
        assert_eq!(explicit.client().region(), "eu-west-1");
        return;
    }
    let dir = TempDir::new("child");
    let exe = std::env::current_exe().expect("test binary");
    let output = std::process::Command::new(exe)
        .args([
            "--exact",
            "connect_to_region_finds_environment_keys",
            "--test-threads=1",
        ])
        .env_clear()
        .env("DYNAMO_CHAIN_CHILD", "1")
        .env("HOME", dir.0.join("home"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDCHILD")
        .env("AWS_SECRET_ACCESS_KEY", "child-secret")
        .output()
        .expect("child");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn debug_output_never_shows_secrets() {
    let dir = TempDir::new("debug");
    let env = dir.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDSHOWN".into()),
        ("AWS_SECRET_ACCESS_KEY", "very-secret-value".into()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "container-secret".into(),
        ),
        (
            "HTTPS_PROXY",
            "http://user:proxy-password@127.0.0.1:3128".into(),
        ),
        ("AWS_REGION", "us-east-1".into()),
    ]);
    let builder = ClientBuilder::from_env_with(|n| env.get(n).cloned());
    let shown = format!("{builder:?}");
    let client = builder.build().expect("client");
    let shown = format!("{shown} {client:?}");
    for secret in ["very-secret-value", "container-secret", "proxy-password"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}
