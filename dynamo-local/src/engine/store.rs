//! Durable storage (`--data-dir`): every table definition and item is
//! written through to a [redb](https://docs.rs/redb) database, `data.redb`
//! in the data directory, and loaded back into memory at start.
//!
//! # Fsync policy
//! A write is acknowledged only after the redb transaction holding it has
//! committed with `Durability::Immediate` (fsync). Writes are queued in the
//! order they were applied in memory (under their shard lock) and a single
//! writer thread commits everything queued so far in one transaction: group
//! commit, so concurrent writers share an fsync. Each item write is one
//! record, applied whole or not at all.
//!
//! A read may see a write that is applied in memory but whose commit has
//! not finished; the write's own answer waits for the commit.
//!
//! # Restore
//! Tables come back ACTIVE with the throughput they last asked for (a
//! transition in progress at a crash is complete after restart); items of a
//! table that no longer exists are ignored.

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::{fs, io};

use dynamo_core::value::{AttributeValue, Item};
use redb::{Database, Durability, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::table::PrimaryKey;

/// Items by (table name, encoded primary key); values are wire-format JSON.
const ITEMS: TableDefinition<'_, (&str, &[u8]), &[u8]> = TableDefinition::new("items");
/// Table definitions by name; values are [`TableRecord`] JSON.
const TABLES: TableDefinition<'_, &str, &[u8]> = TableDefinition::new("tables");
/// Most records committed in one transaction.
const MAX_GROUP: usize = 4096;

/// What survives of a table: its key schema and throughput settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TableRecord {
    pub(crate) name: String,
    pub(crate) hash: (String, String),
    pub(crate) range: Option<(String, String)>,
    pub(crate) created: f64,
    pub(crate) read: i64,
    pub(crate) write: i64,
    pub(crate) last_increase: Option<f64>,
    pub(crate) last_decrease: Option<f64>,
    pub(crate) decreases_today: i64,
    pub(crate) decrease_day: i64,
}

/// One change, in the order it was applied in memory.
enum Record {
    Item {
        table: String,
        key: Vec<u8>,
        item: Option<Vec<u8>>,
    },
    /// A new table: its old items (if any) go, its definition is written.
    Create(TableRecord),
    Update(TableRecord),
    Drop(String),
}

#[derive(Default)]
struct Progress {
    enqueued: u64,
    committed: u64,
    /// The last failed commit: records after `.0` up to `.1`, and why.
    failure: Option<(u64, u64, String)>,
    sender: Option<Sender<Record>>,
}

/// The durable store: a queue to the writer thread and its progress.
pub(crate) struct Store {
    progress: Mutex<Progress>,
    committed: Condvar,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// Everything read back at open.
pub(crate) struct Restored {
    pub(crate) tables: Vec<TableRecord>,
    /// `(table name, item)` pairs.
    pub(crate) items: Vec<(String, Item)>,
}

fn storage_error(error: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("data directory storage: {error}"))
}

impl Store {
    /// Opens (or creates) the database in `dir` and reads it back.
    pub(crate) fn open(dir: &Path) -> io::Result<(std::sync::Arc<Store>, Restored)> {
        fs::create_dir_all(dir)?;
        let db = Database::create(dir.join("data.redb")).map_err(storage_error)?;
        let init = db.begin_write().map_err(storage_error)?;
        init.open_table(ITEMS).map_err(storage_error)?;
        init.open_table(TABLES).map_err(storage_error)?;
        init.commit().map_err(storage_error)?;
        let restored = read_all(&db)?;
        let (sender, receiver) = channel();
        let store = std::sync::Arc::new(Store {
            progress: Mutex::new(Progress {
                sender: Some(sender),
                ..Progress::default()
            }),
            committed: Condvar::new(),
            writer: Mutex::new(None),
        });
        let writer_store = std::sync::Arc::clone(&store);
        let writer = std::thread::Builder::new()
            .name("dynamo-local-store".to_owned())
            .spawn(move || writer_store.run(db, receiver))?;
        *store.writer.lock().unwrap_or_else(|e| e.into_inner()) = Some(writer);
        Ok((store, restored))
    }

    fn progress(&self) -> MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn enqueue(&self, record: Record) {
        let mut progress = self.progress();
        if let Some(sender) = &progress.sender
            && sender.send(record).is_ok()
        {
            progress.enqueued += 1;
        }
    }

    /// Queues an item write (`None`: delete). Call with the item's shard locked.
    pub(crate) fn item(&self, table: &str, key: &PrimaryKey, item: Option<&Item>) {
        let item = item.and_then(|item| serde_json::to_vec(item).ok());
        self.enqueue(Record::Item {
            table: table.to_owned(),
            key: encode_key(key),
            item,
        });
    }

    /// Queues a new table (dropping any items left under its name).
    pub(crate) fn create_table(&self, record: TableRecord) {
        self.enqueue(Record::Create(record));
    }

    /// Queues a table's new settings.
    pub(crate) fn update_table(&self, record: TableRecord) {
        self.enqueue(Record::Update(record));
    }

