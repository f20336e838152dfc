//! The HTTP protocol layer: routing on `X-Amz-Target`, body limits,
//! authentication, and the response headers every answer carries
//! (api_2011.md §1.1, §1.2).

use std::convert::Infallible;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use tokio::sync::Semaphore;

use dynamo_core::wire::Op;

use crate::auth::{SignedRequest, Verifier};
use crate::engine::{ApiError, Engine};
use crate::limits::BUDGET_WAIT;

const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.0";
const ACCEPTED_CONTENT_TYPES: [&str; 2] = [JSON_CONTENT_TYPE, "application/json"];
/// Body of the 404 answer to a non-POST or a wrong content type.
const NOT_FOUND_BODY: &[u8] = b"<UnknownOperationException/>\n";
/// Body of the 413 answer (the service sends no JSON here).
const TOO_LARGE_BODY: &[u8] = b"Request Entity Too Large";
/// Body of the 408 answer to a body not sent in time.
const TIMEOUT_BODY: &[u8] = b"Request Timeout";
/// How many bytes of an oversized body are read and discarded so the client
/// gets to see the 413 instead of a reset connection.
const DRAIN_LIMIT: usize = 8 * 1024 * 1024;
/// How long a refused body is drained at most.
const DRAIN_TIME: Duration = Duration::from_secs(5);

/// State shared by every connection of one server.
pub(crate) struct Shared {
    pub(crate) engine: Engine,
    pub(crate) verifier: Option<Verifier>,
    pub(crate) max_body_size: usize,
    pub(crate) ids: RequestIds,
    /// Request bytes that may be read, parsed or executed at once (one permit a byte).
    pub(crate) budget: Arc<Semaphore>,
    /// Time a client may take to send a body.
    pub(crate) body_timeout: Duration,
}

/// Unique `x-amzn-RequestId` values: a random per-server prefix and a counter,
/// 52 characters of `[0-9A-F]` like the service's ids.
pub(crate) struct RequestIds {
    prefix: String,
    counter: AtomicU64,
}

impl RequestIds {
    pub(crate) fn new() -> RequestIds {
        let seed = RandomState::new();
        let high = seed.hash_one(std::time::SystemTime::now());
        let low = RandomState::new().hash_one(high);
        RequestIds {
            prefix: format!("{high:016X}{low:016X}"),
            counter: AtomicU64::new(0),
        }
    }

    fn next(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{}{n:020}", self.prefix)
    }
}

/// One answer before the common headers are added.
struct Reply {
    status: StatusCode,
    body: Bytes,
    close: bool,
}

impl Reply {
    fn new(status: StatusCode, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            body: body.into(),
            close: false,
        }
    }

    /// The same answer, then the connection is closed.
    fn closing(self) -> Reply {
        Reply {
            close: true,
            ..self
        }
    }

    /// The engine's error as an answer.
    fn api_error(error: &ApiError) -> Reply {
        let status =
            StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Reply::new(status, error.to_json())
    }
}

/// Serves one request; never fails, so hyper never drops the connection on bad input.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let request_id = shared.ids.next();
    let (operation, reply) = route(&shared, request).await;
    let corrupt_crc = shared.engine.faults().take_corrupt_crc();
    tracing::debug!(
        request_id = %request_id,
        operation = operation.map_or("-", Op::name),
        status = reply.status.as_u16(),
        elapsed_us = started.elapsed().as_micros() as u64,
        "request"
    );
    Ok(finish(reply, &request_id, corrupt_crc))
}

