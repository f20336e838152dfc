//! The `aws-config` feature: an application's `SdkConfig`, and the SDK's
//! chain resolving assume-role and web-identity profiles through a fake STS
//! (`AWS_ENDPOINT_URL_STS`). aws-config reads the process environment, so
//! those run in a child process with an environment of their own.

#![cfg(feature = "aws-config")]

mod fakes;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::SharedCredentialsProvider;
use dynamo_core::Connection;
use fakes::{Fake, Seen, TempDir, rfc3339, verifying_local};

const BASE: (&str, &str) = ("AKIDBASE", "base-secret");
const K1: (&str, &str) = ("ASIAONE", "assumed-one");
const K2: (&str, &str) = ("ASIATWO", "assumed-two");

#[tokio::test]
async fn from_sdk_config_shares_region_endpoint_and_credentials() {
    let local = verifying_local(&[K1]).await;
    let sdk = aws_types::SdkConfig::builder()
        .region(aws_types::region::Region::new("eu-west-1"))
        .endpoint_url(local.endpoint())
        .credentials_provider(SharedCredentialsProvider::new(
            aws_credential_types::Credentials::new(K1.0, K1.1, None, None, "test"),
        ))
        .build();
    let conn = Connection::from_sdk_config(&sdk).expect("connection");
    assert_eq!(conn.client().region(), "eu-west-1");
    conn.list_tables()
        .await
        .expect("signed with the SDK's credentials");
}

/// STS XML for `action` with these keys.
fn sts_answer(action: &str, keys: (&str, &str), expires_in: Duration) -> String {
    let expiration = rfc3339(SystemTime::now() + expires_in);
    let (id, secret) = keys;
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>\
         <SessionToken>session-{id}</SessionToken><Expiration>{expiration}</Expiration></Credentials>\
         <AssumedRoleUser><AssumedRoleId>AROATEST:s</AssumedRoleId>\
         <Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>\
         </{action}Result><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></{action}Response>"
    )
}

/// A fake STS answering `action` with K1 (expiring within the refresh
/// margin), then K2.
async fn fake_sts(action: &'static str) -> Fake {
    let calls = AtomicUsize::new(0);
    Fake::start(move |s: &Seen| {
        if !s.body.contains(&format!("Action={action}")) {
            return (400, String::new());
        }
        let keys = if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            K1
        } else {
            K2
        };
        let expires = if keys == K1 {
            Duration::from_secs(30)
        } else {
            Duration::from_secs(3600)
        };
        (200, sts_answer(action, keys, expires))
    })
    .await
}

/// Runs `test` (a test of this file) in a child with exactly `env`.
async fn in_child(test: &str, env: &[(&str, String)]) {
    let exe = std::env::current_exe().expect("test binary");
    let mut command = tokio::process::Command::new(exe);
    command
        .args(["--exact", test, "--test-threads=1"])
        .env_clear()
        .env("DYNAMO_SDK_CHILD", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().await.expect("child");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// In the child: three calls through `Connection::from_env()`.
async fn child_calls() {
    let conn = Connection::from_env().expect("connection");
    for _ in 0..3 {
        conn.list_tables()
            .await
            .expect("signed with the assumed role's keys");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_profiles_go_through_sts_and_refresh() {
    if std::env::var_os("DYNAMO_SDK_CHILD").is_some() {
        return child_calls().await;
    }
    let local = verifying_local(&[K1, K2]).await;
    let sts = fake_sts("AssumeRole").await;
    let dir = TempDir::new("assume-role");
    let config = dir.file(
        "config",
        &format!(
            "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\n\
             source_profile = base\nregion = us-east-1\n\
             [profile base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            BASE.0, BASE.1
        ),
    );
    in_child(
        "assume_role_profiles_go_through_sts_and_refresh",
        &[
            ("HOME", dir.0.join("home").to_string_lossy().into_owned()),
            ("AWS_CONFIG_FILE", config),
            ("AWS_PROFILE", "admin".into()),
            ("AWS_ENDPOINT_URL_STS", sts.url()),
            ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
        ],
    )
    .await;
    let seen = sts.seen();
    // K1 expired soon, so the second call assumed the role again.
    assert_eq!(seen.len(), 2, "{seen:?}");
    let auth = seen[0]
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    assert!(
        auth.is_some_and(|a| a.contains(&format!("Credential={}/", BASE.0))),
        "STS call signed with the source profile's keys: {auth:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_identity_goes_through_sts() {
    if std::env::var_os("DYNAMO_SDK_CHILD").is_some() {
        return child_calls().await;
    }
    let local = verifying_local(&[K1, K2]).await;
    let sts = fake_sts("AssumeRoleWithWebIdentity").await;
    let dir = TempDir::new("web-identity");
    in_child(
        "web_identity_goes_through_sts",
        &[
            ("HOME", dir.0.join("home").to_string_lossy().into_owned()),
            ("AWS_REGION", "us-east-1".into()),
            (
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                dir.file("token", "header.payload.signature"),
            ),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod".into()),
            ("AWS_ROLE_SESSION_NAME", "pod-session".into()),
            ("AWS_ENDPOINT_URL_STS", sts.url()),
            ("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint()),
        ],
    )
    .await;
    let seen = sts.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[0]
            .body
            .contains("WebIdentityToken=header.payload.signature")
    );
}
