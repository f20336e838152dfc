//! Batch plumbing shared by the typed layer: splitting work to the service
//! limits and resending what comes back unprocessed.
//!
//! Limits (2011-12-05): BatchWriteItem takes at most 25 requests and 1 MB,
//! never the same key twice; BatchGetItem at most 100 keys. Requests that come
//! back in `UnprocessedItems` / `UnprocessedKeys` are resent with the capped
//! exponential backoff and full jitter of a [`RetryConfig`]; what is still
//! left when attempts run out is handed back to the caller, never dropped.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use crate::Item;
use crate::client::RetryConfig;
use crate::limiter::CapacityLimiter;
use crate::wire::{
    BatchGetItemInput, BatchGetItemOutput, BatchWriteItemInput, BatchWriteItemOutput, Key,
    KeysAndAttributes, WriteRequest,
};

/// Most write requests in one BatchWriteItem call.
pub const MAX_BATCH_WRITES: usize = 25;
/// Most keys in one BatchGetItem call.
pub const MAX_BATCH_KEYS: usize = 100;
/// Request payload limit of BatchWriteItem, with room for the envelope.
pub const MAX_BATCH_WRITE_BYTES: usize = 1024 * 1024 - 16 * 1024;

/// One write of a batch, tagged with its table and a key identity.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedWrite {
    /// Table name.
    pub table: String,
    /// Identity of the item's key within the table (equal keys, equal ids).
    pub key_id: String,
    /// The wire request.
    pub request: WriteRequest,
}

