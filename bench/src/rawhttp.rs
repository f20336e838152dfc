//! The raw HTTP side: a pooled hyper client sending pre-built, pre-signed
//! requests (the ceiling every client is compared with, and the load generator).

use bytes::Bytes;
use http::{HeaderValue, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// A pooled HTTP/1.1 keep-alive client.
pub type RawClient = Client<HttpConnector, Full<Bytes>>;

/// The wire API version a request is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    /// `DynamoDB_20111205` (ours, boto, moto's v1 handler).
    V2011,
    /// `DynamoDB_20120810` (aws-sdk, dynalite).
    V2012,
}

impl ApiVersion {
    /// The `X-Amz-Target` prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V2011 => "DynamoDB_20111205",
            ApiVersion::V2012 => "DynamoDB_20120810",
        }
    }
}

/// A keep-alive client with TCP_NODELAY, as every benchmarked client uses.
pub fn raw_client() -> RawClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(256)
        .build(connector)
}

/// One request ready to send: everything but the per-send clone is done.
#[derive(Debug, Clone)]
pub struct Prepared {
    uri: Uri,
    host: HeaderValue,
    target: HeaderValue,
    body: Bytes,
}

/// The fixed, well-formed SigV4 header the pre-built requests carry. None of the
/// servers measured verifies signatures by default, so it is computed once.
const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261126/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0c5cde5b6a54d7bd2a5d23b2c6b4c1a3d7e2b8f9a0c1d2e3f4a5b6c7d8e9f0a1";

impl Prepared {
    /// A request to `url` for `version`'s operation `op` with `body`.
    ///
    /// # Errors
    /// When `url` is not a valid URI.
    pub fn new(
        url: &str,
        version: ApiVersion,
        op: &str,
        body: impl Into<Bytes>,
    ) -> Result<Prepared, http::Error> {
        let uri: Uri = url.parse()?;
        let host = uri.authority().map(|a| a.as_str()).unwrap_or("localhost");
        Ok(Prepared {
            host: HeaderValue::from_str(host)?,
            target: HeaderValue::from_str(&format!("{}.{op}", version.prefix()))?,
            uri,
            body: body.into(),
        })
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    fn request(&self) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::new(self.body.clone()));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        headers.insert(http::header::HOST, self.host.clone());
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-amz-json-1.0"),
        );
        headers.insert("x-amz-target", self.target.clone());
        headers.insert("x-amz-date", HeaderValue::from_static("20261126T000000Z"));
        headers.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_static(AUTHORIZATION),
        );
        request
    }
}

/// Why a raw request failed.
#[derive(Debug)]
pub enum RawError {
    /// Connecting or exchanging failed.
    Transport(String),
    /// The server answered with a non-200 status.
    Status(u16, Bytes),
}

impl std::fmt::Display for RawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawError::Transport(e) => write!(f, "transport: {e}"),
            RawError::Status(code, body) => {
                write!(f, "HTTP {code}: {}", String::from_utf8_lossy(body))
            }
        }
    }
}

impl std::error::Error for RawError {}

/// Sends `prepared` and reads the whole response body.
///
/// # Errors
/// A transport failure or a non-200 answer.
pub async fn send(client: &RawClient, prepared: &Prepared) -> Result<Bytes, RawError> {
    let response = client
        .request(prepared.request())
        .await
        .map_err(|e| RawError::Transport(e.to_string()))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| RawError::Transport(e.to_string()))?
        .to_bytes();
    if status != http::StatusCode::OK {
        return Err(RawError::Status(status.as_u16(), body));
    }
    Ok(body)
}
