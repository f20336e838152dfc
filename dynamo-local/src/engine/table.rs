//! One table: key schema, lifecycle metadata and sharded item storage.
//!
//! Items live in [`SHARDS`] shards chosen by a fixed hash of the hash-key
//! value. Each shard is an `RwLock` over `BTreeMap<hash key, partition>`, a
//! partition being a `BTreeMap<range key, item>` (range key `None` on
//! hash-only tables). A single-item operation locks exactly one shard, so
//! conditional writes and `ADD` are atomic per item while operations on other
//! shards proceed in parallel. Scans visit shards in index order, then hash
//! keys, then range keys: a stable order for `ExclusiveStartKey`.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

use dynamo_core::value::{AttributeValue, Binary, Item, Number};
use dynamo_core::wire::{ScalarAttributeType, TableStatus};

use super::decode::RawKey;
use super::error::ApiError;
use super::store::{Store, TableRecord};

/// Number of shards per table.
pub(crate) const SHARDS: usize = 16;
/// Largest item, attribute names included.
pub(crate) const MAX_ITEM_SIZE: usize = 65_536;
const MAX_HASH_KEY: usize = 2048;
const MAX_RANGE_KEY: usize = 1024;

/// A key attribute value in storage order: S by UTF-8 bytes, N numerically, B by unsigned bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum KeyVal {
    S(String),
    N(Number),
    B(Binary),
}

impl KeyVal {
    /// The scalar value of a key attribute, if it is one.
    pub(crate) fn from_value(v: &AttributeValue) -> Option<KeyVal> {
        match v {
            AttributeValue::S(s) => Some(KeyVal::S(s.clone())),
            AttributeValue::N(n) => Some(KeyVal::N(n.clone())),
            AttributeValue::B(b) => Some(KeyVal::B(b.clone())),
            _ => None,
        }
    }

    /// Back to an AttributeValue.
    pub(crate) fn to_value(&self) -> AttributeValue {
        match self {
            KeyVal::S(s) => AttributeValue::S(s.clone()),
            KeyVal::N(n) => AttributeValue::N(n.clone()),
            KeyVal::B(b) => AttributeValue::B(b.clone()),
        }
    }

    fn scalar_type(&self) -> ScalarAttributeType {
        match self {
            KeyVal::S(_) => ScalarAttributeType::S,
            KeyVal::N(_) => ScalarAttributeType::N,
            KeyVal::B(_) => ScalarAttributeType::B,
        }
    }
}

/// A key attribute of the schema.
#[derive(Debug, Clone)]
pub(crate) struct KeyDef {
    pub(crate) name: String,
    pub(crate) ty: ScalarAttributeType,
}

impl KeyDef {
    /// The value as a key of this attribute's type, if it is one.
    pub(crate) fn accept(&self, v: &AttributeValue) -> Option<KeyVal> {
        KeyVal::from_value(v).filter(|k| k.scalar_type() == self.ty)
    }
}

/// A table's primary key schema.
#[derive(Debug, Clone)]
pub(crate) struct Schema {
    pub(crate) hash: KeyDef,
    pub(crate) range: Option<KeyDef>,
}

/// A full primary key in storage form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PrimaryKey {
    pub(crate) hash: KeyVal,
    pub(crate) range: Option<KeyVal>,
}

fn key_size_error(hash: bool) -> ApiError {
    ApiError::invalid_parameter(if hash {
        "Hash primary key values must be under 2048 bytes"
    } else {
        "Range primary key values must be under 1024 bytes"
    })
}

fn check_key_size(v: &KeyVal, hash: bool) -> Result<(), ApiError> {
    let size = v.to_value().size();
    let max = if hash { MAX_HASH_KEY } else { MAX_RANGE_KEY };
    if size > max {
        return Err(key_size_error(hash));
    }
    Ok(())
}

impl Schema {
    /// Checks a positional key against the schema.
    pub(crate) fn key_of(&self, raw: &RawKey) -> Result<PrimaryKey, ApiError> {
        if raw.range.is_some() != self.range.is_some() {
            return Err(ApiError::invalid_parameter(
                "The provided key size does not match with that of the schema",
            ));
        }
        let mismatch =
            || ApiError::validation("The provided key element does not match the schema");
        let hash = KeyVal::from_value(&raw.hash)
            .filter(|k| k.scalar_type() == self.hash.ty)
            .ok_or_else(mismatch)?;
        check_key_size(&hash, true)?;
        let range = match (&raw.range, &self.range) {
            (Some(r), Some(def)) => {
                let r = KeyVal::from_value(r)
                    .filter(|k| k.scalar_type() == def.ty)
                    .ok_or_else(mismatch)?;
                check_key_size(&r, false)?;
                Some(r)
            }
            _ => None,
        };
        Ok(PrimaryKey { hash, range })
    }

