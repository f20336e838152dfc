//! The value model of the 2011-12-05 API: `S`, `N`, `B`, `SS`, `NS`, `BS`.
//!
//! [`AttributeValue`] serializes to exactly the wire form (`{"S": "..."}`,
//! numbers as strings, binary as base64). [`AttributeValue::validate`] applies
//! the service's rules (non-empty strings, binaries and sets, no duplicate set
//! members) so the client rejects what the service would reject.

mod binary;
mod number;
mod serde_impl;

use std::collections::HashMap;
use std::fmt;

pub use binary::{Base64Error, Binary};
pub use number::{MAX_EXPONENT, MAX_SIGNIFICANT_DIGITS, MIN_EXPONENT, Number, NumberError};

/// An item: attribute names mapped to values.
pub type Item = HashMap<String, AttributeValue>;

/// One DynamoDB attribute value.
///
/// # Example
/// ```
/// use dynamo_core::AttributeValue;
/// let v = AttributeValue::SS(vec!["a".into(), "b".into()]);
/// assert_eq!(serde_json::to_string(&v)?, r#"{"SS":["a","b"]}"#);
/// let n: AttributeValue = serde_json::from_str(r#"{"N":"1E+2"}"#)?;
/// assert_eq!(n, AttributeValue::N("100".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum AttributeValue {
    /// A UTF-8 string (`S`), non-empty.
    S(String),
    /// A number (`N`).
    N(Number),
    /// Binary data (`B`), non-empty.
    B(Binary),
    /// A string set (`SS`).
    SS(Vec<String>),
    /// A number set (`NS`).
    NS(Vec<Number>),
    /// A binary set (`BS`).
    BS(Vec<Binary>),
}

/// The six value types of the 2011-12-05 API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValueType {
    /// `S`
    S,
    /// `N`
    N,
    /// `B`
    B,
    /// `SS`
    SS,
    /// `NS`
    NS,
    /// `BS`
    BS,
}

