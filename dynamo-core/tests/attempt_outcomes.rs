//! What each attempt did, proven over HTTP against dynamo-local through a
//! test proxy that can lose the answer after forwarding the request (the
//! write is applied, the client sees a reset), corrupt the `x-amz-crc32` of
//! the answer, or answer 500 without forwarding.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use dynamo_core::client::{Client, Credentials, RetryConfig};
use dynamo_core::wire::*;
use dynamo_core::{AttributeValue, ErrorKind, FromAttribute, Item, Number};
use http::{HeaderValue, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Forward and answer.
    Pass,
    /// Forward, wait for the answer, then close the connection unanswered.
    LoseAnswer,
    /// Forward and answer with a wrong `x-amz-crc32`.
    BadCrc,
}

#[derive(Default)]
struct Script {
    faults: VecDeque<Fault>,
    forwarded: usize,
}

/// A proxy on 127.0.0.1 in front of `upstream`, applying scripted faults in
/// order, then passing everything.
struct Proxy {
    url: String,
    script: Arc<Mutex<Script>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(upstream: std::net::SocketAddr, faults: &[Fault]) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let script = Arc::new(Mutex::new(Script {
            faults: faults.iter().copied().collect(),
            forwarded: 0,
        }));
        let shared = script.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let script = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| forward(req, upstream, script.clone()));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy { url, script, task }
    }

    /// Requests that reached dynamo-local.
    fn forwarded(&self) -> usize {
        self.script.lock().expect("lock").forwarded
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(
    req: Request<Incoming>,
    upstream: std::net::SocketAddr,
    script: Arc<Mutex<Script>>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let fault = {
        let mut s = script.lock().expect("lock");
        s.forwarded += 1;
        s.faults.pop_front().unwrap_or(Fault::Pass)
    };
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    let stream = TcpStream::connect(upstream).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(std::io::Error::other)?;
    tokio::spawn(conn);
    let mut out = Request::from_parts(parts, Full::new(body));
    *out.uri_mut() = "/".parse().expect("uri");
    let answer = sender
        .send_request(out)
        .await
        .map_err(std::io::Error::other)?;
    let (mut parts, body) = answer.into_parts();
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    match fault {
        // An error from the service makes hyper drop the connection unanswered.
        Fault::LoseAnswer => Err(std::io::Error::other("answer lost on purpose")),
        Fault::BadCrc => {
            let wrong = crc32fast::hash(&body).wrapping_add(1);
            parts
                .headers
                .insert("x-amz-crc32", HeaderValue::from(wrong));
            Ok(Response::from_parts(parts, Full::new(body)))
        }
        Fault::Pass => Ok(Response::from_parts(parts, Full::new(body))),
    }
}

const TABLE: &str = "outcomes";

fn client(url: &str, retry: RetryConfig) -> Client {
    Client::builder()
        .endpoint_url(url)
        .credentials(Credentials::new("AKID", "secret", None))
        .no_proxy()
        .retry_config(retry)
        .build()
        .expect("client")
}

fn retry() -> RetryConfig {
    RetryConfig::default()
        .max_attempts(4)
        .base_delay(std::time::Duration::from_millis(1))
        .max_delay(std::time::Duration::from_millis(5))
}

/// dynamo-local with the table `outcomes` (hash key `id`, S).
async fn local() -> dynamo_local::LocalServer {
    let server = dynamo_local::LocalServer::builder()
        .start()
        .await
        .expect("dynamo-local");
    client(&server.endpoint(), retry())
        .create_table(&CreateTableInput {
            table_name: TABLE.into(),
            key_schema: KeySchema {
                hash_key_element: KeySchemaElement {
                    attribute_name: "id".into(),
                    attribute_type: ScalarAttributeType::S,
                },
                range_key_element: None,
            },
            provisioned_throughput: ProvisionedThroughput {
                read_capacity_units: 10,
                write_capacity_units: 10,
            },
        })
        .await
        .expect("create table");
    server
}

fn key(id: &str) -> Key {
    Key {
        hash_key_element: AttributeValue::S(id.into()),
        range_key_element: None,
    }
}

fn add_one(id: &str) -> UpdateItemInput {
    UpdateItemInput {
        table_name: TABLE.into(),
        key: key(id),
        attribute_updates: HashMap::from([(
            "count".to_owned(),
            AttributeValueUpdate {
                value: Some(AttributeValue::N(Number::from(1))),
                action: Some(AttributeAction::Add),
            },
        )]),
        expected: None,
        return_values: None,
    }
}

fn put(id: &str, expected: Option<Expected>, return_values: Option<ReturnValue>) -> PutItemInput {
    PutItemInput {
        table_name: TABLE.into(),
        item: HashMap::from([
            ("id".to_owned(), AttributeValue::S(id.into())),
            ("v".to_owned(), AttributeValue::S("x".into())),
        ]),
        expected,
        return_values,
    }
}

/// The stored item, read straight from dynamo-local.
async fn stored(server: &dynamo_local::LocalServer, id: &str) -> Option<Item> {
    client(&server.endpoint(), retry())
        .get_item(&GetItemInput {
            table_name: TABLE.into(),
            key: key(id),
            attributes_to_get: None,
            consistent_read: Some(true),
        })
        .await
        .expect("direct read")
        .item
}

async fn stored_count(server: &dynamo_local::LocalServer, id: &str) -> Option<String> {
    stored(server, id)
        .await
        .and_then(|item| match item.get("count") {
            Some(AttributeValue::N(n)) => Some(n.as_str().to_owned()),
            _ => None,
        })
}

#[tokio::test]
async fn a_numeric_add_whose_answer_is_lost_is_not_sent_again() {
    let server = local().await;
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    let e = client(&proxy.url, retry())
        .update_item(&add_one("c"))
        .await
        .expect_err("the answer was lost");
    assert_eq!(e.kind(), ErrorKind::MaybeApplied, "{e:?}");
    assert!(e.may_have_been_applied() && !e.is_retryable());
    assert_eq!(e.table_name(), Some(TABLE));
    assert!(e.to_string().contains("UpdateItem"), "{e}");
    assert_eq!(proxy.forwarded(), 1, "sent once");
    assert_eq!(stored_count(&server, "c").await.as_deref(), Some("1"));
}

#[tokio::test]
async fn a_numeric_add_is_sent_again_when_the_caller_opts_in() {
    let server = local().await;
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    client(&proxy.url, retry().resend_unsafe_writes(true))
        .update_item(&add_one("c"))
        .await
        .expect("re-sent");
    assert_eq!(proxy.forwarded(), 2);
    // Both copies were applied: the reason the default does not re-send.
    assert_eq!(stored_count(&server, "c").await.as_deref(), Some("2"));
}

#[tokio::test]
async fn a_refused_connection_is_not_sent_so_an_add_fails_definitely() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let e = client(&url, retry())
        .update_item(&add_one("c"))
        .await
        .expect_err("nothing listens");
    assert_eq!(e.kind(), ErrorKind::Transport, "{e:?}");
    assert!(!e.may_have_been_applied());
}

