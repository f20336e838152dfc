//! Exact outcomes under faults, counted.
//!
//! The typed API (dynamo-core's client, `#[derive(DynamoItem)]`) talks to a
//! standalone dynamo-local (this build's binary) through this file's own
//! fault-injecting proxy. About 14 % of the requests are throttled, answered
//! 500 or 503 without being forwarded, reset before or after being
//! forwarded, given a wrong `x-amz-crc32`, or delayed. Every outcome is then
//! checked against a direct, consistent read that bypasses the proxy, and
//! the run fails on any of:
//!
//! * an acknowledged write that is not stored (lost);
//! * a conditional or versioned write reported failed that this call applied;
//! * a numeric ADD applied more often than acknowledged plus "maybe" (twice);
//! * a definite error for a write that was applied (a "maybe" reported as a no);
//! * a batch write neither stored nor returned as a leftover (dropped), or a
//!   leftover said to be unwritten that is stored.
//!
//! Bounded: 8 workers × 700 operations, with the client's default retry
//! policy; it takes a few seconds.

#[path = "binary_support/mod.rs"]
mod binary_support;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use dynamo_core::client::{Client, Credentials};
use dynamo_core::{Connection, Error, ErrorKind, Table, Throughput};
use dynamo_derive::DynamoItem;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

const WORKERS: u64 = 8;
const OPS_PER_WORKER: u64 = 700;
const BATCH: u64 = 10;

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(crate = "dynamo_core", table = "fault_counters")]
struct Counter {
    #[dynamo(hash_key)]
    id: String,
    n: u64,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(crate = "dynamo_core", table = "fault_docs")]
struct Doc {
    #[dynamo(hash_key)]
    id: String,
    body: String,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(crate = "dynamo_core", table = "fault_notes")]
struct Note {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(version)]
    version: u64,
    text: String,
}

// ---------------------------------------------------------------- the proxy

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Pass,
    Throttle,
    Internal500,
    Unavailable503,
    ResetBefore,
    ResetAfter,
    BadCrc,
    Delay,
}

const FAULT_KINDS: [Fault; 7] = [
    Fault::Throttle,
    Fault::Internal500,
    Fault::Unavailable503,
    Fault::ResetBefore,
    Fault::ResetAfter,
    Fault::BadCrc,
    Fault::Delay,
];

/// Per mille of requests given each fault of `FAULT_KINDS`: 140 ‰ in all.
const FAULT_PER_MILLE: [u64; 7] = [25, 20, 20, 20, 25, 20, 10];

#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    faults: [AtomicU64; 7],
    seed: AtomicU64,
}

impl Tally {
    /// A fault drawn from a fixed-seed splitmix64 sequence.
    fn draw(&self) -> Fault {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut z = self
            .seed
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let mut roll = (z ^ (z >> 31)) % 1000;
        for (i, share) in FAULT_PER_MILLE.iter().enumerate() {
            if roll < *share {
                self.faults[i].fetch_add(1, Ordering::Relaxed);
                return FAULT_KINDS[i];
            }
            roll -= share;
        }
        Fault::Pass
    }
}

async fn start_proxy(upstream: std::net::SocketAddr, tally: Arc<Tally>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tally = tally.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| forward(req, upstream, tally.clone()));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    url
}

/// An error answer in the service's JSON shape, with a correct CRC.
fn error_answer(status: StatusCode, error_type: &str) -> Response<Full<Bytes>> {
    let body = Bytes::from(format!(
        r#"{{"__type":"com.amazonaws.dynamodb.v20111205#{error_type}","message":"injected by the fault harness"}}"#
    ));
    let mut answer = Response::new(Full::new(body.clone()));
    *answer.status_mut() = status;
    let headers = answer.headers_mut();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    headers.insert("x-amz-crc32", HeaderValue::from(crc32fast::hash(&body)));
    answer
}

