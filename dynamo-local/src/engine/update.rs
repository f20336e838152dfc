//! UpdateItem: PUT / ADD / DELETE per attribute, applied atomically after the
//! `Expected` check, with every ReturnValues mode.

use std::collections::HashSet;
use std::hash::Hash;

use dynamo_core::value::{AttributeValue, Item};
use dynamo_core::wire::{AttributeAction, ReturnValue};

use super::catalog::Catalog;
use super::compare::check_expected;
use super::decode::{Decoder, Obj, as_obj, empty_name, get, opt_obj, opt_str};
use super::error::ApiError;
use super::items::{WriteOut, required, return_values};
use super::output::{non_empty, pick, to_body, units};
use super::table::{MAX_ITEM_SIZE, Stored, item_size};

const ACTIONS: [(&str, AttributeAction); 3] = [
    ("ADD", AttributeAction::Add),
    ("PUT", AttributeAction::Put),
    ("DELETE", AttributeAction::Delete),
];

/// One validated entry of `AttributeUpdates`.
#[derive(Debug)]
struct Update {
    name: String,
    action: AttributeAction,
    value: Option<AttributeValue>,
}

fn type_mismatch() -> ApiError {
    ApiError::invalid_parameter("Type mismatch for attribute to update")
}

fn decode_updates(d: &mut Decoder, obj: &Obj) -> Result<Option<Vec<Update>>, ApiError> {
    let Some(map) = opt_obj(obj, "AttributeUpdates")? else {
        d.missing("attributeUpdates");
        return Ok(None);
    };
    let mut updates = Vec::with_capacity(map.len());
    for (name, entry) in map {
        if entry.is_null() {
            continue;
        }
        let entry = as_obj(entry)?;
        if name.is_empty() {
            d.semantic(empty_name());
        }
        let raw_action = opt_str(entry, "Action")?;
        let path = format!("attributeUpdates.{name}.member.action");
        let action = d.enumerated(raw_action, &path, &ACTIONS);
        let value = match get(entry, "Value") {
            Some(v) => match d.attr(v)? {
                Some(av) => Some(av),
                None => continue,
            },
            None => None,
        };
        let Some(action) = action.or(raw_action.is_none().then_some(AttributeAction::Put)) else {
            continue;
        };
        check_static(d, action, value.as_ref());
        updates.push(Update {
            name: name.clone(),
            action,
            value,
        });
    }
    Ok(Some(updates))
}

/// Rules that need no stored item.
fn check_static(d: &mut Decoder, action: AttributeAction, value: Option<&AttributeValue>) {
    let Some(value) = value else {
        if action != AttributeAction::Delete {
            d.semantic(ApiError::validation(
                "Only DELETE action is allowed when no attribute value is specified",
            ));
        }
        return;
    };
    let ty = value.value_type();
    match action {
        AttributeAction::Add if !ty.is_set() && ty != dynamo_core::ValueType::N => {
            d.semantic(ApiError::invalid_parameter(format!(
                "Action ADD is not supported for type {ty}"
            )));
        }
        AttributeAction::Delete if !ty.is_set() => {
            d.semantic(ApiError::invalid_parameter(format!(
                "Action DELETE is not supported for type {ty}"
            )));
        }
        _ => {}
    }
}

fn union<T: Eq + Hash + Clone>(stored: &mut Vec<T>, add: &[T]) {
    let present: HashSet<&T> = stored.iter().collect();
    let extra: Vec<T> = add
        .iter()
        .filter(|m| !present.contains(m))
        .cloned()
        .collect();
    stored.extend(extra);
}

/// Removes `remove` from `stored`; true when nothing is left.
fn difference<T: Eq + Hash>(stored: &mut Vec<T>, remove: &[T]) -> bool {
    let gone: HashSet<&T> = remove.iter().collect();
    stored.retain(|m| !gone.contains(m));
    stored.is_empty()
}