#[tokio::test]
async fn a_set_add_and_an_unconditional_put_are_sent_again_after_a_lost_answer() {
    let server = local().await;
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer, Fault::LoseAnswer]).await;
    let client = client(&proxy.url, retry());
    client
        .put_item(&put("p", None, None))
        .await
        .expect("put re-sent");
    let mut tags = add_one("p");
    tags.attribute_updates = HashMap::from([(
        "tags".to_owned(),
        AttributeValueUpdate {
            value: Some(AttributeValue::SS(vec!["a".into()])),
            action: Some(AttributeAction::Add),
        },
    )]);
    client.update_item(&tags).await.expect("set ADD re-sent");
    assert_eq!(proxy.forwarded(), 4);
    let item = stored(&server, "p").await.expect("stored");
    assert_eq!(
        item.get("tags"),
        Some(&AttributeValue::SS(vec!["a".into()]))
    );
}

#[tokio::test]
async fn a_write_answered_with_a_bad_crc_is_applied_and_not_sent_again() {
    let server = local().await;
    let proxy = Proxy::start(server.local_addr(), &[Fault::BadCrc, Fault::BadCrc]).await;
    let client = client(&proxy.url, retry());
    // Nothing asked of the body: the write succeeded.
    client
        .put_item(&put("w", None, None))
        .await
        .expect("applied");
    assert_eq!(proxy.forwarded(), 1);
    // The old item asked for: the error says the write happened.
    let e = client
        .put_item(&put("w", None, Some(ReturnValue::AllOld)))
        .await
        .expect_err("the old item cannot be trusted");
    assert_eq!(e.kind(), ErrorKind::WriteApplied, "{e:?}");
    assert!(e.is_write_applied() && !e.is_retryable() && !e.may_have_been_applied());
    assert_eq!(e.table_name(), Some(TABLE));
    assert_eq!(proxy.forwarded(), 2);
    assert!(stored(&server, "w").await.is_some());
}

