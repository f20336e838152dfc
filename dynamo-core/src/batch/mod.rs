//! Batch get and batch write of any size, over one table or several (boto's
//! `BatchList` / `BatchWriteList`), typed per table.
//!
//! One path serves every batch: a builder turns each table's items and keys
//! into wire requests (a put's key comes from `T::key()` through
//! `T::key_to_wire`, never from the converted item); the private planner
//! splits them into calls within the service's limits (25 writes and about
//! 1 MB, or 100 keys, per call; never one key twice in a call); the runner
//! sends each call, resends what the service leaves unprocessed with the
//! [`crate::client::RetryConfig`] backoff, and waits on and charges the
//! [`crate::CapacityLimiter`] of every table that has one. What is still
//! undone when attempts run out, or after a hard error, is handed back in
//! the one result shape ([`BatchWriteError`], or the unprocessed keys of a
//! read), never dropped.
//!
//! The single-table builders, [`crate::Table::batch_get`] and
//! [`crate::Table::batch_write`], are the one-table case of
//! [`BatchGetList`] and [`BatchWriteList`].

mod get;
mod plan;
mod run;
mod write;

pub use get::{BatchGet, BatchGetList, BatchGetOutcome, BatchGetResults, Slot};
pub use write::{BatchWrite, BatchWriteError, BatchWriteList};