/// Splits writes into calls of at most 25 requests and about 1 MB, keeping
/// their order and never putting the same key twice into one call (a later
/// write of a key goes into a later call, so the last one wins).
pub fn plan_writes(writes: Vec<PlannedWrite>) -> Vec<Vec<PlannedWrite>> {
    let mut chunks = Vec::new();
    let mut current: Vec<PlannedWrite> = Vec::new();
    let mut keys: HashSet<(String, String)> = HashSet::new();
    let mut bytes = 0;
    for write in writes {
        let size = serde_json::to_vec(&write.request).map_or(0, |v| v.len()) + write.table.len();
        let id = (write.table.clone(), write.key_id.clone());
        let full = current.len() >= MAX_BATCH_WRITES
            || (bytes + size > MAX_BATCH_WRITE_BYTES && !current.is_empty())
            || keys.contains(&id);
        if full {
            chunks.push(std::mem::take(&mut current));
            keys.clear();
            bytes = 0;
        }
        keys.insert(id);
        bytes += size;
        current.push(write);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

fn write_input(chunk: &[PlannedWrite]) -> BatchWriteItemInput {
    let mut request_items: HashMap<String, Vec<WriteRequest>> = HashMap::new();
    for w in chunk {
        request_items
            .entry(w.table.clone())
            .or_default()
            .push(w.request.clone());
    }
    BatchWriteItemInput { request_items }
}

/// Sends each call, resending what comes back unprocessed with backoff.
/// `absorb` takes a response's results and returns the unprocessed part of
/// its request, if any; `give_up` receives every request part that will not
/// be sent again (retries exhausted, or after a hard error, which is
/// returned).
async fn run_calls<I, O, E, F, Fut>(
    calls: Vec<I>,
    retry: RetryConfig,
    limiter: Option<&CapacityLimiter>,
    send: F,
    mut absorb: impl FnMut(O) -> Option<I>,
    mut give_up: impl FnMut(I),
) -> Result<(), E>
where
    I: Clone,
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let mut remaining = calls.into_iter();
    while let Some(call) = remaining.next() {
        let mut pending = call;
        let mut attempt = 1;
        loop {
            if let Some(l) = limiter {
                l.ready().await;
            }
            let output = match send(pending.clone()).await {
                Ok(output) => output,
                Err(e) => {
                    give_up(pending);
                    remaining.for_each(&mut give_up);
                    return Err(e);
                }
            };
            let Some(unprocessed) = absorb(output) else {
                break;
            };
            if attempt >= retry.attempts() {
                give_up(unprocessed);
                break;
            }
            tokio::time::sleep(retry.delay(attempt - 1)).await;
            attempt += 1;
            pending = unprocessed;
        }
    }
    Ok(())
}

/// Sends every chunk, resending unprocessed requests. Returns the requests
/// that were never confirmed (empty on full success), or the first hard
/// error together with everything not yet confirmed.
pub async fn run_writes<F, Fut, E>(
    chunks: Vec<Vec<PlannedWrite>>,
    retry: RetryConfig,
    limiter: Option<&CapacityLimiter>,
    send: F,
) -> Result<Vec<WriteRequestIn>, (E, Vec<WriteRequestIn>)>
where
    F: Fn(BatchWriteItemInput) -> Fut,
    Fut: Future<Output = Result<BatchWriteItemOutput, E>>,
{
    let calls = chunks.iter().map(|c| write_input(c)).collect();
    let mut leftovers = Vec::new();
    let result = run_calls(
        calls,
        retry,
        limiter,
        send,
        |output: BatchWriteItemOutput| {
            if let Some(l) = limiter {
                l.consume(
                    output
                        .responses
                        .values()
                        .filter_map(|r| r.consumed_capacity_units)
                        .sum(),
                );
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
        |left: BatchWriteItemInput| leftovers.extend(flatten_writes(left.request_items)),
    )
    .await;
    match result {
        Ok(()) => Ok(leftovers),
        Err(e) => Err((e, leftovers)),
    }
}

/// A write request with its table: what a batch hands back when it could
/// not be done.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteRequestIn {
    /// Table name.
    pub table: String,
    /// The request, as it would be sent again.
    pub request: WriteRequest,
}

fn flatten_writes(map: HashMap<String, Vec<WriteRequest>>) -> Vec<WriteRequestIn> {
    map.into_iter()
        .flat_map(|(table, requests)| {
            requests.into_iter().map(move |request| WriteRequestIn {
                table: table.clone(),
                request,
            })
        })
        .collect()
}

/// How one table is read in a batch get.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRead {
    /// Attributes to return; all when `None`.
    pub attributes_to_get: Option<Vec<String>>,
    /// Strongly consistent reads.
    pub consistent_read: bool,
}

/// Splits keys into calls of at most 100 keys, dropping repeated keys of a
/// table (the service rejects duplicates; one read answers both).
pub fn plan_gets(
    keys: Vec<(String, Key)>,
    reads: &HashMap<String, TableRead>,
) -> Vec<BatchGetItemInput> {
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut calls = Vec::new();
    let mut current: HashMap<String, KeysAndAttributes> = HashMap::new();
    let mut count = 0;
    for (table, key) in keys {
        let id = serde_json::to_string(&key).unwrap_or_default();
        if !seen.insert((table.clone(), id)) {
            continue;
        }
        if count == MAX_BATCH_KEYS {
            calls.push(BatchGetItemInput {
                request_items: std::mem::take(&mut current),
            });
            count = 0;
        }
        let read = reads.get(&table).cloned().unwrap_or_default();
        current
            .entry(table)
            .or_insert_with(|| KeysAndAttributes {
                keys: Vec::new(),
                attributes_to_get: read.attributes_to_get,
                consistent_read: read.consistent_read.then_some(true),
            })
            .keys
            .push(key);
        count += 1;
    }
    if !current.is_empty() {
        calls.push(BatchGetItemInput {
            request_items: current,
        });
    }
    calls
}

/// What a batch get produced: items by table, and keys never read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GetOutcome {
    /// Items found, by table.
    pub items: HashMap<String, Vec<Item>>,
    /// Keys not read when attempts ran out (or after a hard error), by table.
    pub unprocessed: Vec<(String, Key)>,
}