#[tokio::test]
async fn a_read_answered_with_a_bad_crc_is_sent_again() {
    let server = local().await;
    client(&server.endpoint(), retry())
        .put_item(&put("r", None, None))
        .await
        .expect("seed");
    let proxy = Proxy::start(server.local_addr(), &[Fault::BadCrc]).await;
    let out = client(&proxy.url, retry())
        .get_item(&GetItemInput {
            table_name: TABLE.into(),
            key: key("r"),
            attributes_to_get: None,
            consistent_read: None,
        })
        .await
        .expect("read again");
    assert!(out.item.is_some());
    assert_eq!(proxy.forwarded(), 2);
}

#[tokio::test]
async fn a_conditional_put_failing_on_its_own_lost_write_is_a_maybe_not_a_no() {
    let server = local().await;
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    let absent = HashMap::from([("id".to_owned(), ExpectedAttributeValue::absent())]);
    let e = client(&proxy.url, retry())
        .put_item(&put("k", Some(absent.clone()), None))
        .await
        .expect_err("the re-send fails on the first copy");
    assert_eq!(e.kind(), ErrorKind::MaybeApplied, "{e:?}");
    assert!(!e.is_conditional_check_failed());
    assert_eq!(proxy.forwarded(), 2);
    assert!(stored(&server, "k").await.is_some(), "this call stored it");
    // Without a lost answer the same failure is a definite no.
    let e = client(&proxy.url, retry())
        .put_item(&put("k", Some(absent), None))
        .await
        .expect_err("exists");
    assert!(e.is_conditional_check_failed(), "{e:?}");
}

#[tokio::test]
async fn a_numeric_add_answered_500_is_a_maybe_and_a_throttled_one_is_retried() {
    let server = local().await;
    let client = client(&server.endpoint(), retry());
    // A 500 says nothing definite about the write: not re-sent, "maybe".
    server.engine().faults().fail_next(1, 500);
    let e = client.update_item(&add_one("c")).await.expect_err("500");
    assert_eq!(e.kind(), ErrorKind::MaybeApplied, "{e:?}");
    assert_eq!(e.status(), Some(500));
    // dynamo-local failed it before applying it: the "maybe" was a no.
    assert_eq!(stored_count(&server, "c").await, None);
    // Throttling is a definite rejection: re-sent, applied once.
    server.engine().faults().throttle_next(1);
    client.update_item(&add_one("c")).await.expect("re-sent");
    assert_eq!(stored_count(&server, "c").await.as_deref(), Some("1"));
}

/// A versioned item of `outcomes`, written by hand as the derive would.
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    id: String,
    body: String,
    version: u64,
}

const BODY: dynamo_core::attr::Attr<Doc, String> =
    dynamo_core::attr::Attr::new("Doc", "body", "body");

impl dynamo_core::DynamoItem for Doc {
    const TABLE_NAME: &'static str = TABLE;
    const HASH_KEY: &'static str = "id";
    const RANGE_KEY: Option<&'static str> = None;
    const VERSION_ATTRIBUTE: Option<&'static str> = Some("version");
    const ATTRIBUTES: &'static [&'static str] = &["id", "body", "version"];
    type HashKey = String;
    type RangeKey = dynamo_core::NoRangeKey;
    type Key = String;
    fn key(&self) -> String {
        self.id.clone()
    }
    fn key_to_wire(key: &String) -> Result<Key, dynamo_core::ConvertError> {
        Ok(Key::hash(AttributeValue::S(key.clone())))
    }
    fn key_from_wire(key: &Key) -> Result<String, dynamo_core::ConvertError> {
        String::from_attribute(key.hash_key_element.clone())
    }
    fn to_item(&self) -> Result<Item, dynamo_core::ConvertError> {
        Ok(Item::from([
            ("id".to_owned(), AttributeValue::S(self.id.clone())),
            ("body".to_owned(), AttributeValue::S(self.body.clone())),
            (
                "version".to_owned(),
                AttributeValue::N(Number::from(self.version)),
            ),
        ]))
    }
    fn from_attributes<S: dynamo_core::item::AttributeSource>(
        mut item: S,
    ) -> Result<Doc, dynamo_core::ConvertError> {
        let mut take = |name| {
            item.take(name)
                .ok_or_else(dynamo_core::ConvertError::missing)
        };
        Ok(Doc {
            id: String::from_attribute(take("id")?)?,
            body: String::from_attribute(take("body")?)?,
            version: u64::from_attribute(take("version")?)?,
        })
    }
}

