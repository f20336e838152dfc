//! Helpers called by the code `#[derive(DynamoItem)]` generates. Not public
//! API: names and signatures may change in any release.
//!
//! Key helpers are generic over the item type `T` and take `T::HashKey` /
//! `T::RangeKey`, so a key field of a wrong type is reported once, at the
//! field, by the `DynamoItem::HashKey` bound.

use crate::convert::{AttributePath, ConvertError, ConvertErrorKind, FromAttribute, ToAttribute};
use crate::item::{AttributeSource, DynamoItem, RangeKeyType};
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
pub fn read<V: FromAttribute>(
    item: &mut impl AttributeSource,
    path: AttributePath,
) -> Result<V, ConvertError> {
    match item.take(path.attribute) {
        Some(v) => V::from_attribute(v).map_err(|e| e.at(path)),
        None => V::from_missing().ok_or_else(|| ConvertError::missing().at(path)),
    }
}

/// Reads a `#[dynamo(default)]` field; absent means `Default::default()`.
pub fn read_or_default<V: FromAttribute + Default>(
    item: &mut impl AttributeSource,
    path: AttributePath,
) -> Result<V, ConvertError> {
    match item.take(path.attribute) {
        Some(v) => V::from_attribute(v).map_err(|e| e.at(path)),
        None => Ok(V::default()),
    }
}

/// Reads a `with` field through the module's `from_attribute`; absent means
/// `default()` when given, else an error.
pub fn read_with<V>(
    item: &mut impl AttributeSource,
    path: AttributePath,
    from: fn(AttributeValue) -> Result<V, ConvertError>,
    default: Option<fn() -> V>,
) -> Result<V, ConvertError> {
    match (item.take(path.attribute), default) {
        (Some(v), _) => from(v).map_err(|e| e.at(path)),
        (None, Some(default)) => Ok(default()),
        (None, None) => Err(ConvertError::missing().at(path)),
    }
}

/// A copy of the hash key.
pub fn hash_of<T: DynamoItem>(key: &T::HashKey) -> T::HashKey {
    key.clone()
}

/// A copy of the range key.
pub fn range_of<T: DynamoItem>(key: &T::RangeKey) -> T::RangeKey {
    key.clone()
}

/// The hash key value.
pub fn hash_value<T: DynamoItem>(
    key: &T::HashKey,
    path: AttributePath,
) -> Result<AttributeValue, ConvertError> {
    key.to_attribute()
        .and_then(|v| v.ok_or_else(ConvertError::missing))
        .map_err(|e| e.at(path))
}

/// The range key value.
pub fn range_value<T: DynamoItem>(
    key: &T::RangeKey,
    path: AttributePath,
) -> Result<AttributeValue, ConvertError> {
    key.to_range_element().map_err(|e| e.at(path))
}

/// Reads a hash key value.
pub fn hash_read<T: DynamoItem>(
    value: Option<AttributeValue>,
    path: AttributePath,
) -> Result<T::HashKey, ConvertError> {
    let value = value.ok_or_else(|| ConvertError::missing().at(path))?;
    <T::HashKey as FromAttribute>::from_attribute(value).map_err(|e| e.at(path))
}

/// Reads a range key value.
pub fn range_read<T: DynamoItem>(
    value: Option<AttributeValue>,
    path: AttributePath,
) -> Result<T::RangeKey, ConvertError> {
    let value = value.ok_or_else(|| ConvertError::missing().at(path))?;
    T::RangeKey::from_range_element(value).map_err(|e| e.at(path))
}

/// A hash-only key read back: a range element is an error.
pub fn hash_only_key<T: DynamoItem>(
    key: &wire::Key,
    path: AttributePath,
) -> Result<T::HashKey, ConvertError> {
    if key.range_key_element.is_some() {
        return Err(ConvertError::new(ConvertErrorKind::UnexpectedRangeKey).at(path));
    }
    hash_read::<T>(Some(key.hash_key_element.clone()), path)
}

/// Writes the hash key field.
pub fn write_hash<T: DynamoItem>(
    item: &mut Item,
    key: &T::HashKey,
    path: AttributePath,
) -> Result<(), ConvertError> {
    let value = hash_value::<T>(key, path)?;
    item.insert(path.attribute.to_owned(), value);
    Ok(())
}

/// Writes the range key field.
pub fn write_range<T: DynamoItem>(
    item: &mut Item,
    key: &T::RangeKey,
    path: AttributePath,
) -> Result<(), ConvertError> {
    let value = range_value::<T>(key, path)?;
    item.insert(path.attribute.to_owned(), value);
    Ok(())
}

/// Reads the hash key field.
pub fn read_hash<T: DynamoItem>(
    item: &mut impl AttributeSource,
    path: AttributePath,
) -> Result<T::HashKey, ConvertError> {
    hash_read::<T>(item.take(path.attribute), path)
}

/// Reads the range key field.
pub fn read_range<T: DynamoItem>(
    item: &mut impl AttributeSource,
    path: AttributePath,
) -> Result<T::RangeKey, ConvertError> {
    range_read::<T>(item.take(path.attribute), path)
}

/// Compile-time check that a version field's type is an integer.
pub const fn assert_version<V: crate::convert::VersionAttribute>() {}