fn add(
    current: Option<&mut AttributeValue>,
    value: &AttributeValue,
) -> Result<Option<AttributeValue>, ApiError> {
    use AttributeValue as V;
    let Some(current) = current else {
        return Ok(Some(value.clone()));
    };
    match (current, value) {
        (V::N(a), V::N(b)) => {
            *a = a
                .checked_add(b)
                .map_err(|e| ApiError::validation(e.to_string()))?;
        }
        (V::SS(a), V::SS(b)) => union(a, b),
        (V::NS(a), V::NS(b)) => union(a, b),
        (V::BS(a), V::BS(b)) => union(a, b),
        _ => return Err(type_mismatch()),
    }
    Ok(None)
}

/// Removes set members; `Ok(true)` when the set became empty.
fn subtract(current: &mut AttributeValue, value: &AttributeValue) -> Result<bool, ApiError> {
    use AttributeValue as V;
    match (current, value) {
        (V::SS(a), V::SS(b)) => Ok(difference(a, b)),
        (V::NS(a), V::NS(b)) => Ok(difference(a, b)),
        (V::BS(a), V::BS(b)) => Ok(difference(a, b)),
        _ => Err(type_mismatch()),
    }
}

fn apply(item: &mut Item, update: &Update) -> Result<(), ApiError> {
    let name = &update.name;
    match (update.action, &update.value) {
        (AttributeAction::Put, Some(v)) => {
            item.insert(name.clone(), v.clone());
        }
        (AttributeAction::Delete, None) => {
            item.remove(name);
        }
        (AttributeAction::Delete, Some(v)) => {
            if let Some(current) = item.get_mut(name)
                && subtract(current, v)?
            {
                item.remove(name);
            }
        }
        (AttributeAction::Add, Some(v)) => {
            if let Some(created) = add(item.get_mut(name), v)? {
                item.insert(name.clone(), created);
            }
        }
        (_, None) => return Err(ApiError::internal()),
    }
    Ok(())
}

/// UpdateItem.
pub(crate) fn update_item(catalog: &Catalog, obj: &Obj) -> Result<Vec<u8>, ApiError> {
    let mut d = Decoder::new();
    let name = d.request_table(obj)?;
    let key = d.key(get(obj, "Key"), "key", true)?;
    let updates = decode_updates(&mut d, obj)?;
    let expected = d.expected(obj)?;
    let rv = return_values(&mut d, obj)?;
    d.finish()?;
    let (key, updates) = (required(key)?, required(updates)?);
    let table = catalog.usable(&name)?;
    let pk = table.schema.key_of(&key)?;
    if let Some(u) = updates.iter().find(|u| table.schema.is_key(&u.name)) {
        return Err(ApiError::invalid_parameter(format!(
            "Cannot update attribute {}. This attribute is part of the key",
            u.name
        )));
    }
    let creates = updates.is_empty() || updates.iter().any(|u| u.action != AttributeAction::Delete);
    let (old, new) = {
        let mut shard = table.write_shard(&pk.hash);
        let old = shard.get(&pk).cloned();
        check_expected(old.as_ref().map(|s| &s.item), &expected)?;
        if old.is_none() && !creates {
            (None, None)
        } else {
            let mut item = match &old {
                Some(s) => s.item.clone(),
                None => table.schema.key_item(&pk),
            };
            for u in &updates {
                apply(&mut item, u)?;
            }
            if item_size(&item) > MAX_ITEM_SIZE {
                return Err(ApiError::validation(
                    "Item size to update has exceeded the maximum allowed size",
                ));
            }
            let new = Stored::new(item);
            table.store(&mut shard, &pk, Some(new.clone()));
            (old, Some(new))
        }
    };
    let size = old
        .as_ref()
        .map_or(0, |s| s.size)
        .max(new.as_ref().map_or(0, |s| s.size));
    let names: Vec<&str> = updates.iter().map(|u| u.name.as_str()).collect();
    let attributes = match rv {
        ReturnValue::None => None,
        ReturnValue::AllOld => old.as_ref().map(|s| s.item.clone()),
        ReturnValue::AllNew => new.as_ref().map(|s| s.item.clone()),
        ReturnValue::UpdatedOld => old.as_ref().and_then(|s| non_empty(pick(&s.item, &names))),
        ReturnValue::UpdatedNew => new.as_ref().and_then(|s| non_empty(pick(&s.item, &names))),
    };
    let out = WriteOut {
        attributes: attributes.as_ref(),
        consumed_capacity_units: units(size),
    };
    to_body(&out)
}
