//! Marker traits saying which operations a value type allows, and which
//! operand types it accepts.

use std::collections::{BTreeSet, HashSet};

use bytes::Bytes;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::convert::{ConvertError, Json, SetMember, ToAttribute};
use crate::value::{AttributeValue, Binary, Number};

/// An operand accepted where a value of type `V` is expected.
///
/// `V` itself and `&V` always are; so are `&str` and `&String` for `String`,
/// the inner value for `Option<V>`, and the plain value for [`Json<V>`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a valid value for an attribute of type `{V}`",
    label = "expected a `{V}` here",
    note = "an attribute handle accepts only values of its field's type"
)]
pub trait ValueFor<V> {
    /// Converts the operand; `Ok(None)` means "no value" (`None`, empty set).
    ///
    /// # Errors
    /// [`ConvertError`] when the operand cannot be stored.
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError>;
}

impl<V: ToAttribute> ValueFor<V> for V {
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        self.to_attribute()
    }
}

impl<V: ToAttribute> ValueFor<V> for &V {
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        self.to_attribute()
    }
}

impl<V: ToAttribute> ValueFor<Option<V>> for V {
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        self.to_attribute()
    }
}

impl ValueFor<String> for &str {
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        self.to_attribute()
    }
}

impl ValueFor<Option<String>> for &str {
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        self.to_attribute()
    }
}

impl<T: Serialize> ValueFor<Json<T>> for T {
    fn into_attribute(self) -> Result<Option<AttributeValue>, ConvertError> {
        crate::convert::json::to_attribute(&self)
    }
}

/// Value types that `LT`, `LE`, `GT`, `GE`, `BETWEEN` and `IN` compare:
/// string, number and binary scalars, optional or not.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a string, number or binary scalar",
    label = "ordering comparisons need a scalar attribute",
    note = "`lt`, `le`, `gt`, `ge`, `between` and `is_in` apply to String, number and binary attributes"
)]
pub trait ScalarValue {
    /// The operand type (the value type without `Option`).
    type Scalar: ToAttribute;
}

/// Value types `begins_with` applies to: strings and binaries.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a string or binary",
    label = "`begins_with` needs a string or binary attribute",
    note = "`begins_with` applies to String, Vec<u8>, Bytes and Binary attributes"
)]
pub trait PrefixValue: ScalarValue {}

/// Value types `add` applies to: numbers and sets.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a number or a set",
    label = "`add` needs a number or set attribute",
    note = "`add` adds to numbers and unions into sets; use `set` to replace other values"
)]
pub trait Addable {
    /// The operand type: the number, or the set.
    type Operand: ToAttribute;
}

/// Value types `delete_elements` applies to: sets.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set",
    label = "`delete_elements` needs a set attribute",
    note = "use `remove` to delete a whole attribute"
)]
pub trait SetValue {
    /// The set type removed from it.
    type Set: ToAttribute;
}

/// Value types `contains` and `not_contains` apply to: strings and binaries
/// (a substring) and sets (a member).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot contain anything",
    label = "`contains` needs a string, binary or set attribute",
    note = "`contains` takes a substring for strings and binaries, a member for sets"
)]
pub trait Containable {
    /// The operand type: the string or binary, or the set's member type.
    type Needle: ToAttribute;
}

macro_rules! scalar {
    ($($t:ty),*) => {$(
        impl ScalarValue for $t {
            type Scalar = $t;
        }
    )*};
}

scalar!(
    String, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);
scalar!(Decimal, Number, Vec<u8>, Bytes, Binary, AttributeValue);

impl<T: ScalarValue> ScalarValue for Option<T> {
    type Scalar = T::Scalar;
}

macro_rules! prefix_and_contains {
    ($($t:ty),*) => {$(
        impl PrefixValue for $t {}
        impl Containable for $t {
            type Needle = $t;
        }
    )*};
}

prefix_and_contains!(String, Vec<u8>, Bytes, Binary, AttributeValue);

impl<T: PrefixValue> PrefixValue for Option<T> {}

impl<T: Containable> Containable for Option<T> {
    type Needle = T::Needle;
}

macro_rules! addable_number {
    ($($t:ty),*) => {$(
        impl Addable for $t {
            type Operand = $t;
        }
    )*};
}

addable_number!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);
addable_number!(Decimal, Number, AttributeValue);

impl<T: Addable> Addable for Option<T> {
    type Operand = T::Operand;
}

impl<E: SetMember + Eq + std::hash::Hash, S> Addable for HashSet<E, S>
where
    HashSet<E, S>: ToAttribute,
{
    type Operand = HashSet<E, S>;
}

impl<E: SetMember + Ord> Addable for BTreeSet<E> {
    type Operand = BTreeSet<E>;
}

impl<E: SetMember + Eq + std::hash::Hash, S> SetValue for HashSet<E, S>
where
    HashSet<E, S>: ToAttribute,
{
    type Set = HashSet<E, S>;
}

impl<E: SetMember + Ord> SetValue for BTreeSet<E> {
    type Set = BTreeSet<E>;
}

impl SetValue for AttributeValue {
    type Set = AttributeValue;
}

impl<T: SetValue> SetValue for Option<T> {
    type Set = T::Set;
}

impl<E: SetMember + Eq + std::hash::Hash, S> Containable for HashSet<E, S> {
    type Needle = E;
}

impl<E: SetMember + Ord> Containable for BTreeSet<E> {
    type Needle = E;
}
