//! An embedded DynamoDB (API 2011-12-05) server, in-process or standalone.
//!
//! Start it on an ephemeral loopback port, point a client (ours, or boto 2)
//! at [`LocalServer::endpoint`], create tables, put, get, query and scan
//! items, and shut it down when done:
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let server = dynamo_local::start().await?;
//! let endpoint = server.endpoint(); // e.g. "http://127.0.0.1:40123"
//! // ... give `endpoint` to a client, run the tutorial's operations ...
//! # let _ = endpoint;
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! The server speaks the service's HTTP protocol: `POST /` with
//! `X-Amz-Target: DynamoDB_20111205.<Operation>`, JSON bodies, and answers
//! carrying `x-amzn-RequestId` and `x-amz-crc32`. It accepts SigV4 and AWS3
//! signed requests; by default any credentials pass, and
//! [`LocalServerBuilder::verify_signatures`] makes it check them.
//!
//! From synchronous code (or another async runtime) use
//! [`LocalServer::start_in_background`] or
//! [`LocalServerBuilder::start_in_background`], which run the server on its
//! own thread and runtime.
//!
//! Data lives in memory unless [`LocalServerBuilder::data_dir`] (the
//! binary's `--data-dir DIR`) keeps it in a redb database that survives a
//! restart and `kill -9`.
//!
//! The `dynamo-local` binary serves the same thing on a fixed port:
//! `cargo run -p dynamo-local -- --port 8000 [--bind ADDR]
//! [--verify-signatures KEY:SECRET]... [--transition-delay-ms N]`
//! (`--help` lists every option; `RUST_LOG=debug` logs one line per request).

pub mod engine;
pub mod faults;

mod auth;
mod deadline;
mod http;
mod limits;
mod server;
mod tls;

pub use limits::{
    DEFAULT_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_IN_FLIGHT_BYTES, MAX_BODY_SIZE_LIMIT,
};
pub use server::{BackgroundServer, DEFAULT_MAX_BODY_SIZE, LocalServer, LocalServerBuilder, start};
