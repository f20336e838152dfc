//! Conversions between Rust values and [`AttributeValue`]s.
//!
//! [`ToAttribute`] writes a value (`Ok(None)` means "omit the attribute"),
//! [`FromAttribute`] reads one back, and [`KeyAttribute`] marks the scalar
//! types a table key may have. The mapping:
//!
//! | Rust | attribute |
//! | --- | --- |
//! | `String`, `&str` (write only) | `S`, non-empty |
//! | `i8`..`i128`, `u8`..`u128`, `isize`, `usize`, `f32`, `f64`, [`Decimal`], [`Number`] | `N`, checked, never rounded |
//! | `bool` | `N`, `0` or `1` |
//! | `Vec<u8>`, [`Bytes`], [`Binary`] | `B`, non-empty |
//! | `HashSet`/`BTreeSet` of strings, numbers, binaries | `SS`/`NS`/`BS`; empty is omitted, missing reads as empty |
//! | `Option<T>` | `None` is omitted, missing reads as `None` |
//! | [`Json<T>`] (or a `#[dynamo(json)]` field) | `S` holding JSON |
//! | [`AttributeValue`] | itself, validated |
//!
//! # Example
//! ```
//! use dynamo_core::convert::{FromAttribute, ToAttribute};
//! use dynamo_core::AttributeValue;
//! let v = 42u64.to_attribute()?.expect("numbers are never omitted");
//! assert_eq!(v, AttributeValue::N(42u8.into()));
//! assert_eq!(u64::from_attribute(v)?, 42);
//! assert_eq!(None::<u64>.to_attribute()?, None);
//! assert_eq!(Option::<u64>::from_missing(), Some(None));
//! # Ok::<(), dynamo_core::convert::ConvertError>(())
//! ```

mod error;
pub mod json;
mod sets;

use bytes::Bytes;
use rust_decimal::Decimal;

pub use error::{AttributePath, ConvertError, ConvertErrorKind};
pub use json::Json;
pub use sets::SetMember;

use crate::value::{AttributeValue, Binary, Number, ValueType};
use crate::wire::ScalarAttributeType;

/// A Rust value that can be written as an attribute.
///
/// # Errors
/// [`ConvertError`] when the value cannot be stored: an empty string or
/// binary, a number out of DynamoDB's range, a set with an empty member.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored as a DynamoDB attribute",
    label = "no conversion to an attribute value",
    note = "supported: String, integers, floats, bool, Vec<u8>, Bytes, sets, Option, Decimal, Number, Binary, AttributeValue; use `#[dynamo(json)]` for serde types or `#[dynamo(with = module)]`"
)]
pub trait ToAttribute {
    /// The attribute value, or `None` to omit the attribute (`None` options,
    /// empty sets).
    ///
    /// # Errors
    /// See the trait documentation.
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError>;
}

/// A Rust value that can be read from an attribute.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a DynamoDB attribute",
    label = "no conversion from an attribute value",
    note = "supported: String, integers, floats, bool, Vec<u8>, Bytes, sets, Option, Decimal, Number, Binary, AttributeValue; use `#[dynamo(json)]` for serde types or `#[dynamo(with = module)]`"
)]
pub trait FromAttribute: Sized {
    /// Reads the value.
    ///
    /// # Errors
    /// [`ConvertError`] when the attribute has another type or does not fit.
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError>;

    /// The value of an absent attribute, if the type has one (`None` for
    /// options, the empty set for sets); `None` makes absence an error.
    fn from_missing() -> Option<Self> {
        None
    }
}

/// A type a table's hash or range key may have: a string, number or binary
/// scalar.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    label = "not a string, number or binary scalar",
    note = "key attributes must be a string, number or binary scalar (String, integers, Decimal, Number, Vec<u8>, Bytes)"
)]
pub trait KeyAttribute: ToAttribute + FromAttribute + Clone + Send + Sync + 'static {
    /// The key's scalar type in the table schema.
    const TYPE: ScalarAttributeType;
}

/// A type a `#[dynamo(version)]` field may have: an integer.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a version attribute",
    label = "not an integer",
    note = "`#[dynamo(version)]` needs an integer field such as `u64`"
)]
pub trait VersionAttribute: KeyAttribute {}