    /// Extracts and checks the key attributes of a whole item (PutItem).
    pub(crate) fn item_key(&self, item: &Item) -> Result<PrimaryKey, ApiError> {
        let hash = item_key_part(item, &self.hash)?;
        check_key_size(&hash, true)?;
        let range = match &self.range {
            Some(def) => {
                let r = item_key_part(item, def)?;
                check_key_size(&r, false)?;
                Some(r)
            }
            None => None,
        };
        Ok(PrimaryKey { hash, range })
    }

    /// True when `name` is a key attribute.
    pub(crate) fn is_key(&self, name: &str) -> bool {
        self.hash.name == name || self.range.as_ref().is_some_and(|r| r.name == name)
    }

    /// The key attributes of `key` as named item attributes.
    pub(crate) fn key_item(&self, key: &PrimaryKey) -> Item {
        let mut item = Item::with_capacity(2);
        item.insert(self.hash.name.clone(), key.hash.to_value());
        if let (Some(def), Some(r)) = (&self.range, &key.range) {
            item.insert(def.name.clone(), r.to_value());
        }
        item
    }
}

fn item_key_part(item: &Item, def: &KeyDef) -> Result<KeyVal, ApiError> {
    let value = item.get(&def.name).ok_or_else(|| {
        ApiError::invalid_parameter(format!("Missing the key {} in the item", def.name))
    })?;
    KeyVal::from_value(value)
        .filter(|k| k.scalar_type() == def.ty)
        .ok_or_else(|| {
            ApiError::invalid_parameter(format!(
                "Type mismatch for key {} expected: {} actual: {}",
                def.name,
                def.ty.as_str(),
                value.value_type()
            ))
        })
}

/// Size of an item as the service counts it: names plus values.
pub(crate) fn item_size(item: &Item) -> usize {
    item.iter().map(|(name, v)| name.len() + v.size()).sum()
}

/// A stored item with its size.
#[derive(Debug)]
pub(crate) struct Stored {
    pub(crate) item: Item,
    pub(crate) size: usize,
}

impl Stored {
    /// Wraps an item, computing its size.
    pub(crate) fn new(item: Item) -> Arc<Stored> {
        let size = item_size(&item);
        Arc::new(Stored { item, size })
    }
}

/// Items of one hash key, by range key.
pub(crate) type Partition = BTreeMap<Option<KeyVal>, Arc<Stored>>;

/// One shard: partitions by hash key.
#[derive(Debug, Default)]
pub(crate) struct Shard {
    pub(crate) parts: BTreeMap<KeyVal, Partition>,
}

impl Shard {
    /// The item with `key`.
    pub(crate) fn get(&self, key: &PrimaryKey) -> Option<&Arc<Stored>> {
        self.parts.get(&key.hash)?.get(&key.range)
    }
}

/// Lifecycle and throughput of a table.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub(crate) status: TableStatus,
    /// When the current transition completes.
    pub(crate) due: Option<Instant>,
    pub(crate) read: i64,
    pub(crate) write: i64,
    /// Throughput that takes effect when UPDATING ends.
    pub(crate) pending: Option<(i64, i64)>,
    pub(crate) last_increase: Option<f64>,
    pub(crate) last_decrease: Option<f64>,
    pub(crate) decreases_today: i64,
    /// UTC day (days since the epoch) `decreases_today` counts.
    pub(crate) decrease_day: i64,
}

impl Meta {
    /// Completes a due transition (DELETING stays; the catalog removes the table).
    fn settle(&mut self, now: Instant) {
        if self.due.is_some_and(|d| d <= now) {
            match self.status {
                TableStatus::Creating | TableStatus::Updating => {
                    if let Some((r, w)) = self.pending.take() {
                        self.read = r;
                        self.write = w;
                    }
                    self.status = TableStatus::Active;
                    self.due = None;
                }
                TableStatus::Deleting | TableStatus::Active => {}
            }
        }
    }
}

/// A table.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) name: String,
    pub(crate) schema: Schema,
    pub(crate) created: f64,
    meta: Mutex<Meta>,
    /// True while the status may change: skip the meta lock otherwise.
    transitioning: AtomicBool,
    shards: Box<[RwLock<Shard>]>,
    item_count: AtomicI64,
    size_bytes: AtomicI64,
    /// Where item writes are made durable (`--data-dir`), once set.
    journal: OnceLock<Arc<Store>>,
}

impl Table {
    /// A new table in the given state.
    pub(crate) fn new(name: String, schema: Schema, created: f64, meta: Meta) -> Table {
        let transitioning = meta.status != TableStatus::Active || meta.due.is_some();
        Table {
            name,
            schema,
            created,
            meta: Mutex::new(meta),
            transitioning: AtomicBool::new(transitioning),
            shards: (0..SHARDS).map(|_| RwLock::new(Shard::default())).collect(),
            item_count: AtomicI64::new(0),
            size_bytes: AtomicI64::new(0),
            journal: OnceLock::new(),
        }
    }

    /// From now on, item writes are also queued to `store`.
    pub(crate) fn journal_to(&self, store: &Arc<Store>) {
        let _ = self.journal.set(Arc::clone(store));
    }

