//! An in-process HTTP server on 127.0.0.1 for client tests, with its own
//! SigV4 verifier (hmac + sha2, written from the spec, independent of the
//! client's signing code).

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use dynamo_core::client::{Client, ClientBuilder, Credentials, RetryConfig};
use hmac::{Hmac, Mac};
use http::{HeaderMap, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub(crate) const AKID: &str = "AKIDTEST";
pub(crate) const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";

/// A request as the server received it.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    pub(crate) path: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Recorded {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The operation named by `X-Amz-Target`.
    pub(crate) fn operation(&self) -> &str {
        self.header("x-amz-target")
            .and_then(|t| t.strip_prefix("DynamoDB_20111205."))
            .unwrap_or("")
    }
}

/// How the server answers one request.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    status: u16,
    body: Bytes,
    content_type: &'static str,
    crc: Crc,
    close: bool,
    stall: Option<Duration>,
}

#[derive(Debug, Clone, Copy)]
enum Crc {
    Good,
    Bad,
    Absent,
}

impl Reply {
    /// A 200 with this JSON body and a correct CRC.
    pub(crate) fn ok(body: &str) -> Reply {
        Reply {
            status: 200,
            body: Bytes::copy_from_slice(body.as_bytes()),
            content_type: "application/x-amz-json-1.0",
            crc: Crc::Good,
            close: false,
            stall: None,
        }
    }

    /// A response with any status and body (correct CRC).
    pub(crate) fn raw(status: u16, body: &str) -> Reply {
        Reply {
            status,
            ..Reply::ok(body)
        }
    }

    /// An error response with `__type` and `message`.
    pub(crate) fn error(status: u16, type_: &str, message: &str) -> Reply {
        let body = serde_json::json!({ "__type": type_, "message": message }).to_string();
        Reply {
            status,
            ..Reply::ok(&body)
        }
    }

    /// A response whose `x-amz-crc32` does not match its body.
    pub(crate) fn bad_crc(mut self) -> Reply {
        self.crc = Crc::Bad;
        self
    }

    /// A response without `x-amz-crc32`.
    pub(crate) fn no_crc(mut self) -> Reply {
        self.crc = Crc::Absent;
        self
    }

    /// Sets the `Content-Type`.
    pub(crate) fn content_type(mut self, ct: &'static str) -> Reply {
        self.content_type = ct;
        self
    }

    /// Adds `Connection: close`.
    pub(crate) fn close(mut self) -> Reply {
        self.close = true;
        self
    }

    /// Waits this long before answering.
    pub(crate) fn stall(mut self, d: Duration) -> Reply {
        self.stall = Some(d);
        self
    }
}

type Handler = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

struct State {
    handler: Box<Handler>,
    requests: Mutex<Vec<Recorded>>,
    connections: Mutex<usize>,
}

/// A running server; stops when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl Server {
    /// Starts a server answering request number `i` (from 0) with `handler(i, request)`.
    pub(crate) async fn start(
        handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State {
            handler: Box::new(handler),
            requests: Mutex::new(Vec::new()),
            connections: Mutex::new(0),
        });
        let task = tokio::spawn(accept_loop(listener, state.clone()));
        Server { addr, state, task }
    }

    /// `http://127.0.0.1:PORT`
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().expect("lock").clone()
    }

    /// Number of requests received so far.
    pub(crate) fn count(&self) -> usize {
        self.state.requests.lock().expect("lock").len()
    }

    /// Number of TCP connections accepted so far.
    pub(crate) fn connections(&self) -> usize {
        *self.state.connections.lock().expect("lock")
    }

    /// A client builder for this server with test credentials and 1 ms
    /// backoff, over the transport under test.
    pub(crate) fn client_builder(&self) -> ClientBuilder {
        over_transport_under_test(
            Client::builder()
                .endpoint_url(self.url())
                .credentials(Credentials::new(AKID, SECRET, None))
                .retry_config(fast_retry(10)),
        )
    }

    /// A client for this server with test credentials and 1 ms backoff.
    pub(crate) fn client(&self) -> Client {
        self.client_builder().build().expect("client")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `builder` sending over the transport under test: hyper by default, the
/// user's own `reqwest::Client` when built with `--features reqwest`.
pub(crate) fn over_transport_under_test(builder: ClientBuilder) -> ClientBuilder {
    #[cfg(feature = "reqwest")]
    let builder = builder.reqwest_client(reqwest::Client::new());
    builder
}

/// A retry policy with `attempts` attempts and ~1 ms waits.
pub(crate) fn fast_retry(attempts: u32) -> RetryConfig {
    RetryConfig::default()
        .max_attempts(attempts)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut conns = Vec::new();
    while let Ok((stream, _)) = listener.accept().await {
        *state.connections.lock().expect("lock") += 1;
        let state = state.clone();
        conns.push(tokio::spawn(async move {
            let service = service_fn(move |req| handle(state.clone(), req));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        }));
    }
}

async fn handle(
    state: Arc<State>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let recorded = Recorded {
        path: parts.uri.path().to_owned(),
        headers: parts.headers,
        body,
    };
    let index = {
        let mut requests = state.requests.lock().expect("lock");
        requests.push(recorded.clone());
        requests.len() - 1
    };
    let reply = (state.handler)(index, &recorded);
    if let Some(d) = reply.stall {
        tokio::time::sleep(d).await;
    }
    Ok(to_response(reply))
}

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    let crc = crc32fast::hash(&reply.body);
    let mut builder = Response::builder()
        .status(reply.status)
        .header("content-type", reply.content_type)
        .header("x-amzn-requestid", "TESTREQUESTID0123456789");
    match reply.crc {
        Crc::Good => builder = builder.header("x-amz-crc32", crc.to_string()),
        Crc::Bad => builder = builder.header("x-amz-crc32", (crc ^ 0xdead).to_string()),
        Crc::Absent => {}
    }
    if reply.close {
        builder = builder.header("connection", "close");
    }
    builder.body(Full::new(reply.body)).expect("response")
}