    /// Queues a table's deletion, with its items.
    pub(crate) fn drop_table(&self, name: &str) {
        self.enqueue(Record::Drop(name.to_owned()));
    }

    /// Waits until everything queued so far is committed.
    ///
    /// # Errors
    /// `InternalServerError` when a commit failed: the write is applied in
    /// memory but may not survive a restart.
    pub(crate) fn sync(&self) -> Result<(), ApiError> {
        let mut progress = self.progress();
        let target = progress.enqueued;
        while progress.committed < target {
            progress = self
                .committed
                .wait(progress)
                .unwrap_or_else(|e| e.into_inner());
        }
        match &progress.failure {
            Some((after, upto, failure)) if target > *after && target <= *upto => {
                tracing::error!(%failure, "a durable commit failed");
                Err(ApiError::internal())
            }
            _ => Ok(()),
        }
    }

    /// Stops the writer after it has committed everything queued.
    pub(crate) fn close(&self) {
        self.progress().sender = None;
        let writer = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(writer) = writer {
            let _ = writer.join();
        }
    }

    /// The writer thread: commits whatever is queued, in order, in groups.
    fn run(&self, db: Database, records: Receiver<Record>) {
        while let Ok(first) = records.recv() {
            let mut group = vec![first];
            while group.len() < MAX_GROUP {
                match records.try_recv() {
                    Ok(record) => group.push(record),
                    Err(_) => break,
                }
            }
            // A panic inside redb must not leave writers waiting forever.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                commit(&db, &group).map_err(|e| e.to_string())
            }))
            .unwrap_or_else(|_| Err("the storage engine panicked".to_owned()));
            let mut progress = self.progress();
            let after = progress.committed;
            progress.committed += group.len() as u64;
            if let Err(error) = outcome {
                progress.failure = Some((after, progress.committed, error));
            }
            drop(progress);
            self.committed.notify_all();
        }
    }
}

// redb's own error type, large but only ever returned once per commit.
#[allow(clippy::result_large_err)]
fn commit(db: &Database, group: &[Record]) -> Result<(), redb::Error> {
    let mut tx = db.begin_write()?;
    tx.set_durability(Durability::Immediate);
    {
        let mut items = tx.open_table(ITEMS)?;
        let mut tables = tx.open_table(TABLES)?;
        for record in group {
            match record {
                Record::Item { table, key, item } => match item {
                    Some(value) => {
                        items.insert((table.as_str(), key.as_slice()), value.as_slice())?;
                    }
                    None => {
                        items.remove((table.as_str(), key.as_slice()))?;
                    }
                },
                Record::Create(def) | Record::Update(def) => {
                    if matches!(record, Record::Create(_)) {
                        remove_items(&mut items, &def.name)?;
                    }
                    let json = serde_json::to_vec(def).unwrap_or_default();
                    tables.insert(def.name.as_str(), json.as_slice())?;
                }
                Record::Drop(name) => {
                    remove_items(&mut items, name)?;
                    tables.remove(name.as_str())?;
                }
            }
        }
    }
    tx.commit()?;
    Ok(())
}

type ItemTable<'txn> = redb::Table<'txn, (&'static str, &'static [u8]), &'static [u8]>;

#[allow(clippy::result_large_err)]
fn remove_items(items: &mut ItemTable<'_>, table: &str) -> Result<(), redb::Error> {
    let mut keys = Vec::new();
    for entry in items.range((table, &[][..])..)? {
        let (key, _) = entry?;
        let (name, key) = key.value();
        if name != table {
            break;
        }
        keys.push(key.to_vec());
    }
    for key in keys {
        items.remove((table, key.as_slice()))?;
    }
    Ok(())
}

fn read_all(db: &Database) -> io::Result<Restored> {
    let tx = db.begin_read().map_err(storage_error)?;
    let mut restored = Restored {
        tables: Vec::new(),
        items: Vec::new(),
    };
    let tables = tx.open_table(TABLES).map_err(storage_error)?;
    for entry in tables.iter().map_err(storage_error)? {
        let (_, value) = entry.map_err(storage_error)?;
        let record: TableRecord = serde_json::from_slice(value.value()).map_err(storage_error)?;
        restored.tables.push(record);
    }
    let items = tx.open_table(ITEMS).map_err(storage_error)?;
    for entry in items.iter().map_err(storage_error)? {
        let (key, value) = entry.map_err(storage_error)?;
        let item: Item = serde_json::from_slice(value.value()).map_err(storage_error)?;
        restored.items.push((key.value().0.to_owned(), item));
    }
    Ok(restored)
}

/// A primary key as bytes: the JSON of its canonical attribute values (the
/// same key always encodes the same way).
fn encode_key(key: &PrimaryKey) -> Vec<u8> {
    let values: (AttributeValue, Option<AttributeValue>) = (
        key.hash.to_value(),
        key.range.as_ref().map(|r| r.to_value()),
    );
    serde_json::to_vec(&values).unwrap_or_default()
}
