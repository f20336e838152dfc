//! HTTP: one pooled hyper client, and the checks every response gets.
//!
//! Responses are judged by status, body and the `x-amz-crc32` header only:
//! any `Content-Type` is accepted and `Connection: close` is honoured, as a
//! proxy or an emulator may send either.
//!
//! hyper is used directly by default: measured on the client-overhead bench
//! (BENCHMARKS.md), reqwest's URL re-parsing, redirect and retry layers cost
//! about as much CPU per request as the whole of hyper's HTTP/1 exchange.
//! With the `reqwest` feature, [`super::ClientBuilder::reqwest_client`] sends
//! through the user's own `reqwest::Client` instead (mTLS, custom proxies).
//!
//! Proxies: HTTP endpoints are sent to the proxy in absolute form, HTTPS
//! endpoints through a `CONNECT` tunnel (see [`super::proxy`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST, PROXY_AUTHORIZATION, USER_AGENT,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde::Deserialize;
use url::Url;

use super::deadline;
use super::dns::{self, Tcp};
use super::env::Env;
use super::proxy::Forward;
pub(crate) use super::proxy::ProxySetting;
use super::signing::Signature;
use super::tls::{self, CaBundle};
use crate::error::Error;

static X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
static X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
static X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
// The response headers read, as names: looking one up by `&str` parses the
// string on every call.
static X_AMZN_REQUESTID: HeaderName = HeaderName::from_static("x-amzn-requestid");
static X_AMZ_CRC32: HeaderName = HeaderName::from_static("x-amz-crc32");
const AMZ_JSON: HeaderValue = HeaderValue::from_static("application/x-amz-json-1.0");
const AGENT: HeaderValue =
    HeaderValue::from_static(concat!("dynamo-rs/", env!("CARGO_PKG_VERSION")));

/// Timeouts, pooling, trust and proxies of the HTTP client.
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) ca_bundle: Option<CaBundle>,
    pub(crate) proxy: ProxySetting,
    #[cfg(feature = "reqwest")]
    pub(crate) reqwest: Option<reqwest::Client>,
}

impl Default for HttpSettings {
    fn default() -> HttpSettings {
        HttpSettings {
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(10),
            pool_idle_timeout: Duration::from_secs(90),
            ca_bundle: None,
            proxy: ProxySetting::Env(Env::capture(|n| std::env::var(n).ok())),
            #[cfg(feature = "reqwest")]
            reqwest: None,
        }
    }
}

type Body = Full<Bytes>;

/// The HTTP client underneath, by route.
enum Http {
    Direct(HyperClient<Shared<HttpsConnector<Tcp>>, Body>),
    Tunnel(HyperClient<Shared<HttpsConnector<Tunnel<Tcp>>>, Body>),
    Forward(HyperClient<Shared<Forward>, Body>, Option<HeaderValue>),
    #[cfg(feature = "reqwest")]
    Reqwest(reqwest::Client),
}

/// The HTTP client bound to one endpoint.
pub(crate) struct Transport {
    http: Http,
    uri: Uri,
    /// The headers of every request, those that change per request holding
    /// placeholders (see [`request_headers`]).
    headers: HeaderMap,
    request_timeout: Duration,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("uri", &self.uri)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

/// A connector behind an `Arc`. hyper-util clones its connector on every
/// request, in case the pool has no idle connection, and drops the clone
/// unused when it has one: cloning this is one reference count, where an
/// `HttpsConnector` is three (shared by every request, so contended between
/// threads) and makes each request's future larger. The connector itself is
/// cloned only to connect.
struct Shared<C>(Arc<C>);

impl<C> Shared<C> {
    fn new(connector: C) -> Shared<C> {
        Shared(Arc::new(connector))
    }
}

impl<C> Clone for Shared<C> {
    fn clone(&self) -> Shared<C> {
        Shared(Arc::clone(&self.0))
    }
}

impl<C> tower_service::Service<Uri> for Shared<C>
where
    C: tower_service::Service<Uri> + Clone + Send + 'static,
    C::Future: Send,
{
    type Response = C::Response;
    type Error = C::Error;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, C::Error>> + Send>>;

    /// Always ready: readiness is the clone's, awaited in `call`.
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), C::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let mut connector = C::clone(&self.0);
        Box::pin(async move {
            std::future::poll_fn(|cx| connector.poll_ready(cx)).await?;
            connector.call(uri).await
        })
    }
}

/// A response before interpretation.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    /// `None` without the header, `Some(None)` when it is not a number.
    crc32: Option<Option<u32>>,
    pub(crate) body: Bytes,
}

impl RawResponse {
    /// A success whose body is not used: `{}`.
    pub(crate) fn empty_success(request_id: Option<&str>) -> RawResponse {
        RawResponse {
            status: 200,
            request_id: request_id.map(str::to_owned),
            crc32: None,
            body: Bytes::from_static(b"{}"),
        }
    }
}

