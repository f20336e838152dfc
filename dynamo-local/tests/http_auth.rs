//! Signature verification over real sockets. SigV4 requests are signed with
//! AWS's own `aws-sigv4` crate, so the server is checked against an
//! implementation other than its own.

mod http_support;

use std::time::{Duration, SystemTime};

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

/// SigV4 headers for a ListTables POST to `localhost`, scoped to `dynamodb` in `region`.
fn sigv4_headers(key: &str, secret: &str, region: &str, body: &str) -> Vec<(String, String)> {
    Signing::new(key, secret, region).headers(body)
}

/// One way of signing: who, where, when, and which headers are signed.
struct Signing<'a> {
    key: &'a str,
    secret: &'a str,
    region: &'a str,
    service: &'a str,
    time: SystemTime,
    target: &'a str,
}

impl<'a> Signing<'a> {
    fn new(key: &'a str, secret: &'a str, region: &'a str) -> Signing<'a> {
        Signing {
            key,
            secret,
            region,
            service: "dynamodb",
            time: SystemTime::now(),
            target: TARGET,
        }
    }

    /// Signs `host`, `x-amz-date` and, unless `target` is empty, `x-amz-target`.
    fn headers(&self, body: &str) -> Vec<(String, String)> {
        let identity = Credentials::new(self.key, self.secret, None, None, "test").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(self.time)
            .settings(SigningSettings::default())
            .build()
            .expect("signing params")
            .into();
        let mut unsigned = vec![("host", "localhost")];
        if !self.target.is_empty() {
            unsigned.push(("x-amz-target", self.target));
        }
        sign_headers(&unsigned, body, &params)
    }
}

fn sign_headers(
    unsigned: &[(&str, &str)],
    body: &str,
    params: &aws_sigv4::http_request::SigningParams<'_>,
) -> Vec<(String, String)> {
    let request = SignableRequest::new(
        "POST",
        "http://localhost/",
        unsigned.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable");
    let (instructions, _) = sign(request, params).expect("sign").into_parts();
    instructions
        .headers()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

async fn post(conn: &mut RawConn, extra: &[(String, String)], body: &str) -> RawResponse {
    post_to(conn, TARGET, extra, body).await
}

async fn post_to(
    conn: &mut RawConn,
    target: &str,
    extra: &[(String, String)],
    body: &str,
) -> RawResponse {
    let mut headers = vec![
        ("Content-Type", "application/x-amz-json-1.0"),
        ("X-Amz-Target", target),
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
async fn good_sigv4_passes_in_any_region_when_none_is_set() {
    let server = verifying_server().await;
    let mut conn = RawConn::connect(server.local_addr()).await;
    for (key, secret, region) in [
        ("AKID", "SECRET", "localhost"),
        ("OTHER", "S2", "eu-west-1"),
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
    aws3_headers_at(key, secret, body, SystemTime::now())
}

fn aws3_headers_at(key: &str, secret: &str, body: &str, at: SystemTime) -> Vec<(String, String)> {
    let date = httpdate::fmt_http_date(at);
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
    let stale = aws3_headers_at("AKID", "SECRET", BODY, SystemTime::now() - 16 * MINUTE);
    let response = post(&mut conn, &stale, BODY).await;
    assert_coral_error(&response, "InvalidSignatureException");
    assert!(message(&response).starts_with("Signature expired: "));
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

/// Request headers as (name, value) pairs.
type Headers = Vec<(String, String)>;

const MINUTE: Duration = Duration::from_secs(60);

fn message(response: &RawResponse) -> String {
    response.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Replaces `from` by `to` in the Authorization header (a forgery that
/// keeps the signature bytes).
fn tamper(headers: &[(String, String)], from: &str, to: &str) -> Vec<(String, String)> {
    let tampered: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            if name.eq_ignore_ascii_case("authorization") {
                (name.clone(), value.replacen(from, to, 1))
            } else {
                (name.clone(), value.clone())
            }
        })
        .collect();
    assert_ne!(
        tampered, headers,
        "`{from}` not in the Authorization header"
    );
    tampered
}

/// The forgeries of issue 11, each refused with the service's error type and
/// message: a date out of the 15-minute window, a scope naming another day,
/// service or region, and signed-header lists that leave out `host` or an
/// `x-amz-*` header the request carries.
#[tokio::test]
async fn forged_or_stale_sigv4_is_refused_as_aws_refuses_it() {
    let server = LocalServer::builder()
        .verify_signatures([("AKID", "SECRET")])
        .region("us-east-1")
        .start()
        .await
        .expect("start");
    let mut conn = RawConn::connect(server.local_addr()).await;
    let now = SystemTime::now();
    let signing = |time: SystemTime| Signing {
        time,
        ..Signing::new("AKID", "SECRET", "us-east-1")
    };
    let good = signing(now).headers(BODY);
    assert_eq!(post(&mut conn, &good, BODY).await.status, 200);

    let mut refusals: Vec<(&str, Headers, &str)> = Vec::new();
    for (what, at) in [
        ("16 minutes old", now - 16 * MINUTE),
        ("a year old", now - 365 * 24 * 60 * MINUTE),
    ] {
        refusals.push((what, signing(at).headers(BODY), "Signature expired: "));
    }
    for (what, at) in [
        ("16 minutes ahead", now + 16 * MINUTE),
        ("a day ahead", now + 24 * 60 * MINUTE),
    ] {
        refusals.push((
            what,
            signing(at).headers(BODY),
            "Signature not yet current: ",
        ));
    }
    let other_region = Signing::new("AKID", "SECRET", "eu-west-1").headers(BODY);
    refusals.push((
        "another region",
        other_region,
        "Credential should be scoped to a valid region, not 'eu-west-1'.",
    ));
    let other_service = Signing {
        service: "localhost",
        ..Signing::new("AKID", "SECRET", "us-east-1")
    }
    .headers(BODY);
    refusals.push((
        "another service",
        other_service,
        "Credential should be scoped to correct service: 'dynamodb'.",
    ));
    let day = |at: SystemTime| httpdate_day(at);
    let other_day = tamper(
        &good,
        &format!("/{}/", day(now)),
        &format!("/{}/", day(now - 24 * 60 * MINUTE)),
    );
    refusals.push((
        "another day in the scope",
        other_day,
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP",
    ));
    let no_host = tamper(&good, "SignedHeaders=host;", "SignedHeaders=");
    refusals.push((
        "SignedHeaders without host",
        no_host,
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    ));
    let only_date = tamper(&good, "host;x-amz-date;x-amz-target", "x-amz-date");
    refusals.push((
        "SignedHeaders only x-amz-date",
        only_date,
        "'Host' or ':authority' must be a 'SignedHeader'",
    ));
    for (what, headers, expected) in refusals {
        let response = post(&mut conn, &headers, BODY).await;
        assert_coral_error(&response, "InvalidSignatureException");
        assert!(
            message(&response).starts_with(expected),
            "{what}: {}",
            message(&response)
        );
    }
    server.shutdown().await;
}

/// A GetItem signed over `host;x-amz-date` only, re-sent as DeleteItem, must
/// not delete anything: `X-Amz-Target` is sent, so it must be signed.
#[tokio::test]
async fn unsigned_target_cannot_turn_a_get_into_a_delete() {
    let server = verifying_server().await;
    server
        .engine()
        .execute(
            "CreateTable",
            br#"{"TableName":"things","KeySchema":{"HashKeyElement":{"AttributeName":"k","AttributeType":"S"}},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}"#,
        )
        .expect("create");
    server
        .engine()
        .execute(
            "PutItem",
            br#"{"TableName":"things","Item":{"k":{"S":"x"}}}"#,
        )
        .expect("put");
    let body = r#"{"TableName":"things","Key":{"HashKeyElement":{"S":"x"}}}"#;
    let get_signed_without_target = Signing {
        target: "",
        ..Signing::new("AKID", "SECRET", "us-east-1")
    }
    .headers(body);
    let mut conn = RawConn::connect(server.local_addr()).await;
    let response = post_to(
        &mut conn,
        "DynamoDB_20111205.DeleteItem",
        &get_signed_without_target,
        body,
    )
    .await;
    assert_coral_error(&response, "InvalidSignatureException");
    assert_eq!(
        message(&response),
        "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."
    );
    let item = server
        .engine()
        .execute("GetItem", body.as_bytes())
        .expect("get");
    assert!(
        String::from_utf8_lossy(&item).contains(r#""k":{"S":"x"}"#),
        "the item is still there"
    );
    server.shutdown().await;
}

/// `YYYYMMDD` of `at` (UTC), from its HTTP date.
fn httpdate_day(at: SystemTime) -> String {
    let text = httpdate::fmt_http_date(at); // "Thu, 26 Nov 2026 19:18:40 GMT"
    let parts: Vec<&str> = text.split_whitespace().collect();
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == parts[2])
    .expect("month")
        + 1;
    format!("{}{month:02}{}", parts[3], parts[1])
}
