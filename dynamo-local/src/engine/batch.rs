//! BatchGetItem and BatchWriteItem: whole-request validation first, then
//! per-item atomic reads and writes; unprocessed entries (1 MB response cap or
//! injected faults) come back in request form.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value as OutValue};

use super::catalog::Catalog;
use super::decode::{Decoder, Obj, RawKey, as_obj, get, opt_array, opt_bool, opt_obj};
use super::error::ApiError;
use super::items::{check_item_size, read_factor, required};
use super::json::Value;
use super::output::{Projected, to_body, units};
use super::table::{PrimaryKey, Stored, Table};
use crate::faults::Faults;

const MAX_GET_KEYS: usize = 100;
const MAX_WRITES: usize = 25;
const RESPONSE_BYTES: usize = 1 << 20;

fn duplicates() -> ApiError {
    ApiError::validation("Provided list of item keys contains duplicates")
}

/// Decides which entries the `unprocessed_every` fault leaves out.
struct Skipper {
    every: u32,
    position: u32,
}

impl Skipper {
    fn new(faults: &Faults) -> Skipper {
        Skipper {
            every: faults.unprocessed_period(),
            position: 0,
        }
    }

    fn skip(&mut self) -> bool {
        self.position = self.position.saturating_add(1);
        self.every > 0 && self.position.is_multiple_of(self.every)
    }
}

fn request_items<'a>(
    d: &mut Decoder,
    obj: &'a Obj,
    max: usize,
) -> Result<Option<&'a Obj>, ApiError> {
    let Some(map) = opt_obj(obj, "RequestItems")? else {
        d.missing("requestItems");
        return Ok(None);
    };
    if map.is_empty() {
        d.violation(
            Some("{}"),
            "requestItems",
            "Member must have length greater than or equal to 1",
        );
    }
    if map.len() > max {
        d.violation(
            Some("{...}"),
            "requestItems",
            &format!("Member must have length less than or equal to {max}"),
        );
    }
    for name in map.keys() {
        d.table_name(Some(name), "requestItems.key", true);
    }
    Ok(Some(map))
}

fn list_length(d: &mut Decoder, len: usize, path: &str, max: usize) {
    if len == 0 {
        d.violation(
            Some("[]"),
            path,
            "Member must have length greater than or equal to 1",
        );
    }
    if len > max {
        d.violation(
            Some("[...]"),
            path,
            &format!("Member must have length less than or equal to {max}"),
        );
    }
}

/// One table of a BatchGetItem request.
struct GetTable<'a> {
    name: &'a str,
    keys: Vec<(&'a Value, Option<RawKey>)>,
    names: Option<Vec<String>>,
    consistent: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GetTableOut<'a> {
    items: Vec<Projected<'a>>,
    consumed_capacity_units: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BatchGetOut {
    responses: Map<String, OutValue>,
    unprocessed_keys: Map<String, OutValue>,
}

fn decode_get_tables<'a>(d: &mut Decoder, map: &'a Obj) -> Result<Vec<GetTable<'a>>, ApiError> {
    let mut tables = Vec::with_capacity(map.len());
    for (name, spec) in map {
        let spec = as_obj(spec)?;
        let path = format!("requestItems.{name}.member.keys");
        let mut keys = Vec::new();
        match opt_array(spec, "Keys")? {
            Some(list) => {
                list_length(d, list.len(), &path, MAX_GET_KEYS);
                for raw in list {
                    keys.push((raw, d.key(Some(raw), &path, true)?));
                }
            }
            None => d.missing(&path),
        }
        tables.push(GetTable {
            name,
            keys,
            names: d.names(
                spec,
                "AttributesToGet",
                &format!("requestItems.{name}.member.attributesToGet"),
            )?,
            consistent: opt_bool(spec, "ConsistentRead")?,
        });
    }
    Ok(tables)
}

fn resolve_keys(
    table: &Table,
    keys: &[(&Value, Option<RawKey>)],
) -> Result<Vec<PrimaryKey>, ApiError> {
    let mut seen = HashSet::with_capacity(keys.len());
    let mut out = Vec::with_capacity(keys.len());
    for (_, raw) in keys {
        let pk = table.schema.key_of(required(raw.as_ref())?)?;
        if !seen.insert(pk.clone()) {
            return Err(duplicates());
        }
        out.push(pk);
    }
    Ok(out)
}

