//! The canned loopback server: answers GetItem and PutItem of either API
//! version with a fixed, valid body and its `x-amz-crc32`, doing as little
//! work as a hyper server can. It is the peer of the client benchmark and the
//! "fixed body" baseline of the server benchmark.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::hand::HandItem;
use crate::shapes::Message;

/// The table every canned answer pretends to come from.
pub const TABLE: &str = "messages";

/// A fixed answer: body and its CRC header.
#[derive(Debug, Clone)]
struct Answer {
    body: Bytes,
    crc: HeaderValue,
}

impl Answer {
    fn new(body: Vec<u8>) -> Answer {
        let crc = crc32fast::hash(&body);
        Answer {
            body: Bytes::from(body),
            crc: HeaderValue::from(crc),
        }
    }
}

/// The answers, by `X-Amz-Target`.
#[derive(Debug)]
pub struct Answers {
    v1_get: Answer,
    v1_put: Answer,
    v2_get: Answer,
    v2_put: Answer,
    unknown: Answer,
}

impl Answers {
    /// GetItem answers carry [`Message::sample`]`(0)`.
    pub fn new() -> Answers {
        let item = Message::sample(0).hand_to_item();
        let v1_get = serde_json::json!({ "Item": item, "ConsumedCapacityUnits": 0.5 });
        let v2_get = serde_json::json!({ "Item": item });
        Answers {
            v1_get: Answer::new(v1_get.to_string().into_bytes()),
            v1_put: Answer::new(br#"{"ConsumedCapacityUnits":1.0}"#.to_vec()),
            v2_get: Answer::new(v2_get.to_string().into_bytes()),
            v2_put: Answer::new(b"{}".to_vec()),
            unknown: Answer::new(
                br#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#.to_vec(),
            ),
        }
    }

    fn pick(&self, target: &[u8]) -> (StatusCode, &Answer) {
        match target {
            b"DynamoDB_20111205.GetItem" => (StatusCode::OK, &self.v1_get),
            b"DynamoDB_20111205.PutItem" => (StatusCode::OK, &self.v1_put),
            b"DynamoDB_20120810.GetItem" => (StatusCode::OK, &self.v2_get),
            b"DynamoDB_20120810.PutItem" => (StatusCode::OK, &self.v2_put),
            _ => (StatusCode::BAD_REQUEST, &self.unknown),
        }
    }
}

impl Default for Answers {
    fn default() -> Answers {
        Answers::new()
    }
}

async fn answer(
    answers: Arc<Answers>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let target = request
        .headers()
        .get("x-amz-target")
        .map(|v| v.as_bytes().to_vec())
        .unwrap_or_default();
    // Read the whole request, as any real server must.
    let read = request.into_body().collect().await.is_ok();
    let (status, answer) = if read {
        answers.pick(&target)
    } else {
        (StatusCode::BAD_REQUEST, &answers.unknown)
    };
    let mut response = Response::new(Full::new(answer.body.clone()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert("x-amz-crc32", answer.crc.clone());
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    headers.insert(
        "x-amzn-requestid",
        HeaderValue::from_static("BENCHCANNEDREQUEST0000000000000000000000000000000000"),
    );
    Ok(response)
}

/// Serves connections from `listener` until the process ends.
///
/// # Errors
/// When accepting fails.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    let answers = Arc::new(Answers::new());
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let answers = answers.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(answers.clone(), request));
            // A client closing its connection is not an error worth reporting.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