fn mismatch(expected: ValueType, found: &AttributeValue) -> ConvertError {
    ConvertError::type_mismatch(expected, found.value_type())
}

fn non_empty(value: AttributeValue) -> Result<Option<AttributeValue>, ConvertError> {
    value.validate()?;
    Ok(Some(value))
}

impl<T: ToAttribute + ?Sized> ToAttribute for &T {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        (**self).to_attribute()
    }
}

impl ToAttribute for str {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        non_empty(AttributeValue::S(self.to_owned()))
    }
}

impl ToAttribute for String {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        self.as_str().to_attribute()
    }
}

impl FromAttribute for String {
    fn from_attribute(value: AttributeValue) -> Result<String, ConvertError> {
        match value {
            AttributeValue::S(s) => Ok(s),
            other => Err(mismatch(ValueType::S, &other)),
        }
    }
}

impl ToAttribute for Number {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::N(self.clone())))
    }
}

impl FromAttribute for Number {
    fn from_attribute(value: AttributeValue) -> Result<Number, ConvertError> {
        match value {
            AttributeValue::N(n) => Ok(n),
            other => Err(mismatch(ValueType::N, &other)),
        }
    }
}

/// Reads an `N` attribute into any type a [`Number`] converts to.
fn read_number<T>(value: AttributeValue) -> Result<T, ConvertError>
where
    T: for<'a> TryFrom<&'a Number, Error = crate::value::NumberError>,
{
    let n = Number::from_attribute(value)?;
    Ok(T::try_from(&n)?)
}

macro_rules! number_impls {
    ($($t:ty),*) => {$(
        impl ToAttribute for $t {
            fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
                Ok(Some(AttributeValue::N(Number::try_from(*self)?)))
            }
        }

        impl FromAttribute for $t {
            fn from_attribute(value: AttributeValue) -> Result<$t, ConvertError> {
                read_number(value)
            }
        }
    )*};
}

number_impls!(i128, u128, f32, f64);

macro_rules! small_integer_impls {
    ($($t:ty),*) => {$(
        impl ToAttribute for $t {
            fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
                Ok(Some(AttributeValue::N(Number::from(*self))))
            }
        }

        impl FromAttribute for $t {
            fn from_attribute(value: AttributeValue) -> Result<$t, ConvertError> {
                read_number(value)
            }
        }
    )*};
}

small_integer_impls!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl ToAttribute for Decimal {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::N(Number::from(*self))))
    }
}

impl FromAttribute for Decimal {
    fn from_attribute(value: AttributeValue) -> Result<Decimal, ConvertError> {
        read_number(value)
    }
}

/// `true` is `N` 1, `false` is `N` 0.
impl ToAttribute for bool {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::N(Number::from(u8::from(*self)))))
    }
}

/// Reads `N` 0 or 1; any other number is an error.
impl FromAttribute for bool {
    fn from_attribute(value: AttributeValue) -> Result<bool, ConvertError> {
        match u8::from_attribute(value)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(ConvertError::custom("expected N 0 or 1 for a bool")),
        }
    }
}

impl ToAttribute for Binary {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        non_empty(AttributeValue::B(self.clone()))
    }
}

impl FromAttribute for Binary {
    fn from_attribute(value: AttributeValue) -> Result<Binary, ConvertError> {
        match value {
            AttributeValue::B(b) => Ok(b),
            other => Err(mismatch(ValueType::B, &other)),
        }
    }
}

impl ToAttribute for [u8] {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        non_empty(AttributeValue::B(Binary::from(self)))
    }
}

impl ToAttribute for Vec<u8> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        self.as_slice().to_attribute()
    }
}

impl FromAttribute for Vec<u8> {
    fn from_attribute(value: AttributeValue) -> Result<Vec<u8>, ConvertError> {
        Binary::from_attribute(value).map(Vec::from)
    }
}

impl ToAttribute for Bytes {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        non_empty(AttributeValue::B(Binary::from(self.clone())))
    }
}

impl FromAttribute for Bytes {
    fn from_attribute(value: AttributeValue) -> Result<Bytes, ConvertError> {
        Binary::from_attribute(value).map(Binary::into_bytes)
    }
}

