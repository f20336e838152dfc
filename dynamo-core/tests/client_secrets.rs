//! Secrets never show in `Debug` or `Display`; `Error` is thread-safe.

mod common;

use common::{AKID, Reply, Server, verifying};
use dynamo_core::client::{ClientBuilder, ProfileCredentials};
use dynamo_core::wire::ListTablesInput;
use dynamo_core::{Credentials, Error};

const SECRET_KEY: &str = "SuperSecretKeyValue123";
const TOKEN: &str = "SessionTokenValue456";

fn assert_hidden(what: &str, text: &str) {
    assert!(
        !text.contains(SECRET_KEY),
        "{what} shows the secret key: {text}"
    );
    assert!(
        !text.contains(TOKEN),
        "{what} shows the session token: {text}"
    );
}

#[test]
fn error_is_send_sync_static() {
    fn check<T: Send + Sync + 'static + std::error::Error>() {}
    check::<Error>();
}

#[test]
fn client_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<dynamo_core::Client>();
    check::<ClientBuilder>();
}

#[tokio::test]
async fn secrets_are_absent_from_debug_and_display() {
    let server = Server::start(verifying(common::SECRET, |_, _| Reply::ok("{}"))).await;
    let creds = Credentials::new(AKID, SECRET_KEY, Some(TOKEN.into()));
    assert_hidden("Credentials", &format!("{creds:?}"));

    let builder = server.client_builder().credentials(creds);
    assert_hidden("ClientBuilder", &format!("{builder:?}"));
    let client = builder.build().expect("client");
    let shown = format!("{client:?}");
    assert_hidden("Client", &shown);
    assert!(
        shown.contains(AKID),
        "the access key id is not secret: {shown}"
    );

    // The server rejects the signature made with the wrong secret.
    let err = client
        .list_tables(&ListTablesInput::default())
        .await
        .expect_err("rejected");
    assert_eq!(err.service_code(), Some("InvalidSignatureException"));
    assert_hidden("Error (Debug)", &format!("{err:?}"));
    assert_hidden("Error (Display)", &format!("{err}"));

    let env = [
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", TOKEN),
        ("AWS_REGION", "us-east-1"),
    ];
    let from_env = ClientBuilder::from_env_with(|name| {
        env.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    });
    assert_hidden("ClientBuilder::from_env_with", &format!("{from_env:?}"));
    assert_hidden(
        "Client from env",
        &format!("{:?}", from_env.build().expect("client")),
    );
    assert_hidden(
        "ProfileCredentials",
        &format!("{:?}", ProfileCredentials::new("default")),
    );
}
