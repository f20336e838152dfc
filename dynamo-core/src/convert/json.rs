//! `#[dynamo(json)]`: any serde type stored as an `S` attribute holding JSON.
//!
//! The functions have the shape a `#[dynamo(with = ...)]` module needs, so a
//! `json` field behaves exactly like `with = dynamo::convert::json`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ConvertError, FromAttribute, ToAttribute};
use crate::value::{AttributeValue, ValueType};

/// A value stored as JSON text in an `S` attribute.
///
/// The handle of a `#[dynamo(json)]` field has this value type, so conditions
/// and updates on it take the plain value and serialize it the same way.
///
/// # Example
/// ```
/// use dynamo_core::convert::{FromAttribute, Json, ToAttribute};
/// use dynamo_core::AttributeValue;
/// let v = Json(vec![1, 2]).to_attribute()?.expect("JSON is never empty");
/// assert_eq!(v, AttributeValue::S("[1,2]".into()));
/// assert_eq!(Json::<Vec<u8>>::from_attribute(v)?.0, vec![1, 2]);
/// # Ok::<(), dynamo_core::convert::ConvertError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

/// Serializes `value` to JSON in an `S` attribute.
///
/// # Errors
/// [`ConvertError`] when serde_json cannot serialize the value.
pub fn to_attribute<T: Serialize + ?Sized>(
    value: &T,
) -> Result<Option<AttributeValue>, ConvertError> {
    Ok(Some(AttributeValue::S(serde_json::to_string(value)?)))
}

/// Deserializes JSON from an `S` attribute.
///
/// # Errors
/// [`ConvertError`] when the attribute is not an `S` or not the expected JSON.
pub fn from_attribute<T: DeserializeOwned>(value: AttributeValue) -> Result<T, ConvertError> {
    match value {
        AttributeValue::S(text) => Ok(serde_json::from_str(&text)?),
        other => Err(ConvertError::type_mismatch(
            ValueType::S,
            other.value_type(),
        )),
    }
}

impl<T: Serialize> ToAttribute for Json<T> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        to_attribute(&self.0)
    }
}

impl<T: DeserializeOwned> FromAttribute for Json<T> {
    fn from_attribute(value: AttributeValue) -> Result<Json<T>, ConvertError> {
        from_attribute(value).map(Json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_is_an_error() {
        let e = from_attribute::<Vec<u8>>(AttributeValue::S("{".into())).unwrap_err();
        assert!(e.to_string().starts_with("invalid JSON"), "{e}");
        let e = from_attribute::<u8>(AttributeValue::N(1u8.into())).unwrap_err();
        assert_eq!(e.to_string(), "expected S, found N");
    }
}