/// Runs the calls of [`plan_gets`], resending unprocessed keys. On a hard
/// error, returns it with everything read so far and every key not read.
pub async fn run_gets<F, Fut, E>(
    calls: Vec<BatchGetItemInput>,
    retry: RetryConfig,
    limiter: Option<&CapacityLimiter>,
    send: F,
) -> Result<GetOutcome, (E, GetOutcome)>
where
    F: Fn(BatchGetItemInput) -> Fut,
    Fut: Future<Output = Result<BatchGetItemOutput, E>>,
{
    let mut items: HashMap<String, Vec<Item>> = HashMap::new();
    let mut unprocessed = Vec::new();
    let result = run_calls(
        calls,
        retry,
        limiter,
        send,
        |output: BatchGetItemOutput| {
            for (table, response) in output.responses {
                if let Some(l) = limiter {
                    l.consume(response.consumed_capacity_units.unwrap_or(0.0));
                }
                let found = response.items.unwrap_or_default();
                items.entry(table).or_default().extend(found);
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
        |left: BatchGetItemInput| unprocessed.extend(flatten_keys(left.request_items)),
    )
    .await;
    let outcome = GetOutcome { items, unprocessed };
    match result {
        Ok(()) => Ok(outcome),
        Err(e) => Err((e, outcome)),
    }
}

fn flatten_keys(map: HashMap<String, KeysAndAttributes>) -> Vec<(String, Key)> {
    map.into_iter()
        .flat_map(|(table, k)| k.keys.into_iter().map(move |key| (table.clone(), key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AttributeValue;
    use crate::wire::{DeleteRequest, PutRequest};

    fn put(table: &str, id: u32) -> PlannedWrite {
        let mut item = Item::new();
        item.insert("id".into(), AttributeValue::N(id.into()));
        PlannedWrite {
            table: table.into(),
            key_id: id.to_string(),
            request: WriteRequest::Put(PutRequest { item }),
        }
    }

    #[test]
    fn writes_split_at_25_and_on_repeated_keys() {
        let writes: Vec<_> = (0..60).map(|i| put("t", i)).collect();
        let chunks = plan_writes(writes);
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            [25, 25, 10]
        );

        let mut writes = vec![put("t", 1), put("t", 2), put("u", 1)];
        writes.push(PlannedWrite {
            table: "t".into(),
            key_id: "1".into(),
            request: WriteRequest::Delete(DeleteRequest {
                key: Key::hash(AttributeValue::N(1u8.into())),
            }),
        });
        let chunks = plan_writes(writes);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [3, 1]);
        assert!(matches!(chunks[1][0].request, WriteRequest::Delete(_)));
    }

    #[test]
    fn writes_split_by_size() {
        let big = "x".repeat(60 * 1024);
        let writes: Vec<_> = (0..20)
            .map(|i| {
                let mut w = put("t", i);
                if let WriteRequest::Put(p) = &mut w.request {
                    p.item.insert("body".into(), AttributeValue::S(big.clone()));
                }
                w
            })
            .collect();
        let chunks = plan_writes(writes);
        assert!(chunks.len() >= 2);
        for c in &chunks {
            let size: usize = c
                .iter()
                .map(|w| serde_json::to_vec(&w.request).map_or(0, |v| v.len()))
                .sum();
            assert!(size <= MAX_BATCH_WRITE_BYTES, "{size}");
        }
    }

    #[test]
    fn gets_split_at_100_and_drop_repeats() {
        let keys: Vec<_> = (0..250u32)
            .chain(0..10)
            .map(|i| ("t".to_owned(), Key::hash(AttributeValue::N(i.into()))))
            .collect();
        let calls = plan_gets(keys, &HashMap::new());
        let sizes: Vec<_> = calls
            .iter()
            .map(|c| {
                c.request_items
                    .values()
                    .map(|k| k.keys.len())
                    .sum::<usize>()
            })
            .collect();
        assert_eq!(sizes, [100, 100, 50]);
    }
}
