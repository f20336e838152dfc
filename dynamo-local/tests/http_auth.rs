//! Signature verification over real sockets. SigV4 requests are signed with
//! AWS's own `aws-sigv4` crate, so the server is checked against an
//! implementation other than its own.

mod http_support;

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use base64::Engine as _;
use dynamo_local::LocalServer;
use hmac::{Hmac, Mac};
use http_support::{RawConn, RawResponse};
use sha2::{Digest, Sha256};

const TARGET: &str = "DynamoDB_20111205.ListTables";
const BODY: &str = "{}";

async fn verifying_server() -> LocalServer {
    LocalServer::builder()
        .verify_signatures([("AKID", "SECRET"), ("OTHER", "S2")])
        .start()
        .await
        .expect("start")
}

/// SigV4 headers for a ListTables POST to `localhost`, scoped like boto (`localhost/localhost`).
fn sigv4_headers(key: &str, secret: &str, region: &str, body: &str) -> Vec<(String, String)> {
    let identity = Credentials::new(key, secret, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("localhost")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let unsigned = [("host", "localhost"), ("x-amz-target", TARGET)];
    let request = SignableRequest::new(
        "POST",
        "http://localhost/",
        unsigned.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable");
    let (instructions, _) = sign(request, &params).expect("sign").into_parts();
    instructions
        .headers()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

async fn post(conn: &mut RawConn, extra: &[(String, String)], body: &str) -> RawResponse {
    let mut headers = vec![
        ("Content-Type", "application/x-amz-json-1.0"),
        ("X-Amz-Target", TARGET),
    ];
    headers.extend(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    conn.send("POST", &headers, body.as_bytes()).await
}

fn assert_coral_error(response: &RawResponse, name: &str) {
    assert_eq!(response.status, 400, "{name}");
    response.assert_service_headers();
    let json = response.json();
    assert_eq!(
        json["__type"],
        format!("com.amazon.coral.service#{name}"),
        "{json}"
    );
    assert!(
        json["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{json}"
    );
}

#[tokio::test]
async fn default_server_accepts_any_or_no_credentials() {
    let server = dynamo_local::start().await.expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    assert_eq!(post(&mut conn, &[], BODY).await.status, 200);
    let signed = sigv4_headers("WHOEVER", "whatever", "us-east-1", BODY);
    assert_eq!(post(&mut conn, &signed, BODY).await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn good_sigv4_passes_with_any_scope() {
    let server = verifying_server().await;
    let mut conn = RawConn::connect(server.local_addr()).await;
    for (key, secret, region) in [
        ("AKID", "SECRET", "localhost"),
        ("OTHER", "S2", "0"),
        ("AKID", "SECRET", "us-east-1"),
    ] {
        let signed = sigv4_headers(key, secret, region, BODY);
        let response = post(&mut conn, &signed, BODY).await;
        assert_eq!(
            response.status,
            200,
            "{key} {region}: {:?}",
            response.json()
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn bad_sigv4_is_refused_with_the_service_errors() {
    let server = verifying_server().await;
    let mut conn = RawConn::connect(server.local_addr()).await;

    let wrong_secret = sigv4_headers("AKID", "NOT-SECRET", "localhost", BODY);
    assert_coral_error(
        &post(&mut conn, &wrong_secret, BODY).await,
        "InvalidSignatureException",
    );

    let other_body = sigv4_headers("AKID", "SECRET", "localhost", BODY);
    assert_coral_error(
        &post(&mut conn, &other_body, "{\"Limit\": 1}").await,
        "InvalidSignatureException",
    );

    let unknown = sigv4_headers("NOBODY", "SECRET", "localhost", BODY);
    assert_coral_error(
        &post(&mut conn, &unknown, BODY).await,
        "UnrecognizedClientException",
    );

    let missing = post(&mut conn, &[], BODY).await;
    assert_coral_error(&missing, "MissingAuthenticationTokenException");
    assert_eq!(
        missing.json()["message"],
        "Request is missing Authentication Token"
    );

    let malformed = [(
        "Authorization".to_owned(),
        "AWS4-HMAC-SHA256 Signature=00".to_owned(),
    )];
    let response = post(&mut conn, &malformed, BODY).await;
    assert_coral_error(&response, "IncompleteSignatureException");
    let message = response.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.starts_with("Authorization header requires 'Credential' parameter."),
        "{message}"
    );

    assert_eq!(
        post(&mut conn, &other_body, BODY).await.status,
        200,
        "connection survives refusals"
    );
    server.shutdown().await;
}

/// AWS3 signature computed as boto's `HmacAuthV3HTTPHandler` does.
fn aws3_headers(key: &str, secret: &str, body: &str) -> Vec<(String, String)> {
    let date = "Thu, 26 Nov 2026 19:18:40 GMT";
    let string_to_sign =
        format!("POST\n/\n\nhost:localhost\nx-amz-date:{date}\nx-amz-target:{TARGET}\n\n{body}");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(&Sha256::digest(string_to_sign.as_bytes()));
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    vec![
        ("X-Amz-Date".to_owned(), date.to_owned()),
        (
            "X-Amzn-Authorization".to_owned(),
            format!(
                "AWS3 AWSAccessKeyId={key},Algorithm=HmacSHA256,SignedHeaders=Host;X-Amz-Date;X-Amz-Target,Signature={signature}"
            ),
        ),
    ]
}

#[tokio::test]
async fn aws3_good_passes_and_bad_is_refused() {
    let server = verifying_server().await;
    let mut conn = RawConn::connect(server.local_addr()).await;
    let good = aws3_headers("AKID", "SECRET", BODY);
    assert_eq!(post(&mut conn, &good, BODY).await.status, 200);
    let wrong_secret = aws3_headers("AKID", "WRONG", BODY);
    assert_coral_error(
        &post(&mut conn, &wrong_secret, BODY).await,
        "InvalidSignatureException",
    );
    let unknown = aws3_headers("NOBODY", "SECRET", BODY);
    assert_coral_error(
        &post(&mut conn, &unknown, BODY).await,
        "UnrecognizedClientException",
    );
    let incomplete = [(
        "X-Amzn-Authorization".to_owned(),
        "AWS3 AWSAccessKeyId=AKID".to_owned(),
    )];
    assert_coral_error(
        &post(&mut conn, &incomplete, BODY).await,
        "IncompleteSignatureException",
    );
    server.shutdown().await;
}

#[test]
fn builder_debug_shows_access_keys_but_no_secret() {
    let builder = LocalServer::builder()
        .verify_signatures([("AKID", "TOP-SECRET-1"), ("OTHER", "TOP-SECRET-2")])
        .tls_pem("-----BEGIN CERTIFICATE-----", "PRIVATE-KEY-MATERIAL");
    let shown = format!("{builder:?} {builder:#?}");
    assert!(shown.contains("AKID") && shown.contains("OTHER"), "{shown}");
    for secret in ["TOP-SECRET-1", "TOP-SECRET-2", "PRIVATE-KEY-MATERIAL"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}