impl ValueType {
    /// The wire name (`"S"`, `"NS"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::S => "S",
            ValueType::N => "N",
            ValueType::B => "B",
            ValueType::SS => "SS",
            ValueType::NS => "NS",
            ValueType::BS => "BS",
        }
    }

    /// True for the set types.
    pub fn is_set(self) -> bool {
        matches!(self, ValueType::SS | ValueType::NS | ValueType::BS)
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value the service would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueError {
    /// An empty `S` or `B`, or an empty member of a set.
    EmptyString,
    /// A set with no members.
    EmptySet,
    /// A set with the same member twice.
    DuplicateSetMember,
    /// An invalid number.
    Number(NumberError),
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::EmptyString => f.write_str(
                "One or more parameter values were invalid: An AttributeValue may not contain an empty string",
            ),
            ValueError::EmptySet => f.write_str(
                "One or more parameter values were invalid: An AttributeValue may not contain an empty set",
            ),
            ValueError::DuplicateSetMember => f.write_str("Input collection contains duplicates"),
            ValueError::Number(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ValueError {}

impl From<NumberError> for ValueError {
    fn from(e: NumberError) -> ValueError {
        ValueError::Number(e)
    }
}

impl AttributeValue {
    /// The value's type.
    pub fn value_type(&self) -> ValueType {
        match self {
            AttributeValue::S(_) => ValueType::S,
            AttributeValue::N(_) => ValueType::N,
            AttributeValue::B(_) => ValueType::B,
            AttributeValue::SS(_) => ValueType::SS,
            AttributeValue::NS(_) => ValueType::NS,
            AttributeValue::BS(_) => ValueType::BS,
        }
    }

    /// Checks the service's rules: strings and binaries non-empty, sets
    /// non-empty and without duplicates (numbers compared numerically).
    ///
    /// # Errors
    /// The first rule broken, as a [`ValueError`].
    pub fn validate(&self) -> Result<(), ValueError> {
        match self {
            AttributeValue::S(s) if s.is_empty() => Err(ValueError::EmptyString),
            AttributeValue::B(b) if b.is_empty() => Err(ValueError::EmptyString),
            AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_) => Ok(()),
            AttributeValue::SS(v) => check_set(v, String::is_empty),
            AttributeValue::NS(v) => check_set(v, |_| false),
            AttributeValue::BS(v) => check_set(v, Binary::is_empty),
        }
    }

    /// Approximate stored size in bytes as the service counts it (without the
    /// attribute name): string and binary bytes, about one byte per two digits
    /// for numbers, member sizes summed for sets.
    pub fn size(&self) -> usize {
        fn number_size(n: &Number) -> usize {
            1 + n.significant_digits().div_ceil(2) + usize::from(n.is_negative())
        }
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => number_size(n),
            AttributeValue::B(b) => b.len(),
            AttributeValue::SS(v) => v.iter().map(String::len).sum(),
            AttributeValue::NS(v) => v.iter().map(number_size).sum(),
            AttributeValue::BS(v) => v.iter().map(Binary::len).sum(),
        }
    }

    /// The string, if this is an `S`.
    pub fn as_s(&self) -> Option<&str> {
        match self {
            AttributeValue::S(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is an `N`.
    pub fn as_n(&self) -> Option<&Number> {
        match self {
            AttributeValue::N(n) => Some(n),
            _ => None,
        }
    }

    /// The bytes, if this is a `B`.
    pub fn as_b(&self) -> Option<&Binary> {
        match self {
            AttributeValue::B(b) => Some(b),
            _ => None,
        }
    }
}

fn check_set<T: Eq + std::hash::Hash>(
    members: &[T],
    is_empty: impl Fn(&T) -> bool,
) -> Result<(), ValueError> {
    if members.is_empty() {
        return Err(ValueError::EmptySet);
    }
    if members.iter().any(is_empty) {
        return Err(ValueError::EmptyString);
    }
    let mut seen = std::collections::HashSet::with_capacity(members.len());
    if members.iter().all(|m| seen.insert(m)) {
        Ok(())
    } else {
        Err(ValueError::DuplicateSetMember)
    }
}

/// Values print their type and content; use [`AttributeValue::value_type`]
/// when logging data that may be sensitive.
impl fmt::Debug for AttributeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeValue::S(s) => f.debug_tuple("S").field(s).finish(),
            AttributeValue::N(n) => f.debug_tuple("N").field(&n.as_str()).finish(),
            AttributeValue::B(b) => f.debug_tuple("B").field(b).finish(),
            AttributeValue::SS(v) => f.debug_tuple("SS").field(v).finish(),
            AttributeValue::NS(v) => f
                .debug_tuple("NS")
                .field(&v.iter().map(Number::as_str).collect::<Vec<_>>())
                .finish(),
            AttributeValue::BS(v) => f.debug_tuple("BS").field(v).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_rules() {
        assert_eq!(
            AttributeValue::S(String::new()).validate(),
            Err(ValueError::EmptyString)
        );
        assert_eq!(
            AttributeValue::SS(vec![]).validate(),
            Err(ValueError::EmptySet)
        );
        assert_eq!(
            AttributeValue::SS(vec!["a".into(), "a".into()]).validate(),
            Err(ValueError::DuplicateSetMember)
        );
        let ns = ["1", "1.0"]
            .iter()
            .map(|s| s.parse().expect("num"))
            .collect();
        assert_eq!(
            AttributeValue::NS(ns).validate(),
            Err(ValueError::DuplicateSetMember)
        );
        assert_eq!(
            AttributeValue::B(Binary::from(vec![])).validate(),
            Err(ValueError::EmptyString)
        );
        assert!(
            AttributeValue::BS(vec![Binary::from(vec![1]), Binary::from(vec![2])])
                .validate()
                .is_ok()
        );
    }
}