fn docs(url: &str) -> dynamo_core::Table<Doc> {
    dynamo_core::Connection::new(client(url, retry())).table::<Doc>()
}

fn doc(body: &str, version: u64) -> Doc {
    Doc {
        id: "d".into(),
        body: body.into(),
        version,
    }
}

#[tokio::test]
async fn a_versioned_put_failing_on_its_own_lost_write_is_settled_as_ok() {
    let server = local().await;
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    let table = docs(&proxy.url);
    let mut item = doc("one", 0);
    table
        .save(&mut item)
        .await
        .expect("settled by a consistent read");
    assert_eq!(item.version, 1);
    // Sent, re-sent, then the consistent read.
    assert_eq!(proxy.forwarded(), 3);
    let back = stored(&server, "d").await.expect("stored");
    assert_eq!(
        back.get("version"),
        Some(&AttributeValue::N(Number::from(1u8)))
    );
    // Asked for the old item, the call cannot know it: applied, not a maybe.
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    let e = docs(&proxy.url)
        .put(&doc("two", 1))
        .return_old()
        .await
        .expect_err("the old item is unknown");
    assert_eq!(e.kind(), ErrorKind::WriteApplied, "{e:?}");
    assert_eq!(e.table_name(), Some(TABLE));
}

#[tokio::test]
async fn a_conditional_write_that_someone_else_changed_stays_a_maybe() {
    let server = local().await;
    let direct = docs(&server.endpoint());
    direct.put(&doc("theirs", 0)).await.expect("seed");
    // Our put-if-new is lost then fails on the stored item, which is not ours.
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    let e = client(&proxy.url, retry())
        .put_item(&put(
            "d",
            Some(HashMap::from([(
                "id".to_owned(),
                ExpectedAttributeValue::absent(),
            )])),
            None,
        ))
        .await
        .expect_err("exists");
    // The Layer1 client does not settle; the typed table does.
    assert_eq!(e.kind(), ErrorKind::MaybeApplied, "{e:?}");
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    let e = docs(&proxy.url)
        .put(&doc("mine", 0))
        .await
        .expect_err("the stored item is another's");
    assert_eq!(e.kind(), ErrorKind::MaybeApplied, "{e:?}");
    assert_eq!(proxy.forwarded(), 3, "the read ran");
}

#[tokio::test]
async fn a_versioned_update_and_a_conditional_delete_failing_on_their_own_lost_write_are_ok() {
    let server = local().await;
    docs(&server.endpoint())
        .put(&doc("one", 0))
        .await
        .expect("seed");
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    docs(&proxy.url)
        .update_from(&doc("one", 1))
        .set(BODY, "two".to_owned())
        .await
        .expect("settled");
    assert_eq!(proxy.forwarded(), 3);
    let back = stored(&server, "d").await.expect("stored");
    assert_eq!(
        back.get("version"),
        Some(&AttributeValue::N(Number::from(2u8)))
    );
    assert_eq!(back.get("body"), Some(&AttributeValue::S("two".into())));
    // A conditional delete whose first copy deleted the item.
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer]).await;
    let e = docs(&proxy.url)
        .delete("d".into())
        .condition(dynamo_core::expr::expect::equals(BODY, "two".to_owned()))
        .await;
    assert!(e.is_ok(), "{e:?}");
    assert_eq!(stored(&server, "d").await, None);
    assert_eq!(proxy.forwarded(), 3);
}

#[tokio::test]
async fn batch_writes_in_a_call_whose_answers_were_lost_are_reported_as_maybe_written() {
    let server = local().await;
    // Every attempt of the call is applied and its answer lost.
    let proxy = Proxy::start(server.local_addr(), &[Fault::LoseAnswer; 4]).await;
    let table = docs(&proxy.url);
    let e = table
        .batch_write([doc("one", 0)], Vec::<String>::new())
        .ignore_versions()
        .send()
        .await
        .expect_err("no answer came back");
    assert_eq!(e.error().map(|e| e.kind()), Some(ErrorKind::MaybeApplied));
    assert_eq!(e.maybe_written_puts(&table).expect("fits"), [doc("one", 0)]);
    assert!(e.unprocessed_puts(&table).expect("fits").is_empty());
    assert_eq!(e.len(), 1);
    assert!(e.to_string().contains("1 maybe written"), "{e}");
    // It was in fact written.
    assert!(stored(&server, "d").await.is_some());
}