    /// What the store keeps of this table: its schema and the throughput
    /// it has or is moving to.
    pub(crate) fn record(&self, meta: &Meta) -> TableRecord {
        let key = |def: &KeyDef| (def.name.clone(), def.ty.as_str().to_owned());
        let (read, write) = meta.pending.unwrap_or((meta.read, meta.write));
        TableRecord {
            name: self.name.clone(),
            hash: key(&self.schema.hash),
            range: self.schema.range.as_ref().map(key),
            created: self.created,
            read,
            write,
            last_increase: meta.last_increase,
            last_decrease: meta.last_decrease,
            decreases_today: meta.decreases_today,
            decrease_day: meta.decrease_day,
        }
    }

    /// The metadata, with any due transition completed.
    pub(crate) fn meta(&self) -> MutexGuard<'_, Meta> {
        let mut meta = self.meta.lock().unwrap_or_else(|e| e.into_inner());
        meta.settle(Instant::now());
        let settled = meta.status == TableStatus::Active && meta.due.is_none();
        self.transitioning.store(!settled, Ordering::Release);
        meta
    }

    /// Marks the table as possibly transitioning (after a metadata change).
    pub(crate) fn mark_transitioning(&self) {
        self.transitioning.store(true, Ordering::Release);
    }

    /// The current status.
    pub(crate) fn status(&self) -> TableStatus {
        if !self.transitioning.load(Ordering::Acquire) {
            return TableStatus::Active;
        }
        self.meta().status
    }

    /// Errors unless data-plane calls may use the table (not CREATING or DELETING).
    pub(crate) fn check_usable(&self) -> Result<(), ApiError> {
        match self.status() {
            TableStatus::Active | TableStatus::Updating => Ok(()),
            TableStatus::Creating | TableStatus::Deleting => Err(ApiError::data_plane_not_found()),
        }
    }

    /// Index of the shard holding hash key `hash`.
    pub(crate) fn shard_index(hash: &KeyVal) -> usize {
        let mut h = std::hash::DefaultHasher::new();
        hash.hash(&mut h);
        (h.finish() % SHARDS as u64) as usize
    }

    /// Shard `i` for reading (`i` is always taken modulo the shard count).
    pub(crate) fn read_shard(&self, i: usize) -> RwLockReadGuard<'_, Shard> {
        let lock = &self.shards[i % SHARDS];
        lock.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The shard of `hash` for writing.
    pub(crate) fn write_shard(&self, hash: &KeyVal) -> RwLockWriteGuard<'_, Shard> {
        let lock = &self.shards[Table::shard_index(hash)];
        lock.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The shard of `hash` for reading.
    pub(crate) fn read_shard_of(&self, hash: &KeyVal) -> RwLockReadGuard<'_, Shard> {
        self.read_shard(Table::shard_index(hash))
    }

    /// Stores (or, with `None`, removes) the item with `key` in a locked shard;
    /// returns the previous item. Keeps item count and size current.
    pub(crate) fn store(
        &self,
        shard: &mut Shard,
        key: &PrimaryKey,
        new: Option<Arc<Stored>>,
    ) -> Option<Arc<Stored>> {
        if let Some(journal) = self.journal.get() {
            journal.item(&self.name, key, new.as_deref().map(|s| &s.item));
        }
        let added = new.as_ref().map_or(0, |s| s.size as i64);
        let inserting = new.is_some();
        let old = match new {
            Some(stored) => shard
                .parts
                .entry(key.hash.clone())
                .or_default()
                .insert(key.range.clone(), stored),
            None => {
                let part = shard.parts.get_mut(&key.hash)?;
                let old = part.remove(&key.range);
                if part.is_empty() {
                    shard.parts.remove(&key.hash);
                }
                old
            }
        };
        let removed = old.as_ref().map_or(0, |s| s.size as i64);
        let count_delta = i64::from(inserting) - i64::from(old.is_some());
        self.item_count.fetch_add(count_delta, Ordering::Relaxed);
        self.size_bytes
            .fetch_add(added - removed, Ordering::Relaxed);
        old
    }

    /// Puts an item read back from the store, without journaling it again.
    pub(crate) fn load(&self, shard: &mut Shard, key: &PrimaryKey, stored: Arc<Stored>) {
        self.item_count.fetch_add(1, Ordering::Relaxed);
        self.size_bytes
            .fetch_add(stored.size as i64, Ordering::Relaxed);
        let old = shard
            .parts
            .entry(key.hash.clone())
            .or_default()
            .insert(key.range.clone(), stored);
        if let Some(old) = old {
            self.item_count.fetch_sub(1, Ordering::Relaxed);
            self.size_bytes
                .fetch_sub(old.size as i64, Ordering::Relaxed);
        }
    }

    /// Live item count.
    pub(crate) fn item_count(&self) -> i64 {
        self.item_count.load(Ordering::Relaxed)
    }

    /// Live total item size in bytes.
    pub(crate) fn size_bytes(&self) -> i64 {
        self.size_bytes.load(Ordering::Relaxed)
    }
}