/// Request entries as response JSON.
fn out_list(entries: &[Value]) -> OutValue {
    serde_json::to_value(entries).unwrap_or(OutValue::Null)
}

fn unprocessed_get(spec: &GetTable<'_>, keys: Vec<Value>) -> OutValue {
    let mut out = Map::new();
    out.insert("Keys".to_owned(), out_list(&keys));
    if let Some(names) = &spec.names {
        out.insert(
            "AttributesToGet".to_owned(),
            names.iter().cloned().map(OutValue::String).collect(),
        );
    }
    if let Some(c) = spec.consistent {
        out.insert("ConsistentRead".to_owned(), OutValue::Bool(c));
    }
    OutValue::Object(out)
}

/// BatchGetItem.
pub(crate) fn batch_get(
    catalog: &Catalog,
    faults: &Faults,
    obj: &Obj,
) -> Result<Vec<u8>, ApiError> {
    let mut d = Decoder::new();
    let map = request_items(&mut d, obj, MAX_GET_KEYS)?;
    let specs = match map {
        Some(map) => decode_get_tables(&mut d, map)?,
        None => Vec::new(),
    };
    d.finish()?;
    if specs.iter().map(|s| s.keys.len()).sum::<usize>() > MAX_GET_KEYS {
        return Err(ApiError::validation(
            "Too many items requested for the BatchGetItem call",
        ));
    }
    let mut resolved = Vec::with_capacity(specs.len());
    for spec in &specs {
        let table = catalog.usable(spec.name)?;
        let keys = resolve_keys(&table, &spec.keys)?;
        resolved.push((table, keys));
    }
    let mut skipper = Skipper::new(faults);
    let mut bytes = 0usize;
    let mut found: Vec<Vec<Arc<Stored>>> = Vec::with_capacity(specs.len());
    let mut responses = Map::new();
    let mut unprocessed = Map::new();
    let mut capacities = Vec::with_capacity(specs.len());
    for (spec, (table, keys)) in specs.iter().zip(&resolved) {
        let mut items = Vec::new();
        let mut left = Vec::new();
        let mut capacity = 0.0;
        for ((raw, _), pk) in spec.keys.iter().zip(keys) {
            if skipper.skip() || bytes >= RESPONSE_BYTES {
                left.push((*raw).clone());
                continue;
            }
            let stored = table.read_shard_of(&pk.hash).get(pk).cloned();
            let size = stored.as_ref().map_or(0, |s| s.size);
            capacity += units(size) * read_factor(spec.consistent.unwrap_or(false));
            if let Some(s) = stored {
                bytes += s.size;
                items.push(s);
            }
        }
        if !left.is_empty() {
            unprocessed.insert(spec.name.to_owned(), unprocessed_get(spec, left));
        }
        found.push(items);
        capacities.push(capacity);
    }
    for ((spec, items), capacity) in specs.iter().zip(&found).zip(capacities) {
        let out = GetTableOut {
            items: items
                .iter()
                .map(|s| Projected {
                    item: &s.item,
                    names: spec.names.as_deref(),
                })
                .collect(),
            consumed_capacity_units: capacity,
        };
        let value = serde_json::to_value(&out).map_err(|_| ApiError::internal())?;
        responses.insert(spec.name.to_owned(), value);
    }
    to_body(&BatchGetOut {
        responses,
        unprocessed_keys: unprocessed,
    })
}

/// One write of BatchWriteItem, decoded.
enum Write {
    Put(dynamo_core::Item),
    Delete(RawKey),
}

struct WriteTable<'a> {
    name: &'a str,
    writes: Vec<(&'a Value, Option<Write>)>,
}

fn decode_write(d: &mut Decoder, raw: &Value, path: &str) -> Result<Option<Write>, ApiError> {
    let obj = as_obj(raw)?;
    let put = opt_obj(obj, "PutRequest")?;
    let delete = opt_obj(obj, "DeleteRequest")?;
    match (put, delete) {
        (Some(put), None) => match get(put, "Item") {
            Some(item) => Ok(d.item(item)?.map(Write::Put)),
            None => {
                d.missing(&format!("{path}.putRequest.item"));
                Ok(None)
            }
        },
        (None, Some(delete)) => {
            let key = d.key(
                get(delete, "Key"),
                &format!("{path}.deleteRequest.key"),
                true,
            )?;
            Ok(key.map(Write::Delete))
        }
        _ => {
            d.semantic(ApiError::validation(
                "A WriteRequest must contain exactly one of PutRequest or DeleteRequest",
            ));
            Ok(None)
        }
    }
}