/// Written as is after [`AttributeValue::validate`].
impl ToAttribute for AttributeValue {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        non_empty(self.clone())
    }
}

impl FromAttribute for AttributeValue {
    fn from_attribute(value: AttributeValue) -> Result<AttributeValue, ConvertError> {
        Ok(value)
    }
}

/// `None` omits the attribute.
impl<T: ToAttribute> ToAttribute for Option<T> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        match self {
            Some(v) => v.to_attribute(),
            None => Ok(None),
        }
    }
}

/// A missing attribute reads as `None`.
impl<T: FromAttribute> FromAttribute for Option<T> {
    fn from_attribute(value: AttributeValue) -> Result<Option<T>, ConvertError> {
        T::from_attribute(value).map(Some)
    }

    fn from_missing() -> Option<Option<T>> {
        Some(None)
    }
}

macro_rules! key_impls {
    ($ty:ident: $($t:ty),*) => {$(
        impl KeyAttribute for $t {
            const TYPE: ScalarAttributeType = ScalarAttributeType::$ty;
        }
    )*};
}

key_impls!(S: String);
key_impls!(N: i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, Decimal, Number);
key_impls!(B: Vec<u8>, Bytes, Binary);

macro_rules! version_impls {
    ($($t:ty),*) => {$( impl VersionAttribute for $t {} )*};
}

version_impls!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::ValueError;

    fn round_trip<T: ToAttribute + FromAttribute + PartialEq + std::fmt::Debug>(v: T) {
        let attr = v.to_attribute().expect("write").expect("present");
        attr.validate().expect("valid");
        assert_eq!(T::from_attribute(attr).expect("read"), v);
    }

    #[test]
    fn scalars_round_trip() {
        round_trip(String::from("x"));
        round_trip(-12_345_678_901_234_567_890_123_456_789_012_345_678i128);
        round_trip(u64::MAX);
        round_trip(-1.5f64);
        round_trip(true);
        round_trip(false);
        round_trip(vec![0u8, 1]);
        round_trip(Bytes::from_static(b"ab"));
        round_trip(Decimal::new(12345, 2));
        round_trip(Some(3u8));
    }

    #[test]
    fn empty_string_and_binary_are_errors() {
        let e = String::new().to_attribute().unwrap_err();
        assert_eq!(
            e.kind(),
            &ConvertErrorKind::Invalid(ValueError::EmptyString)
        );
        assert!(Vec::<u8>::new().to_attribute().is_err());
        assert!(Some(String::new()).to_attribute().is_err());
    }

    #[test]
    fn numbers_are_checked_not_rounded() {
        assert!(f64::NAN.to_attribute().is_err());
        assert!(u128::MAX.to_attribute().is_err(), "39 digits");
        let big = AttributeValue::N("300".parse().expect("n"));
        assert!(u8::from_attribute(big).is_err());
        let frac = AttributeValue::N("1.5".parse().expect("n"));
        assert!(i64::from_attribute(frac).is_err());
        let precise = AttributeValue::N("0.1000000000000000000000000001".parse().expect("n"));
        assert!(f64::from_attribute(precise).is_err());
    }

    #[test]
    fn bool_reads_only_zero_and_one() {
        let two = AttributeValue::N(2u8.into());
        assert!(bool::from_attribute(two).is_err());
    }

    #[test]
    fn type_mismatch_names_both_types() {
        let e = String::from_attribute(AttributeValue::N(1u8.into())).unwrap_err();
        assert_eq!(e.to_string(), "expected S, found N");
    }

    #[test]
    fn option_omits_and_reads_missing_as_none() {
        assert_eq!(None::<String>.to_attribute(), Ok(None));
        assert_eq!(Option::<String>::from_missing(), Some(None));
        assert_eq!(String::from_missing(), None);
    }

    #[test]
    fn key_types() {
        assert_eq!(<String as KeyAttribute>::TYPE, ScalarAttributeType::S);
        assert_eq!(<u64 as KeyAttribute>::TYPE, ScalarAttributeType::N);
        assert_eq!(<Bytes as KeyAttribute>::TYPE, ScalarAttributeType::B);
    }
}