async fn forward(
    req: Request<Incoming>,
    upstream: std::net::SocketAddr,
    tally: Arc<Tally>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let fault = tally.draw();
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    match fault {
        Fault::Throttle => {
            return Ok(error_answer(
                StatusCode::BAD_REQUEST,
                "ProvisionedThroughputExceededException",
            ));
        }
        Fault::Internal500 => {
            return Ok(error_answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalFailure",
            ));
        }
        Fault::Unavailable503 => {
            return Ok(error_answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailableException",
            ));
        }
        // An error from the service makes hyper close the connection unanswered.
        Fault::ResetBefore => return Err(std::io::Error::other("reset before forwarding")),
        Fault::Delay => tokio::time::sleep(Duration::from_millis(120)).await,
        Fault::Pass | Fault::ResetAfter | Fault::BadCrc => {}
    }
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
        Fault::ResetAfter => Err(std::io::Error::other("answer lost after forwarding")),
        Fault::BadCrc => {
            let wrong = crc32fast::hash(&body).wrapping_add(1);
            parts
                .headers
                .insert("x-amz-crc32", HeaderValue::from(wrong));
            Ok(Response::from_parts(parts, Full::new(body)))
        }
        _ => Ok(Response::from_parts(parts, Full::new(body))),
    }
}

// ------------------------------------------------------------ the accounting

/// What the run counted: outcomes, and the violations that fail it.
#[derive(Default)]
struct Account {
    ops: AtomicU64,
    ok: AtomicU64,
    maybe: AtomicU64,
    applied_errors: AtomicU64,
    definite_errors: AtomicU64,
    lost_acknowledged: AtomicU64,
    failed_but_applied: AtomicU64,
    adds_applied_twice: AtomicU64,
    definite_but_applied: AtomicU64,
    batch_dropped: AtomicU64,
    leftover_written: AtomicU64,
    batch_leftovers: AtomicU64,
}

/// How a call ended, as the caller must read it.
enum Outcome {
    Ok,
    /// The write happened (`WriteApplied`), though the call failed.
    Applied,
    /// It may or may not have happened (`MaybeApplied`).
    Maybe,
    /// A definite error: nothing was applied. Its kind, and whether it
    /// answers `is_conditional_check_failed()`.
    Definite(ErrorKind, bool),
}

impl Account {
    fn outcome<T>(&self, result: &Result<T, Error>) -> Outcome {
        self.ops.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(_) => {
                self.ok.fetch_add(1, Ordering::Relaxed);
                Outcome::Ok
            }
            Err(e) if e.is_write_applied() => {
                self.applied_errors.fetch_add(1, Ordering::Relaxed);
                Outcome::Applied
            }
            Err(e) if e.may_have_been_applied() => {
                self.maybe.fetch_add(1, Ordering::Relaxed);
                Outcome::Maybe
            }
            Err(e) => {
                self.definite_errors.fetch_add(1, Ordering::Relaxed);
                Outcome::Definite(e.kind(), e.is_conditional_check_failed())
            }
        }
    }

    fn violation(&self, counter: &AtomicU64, what: &str) {
        counter.fetch_add(1, Ordering::Relaxed);
        eprintln!("violation: {what}");
    }
}

struct Tables {
    counters: Table<Counter>,
    docs: Table<Doc>,
    notes: Table<Note>,
}