impl Transport {
    /// A keep-alive connection pool to `url` (http or https), sending `host`
    /// as `Host`.
    pub(crate) fn new(
        url: Url,
        host: HeaderValue,
        settings: HttpSettings,
    ) -> Result<Transport, Error> {
        let uri: Uri = url
            .as_str()
            .parse()
            .map_err(|e| Error::config("the endpoint URL is not a valid URI").with_source(e))?;
        let request_timeout = settings.request_timeout;
        let http = Transport::client(&uri, settings)?;
        Ok(Transport {
            http,
            uri,
            headers: request_headers(host),
            request_timeout,
        })
    }

    fn client(uri: &Uri, settings: HttpSettings) -> Result<Http, Error> {
        #[cfg(feature = "reqwest")]
        if let Some(client) = settings.reqwest {
            return Ok(Http::Reqwest(client));
        }
        let tcp = dns::tcp(settings.connect_timeout);
        let route = settings.proxy.route(uri)?;
        let builder = || {
            let mut b = HyperClient::builder(TokioExecutor::new());
            b.pool_idle_timeout(settings.pool_idle_timeout)
                .pool_timer(TokioTimer::new());
            b
        };
        let tls = || -> Result<_, Error> {
            Ok(hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls::client_config(settings.ca_bundle.as_ref())?)
                .https_or_http()
                .enable_http1())
        };
        Ok(match route {
            None => Http::Direct(builder().build(Shared::new(tls()?.wrap_connector(tcp)))),
            Some(route) if uri.scheme_str() == Some("https") => {
                let mut tunnel = Tunnel::new(route.proxy, tcp);
                if let Some(auth) = route.auth {
                    tunnel = tunnel.with_auth(auth);
                }
                Http::Tunnel(builder().build(Shared::new(tls()?.wrap_connector(tunnel))))
            }
            Some(route) => {
                let forward = Shared::new(Forward::new(route.proxy, tcp));
                Http::Forward(builder().build(forward), route.auth)
            }
        })
    }

    /// Sends one signed request and reads the whole response, within the
    /// request timeout (or `limit`, when sooner).
    pub(crate) async fn send(
        &self,
        target: &HeaderValue,
        signature: Signature,
        body: Bytes,
        limit: Duration,
    ) -> Result<RawResponse, Error> {
        let length = content_length(body.len());
        let mut request = Request::new(Full::new(body));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        *headers = self.headers.clone();
        headers.insert(CONTENT_LENGTH, length);
        headers.insert(X_AMZ_TARGET.clone(), target.clone());
        headers.insert(X_AMZ_DATE.clone(), signature.amz_date);
        if let Some(token) = signature.security_token {
            headers.insert(X_AMZ_SECURITY_TOKEN.clone(), token);
        }
        headers.insert(AUTHORIZATION, signature.authorization);

        let timeout = self.request_timeout.min(limit);
        let (headers, status, body) = deadline::within(timeout, self.exchange(request))
            .await
            .map_err(|_| Error::timeout(format!("no answer within {timeout:?}")))??;
        let request_id = header_str(&headers, &X_AMZN_REQUESTID).map(str::to_owned);
        let crc32 = headers
            .get(&X_AMZ_CRC32)
            .map(|v| v.to_str().ok().and_then(|s| s.trim().parse::<u32>().ok()));
        Ok(RawResponse {
            status,
            request_id,
            crc32,
            body,
        })
    }

    /// One exchange over whichever client this transport has.
    async fn exchange(&self, mut request: Request<Body>) -> Result<(HeaderMap, u16, Bytes), Error> {
        let response = match &self.http {
            Http::Direct(c) => c.request(request).await,
            Http::Tunnel(c) => c.request(request).await,
            Http::Forward(c, auth) => {
                if let Some(auth) = auth {
                    request
                        .headers_mut()
                        .insert(PROXY_AUTHORIZATION, auth.clone());
                }
                c.request(request).await
            }
            #[cfg(feature = "reqwest")]
            Http::Reqwest(c) => return reqwest_exchange(c, request).await,
        };
        let response = response.map_err(from_client)?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await.map_err(Error::transport)?.to_bytes();
        Ok((parts.headers, parts.status.as_u16(), body))
    }
}

/// One exchange through the user's reqwest client.
#[cfg(feature = "reqwest")]
async fn reqwest_exchange(
    client: &reqwest::Client,
    request: Request<Body>,
) -> Result<(HeaderMap, u16, Bytes), Error> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map_err(Error::transport)?.to_bytes();
    let url = parts.uri.to_string();
    let reqwest_error = |e: reqwest::Error| {
        if e.is_connect() {
            Error::transport(e).not_sent()
        } else if e.is_timeout() {
            Error::timeout(e)
        } else {
            Error::transport(e)
        }
    };
    let response = client
        .request(parts.method, url)
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(reqwest_error)?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(reqwest_error)?;
    Ok((headers, status, body))
}

