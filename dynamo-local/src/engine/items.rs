//! Single-item operations: GetItem, PutItem, DeleteItem.

use serde::Serialize;

use dynamo_core::value::Item;
use dynamo_core::wire::ReturnValue;

use super::catalog::Catalog;
use super::compare::check_expected;
use super::decode::{Decoder, Obj, RawKey, get, opt_bool, opt_str};
use super::error::ApiError;
use super::output::{Projected, to_body, units};
use super::table::{MAX_ITEM_SIZE, Stored};

const RETURN_VALUES: [(&str, ReturnValue); 5] = [
    ("NONE", ReturnValue::None),
    ("ALL_OLD", ReturnValue::AllOld),
    ("UPDATED_OLD", ReturnValue::UpdatedOld),
    ("ALL_NEW", ReturnValue::AllNew),
    ("UPDATED_NEW", ReturnValue::UpdatedNew),
];

/// Decodes `ReturnValues` (default `NONE`).
pub(crate) fn return_values(d: &mut Decoder, obj: &Obj) -> Result<ReturnValue, ApiError> {
    let raw = opt_str(obj, "ReturnValues")?;
    Ok(d.enumerated(raw, "returnValues", &RETURN_VALUES)
        .unwrap_or(ReturnValue::None))
}

/// Rejects ReturnValues other than NONE / ALL_OLD (PutItem, DeleteItem).
fn only_all_old(d: &mut Decoder, rv: ReturnValue) {
    if !matches!(rv, ReturnValue::None | ReturnValue::AllOld) {
        d.semantic(ApiError::validation("Return values set to invalid value"));
    }
}

/// The decoded `Key` member; an internal error if decoding reported nothing but produced no key.
pub(crate) fn required<T>(value: Option<T>) -> Result<T, ApiError> {
    value.ok_or_else(ApiError::internal)
}

/// Capacity multiplier for a read.
pub(crate) fn read_factor(consistent: bool) -> f64 {
    if consistent { 1.0 } else { 0.5 }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GetOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<Projected<'a>>,
    consumed_capacity_units: f64,
}

/// Response of a write: optional `Attributes` and the capacity used.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct WriteOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) attributes: Option<&'a Item>,
    pub(crate) consumed_capacity_units: f64,
}

/// GetItem.
pub(crate) fn get_item(catalog: &Catalog, obj: &Obj) -> Result<Vec<u8>, ApiError> {
    let mut d = Decoder::new();
    let name = d.request_table(obj)?;
    let key = d.key(get(obj, "Key"), "key", true)?;
    let names = d.names(obj, "AttributesToGet", "attributesToGet")?;
    let consistent = opt_bool(obj, "ConsistentRead")?.unwrap_or(false);
    d.finish()?;
    let key: RawKey = required(key)?;
    let table = catalog.usable(&name)?;
    let pk = table.schema.key_of(&key)?;
    let stored = table.read_shard_of(&pk.hash).get(&pk).cloned();
    let size = stored.as_ref().map_or(0, |s| s.size);
    let out = GetOut {
        item: stored.as_ref().map(|s| Projected {
            item: &s.item,
            names: names.as_deref(),
        }),
        consumed_capacity_units: units(size) * read_factor(consistent),
    };
    to_body(&out)
}

/// Item size check for PutItem and BatchWriteItem puts.
pub(crate) fn check_item_size(size: usize) -> Result<(), ApiError> {
    if size > MAX_ITEM_SIZE {
        return Err(ApiError::validation(
            "Item size has exceeded the maximum allowed size",
        ));
    }
    Ok(())
}

/// PutItem.
pub(crate) fn put_item(catalog: &Catalog, obj: &Obj) -> Result<Vec<u8>, ApiError> {
    let mut d = Decoder::new();
    let name = d.request_table(obj)?;
    let item = match get(obj, "Item") {
        Some(v) => d.item(v)?,
        None => {
            d.missing("item");
            None
        }
    };
    let expected = d.expected(obj)?;
    let rv = return_values(&mut d, obj)?;
    only_all_old(&mut d, rv);
    d.finish()?;
    let item = required(item)?;
    let table = catalog.usable(&name)?;
    let pk = table.schema.item_key(&item)?;
    let new = Stored::new(item);
    check_item_size(new.size)?;
    let new_size = new.size;
    let old = {
        let mut shard = table.write_shard(&pk.hash);
        let old = shard.get(&pk);
        check_expected(old.map(|s| &s.item), &expected)?;
        table.store(&mut shard, &pk, Some(new))
    };
    let old_size = old.as_ref().map_or(0, |s| s.size);
    let out = WriteOut {
        attributes: old
            .as_ref()
            .filter(|_| rv == ReturnValue::AllOld)
            .map(|s| &s.item),
        consumed_capacity_units: units(old_size.max(new_size)),
    };
    to_body(&out)
}

/// DeleteItem.
pub(crate) fn delete_item(catalog: &Catalog, obj: &Obj) -> Result<Vec<u8>, ApiError> {
    let mut d = Decoder::new();
    let name = d.request_table(obj)?;
    let key = d.key(get(obj, "Key"), "key", true)?;
    let expected = d.expected(obj)?;
    let rv = return_values(&mut d, obj)?;
    only_all_old(&mut d, rv);
    d.finish()?;
    let key = required(key)?;
    let table = catalog.usable(&name)?;
    let pk = table.schema.key_of(&key)?;
    let old = {
        let mut shard = table.write_shard(&pk.hash);
        let old = shard.get(&pk);
        check_expected(old.map(|s| &s.item), &expected)?;
        if old.is_some() {
            table.store(&mut shard, &pk, None)
        } else {
            None
        }
    };
    let out = WriteOut {
        attributes: old
            .as_ref()
            .filter(|_| rv == ReturnValue::AllOld)
            .map(|s| &s.item),
        consumed_capacity_units: units(old.as_ref().map_or(0, |s| s.size)),
    };
    to_body(&out)
}
