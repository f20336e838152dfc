//! Response building: table descriptions, projected items, keys, capacity.

use serde::ser::{Serialize, SerializeMap, Serializer};

use dynamo_core::value::Item;
use dynamo_core::wire::{
    KeySchema, KeySchemaElement, ProvisionedThroughputDescription, TableDescription, TableStatus,
};

use super::error::ApiError;
use super::table::{KeyDef, Meta, PrimaryKey, Table};

/// Serializes a response body.
pub(crate) fn to_body<T: Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|_| ApiError::internal())
}

fn element(def: &KeyDef) -> KeySchemaElement {
    KeySchemaElement {
        attribute_name: def.name.clone(),
        attribute_type: def.ty,
    }
}

/// The description of `table` as the control plane reports it.
pub(crate) fn describe(
    table: &Table,
    meta: &Meta,
    status: TableStatus,
    counts: bool,
) -> TableDescription {
    TableDescription {
        table_name: Some(table.name.clone()),
        key_schema: Some(KeySchema {
            hash_key_element: element(&table.schema.hash),
            range_key_element: table.schema.range.as_ref().map(element),
        }),
        table_status: Some(status),
        creation_date_time: Some(table.created),
        provisioned_throughput: Some(ProvisionedThroughputDescription {
            last_increase_date_time: meta.last_increase,
            last_decrease_date_time: meta.last_decrease,
            number_of_decreases_today: Some(meta.decreases_today),
            read_capacity_units: Some(meta.read),
            write_capacity_units: Some(meta.write),
        }),
        table_size_bytes: counts.then(|| table.size_bytes()),
        item_count: counts.then(|| table.item_count()),
    }
}

/// An item restricted to `AttributesToGet` (all attributes when `None`).
pub(crate) struct Projected<'a> {
    pub(crate) item: &'a Item,
    pub(crate) names: Option<&'a [String]>,
}

impl Serialize for Projected<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(names) = self.names else {
            return self.item.serialize(s);
        };
        let mut map = s.serialize_map(None)?;
        for (i, name) in names.iter().enumerate() {
            let repeated = names.iter().take(i).any(|n| n == name);
            if let (false, Some(v)) = (repeated, self.item.get(name)) {
                map.serialize_entry(name, v)?;
            }
        }
        map.end()
    }
}

/// A key in `{HashKeyElement, RangeKeyElement}` form.
pub(crate) struct KeyOut<'a>(pub(crate) &'a PrimaryKey);

impl Serialize for KeyOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("HashKeyElement", &self.0.hash.to_value())?;
        if let Some(r) = &self.0.range {
            map.serialize_entry("RangeKeyElement", &r.to_value())?;
        }
        map.end()
    }
}

/// Capacity units for `size` bytes: 1 KB units, rounded up, at least one.
pub(crate) fn units(size: usize) -> f64 {
    size.div_ceil(1024).max(1) as f64
}

/// Returns `Some(item)` unless it is empty (an absent `Attributes` means nothing to return).
pub(crate) fn non_empty(item: Item) -> Option<Item> {
    (!item.is_empty()).then_some(item)
}

/// Keeps only the attributes present, for UPDATED_OLD / UPDATED_NEW.
pub(crate) fn pick(item: &Item, names: &[&str]) -> Item {
    names
        .iter()
        .filter_map(|n| item.get(*n).map(|v| ((*n).to_owned(), v.clone())))
        .collect()
}
