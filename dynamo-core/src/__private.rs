//! Helpers called by the code `#[derive(DynamoItem)]` generates. Not public
//! API: names and signatures may change in any release.
//!
//! Field helpers: `write` / `put` and `read` / `read_or_default` /
//! `read_with`. Key helpers are generic over the item type `T` and the
//! [`KeyPart`], which is the role marker `attr::Hash` or `attr::Range`,
//! and take `T::HashKey` / `T::RangeKey`, so a key field of a wrong type is
//! reported once, at the field, by the `DynamoItem::HashKey` bound.

use crate::attr::{Hash, Range};
use crate::convert::{AttributePath, ConvertError, ConvertErrorKind, FromAttribute, ToAttribute};
use crate::item::{AttributeSink, AttributeSource, DynamoItem, RangeKeyType};
use crate::value::{AttributeValue, Item};
use crate::wire;

pub use crate::convert::json;
pub use serde;

/// Writes a field, omitting it when the value says so.
pub fn write<V: ToAttribute + ?Sized>(
    item: &mut impl AttributeSink,
    value: &V,
    path: AttributePath,
) -> Result<(), ConvertError> {
    put(item, value.to_attribute(), path)
}

/// Writes the result of a `with` module's `to_attribute`.
pub fn put(
    item: &mut impl AttributeSink,
    value: Result<Option<AttributeValue>, ConvertError>,
    path: AttributePath,
) -> Result<(), ConvertError> {
    if let Some(v) = value.map_err(|e| e.at(path))? {
        item.put(path.attribute, v);
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

/// What a `#[dynamo(flatten)]` field may be: an [`Item`].
#[diagnostic::on_unimplemented(
    message = "a `flatten` field must be a `dynamo::Item`, not `{Self}`",
    label = "holds the attributes no other field names",
    note = "declare it as `#[dynamo(flatten)] other: dynamo::Item`"
)]
pub trait Flatten {
    /// The entries to write.
    fn entries(&self) -> &Item;
    /// The attributes left after the other fields took theirs.
    fn from_rest(rest: Item) -> Self;
}

impl Flatten for Item {
    fn entries(&self) -> &Item {
        self
    }

    fn from_rest(rest: Item) -> Item {
        rest
    }
}

/// Writes a `flatten` field's entries; one named like a declared attribute
/// is an error, so a typed write never stores two values for one name.
pub fn write_rest<V: Flatten>(
    item: &mut impl AttributeSink,
    rest: &V,
    declared: &[&str],
    path: AttributePath,
) -> Result<(), ConvertError> {
    item.reserve(rest.entries().len());
    for (name, value) in rest.entries() {
        if declared.contains(&name.as_str()) {
            let reason = format!(
                "flattened attribute `{name}` is also a declared field's attribute; set the field instead"
            );
            return Err(ConvertError::custom(reason).at(path));
        }
        item.put_named(name.clone(), value.clone());
    }
    Ok(())
}

/// Reads a `flatten` field: every attribute no other field took.
pub fn read_rest<V: Flatten>(item: impl AttributeSource) -> V {
    V::from_rest(item.into_item())
}

/// Which part of `T`'s key a key helper works on: the role marker
/// [`Hash`](enum@Hash) or [`Range`].
pub trait KeyPart<T: DynamoItem> {
    /// `T::HashKey` or `T::RangeKey`.
    type Value: RangeKeyType;
}

impl<T: DynamoItem> KeyPart<T> for Hash {
    type Value = T::HashKey;
}

impl<T: DynamoItem> KeyPart<T> for Range {
    type Value = T::RangeKey;
}

/// A copy of a key field, for `DynamoItem::key`.
pub fn key_of<T: DynamoItem, P: KeyPart<T>>(value: &P::Value) -> P::Value {
    value.clone()
}

/// A key value in its attribute form; an empty one is an error.
pub fn key_value<T: DynamoItem, P: KeyPart<T>>(
    value: &P::Value,
    path: AttributePath,
) -> Result<AttributeValue, ConvertError> {
    value.to_range_element().map_err(|e| e.at(path))
}

/// Reads a key value; absent is an error.
pub fn key_read<T: DynamoItem, P: KeyPart<T>>(
    value: Option<AttributeValue>,
    path: AttributePath,
) -> Result<P::Value, ConvertError> {
    let value = value.ok_or_else(|| ConvertError::missing().at(path))?;
    P::Value::from_range_element(value).map_err(|e| e.at(path))
}

/// Writes a key field.
pub fn write_key<T: DynamoItem, P: KeyPart<T>>(
    item: &mut impl AttributeSink,
    value: &P::Value,
    path: AttributePath,
) -> Result<(), ConvertError> {
    let value = key_value::<T, P>(value, path)?;
    item.put(path.attribute, value);
    Ok(())
}

/// Reads a key field.
pub fn read_key<T: DynamoItem, P: KeyPart<T>>(
    item: &mut impl AttributeSource,
    path: AttributePath,
) -> Result<P::Value, ConvertError> {
    key_read::<T, P>(item.take(path.attribute), path)
}

/// A hash-only key read back: a range element is an error.
pub fn hash_only_key<T: DynamoItem>(
    key: &wire::Key,
    path: AttributePath,
) -> Result<T::HashKey, ConvertError> {
    if key.range_key_element.is_some() {
        return Err(ConvertError::new(ConvertErrorKind::UnexpectedRangeKey).at(path));
    }
    key_read::<T, Hash>(Some(key.hash_key_element.clone()), path)
}

/// Compile-time check that a version field's type is an integer.
pub const fn assert_version<V: crate::convert::VersionAttribute>() {}