/// Runs the protocol checks in the service's order, then the engine.
/// Returns the operation name (when known) for logging.
async fn route(shared: &Shared, request: Request<Incoming>) -> (Option<Op>, Reply) {
    let (parts, body) = request.into_parts();
    let declared = body.size_hint().exact();
    if declared.is_some_and(|n| n > shared.max_body_size as u64) {
        drain(body).await;
        return (None, too_large());
    }
    // Room for the whole body (the largest allowed when it is chunked) is
    // reserved before a byte of it is read, and kept until the engine is done.
    let charge = declared.map_or(shared.max_body_size, |n| n as usize).max(1);
    let charge = u32::try_from(charge).unwrap_or(u32::MAX);
    let budget = Arc::clone(&shared.budget);
    let _permit = match tokio::time::timeout(BUDGET_WAIT, budget.acquire_many_owned(charge)).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) | Err(_) => {
            tracing::warn!("in-flight request budget exhausted; answering 503");
            return (None, Reply::api_error(&ApiError::unavailable()).closing());
        }
    };
    let read = tokio::time::timeout(shared.body_timeout, read_body(body, shared.max_body_size));
    let Ok(read) = read.await else {
        return (
            None,
            Reply::new(StatusCode::REQUEST_TIMEOUT, TIMEOUT_BODY).closing(),
        );
    };
    let body = match read {
        Ok(body) => body,
        Err(BodyError::TooLarge) => return (None, too_large()),
        Err(BodyError::Read) => {
            return (
                None,
                Reply::api_error(&ApiError::serialization_message(
                    "Could not read request body",
                )),
            );
        }
    };
    if parts.method != Method::POST || !has_json_content_type(&parts.headers) {
        return (None, Reply::new(StatusCode::NOT_FOUND, NOT_FOUND_BODY));
    }
    let Some(operation) = operation_of(&parts.headers) else {
        return (None, Reply::api_error(&ApiError::unknown_operation()));
    };
    if let Some(verifier) = &shared.verifier {
        let signed = SignedRequest {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query().unwrap_or(""),
            headers: &parts.headers,
            body: &body,
        };
        if let Err(error) = verifier.verify(&signed, std::time::SystemTime::now()) {
            return (Some(operation), Reply::api_error(&error.to_api_error()));
        }
    }
    let reply = execute(&shared.engine, operation, body).await;
    (Some(operation), reply)
}

fn too_large() -> Reply {
    Reply::new(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE_BODY).closing()
}

/// Calls the engine: single-item operations ([`Op::is_single_item`]: one
/// shard lock for microseconds) on the connection's task, since handing them
/// to the blocking pool cost two cross-thread wake-ups per request, several
/// times the engine's own work (BENCHMARKS.md, server CPU per request); the
/// others (Query and Scan walk up to 1 MB under a shard lock, batches up to
/// 100 items, table changes take the catalogue lock), and every operation of
/// a durable engine, on tokio's blocking pool so they never stall the async
/// workers. Either way an engine panic becomes a 500, never a dropped
/// connection.
async fn execute(engine: &Engine, operation: Op, body: Bytes) -> Reply {
    // A durable engine waits for its commit: never on an async worker.
    let outcome = if operation.is_single_item() && !engine.is_durable() {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine.execute_op(operation, &body)
        }))
        .map_err(|_| "engine panicked".to_owned())
    } else {
        let engine = engine.clone();
        tokio::task::spawn_blocking(move || engine.execute_op(operation, &body))
            .await
            .map_err(|e| e.to_string())
    };
    match outcome {
        Ok(Ok(output)) => Reply::new(StatusCode::OK, output),
        Ok(Err(error)) => Reply::api_error(&error),
        Err(failure) => {
            tracing::error!(%failure, %operation, "engine call failed");
            Reply::api_error(&ApiError::internal_failure())
        }
    }
}

