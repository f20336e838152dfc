//! Helpers called by the code `#[derive(DynamoItem)]` generates. Not public
//! API: names and signatures may change in any release.

use crate::convert::{
    AttributePath, ConvertError, ConvertErrorKind, FromAttribute, KeyAttribute, ToAttribute,
};
use crate::value::{AttributeValue, Item};
use crate::wire;

pub use crate::convert::json;
pub use serde;

/// Writes a field, omitting it when the value says so.
pub fn write<V: ToAttribute + ?Sized>(
    item: &mut Item,
    value: &V,
    path: AttributePath,
) -> Result<(), ConvertError> {
    put(item, value.to_attribute(), path)
}

/// Writes the result of a `with` module's `to_attribute`.
pub fn put(
    item: &mut Item,
    value: Result<Option<AttributeValue>, ConvertError>,
    path: AttributePath,
) -> Result<(), ConvertError> {
    if let Some(v) = value.map_err(|e| e.at(path))? {
        item.insert(path.attribute.to_owned(), v);
    }
    Ok(())
}

/// Reads a field; absent means `from_missing`, else an error.
pub fn read<V: FromAttribute>(item: &mut Item, path: AttributePath) -> Result<V, ConvertError> {
    match item.remove(path.attribute) {
        Some(v) => V::from_attribute(v).map_err(|e| e.at(path)),
        None => V::from_missing().ok_or_else(|| ConvertError::missing().at(path)),
    }
}

/// Reads a `#[dynamo(default)]` field; absent means `Default::default()`.
pub fn read_or_default<V: FromAttribute + Default>(
    item: &mut Item,
    path: AttributePath,
) -> Result<V, ConvertError> {
    match item.remove(path.attribute) {
        Some(v) => V::from_attribute(v).map_err(|e| e.at(path)),
        None => Ok(V::default()),
    }
}

/// Reads a `with` field through the module's `from_attribute`; absent means
/// `Default::default()` when `default` is given, else an error.
pub fn read_with<V>(
    item: &mut Item,
    path: AttributePath,
    from: fn(AttributeValue) -> Result<V, ConvertError>,
    default: Option<fn() -> V>,
) -> Result<V, ConvertError> {
    match (item.remove(path.attribute), default) {
        (Some(v), _) => from(v).map_err(|e| e.at(path)),
        (None, Some(default)) => Ok(default()),
        (None, None) => Err(ConvertError::missing().at(path)),
    }
}

/// A key value in request form.
pub fn key_value<K: KeyAttribute>(
    key: &K,
    path: AttributePath,
) -> Result<AttributeValue, ConvertError> {
    key.to_attribute()
        .and_then(|v| v.ok_or_else(ConvertError::missing))
        .map_err(|e| e.at(path))
}

/// A key value read back.
pub fn key_read<K: KeyAttribute>(
    value: Option<&AttributeValue>,
    path: AttributePath,
) -> Result<K, ConvertError> {
    let value = value.ok_or_else(|| ConvertError::missing().at(path))?;
    K::from_attribute(value.clone()).map_err(|e| e.at(path))
}

/// A hash-only key read back: a range element is an error.
pub fn hash_only_key<K: KeyAttribute>(
    key: &wire::Key,
    path: AttributePath,
) -> Result<K, ConvertError> {
    if key.range_key_element.is_some() {
        return Err(ConvertError::new(ConvertErrorKind::UnexpectedRangeKey).at(path));
    }
    key_read(Some(&key.hash_key_element), path)
}

/// Compile-time check that a key field's type is a [`KeyAttribute`].
pub const fn assert_key<K: KeyAttribute>() {}

/// Compile-time check that a version field's type is an integer.
pub const fn assert_version<V: crate::convert::VersionAttribute>() {}