/// One worker: its own keys, so each outcome can be checked right away.
async fn worker(w: u64, via_proxy: Arc<Tables>, direct: Arc<Tables>, account: Arc<Account>) {
    let counter_id = format!("c{w}");
    let (mut acked_adds, mut maybe_adds) = (0u64, 0u64);
    let mut note = Note {
        id: format!("n{w}"),
        version: 0,
        text: String::new(),
    };
    let mut stored_note: Option<Note> = None;
    for i in 0..OPS_PER_WORKER {
        match i % 5 {
            // A numeric ADD: never applied twice with the defaults.
            0 => {
                let r = via_proxy
                    .counters
                    .update(counter_id.clone())
                    .add(Counter::N, 1u64)
                    .send()
                    .await;
                match account.outcome(&r) {
                    Outcome::Ok | Outcome::Applied => acked_adds += 1,
                    Outcome::Maybe => maybe_adds += 1,
                    Outcome::Definite(..) => {}
                }
            }
            // Put-if-not-exists of a fresh key: nobody else writes it.
            1 => {
                let doc = Doc {
                    id: format!("d{w}-{i}"),
                    body: format!("body {i}"),
                };
                let r = via_proxy.docs.put(&doc).if_not_exists().send().await;
                let outcome = account.outcome(&r);
                let stored = direct.docs.get(doc.id.clone()).consistent().send().await;
                let stored = stored.expect("direct read").is_some();
                match outcome {
                    Outcome::Ok | Outcome::Applied if !stored => {
                        account.violation(&account.lost_acknowledged, "put-if-not-exists lost")
                    }
                    Outcome::Definite(_, true) if stored => account.violation(
                        &account.failed_but_applied,
                        "put-if-not-exists failed on its own write",
                    ),
                    Outcome::Definite(kind, _) if stored => account.violation(
                        &account.definite_but_applied,
                        &format!("put-if-not-exists definite {kind:?} but stored"),
                    ),
                    _ => {}
                }
            }
            // A versioned save of the worker's note: a put, or every other
            // time a merge (an UpdateItem of the note's own attributes).
            2 => {
                let before = note.clone();
                note.text = format!("text {i}");
                let r = if (i / 5) % 2 == 0 {
                    via_proxy.notes.save(&mut note).await
                } else {
                    via_proxy.notes.save_merged(&mut note).await
                };
                let outcome = account.outcome(&r);
                let stored = direct
                    .notes
                    .get(note.id.clone())
                    .consistent()
                    .send()
                    .await
                    .expect("direct read");
                let written = Note {
                    version: before.version + 1,
                    ..note.clone()
                };
                let applied = stored.as_ref() == Some(&written);
                match outcome {
                    Outcome::Ok | Outcome::Applied if !applied => {
                        account.violation(&account.lost_acknowledged, "versioned save lost")
                    }
                    Outcome::Definite(kind, ccf) if applied => account.violation(
                        if ccf {
                            &account.failed_but_applied
                        } else {
                            &account.definite_but_applied
                        },
                        &format!("versioned save definite {kind:?} but applied"),
                    ),
                    Outcome::Definite(..) if stored != stored_note => account.violation(
                        &account.definite_but_applied,
                        "versioned save definite but the item changed",
                    ),
                    _ => {}
                }
                // Go on from what is stored, as a caller would after a maybe.
                note = stored.clone().unwrap_or(Note {
                    version: 0,
                    ..before
                });
                stored_note = stored;
            }
            // A batch of fresh puts: each either stored or a leftover.
            3 => {
                let docs: Vec<Doc> = (0..BATCH)
                    .map(|j| Doc {
                        id: format!("b{w}-{i}-{j}"),
                        body: format!("batch {j}"),
                    })
                    .collect();
                let r = via_proxy
                    .docs
                    .batch_write(docs.clone(), Vec::new())
                    .send()
                    .await;
                account.ops.fetch_add(1, Ordering::Relaxed);
                let (unwritten, maybe): (HashSet<String>, HashSet<String>) = match &r {
                    Ok(()) => {
                        account.ok.fetch_add(1, Ordering::Relaxed);
                        Default::default()
                    }
                    Err(e) => {
                        account
                            .batch_leftovers
                            .fetch_add(e.len() as u64, Ordering::Relaxed);
                        leftovers(e, &via_proxy.docs)
                    }
                };
                for doc in &docs {
                    let stored = direct
                        .docs
                        .get(doc.id.clone())
                        .consistent()
                        .send()
                        .await
                        .expect("direct read")
                        .is_some();
                    if maybe.contains(&doc.id) {
                        continue;
                    }
                    if unwritten.contains(&doc.id) {
                        if stored {
                            account.violation(
                                &account.leftover_written,
                                "leftover said unwritten is stored",
                            );
                        }
                    } else if !stored {
                        account.violation(
                            &account.batch_dropped,
                            "batch write neither stored nor a leftover",
                        );
                    }
                }
            }
            // A read through the proxy agrees with the direct read.
            _ => {
                let r = via_proxy.docs.get(format!("d{w}-{}", i - 3)).send().await;
                if let (Outcome::Ok, Ok(got)) = (account.outcome(&r), r) {
                    let direct = direct
                        .docs
                        .get(format!("d{w}-{}", i - 3))
                        .consistent()
                        .send()
                        .await;
                    assert_eq!(
                        got,
                        direct.expect("direct read"),
                        "a read through the proxy differs"
                    );
                }
            }
        }
    }
    let stored = direct
        .counters
        .get(counter_id)
        .consistent()
        .send()
        .await
        .expect("direct read")
        .map_or(0, |c| c.n);
    if stored < acked_adds {
        account.violation(
            &account.lost_acknowledged,
            &format!("counter {stored} < {acked_adds} acknowledged"),
        );
    }
    if stored > acked_adds + maybe_adds {
        account.violation(
            &account.adds_applied_twice,
            &format!("counter {stored} > {acked_adds} acknowledged + {maybe_adds} maybe"),
        );
    }
}