/// Adds `x-amzn-RequestId`, `x-amz-crc32`, `Content-Type` and `Content-Length`.
fn finish(reply: Reply, request_id: &str, corrupt_crc: bool) -> Response<Full<Bytes>> {
    let crc = crc32fast::hash(&reply.body);
    let crc = if corrupt_crc {
        crc.wrapping_add(1)
    } else {
        crc
    };
    let length = reply.body.len();
    let mut response = Response::new(Full::new(reply.body));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-RequestId", id);
    }
    headers.insert("x-amz-crc32", HeaderValue::from(crc));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    if reply.close {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

fn has_json_content_type(headers: &http::HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let media_type = value.split(';').next().unwrap_or("").trim();
    ACCEPTED_CONTENT_TYPES
        .iter()
        .any(|accepted| media_type.eq_ignore_ascii_case(accepted))
}

/// The operation named by `X-Amz-Target`, if it is one of the 13 of this API version.
fn operation_of(headers: &http::HeaderMap) -> Option<Op> {
    let target = headers.get("x-amz-target")?.to_str().ok()?;
    Op::from_target(target.trim())
}

enum BodyError {
    TooLarge,
    Read,
}

/// Reads the body, refusing more than `limit` bytes without buffering them.
async fn read_body(mut body: Incoming, limit: usize) -> Result<Bytes, BodyError> {
    let declared = body.size_hint().exact().unwrap_or(0).min(limit as u64);
    let mut buffer = Vec::with_capacity(declared as usize);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Read)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if buffer.len() + data.len() > limit {
            drain(body).await;
            return Err(BodyError::TooLarge);
        }
        buffer.extend_from_slice(&data);
    }
    Ok(Bytes::from(buffer))
}

/// Reads and discards up to [`DRAIN_LIMIT`] more bytes of a refused body,
/// for at most [`DRAIN_TIME`].
async fn drain(mut body: Incoming) {
    let discard = async {
        let mut discarded = 0usize;
        while discarded < DRAIN_LIMIT {
            match body.frame().await {
                Some(Ok(frame)) => discarded += frame.data_ref().map_or(0, Bytes::len),
                _ => break,
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, discard).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_unique_and_service_shaped() {
        let ids = RequestIds::new();
        let (a, b) = (ids.next(), ids.next());
        assert_ne!(a, b);
        assert_eq!(a.len(), 52);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()),
            "{a}"
        );
        assert_ne!(RequestIds::new().next(), RequestIds::new().next());
    }

    #[test]
    fn content_types_accept_parameters_and_case() {
        let mut headers = http::HeaderMap::new();
        assert!(!has_json_content_type(&headers));
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-amz-json-1.0; charset=UTF-8"),
        );
        assert!(has_json_content_type(&headers));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("Application/JSON"));
        assert!(has_json_content_type(&headers));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!has_json_content_type(&headers));
    }

    #[test]
    fn targets_route_only_known_operations() {
        let mut headers = http::HeaderMap::new();
        assert_eq!(operation_of(&headers), None);
        headers.insert(
            "x-amz-target",
            HeaderValue::from_static("DynamoDB_20111205.Query"),
        );
        assert_eq!(operation_of(&headers), Some(Op::Query));
        for bad in [
            "DynamoDB_20120810.Query",
            "DynamoDB_20111205.query",
            "DynamoDB_20111205.",
            "Query",
        ] {
            headers.insert("x-amz-target", HeaderValue::from_static(bad));
            assert_eq!(operation_of(&headers), None, "{bad}");
        }
    }

    #[test]
    fn replies_carry_crc_and_request_id() {
        let response = finish(Reply::new(StatusCode::OK, "{}"), "ID1", false);
        assert_eq!(
            response.headers()["x-amz-crc32"],
            crc32fast::hash(b"{}").to_string().as_str()
        );
        assert_eq!(response.headers()["x-amzn-requestid"], "ID1");
        assert_eq!(response.headers()[CONTENT_LENGTH], "2");
        let corrupted = finish(Reply::new(StatusCode::OK, "{}"), "ID2", true);
        assert_ne!(
            corrupted.headers()["x-amz-crc32"],
            response.headers()["x-amz-crc32"]
        );
    }

    #[test]
    fn coral_errors_have_type_and_optional_message() {
        let reply = Reply::api_error(&ApiError::unknown_operation());
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            &reply.body[..],
            br#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#
        );
        let reply = Reply::api_error(&crate::auth::AuthError::Missing.to_api_error());
        let json: serde_json::Value = serde_json::from_slice(&reply.body).expect("json");
        assert_eq!(
            json["__type"],
            "com.amazon.coral.service#MissingAuthenticationTokenException"
        );
        assert_eq!(json["message"], "Request is missing Authentication Token");
    }
}