/// Decodes every write (so every error is found), but keeps the decoded
/// items of the first [`MAX_WRITES`] only: a request with more fails anyway,
/// and holding thousands of decoded items would multiply its memory.
fn decode_write_tables<'a>(d: &mut Decoder, map: &'a Obj) -> Result<Vec<WriteTable<'a>>, ApiError> {
    let mut tables = Vec::with_capacity(map.len());
    let mut decoded = 0usize;
    for (name, list) in map {
        let path = format!("requestItems.{name}.member");
        let list = match list {
            Value::Array(a) => a.as_slice(),
            Value::Null => &[],
            _ => return Err(ApiError::serialization()),
        };
        list_length(d, list.len(), &path, MAX_WRITES);
        let mut writes = Vec::with_capacity(list.len());
        for raw in list {
            let write = decode_write(d, raw, &path)?;
            decoded += 1;
            writes.push((raw, write.filter(|_| decoded <= MAX_WRITES)));
        }
        tables.push(WriteTable { name, writes });
    }
    Ok(tables)
}

/// A validated write ready to apply.
struct Planned {
    key: PrimaryKey,
    item: Option<Arc<Stored>>,
}

fn plan_writes(
    table: &Table,
    writes: &[(&Value, Option<Write>)],
) -> Result<Vec<Planned>, ApiError> {
    let mut seen = HashSet::with_capacity(writes.len());
    let mut out = Vec::with_capacity(writes.len());
    for (_, write) in writes {
        let planned = match required(write.as_ref())? {
            Write::Put(item) => {
                let key = table.schema.item_key(item)?;
                let stored = Stored::new(item.clone());
                check_item_size(stored.size)?;
                Planned {
                    key,
                    item: Some(stored),
                }
            }
            Write::Delete(raw) => Planned {
                key: table.schema.key_of(raw)?,
                item: None,
            },
        };
        if !seen.insert(planned.key.clone()) {
            return Err(duplicates());
        }
        out.push(planned);
    }
    Ok(out)
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct WriteTableOut {
    consumed_capacity_units: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BatchWriteOut {
    responses: Map<String, OutValue>,
    unprocessed_items: Map<String, OutValue>,
}

/// BatchWriteItem.
pub(crate) fn batch_write(
    catalog: &Catalog,
    faults: &Faults,
    obj: &Obj,
) -> Result<Vec<u8>, ApiError> {
    let mut d = Decoder::new();
    let map = request_items(&mut d, obj, MAX_WRITES)?;
    let specs = match map {
        Some(map) => decode_write_tables(&mut d, map)?,
        None => Vec::new(),
    };
    d.finish()?;
    if specs.iter().map(|s| s.writes.len()).sum::<usize>() > MAX_WRITES {
        return Err(ApiError::validation(
            "Too many items requested for the BatchWriteItem call",
        ));
    }
    let mut plans = Vec::with_capacity(specs.len());
    for spec in &specs {
        let table = catalog.usable(spec.name)?;
        let planned = plan_writes(&table, &spec.writes)?;
        plans.push((table, planned));
    }
    let mut skipper = Skipper::new(faults);
    let mut responses = Map::new();
    let mut unprocessed = Map::new();
    for (spec, (table, planned)) in specs.iter().zip(plans) {
        let mut capacity = 0.0;
        let mut left = Vec::new();
        for ((raw, _), write) in spec.writes.iter().zip(planned) {
            if skipper.skip() {
                left.push((*raw).clone());
                continue;
            }
            let new_size = write.item.as_ref().map_or(0, |s| s.size);
            let old = {
                let mut shard = table.write_shard(&write.key.hash);
                table.store(&mut shard, &write.key, write.item)
            };
            capacity += units(new_size.max(old.map_or(0, |s| s.size)));
        }
        if !left.is_empty() {
            unprocessed.insert(spec.name.to_owned(), out_list(&left));
        }
        let out = serde_json::to_value(WriteTableOut {
            consumed_capacity_units: capacity,
        })
        .map_err(|_| ApiError::internal())?;
        responses.insert(spec.name.to_owned(), out);
    }
    to_body(&BatchWriteOut {
        responses,
        unprocessed_items: unprocessed,
    })
}