/// Wraps `inner` so that requests whose signature does not verify with
/// `secret` get `InvalidSignatureException`.
pub(crate) fn verifying(
    secret: &'static str,
    inner: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
) -> impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static {
    move |i, req| match verify_sigv4(req, secret) {
        Ok(()) => inner(i, req),
        Err(why) => Reply::error(
            400,
            "com.amazon.coral.service#InvalidSignatureException",
            &format!(
                "The request signature we calculated does not match the signature you provided. ({why})"
            ),
        ),
    }
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug)]
pub(crate) struct Authorization {
    pub(crate) access_key_id: String,
    pub(crate) scope: String,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signature: String,
}

pub(crate) fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not AWS4-HMAC-SHA256")?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=').ok_or("bad parameter")?;
        match k {
            "Credential" => credential = Some(v.to_owned()),
            "SignedHeaders" => signed = Some(v.to_owned()),
            "Signature" => signature = Some(v.to_owned()),
            _ => return Err(format!("unknown parameter {k}")),
        }
    }
    let credential = credential.ok_or("no Credential")?;
    let (akid, scope) = credential.split_once('/').ok_or("bad Credential")?;
    Ok(Authorization {
        access_key_id: akid.to_owned(),
        scope: scope.to_owned(),
        signed_headers: signed
            .ok_or("no SignedHeaders")?
            .split(';')
            .map(str::to_owned)
            .collect(),
        signature: signature.ok_or("no Signature")?,
    })
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Recomputes the SigV4 signature of `req` with `secret` (spec §1.3).
pub(crate) fn verify_sigv4(req: &Recorded, secret: &str) -> Result<(), String> {
    let auth = parse_authorization(req.header("authorization").ok_or("no Authorization")?)?;
    for required in ["host", "x-amz-date", "x-amz-target"] {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(format!("{required} not signed"));
        }
    }
    let amz_date = req.header("x-amz-date").ok_or("no X-Amz-Date")?;
    let mut canonical = format!("POST\n{}\n\n", req.path);
    for name in &auth.signed_headers {
        let value = req
            .header(name)
            .ok_or(format!("signed header {name} missing"))?;
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        canonical.push_str(&format!("{name}:{value}\n"));
    }
    canonical.push_str(&format!(
        "\n{}\n{}",
        auth.signed_headers.join(";"),
        hex::encode(Sha256::digest(&req.body))
    ));
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{}\n{}",
        auth.scope,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let scope: Vec<&str> = auth.scope.split('/').collect();
    let [date, region, service, "aws4_request"] = scope[..] else {
        return Err("bad scope".into());
    };
    if !amz_date.starts_with(date) {
        return Err("scope date differs from X-Amz-Date".into());
    }
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let expected = hex::encode(hmac(&key, string_to_sign.as_bytes()));
    if expected == auth.signature {
        Ok(())
    } else {
        Err("signature mismatch".into())
    }
}
