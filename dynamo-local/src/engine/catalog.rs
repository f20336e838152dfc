//! The table catalog and the control-plane operations: CreateTable,
//! DescribeTable, ListTables, UpdateTable, DeleteTable.
//!
//! The catalog is an `RwLock<BTreeMap<name, Arc<Table>>>`, locked only to look
//! a table up, add or remove one; the sorted map gives ListTables its order.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use dynamo_core::wire::{ScalarAttributeType, TableDescription, TableStatus};

use super::EngineConfig;
use super::decode::{Decoder, Obj, opt_i64, opt_obj, opt_str};
use super::error::ApiError;
use super::output::{describe, to_body};
use super::store::{Restored, Store, TableRecord};
use super::table::{KeyDef, Meta, Schema, Stored, Table};

const DEFAULT_MAX_TABLES: usize = 256;

/// All tables by name.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    tables: RwLock<BTreeMap<String, Arc<Table>>>,
    /// Where table and item changes are made durable (`--data-dir`).
    store: OnceLock<Arc<Store>>,
}

fn now_secs() -> f64 {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    millis as f64 / 1000.0
}

fn utc_day(secs: f64) -> i64 {
    (secs / 86_400.0).floor() as i64
}

/// Starts a new `NumberOfDecreasesToday` count when the UTC day has changed.
fn roll_day(meta: &mut Meta, now: f64) {
    if meta.decrease_day != utc_day(now) {
        meta.decrease_day = utc_day(now);
        meta.decreases_today = 0;
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescriptionOut {
    table_description: TableDescription,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TableOut {
    table: TableDescription,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListOut<'a> {
    table_names: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_evaluated_table_name: Option<&'a str>,
}

impl Catalog {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Arc<Table>>> {
        self.tables.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Arc<Table>>> {
        self.tables.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Removes `table` if its deletion is due; true when removed.
    fn reap(&self, table: &Arc<Table>) -> bool {
        let meta = table.meta();
        let due =
            meta.status == TableStatus::Deleting && meta.due.is_none_or(|d| d <= Instant::now());
        drop(meta);
        if due {
            let mut tables = self.write();
            if tables
                .get(&table.name)
                .is_some_and(|t| Arc::ptr_eq(t, table))
            {
                tables.remove(&table.name);
            }
        }
        due
    }

    /// The table called `name`, if it exists (in any state).
    pub(crate) fn lookup(&self, name: &str) -> Option<Arc<Table>> {
        let table = self.read().get(name).cloned()?;
        if table.status() == TableStatus::Deleting && self.reap(&table) {
            return None;
        }
        Some(table)
    }

    /// The table for a data-plane call: exists and is neither CREATING nor DELETING.
    pub(crate) fn usable(&self, name: &str) -> Result<Arc<Table>, ApiError> {
        let table = self
            .lookup(name)
            .ok_or_else(ApiError::data_plane_not_found)?;
        table.check_usable()?;
        Ok(table)
    }

    /// Loads what `store` kept, then journals every change to it.
    pub(crate) fn restore(&self, store: &Arc<Store>, restored: Restored) -> std::io::Result<()> {
        let mut tables = self.write();
        for record in restored.tables {
            let table = Arc::new(table_from_record(record)?);
            table.journal_to(store);
            tables.insert(table.name.clone(), table);
        }
        for (name, item) in restored.items {
            let Some(table) = tables.get(&name) else {
                continue;
            };
            let Ok(key) = table.schema.item_key(&item) else {
                continue;
            };
            let stored = Stored::new(item);
            // Loading what the store holds: not journaled again.
            let mut shard = table.write_shard(&key.hash);
            table.load(&mut shard, &key, stored);
        }
        drop(tables);
        let _ = self.store.set(Arc::clone(store));
        Ok(())
    }

    fn snapshot(&self) -> Vec<Arc<Table>> {
        self.read().values().cloned().collect()
    }

    /// CreateTable.
    pub(crate) fn create(&self, config: &EngineConfig, obj: &Obj) -> Result<Vec<u8>, ApiError> {
        let mut d = Decoder::new();
        let name = d.request_table(obj)?;
        let schema = decode_schema(&mut d, obj)?;
        let throughput = decode_throughput(&mut d, obj)?;
        d.finish()?;
        let (Some(schema), Some((read, write))) = (schema, throughput) else {
            return Err(ApiError::internal());
        };
        if schema
            .range
            .as_ref()
            .is_some_and(|r| r.name == schema.hash.name)
        {
            return Err(ApiError::invalid_parameter(
                "Both the Hash Key and the Range Key element in the KeySchema have the same name",
            ));
        }
        let created = now_secs();
        let meta = Meta {
            status: TableStatus::Creating,
            due: Some(Instant::now() + config.create_delay()),
            read,
            write,
            pending: None,
            last_increase: None,
            last_decrease: None,
            decreases_today: 0,
            decrease_day: utc_day(created),
        };
        let response_meta = meta.clone();
        let table = Arc::new(Table::new(name.clone(), schema, created, meta));
        for existing in self.snapshot() {
            if existing.status() == TableStatus::Deleting {
                self.reap(&existing);
            }
        }
        let mut tables = self.write();
        if tables.contains_key(&name) {
            return Err(ApiError::resource_in_use(format!(
                "Table already exists: {name}"
            )));
        }
        let max = config.max_tables.unwrap_or(DEFAULT_MAX_TABLES);
        if tables.len() >= max {
            return Err(ApiError::limit_exceeded(format!(
                "Subscriber limit exceeded: Only {max} tables can be created for this account"
            )));
        }
        if let Some(limit) = config.max_concurrent_transitions {
            let busy = tables
                .values()
                .filter(|t| t.status() != TableStatus::Active)
                .count();
            if busy >= limit {
                return Err(ApiError::limit_exceeded(format!(
                    "Subscriber limit exceeded: Only {limit} tables can be created, updated or deleted simultaneously"
                )));
            }
        }
        if let Some(store) = self.store.get() {
            table.journal_to(store);
            store.create_table(table.record(&response_meta));
        }
        tables.insert(name, Arc::clone(&table));
        drop(tables);
        let description = describe(&table, &response_meta, TableStatus::Creating, false);
        to_body(&DescriptionOut {
            table_description: description,
        })
    }

    /// DescribeTable.
    pub(crate) fn describe(&self, obj: &Obj) -> Result<Vec<u8>, ApiError> {
        let mut d = Decoder::new();
        let name = d.request_table(obj)?;
        d.finish()?;
        let table = self
            .lookup(&name)
            .ok_or_else(|| ApiError::table_not_found(&name))?;
        let mut meta = table.meta();
        roll_day(&mut meta, now_secs());
        let description = describe(&table, &meta, meta.status, true);
        drop(meta);
        to_body(&TableOut { table: description })
    }

    /// ListTables.
    pub(crate) fn list(&self, obj: &Obj) -> Result<Vec<u8>, ApiError> {
        let mut d = Decoder::new();
        let start = d.table_name(
            opt_str(obj, "ExclusiveStartTableName")?,
            "exclusiveStartTableName",
            false,
        );
        let limit = opt_i64(obj, "Limit")?;
        if let Some(limit) = limit {
            d.bounded(limit, "limit", 1, Some(100));
        }
        d.finish()?;
        let limit = limit.map_or(100, |l| l.clamp(1, 100) as usize);
        for table in self.snapshot() {
            if table.status() == TableStatus::Deleting {
                self.reap(&table);
            }
        }
        let tables = self.read();
        let mut names = tables
            .keys()
            .filter(|n| start.as_deref().is_none_or(|s| n.as_str() > s))
            .map(String::as_str);
        let page: Vec<&str> = names.by_ref().take(limit).collect();
        let more = names.next().is_some();
        let out = ListOut {
            last_evaluated_table_name: if more { page.last().copied() } else { None },
            table_names: page,
        };
        to_body(&out)
    }

    /// UpdateTable.
    pub(crate) fn update(&self, config: &EngineConfig, obj: &Obj) -> Result<Vec<u8>, ApiError> {
        let mut d = Decoder::new();
        let name = d.request_table(obj)?;
        let throughput = decode_throughput(&mut d, obj)?;
        d.finish()?;
        let Some((read, write)) = throughput else {
            return Err(ApiError::internal());
        };
        let table = self
            .lookup(&name)
            .ok_or_else(|| ApiError::table_not_found(&name))?;
        let mut meta = table.meta();
        match meta.status {
            TableStatus::Active => {}
            TableStatus::Creating => {
                return Err(ApiError::resource_in_use(format!(
                    "Table is being created: {name}"
                )));
            }
            TableStatus::Updating => {
                return Err(ApiError::resource_in_use(format!(
                    "Table is being updated: {name}"
                )));
            }
            TableStatus::Deleting => {
                return Err(ApiError::resource_in_use(format!(
                    "Table is being deleted: {name}"
                )));
            }
        }
        if read == meta.read && write == meta.write {
            return Err(ApiError::validation(format!(
                "The provisioned throughput for the table will not change. The requested value equals the current value. \
                 Current ReadCapacityUnits provisioned for the table: {}. Requested ReadCapacityUnits: {read}. \
                 Current WriteCapacityUnits provisioned for the table: {}. Requested WriteCapacityUnits: {write}. \
                 Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
                meta.read, meta.write
            )));
        }
        let now = now_secs();
        roll_day(&mut meta, now);
        let decrease = read < meta.read || write < meta.write;
        let increase = read > meta.read || write > meta.write;
        if config.strict_throughput_rules {
            check_strict(&meta, read, write, decrease)?;
        }
        if increase {
            meta.last_increase = Some(now);
        }
        if decrease {
            meta.last_decrease = Some(now);
            meta.decreases_today += 1;
        }
        meta.status = TableStatus::Updating;
        meta.pending = Some((read, write));
        meta.due = Some(Instant::now() + config.update_delay());
        table.mark_transitioning();
        if let Some(store) = self.store.get() {
            store.update_table(table.record(&meta));
        }
        let description = describe(&table, &meta, TableStatus::Updating, false);
        drop(meta);
        to_body(&DescriptionOut {
            table_description: description,
        })
    }

    /// DeleteTable.
    pub(crate) fn delete(&self, config: &EngineConfig, obj: &Obj) -> Result<Vec<u8>, ApiError> {
        let mut d = Decoder::new();
        let name = d.request_table(obj)?;
        d.finish()?;
        let table = self
            .lookup(&name)
            .ok_or_else(|| ApiError::table_not_found(&name))?;
        let mut meta = table.meta();
        match meta.status {
            TableStatus::Creating => {
                return Err(ApiError::resource_in_use(format!(
                    "Table is being created: {name}"
                )));
            }
            TableStatus::Updating => {
                return Err(ApiError::resource_in_use(format!(
                    "Table is being updated: {name}"
                )));
            }
            TableStatus::Active => {
                meta.status = TableStatus::Deleting;
                meta.due = Some(Instant::now() + config.delete_delay());
                table.mark_transitioning();
                if let Some(store) = self.store.get() {
                    store.drop_table(&name);
                }
            }
            TableStatus::Deleting => {}
        }
        let description = describe(&table, &meta, TableStatus::Deleting, false);
        drop(meta);
        if config.delete_delay() == Duration::ZERO {
            self.reap(&table);
        }
        to_body(&DescriptionOut {
            table_description: description,
        })
    }
}

/// A table as the store kept it, ACTIVE with the throughput it last asked for.
fn table_from_record(record: TableRecord) -> std::io::Result<Table> {
    let invalid = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("data directory: table {}: {what}", record.name),
        )
    };
    let key = |(name, ty): &(String, String)| {
        SCALAR_TYPES
            .iter()
            .find(|(text, _)| text == ty)
            .map(|(_, ty)| KeyDef {
                name: name.clone(),
                ty: *ty,
            })
            .ok_or_else(|| invalid("unknown key type"))
    };
    let schema = Schema {
        hash: key(&record.hash)?,
        range: record.range.as_ref().map(key).transpose()?,
    };
    let meta = Meta {
        status: TableStatus::Active,
        due: None,
        read: record.read,
        write: record.write,
        pending: None,
        last_increase: record.last_increase,
        last_decrease: record.last_decrease,
        decreases_today: record.decreases_today,
        decrease_day: record.decrease_day,
    };
    Ok(Table::new(
        record.name.clone(),
        schema,
        record.created,
        meta,
    ))
}

fn check_strict(meta: &Meta, read: i64, write: i64, decrease: bool) -> Result<(), ApiError> {
    if decrease && meta.decreases_today >= 1 {
        return Err(ApiError::limit_exceeded(
            "Subscriber limit exceeded: Provisioned throughput can be decreased only once within the same UTC day",
        ));
    }
    for (what, current, requested) in [
        ("ReadCapacityUnits", meta.read, read),
        ("WriteCapacityUnits", meta.write, write),
    ] {
        if requested > current.saturating_mul(2) {
            return Err(ApiError::limit_exceeded(format!(
                "Requested provisioned throughput change is not allowed. The {what} change must be at most 100 percent \
                 of current value. Current {what} provisioned for the table: {current}. Requested {what}: {requested}."
            )));
        }
    }
    Ok(())
}

const SCALAR_TYPES: [(&str, ScalarAttributeType); 3] = [
    ("S", ScalarAttributeType::S),
    ("N", ScalarAttributeType::N),
    ("B", ScalarAttributeType::B),
];

fn decode_key_def(
    d: &mut Decoder,
    obj: &Obj,
    member: &str,
    path: &str,
    required: bool,
) -> Result<Option<KeyDef>, ApiError> {
    let Some(elem) = opt_obj(obj, member)? else {
        if required {
            d.missing(path);
        }
        return Ok(None);
    };
    let name = opt_str(elem, "AttributeName")?;
    let name_path = format!("{path}.attributeName");
    match name {
        None => d.missing(&name_path),
        Some(n) if n.is_empty() => d.violation(
            Some(n),
            &name_path,
            "Member must have length greater than or equal to 1",
        ),
        Some(n) if n.chars().count() > 255 => d.violation(
            Some(n),
            &name_path,
            "Member must have length less than or equal to 255",
        ),
        Some(_) => {}
    }
    let type_path = format!("{path}.attributeType");
    let raw_type = opt_str(elem, "AttributeType")?;
    if raw_type.is_none() {
        d.missing(&type_path);
    }
    let ty = d.enumerated(raw_type, &type_path, &SCALAR_TYPES);
    Ok(match (name, ty) {
        (Some(name), Some(ty)) => Some(KeyDef {
            name: name.to_owned(),
            ty,
        }),
        _ => None,
    })
}

fn decode_schema(d: &mut Decoder, obj: &Obj) -> Result<Option<Schema>, ApiError> {
    let Some(ks) = opt_obj(obj, "KeySchema")? else {
        d.missing("keySchema");
        return Ok(None);
    };
    let hash = decode_key_def(d, ks, "HashKeyElement", "keySchema.hashKeyElement", true)?;
    let range_present = opt_obj(ks, "RangeKeyElement")?.is_some();
    let range = decode_key_def(d, ks, "RangeKeyElement", "keySchema.rangeKeyElement", false)?;
    Ok(match (hash, range, range_present) {
        (Some(hash), range, false) => Some(Schema { hash, range }),
        (Some(hash), Some(range), true) => Some(Schema {
            hash,
            range: Some(range),
        }),
        _ => None,
    })
}

fn decode_throughput(d: &mut Decoder, obj: &Obj) -> Result<Option<(i64, i64)>, ApiError> {
    let Some(pt) = opt_obj(obj, "ProvisionedThroughput")? else {
        d.missing("provisionedThroughput");
        return Ok(None);
    };
    let mut units = |member: &str, path: &str| -> Result<Option<i64>, ApiError> {
        let value = opt_i64(pt, member)?;
        match value {
            None => d.missing(path),
            Some(v) => d.bounded(v, path, 1, None),
        }
        Ok(value)
    };
    let read = units(
        "ReadCapacityUnits",
        "provisionedThroughput.readCapacityUnits",
    )?;
    let write = units(
        "WriteCapacityUnits",
        "provisionedThroughput.writeCapacityUnits",
    )?;
    Ok(read.zip(write))
}
