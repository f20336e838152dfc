//! HTTP: one pooled `reqwest` client, and the checks every response gets.
//!
//! Responses are judged by status, body and the `x-amz-crc32` header only:
//! any `Content-Type` is accepted and `Connection: close` is honoured, as a
//! proxy or an emulator may send either. Like other `reqwest` clients, the
//! pool honours the `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` variables.

use std::time::Duration;

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;
use serde::Deserialize;

use super::signing::Signature;
use crate::error::Error;

static X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
static X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
static X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const AMZ_JSON: HeaderValue = HeaderValue::from_static("application/x-amz-json-1.0");
const AGENT: HeaderValue =
    HeaderValue::from_static(concat!("dynamo-rs/", env!("CARGO_PKG_VERSION")));

/// Timeouts and pooling of the HTTP client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HttpSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) pool_idle_timeout: Duration,
}

/// The HTTP client bound to one endpoint.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    url: Url,
    host: HeaderValue,
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

impl Transport {
    /// A keep-alive connection pool to `url`, sending `host` as `Host`.
    pub(crate) fn new(
        url: Url,
        host: HeaderValue,
        settings: HttpSettings,
    ) -> Result<Transport, Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .pool_idle_timeout(settings.pool_idle_timeout)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| Error::config("cannot build the HTTP client").with_source(e))?;
        Ok(Transport { http, url, host })
    }

    /// Sends one signed request and reads the whole response.
    pub(crate) async fn send(
        &self,
        target: &HeaderValue,
        signature: Signature,
        body: Bytes,
    ) -> Result<RawResponse, Error> {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(HOST, self.host.clone());
        headers.insert(CONTENT_TYPE, AMZ_JSON);
        headers.insert(USER_AGENT, AGENT);
        headers.insert(X_AMZ_TARGET.clone(), target.clone());
        headers.insert(X_AMZ_DATE.clone(), signature.amz_date);
        if let Some(token) = signature.security_token {
            headers.insert(X_AMZ_SECURITY_TOKEN.clone(), token);
        }
        headers.insert(AUTHORIZATION, signature.authorization);

        let response = self
            .http
            .post(self.url.clone())
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(from_reqwest)?;
        let status = response.status().as_u16();
        let request_id = header_str(response.headers(), "x-amzn-requestid").map(str::to_owned);
        let crc32 = response
            .headers()
            .get("x-amz-crc32")
            .map(|v| v.to_str().ok().and_then(|s| s.trim().parse::<u32>().ok()));
        let body = response.bytes().await.map_err(from_reqwest)?;
        Ok(RawResponse {
            status,
            request_id,
            crc32,
            body,
        })
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn from_reqwest(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::timeout(e)
    } else {
        Error::transport(e)
    }
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
}