/// The ids a batch error returns as not written, and as maybe written.
fn leftovers(
    e: &dynamo_core::batch::BatchWriteError,
    table: &Table<Doc>,
) -> (HashSet<String>, HashSet<String>) {
    let ids = |docs: Vec<Doc>| docs.into_iter().map(|d| d.id).collect();
    (
        ids(e.unprocessed_puts(table).expect("leftovers decode")),
        ids(e.maybe_written_puts(table).expect("leftovers decode")),
    )
}

fn connection(url: &str) -> Connection {
    Connection::new(
        Client::builder()
            .endpoint_url(url)
            .credentials(Credentials::new("AKID", "secret", None))
            .no_proxy()
            .build()
            .expect("client"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_outcomes_stay_exact_through_injected_faults() {
    let mut command = binary_support::dynamo_local();
    command.args(["--port", "0", "--no-control-plane-limits"]);
    let (_server, endpoint) = binary_support::spawn(command).await;

    let direct = connection(&endpoint);
    let throughput = Throughput::new(1000, 1000);
    let tables = Arc::new(Tables {
        counters: direct
            .create_table::<Counter>(throughput)
            .await
            .expect("create"),
        docs: direct
            .create_table::<Doc>(throughput)
            .await
            .expect("create"),
        notes: direct
            .create_table::<Note>(throughput)
            .await
            .expect("create"),
    });

    let upstream = endpoint
        .trim_start_matches("http://")
        .parse()
        .expect("a host:port endpoint");
    let tally = Arc::new(Tally::default());
    let proxied = connection(&start_proxy(upstream, tally.clone()).await);
    let via_proxy = Arc::new(Tables {
        counters: proxied.table::<Counter>(),
        docs: proxied.table::<Doc>(),
        notes: proxied.table::<Note>(),
    });

    let account = Arc::new(Account::default());
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            tokio::spawn(worker(
                w,
                via_proxy.clone(),
                tables.clone(),
                account.clone(),
            ))
        })
        .collect();
    let run = async {
        for w in workers {
            w.await.expect("worker");
        }
    };
    tokio::time::timeout(Duration::from_secs(240), run)
        .await
        .expect("the run ends within 4 minutes");

    let requests = tally.requests.load(Ordering::Relaxed);
    let faults: Vec<u64> = tally
        .faults
        .iter()
        .map(|f| f.load(Ordering::Relaxed))
        .collect();
    let n = |c: &AtomicU64| c.load(Ordering::Relaxed);
    eprintln!("| requests through the proxy | {requests} |");
    for (kind, count) in FAULT_KINDS.iter().zip(&faults) {
        eprintln!("| fault {kind:?} | {count} |");
    }
    eprintln!(
        "| operations | {} | ok {} | write applied {} | maybe {} | definite errors {} | batch leftovers {} |",
        n(&account.ops),
        n(&account.ok),
        n(&account.applied_errors),
        n(&account.maybe),
        n(&account.definite_errors),
        n(&account.batch_leftovers),
    );
    let total_faults: u64 = faults.iter().sum();
    assert!(n(&account.ops) >= 5_000, "at least 5,000 operations");
    assert!(
        total_faults * 10 >= requests,
        "at least 10 % of requests faulted: {total_faults}/{requests}"
    );
    assert!(
        faults.iter().all(|&f| f > 0),
        "every fault kind happened: {faults:?}"
    );
    let violations = [
        ("acknowledged writes lost", n(&account.lost_acknowledged)),
        (
            "conditional or versioned writes reported failed that this call applied",
            n(&account.failed_but_applied),
        ),
        ("numeric ADDs applied twice", n(&account.adds_applied_twice)),
        (
            "ambiguous outcomes reported as definite",
            n(&account.definite_but_applied),
        ),
        ("batch writes dropped", n(&account.batch_dropped)),
        (
            "batch leftovers said unwritten that are stored",
            n(&account.leftover_written),
        ),
    ];
    for (what, count) in violations {
        eprintln!("| {what} | {count} |");
    }
    assert!(
        violations.iter().all(|(_, c)| *c == 0),
        "violations: {violations:?}"
    );
}