/// The headers every request carries, in the order they are sent, with
/// placeholders for the four [`Transport::send`] sets.
///
/// Each request starts from a clone of this map rather than an empty one:
/// the clone is allocated at its exact size, while an empty map grows to
/// room for twelve headers, over a kilobyte: past the allocator's
/// per-thread cache, and the costliest allocation of a call in the
/// client-overhead profile. Inserting a header that is already there never
/// grows the map. `Content-Length` is set here for the same
/// reason: hyper would otherwise add it as a ninth entry.
fn request_headers(host: HeaderValue) -> HeaderMap {
    let placeholder = HeaderValue::from_static("");
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(HOST, host);
    headers.insert(CONTENT_TYPE, AMZ_JSON);
    headers.insert(USER_AGENT, AGENT);
    headers.insert(X_AMZ_TARGET.clone(), placeholder.clone());
    headers.insert(X_AMZ_DATE.clone(), placeholder.clone());
    headers.insert(AUTHORIZATION, placeholder);
    headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    headers
}

/// `len` as a header value, in one allocation of its exact size
/// (`HeaderValue::from` takes two: a growing buffer, then the shared handle
/// its freeze adds).
fn content_length(len: usize) -> HeaderValue {
    let mut digits = itoa::Buffer::new();
    HeaderValue::from_bytes(digits.format(len).as_bytes())
        .unwrap_or_else(|_| HeaderValue::from(len))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A failed exchange: a connect timeout is a timeout, anything else a
/// transport error.
fn from_client(e: hyper_util::client::legacy::Error) -> Error {
    let not_sent = e.is_connect();
    let error = classify_client_error(e);
    if not_sent { error.not_sent() } else { error }
}

fn classify_client_error(e: hyper_util::client::legacy::Error) -> Error {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return Error::timeout(e);
        }
        cause = c.source();
    }
    Error::transport(e)
}

/// Checks the CRC (when the header is present) and the status: the body of a
/// success, or the service error the response carries.
pub(crate) fn check(raw: RawResponse) -> Result<RawResponse, Error> {
    if let Some(expected) = raw.crc32
        && expected != Some(crc32fast::hash(&raw.body))
    {
        return Err(Error::crc32_mismatch(raw.status, raw.request_id));
    }
    if raw.status == 200 {
        return Ok(raw);
    }
    Err(service_error(raw))
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "__type")]
    kind: Option<String>,
    message: Option<String>,
    #[serde(rename = "Message")]
    message_upper: Option<String>,
}

/// The error an unsuccessful response carries.
fn service_error(raw: RawResponse) -> Error {
    let parsed = serde_json::from_slice::<ErrorBody>(&raw.body).ok();
    let (code, message) = match parsed {
        Some(body) => (
            body.kind
                .map(|t| t.rsplit('#').next().unwrap_or_default().to_owned())
                .filter(|c| !c.is_empty()),
            body.message.or(body.message_upper),
        ),
        None => (None, None),
    };
    let code = code.unwrap_or_else(|| status_code_name(raw.status));
    Error::service(raw.status, code, message, raw.request_id)
}

/// A code for an error response without a JSON `__type`, from its status.
fn status_code_name(status: u16) -> String {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|reason| reason.chars().filter(char::is_ascii_alphanumeric).collect())
        .unwrap_or_else(|| format!("Http{status}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &'static str, crc32: Option<Option<u32>>) -> RawResponse {
        RawResponse {
            status,
            request_id: Some("RID".into()),
            crc32,
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn error_code_is_the_suffix_after_hash() {
        let e = check(raw(
            400,
            r#"{"__type":"com.amazon.coral.validate#ValidationException","Message":"bad"}"#,
            None,
        ))
        .err();
        let e = e.as_ref();
        assert_eq!(e.and_then(Error::service_code), Some("ValidationException"));
        assert_eq!(e.and_then(Error::message), Some("bad"));
        assert_eq!(e.and_then(Error::request_id), Some("RID"));
    }

    #[test]
    fn non_json_error_takes_code_from_status() {
        let e = check(raw(503, "<html>busy</html>", None)).err();
        assert_eq!(
            e.as_ref().and_then(Error::service_code),
            Some("ServiceUnavailable")
        );
        assert!(e.is_some_and(|e| e.is_retryable()));
    }

    #[test]
    fn crc_is_checked_when_present() {
        let good = crc32fast::hash(b"{}");
        assert!(check(raw(200, "{}", Some(Some(good)))).is_ok());
        assert!(check(raw(200, "{}", None)).is_ok());
        let bad = check(raw(200, "{}", Some(Some(good ^ 1)))).err();
        assert!(bad.is_some_and(|e| e.kind() == crate::ErrorKind::Crc32Mismatch));
        assert!(check(raw(200, "{}", Some(None))).is_err());
    }

    #[test]
    fn content_length_is_the_decimal_length() {
        for len in [0, 7, 10, 1_048_576, usize::MAX] {
            assert_eq!(content_length(len), HeaderValue::from(len));
        }
    }
}
