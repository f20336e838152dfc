//! The runner: sends a batch's planned calls one after another, resends what
//! comes back unprocessed with the capped exponential backoff and full jitter
//! of a [`RetryConfig`], and paces every call by the capacity limiter of each
//! table it touches.
//!
//! Each request part that will not be sent again is handed to the caller's
//! `give_up` with why ([`Undone`]), so nothing is dropped.

use std::collections::HashMap;

use crate::client::{Client, RetryConfig};
use crate::error::Error;
use crate::limiter::CapacityLimiter;
use crate::value::Item;
use crate::wire::{
    BatchGetItemInput, BatchGetItemOutput, BatchWriteItemInput, BatchWriteItemOutput, Key, Op,
    WriteRequest,
};

/// Why a part of a batch was not confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Undone {
    /// The service answered and listed it as unprocessed, every attempt.
    Unprocessed,
    /// It was in the call that failed with the batch's hard error.
    InFailedCall,
    /// It was in a call that may have been applied, or was applied with an
    /// answer that could not be read ([`crate::ErrorKind::MaybeApplied`],
    /// [`crate::ErrorKind::WriteApplied`]: a lost answer, a wrong CRC): it
    /// may have been written, or listed as unprocessed in the lost answer.
    MaybeWritten,
    /// The batch stopped before sending it.
    NotSent,
}

/// The capacity limiters of a batch's tables, by table name.
#[derive(Debug, Clone, Default)]
pub(super) struct Limiters(HashMap<String, CapacityLimiter>);

impl Limiters {
    /// Paces `table`'s share of the batch by `limiter`, if it has one.
    pub(super) fn add(&mut self, table: &str, limiter: Option<&CapacityLimiter>) {
        if let Some(l) = limiter {
            self.0.insert(table.to_owned(), l.clone());
        }
    }

    /// Waits until every table of the next call is within its budget.
    async fn ready<'a>(&self, tables: impl Iterator<Item = &'a String>) {
        for table in tables {
            if let Some(l) = self.0.get(table) {
                l.ready().await;
            }
        }
    }

    /// Records what a call consumed on `table`.
    fn charge(&self, op: Op, table: &str, units: Option<f64>) {
        tracing::debug!(
            table,
            operation = op.name(),
            consumed_capacity = units.unwrap_or_default(),
            "capacity consumed"
        );
        if let (Some(l), Some(u)) = (self.0.get(table), units) {
            l.consume(u);
        }
    }
}

/// One batch call: the tables it touches, how it is sent, and how its
/// answer is split into what was done and what is to be sent again.
trait Call: Clone + Sized {
    type Output;

    fn tables(&self) -> impl Iterator<Item = &String>;

    async fn send(&self, client: &Client) -> Result<Self::Output, Error>;
}

impl Call for BatchWriteItemInput {
    type Output = BatchWriteItemOutput;

    fn tables(&self) -> impl Iterator<Item = &String> {
        self.request_items.keys()
    }

    async fn send(&self, client: &Client) -> Result<BatchWriteItemOutput, Error> {
        client.batch_write_item(self).await
    }
}

impl Call for BatchGetItemInput {
    type Output = BatchGetItemOutput;

    fn tables(&self) -> impl Iterator<Item = &String> {
        self.request_items.keys()
    }

    async fn send(&self, client: &Client) -> Result<BatchGetItemOutput, Error> {
        client.batch_get_item(self).await
    }
}

