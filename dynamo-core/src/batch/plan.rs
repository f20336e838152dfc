//! The planner: splits a batch's requests into calls that fit the service
//! limits (2011-12-05): BatchWriteItem takes at most 25 requests and 1 MB and
//! never the same key twice; BatchGetItem at most 100 keys.

use std::collections::{HashMap, HashSet};

use crate::wire::{BatchGetItemInput, BatchWriteItemInput, Key, KeysAndAttributes, WriteRequest};

/// Most write requests in one BatchWriteItem call.
const MAX_BATCH_WRITES: usize = 25;
/// Most keys in one BatchGetItem call.
const MAX_BATCH_KEYS: usize = 100;
/// Request payload limit of BatchWriteItem, with room for the envelope.
const MAX_BATCH_WRITE_BYTES: usize = 1024 * 1024 - 16 * 1024;

/// The identity of an item within a batch: its table and its wire key
/// (built from `T::key()` through `T::key_to_wire`). Equal keys, equal ids.
pub(super) type KeyId = (String, Key);

/// The one way a batch names an item.
pub(super) fn key_id(table: &str, key: &Key) -> KeyId {
    (table.to_owned(), key.clone())
}

/// One write of a batch, tagged with its table and key.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PlannedWrite {
    pub(super) table: String,
    pub(super) key: Key,
    pub(super) request: WriteRequest,
}

/// Splits writes into calls of at most 25 requests and about 1 MB, keeping
/// their order. The batch has already refused a key written twice
/// (`duplicate` in `write.rs`), as the service would.
pub(super) fn plan_writes(writes: Vec<PlannedWrite>) -> Vec<BatchWriteItemInput> {
    let mut calls = Vec::new();
    let mut current: HashMap<String, Vec<WriteRequest>> = HashMap::new();
    let mut count = 0;
    let mut bytes = 0;
    for write in writes {
        let size = serde_json::to_vec(&write.request).map_or(0, |v| v.len()) + write.table.len();
        let full = count >= MAX_BATCH_WRITES || (bytes + size > MAX_BATCH_WRITE_BYTES && count > 0);
        if full {
            calls.push(BatchWriteItemInput {
                request_items: std::mem::take(&mut current),
            });
            count = 0;
            bytes = 0;
        }
        bytes += size;
        count += 1;
        current.entry(write.table).or_default().push(write.request);
    }
    if count > 0 {
        calls.push(BatchWriteItemInput {
            request_items: current,
        });
    }
    calls
}

/// How one table is read in a batch get.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct TableRead {
    /// Strongly consistent reads.
    pub(super) consistent_read: bool,
}

/// Splits keys into calls of at most 100 keys, dropping repeated keys of a
/// table (the service rejects duplicates; one read answers both).
pub(super) fn plan_gets(
    keys: Vec<(String, Key)>,
    reads: &HashMap<String, TableRead>,
) -> Vec<BatchGetItemInput> {
    let mut seen: HashSet<KeyId> = HashSet::new();
    let mut calls = Vec::new();
    let mut current: HashMap<String, KeysAndAttributes> = HashMap::new();
    let mut count = 0;
    for (table, key) in keys {
        if !seen.insert(key_id(&table, &key)) {
            continue;
        }
        if count == MAX_BATCH_KEYS {
            calls.push(BatchGetItemInput {
                request_items: std::mem::take(&mut current),
            });
            count = 0;
        }
        let consistent = reads.get(&table).is_some_and(|r| r.consistent_read);
        current
            .entry(table)
            .or_insert_with(|| KeysAndAttributes {
                keys: Vec::new(),
                attributes_to_get: None,
                consistent_read: consistent.then_some(true),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{AttributeValue, Item};
    use crate::wire::PutRequest;

    fn put(table: &str, id: u32) -> PlannedWrite {
        let mut item = Item::new();
        item.insert("id".into(), AttributeValue::N(id.into()));
        PlannedWrite {
            table: table.into(),
            key: Key::hash(AttributeValue::N(id.into())),
            request: WriteRequest::Put(PutRequest { item }),
        }
    }

    fn sizes(calls: &[BatchWriteItemInput]) -> Vec<usize> {
        calls
            .iter()
            .map(|c| c.request_items.values().map(Vec::len).sum())
            .collect()
    }

    #[test]
    fn writes_split_at_25_keeping_order() {
        let writes: Vec<_> = (0..60).map(|i| put("t", i)).collect();
        assert_eq!(sizes(&plan_writes(writes)), [25, 25, 10]);

        let writes = vec![put("t", 1), put("t", 2), put("u", 1)];
        let calls = plan_writes(writes);
        assert_eq!(sizes(&calls), [3]);
        assert_eq!(calls[0].request_items["t"].len(), 2);
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
        let calls = plan_writes(writes);
        assert!(calls.len() >= 2);
        for c in &calls {
            let size: usize = c
                .request_items
                .values()
                .flatten()
                .map(|w| serde_json::to_vec(w).map_or(0, |v| v.len()))
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