/// The shared loop. `absorb` takes an answer and returns the unprocessed
/// part of its request, if any. On a hard error every part not confirmed
/// goes to `give_up` and the error is returned.
async fn run_calls<I: Call>(
    client: &Client,
    calls: Vec<I>,
    retry: &RetryConfig,
    limiters: &Limiters,
    mut absorb: impl FnMut(I::Output) -> Option<I>,
    mut give_up: impl FnMut(I, Undone),
) -> Result<(), Error> {
    let mut remaining = calls.into_iter();
    while let Some(call) = remaining.next() {
        let mut pending = call;
        let mut attempt = 1;
        loop {
            limiters.ready(pending.tables()).await;
            let output = match pending.send(client).await {
                Ok(output) => output,
                Err(e) => {
                    let applied = [
                        crate::ErrorKind::MaybeApplied,
                        crate::ErrorKind::WriteApplied,
                    ];
                    let why = if applied.contains(&e.kind()) {
                        Undone::MaybeWritten
                    } else {
                        Undone::InFailedCall
                    };
                    give_up(pending, why);
                    remaining.for_each(|call| give_up(call, Undone::NotSent));
                    return Err(e);
                }
            };
            let Some(unprocessed) = absorb(output) else {
                break;
            };
            if attempt >= retry.attempts() {
                give_up(unprocessed, Undone::Unprocessed);
                break;
            }
            tokio::time::sleep(retry.delay(attempt - 1)).await;
            attempt += 1;
            pending = unprocessed;
        }
    }
    Ok(())
}

/// A write handed back: its table, the request as it would be sent again,
/// and why it was not confirmed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Leftover {
    pub(super) table: String,
    pub(super) request: WriteRequest,
    pub(super) why: Undone,
}

/// Sends every write call. Returns the writes never confirmed (empty on full
/// success), with the hard error that stopped the batch, if any.
pub(super) async fn run_writes(
    client: &Client,
    calls: Vec<BatchWriteItemInput>,
    retry: &RetryConfig,
    limiters: &Limiters,
) -> (Option<Error>, Vec<Leftover>) {
    let mut leftovers = Vec::new();
    let result = run_calls(
        client,
        calls,
        retry,
        limiters,
        |output: BatchWriteItemOutput| {
            for (table, response) in &output.responses {
                limiters.charge(Op::BatchWriteItem, table, response.consumed_capacity_units);
            }
            let unprocessed: HashMap<_, _> = output
                .unprocessed_items
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .collect();
            (!unprocessed.is_empty()).then_some(BatchWriteItemInput {
                request_items: unprocessed,
            })
        },
        |left: BatchWriteItemInput, why| {
            for (table, requests) in left.request_items {
                leftovers.extend(requests.into_iter().map(|request| Leftover {
                    table: table.clone(),
                    request,
                    why,
                }));
            }
        },
    )
    .await;
    (result.err(), leftovers)
}

/// What a batch get read: items by table, and keys never read.
#[derive(Debug, Default)]
pub(super) struct GetOutcome {
    pub(super) items: HashMap<String, Vec<Item>>,
    pub(super) unprocessed: HashMap<String, Vec<Key>>,
}

/// Sends every get call, resending unprocessed keys. On a hard error,
/// returns it with everything read so far and every key not read.
pub(super) async fn run_gets(
    client: &Client,
    calls: Vec<BatchGetItemInput>,
    retry: &RetryConfig,
    limiters: &Limiters,
) -> Result<GetOutcome, (Error, GetOutcome)> {
    let mut outcome = GetOutcome::default();
    let mut unprocessed: HashMap<String, Vec<Key>> = HashMap::new();
    let result = run_calls(
        client,
        calls,
        retry,
        limiters,
        |output: BatchGetItemOutput| {
            for (table, response) in output.responses {
                limiters.charge(Op::BatchGetItem, &table, response.consumed_capacity_units);
                let found = response.items.unwrap_or_default();
                outcome.items.entry(table).or_default().extend(found);
            }
            let left: HashMap<_, _> = output
                .unprocessed_keys
                .into_iter()
                .filter(|(_, v)| !v.keys.is_empty())
                .collect();
            (!left.is_empty()).then_some(BatchGetItemInput {
                request_items: left,
            })
        },
        |left: BatchGetItemInput, _| {
            for (table, keys) in left.request_items {
                unprocessed.entry(table).or_default().extend(keys.keys);
            }
        },
    )
    .await;
    outcome.unprocessed = unprocessed;
    match result {
        Ok(()) => Ok(outcome),
        Err(e) => Err((e, outcome)),
    }
}
