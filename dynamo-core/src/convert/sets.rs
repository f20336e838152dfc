//! `SS`, `NS` and `BS`: `HashSet` and `BTreeSet` of strings, numbers and binaries.

use std::collections::{BTreeSet, HashSet};
use std::hash::Hash;

use bytes::Bytes;
use rust_decimal::Decimal;

use super::{ConvertError, FromAttribute, ToAttribute};
use crate::value::{AttributeValue, Binary, Number, ValueType};

/// A type that can be a member of a set attribute.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a member of a DynamoDB set",
    label = "not a string, integer, decimal or binary",
    note = "set members must be String, an integer, Decimal, Number, Vec<u8>, Bytes or Binary"
)]
pub trait SetMember: ToAttribute + FromAttribute {
    /// `SS`, `NS` or `BS`.
    const SET_TYPE: ValueType;
}

macro_rules! member_impls {
    ($set:ident: $($t:ty),*) => {$(
        impl SetMember for $t {
            const SET_TYPE: ValueType = ValueType::$set;
        }
    )*};
}

member_impls!(SS: String);
member_impls!(NS: i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, Decimal, Number);
member_impls!(BS: Vec<u8>, Bytes, Binary);

/// Builds the set attribute from members; an empty set is omitted.
///
/// Members of a Rust set are distinct, and each scalar is checked by its own
/// conversion (no empty strings or binaries), so the set needs no second
/// validation pass; members go straight into the typed list.
fn write_set<'a, E: SetMember + 'a>(
    members: impl ExactSizeIterator<Item = &'a E>,
) -> Result<Option<AttributeValue>, ConvertError> {
    if members.len() == 0 {
        return Ok(None);
    }
    let n = members.len();
    let mut set = match E::SET_TYPE {
        ValueType::SS => AttributeValue::SS(Vec::with_capacity(n)),
        ValueType::NS => AttributeValue::NS(Vec::with_capacity(n)),
        _ => AttributeValue::BS(Vec::with_capacity(n)),
    };
    for member in members {
        let value = member.to_attribute()?.ok_or_else(ConvertError::missing)?;
        match (&mut set, value) {
            (AttributeValue::SS(v), AttributeValue::S(s)) => v.push(s),
            (AttributeValue::NS(v), AttributeValue::N(n)) => v.push(n),
            (AttributeValue::BS(v), AttributeValue::B(b)) => v.push(b),
            (set, other) => {
                let scalar = match set.value_type() {
                    ValueType::SS => ValueType::S,
                    ValueType::NS => ValueType::N,
                    _ => ValueType::B,
                };
                return Err(ConvertError::type_mismatch(scalar, other.value_type()));
            }
        }
    }
    Ok(Some(set))
}

/// Reads the members of a set attribute of type `E::SET_TYPE` into any
/// collection.
fn read_set<E: SetMember, C: FromIterator<E>>(value: AttributeValue) -> Result<C, ConvertError> {
    match (E::SET_TYPE, value) {
        (ValueType::SS, AttributeValue::SS(v)) => v
            .into_iter()
            .map(|s| E::from_attribute(AttributeValue::S(s)))
            .collect(),
        (ValueType::NS, AttributeValue::NS(v)) => v
            .into_iter()
            .map(|n| E::from_attribute(AttributeValue::N(n)))
            .collect(),
        (ValueType::BS, AttributeValue::BS(v)) => v
            .into_iter()
            .map(|b| E::from_attribute(AttributeValue::B(b)))
            .collect(),
        (_, other) => Err(ConvertError::type_mismatch(E::SET_TYPE, other.value_type())),
    }
}

/// An empty set is omitted.
impl<E: SetMember + Eq + Hash, S> ToAttribute for HashSet<E, S> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        write_set(self.iter())
    }
}

/// A missing attribute reads as the empty set.
impl<E: SetMember + Eq + Hash, S: std::hash::BuildHasher + Default> FromAttribute
    for HashSet<E, S>
{
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        read_set(value)
    }

    fn from_missing() -> Option<Self> {
        Some(HashSet::default())
    }
}

/// An empty set is omitted.
impl<E: SetMember + Ord> ToAttribute for BTreeSet<E> {
    fn to_attribute(&self) -> Result<Option<AttributeValue>, ConvertError> {
        write_set(self.iter())
    }
}

/// A missing attribute reads as the empty set.
impl<E: SetMember + Ord> FromAttribute for BTreeSet<E> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        read_set(value)
    }

    fn from_missing() -> Option<Self> {
        Some(BTreeSet::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::ConvertErrorKind;
    use crate::value::ValueError;

    #[test]
    fn string_set_round_trips() {
        let set: BTreeSet<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let v = set.to_attribute().expect("write").expect("present");
        assert_eq!(v, AttributeValue::SS(vec!["a".into(), "b".into()]));
        assert_eq!(BTreeSet::<String>::from_attribute(v).expect("read"), set);
    }

    #[test]
    fn number_and_binary_sets() {
        let ns: HashSet<u32> = [1, 2, 3].into_iter().collect();
        let v = ns.to_attribute().expect("write").expect("present");
        assert_eq!(v.value_type(), ValueType::NS);
        assert_eq!(HashSet::<u32>::from_attribute(v).expect("read"), ns);
        let bs: BTreeSet<Vec<u8>> = [vec![1u8], vec![2]].into_iter().collect();
        let v = bs.to_attribute().expect("write").expect("present");
        assert_eq!(v.value_type(), ValueType::BS);
    }

    #[test]
    fn empty_set_is_omitted_and_missing_is_empty() {
        assert_eq!(BTreeSet::<String>::new().to_attribute(), Ok(None));
        assert_eq!(HashSet::<u8>::from_missing(), Some(HashSet::new()));
    }

    #[test]
    fn empty_member_is_an_error() {
        let set: BTreeSet<String> = [String::new()].into_iter().collect();
        let e = set.to_attribute().unwrap_err();
        assert_eq!(
            e.kind(),
            &ConvertErrorKind::Invalid(ValueError::EmptyString)
        );
    }

    #[test]
    fn wrong_set_type_is_an_error() {
        let v = AttributeValue::NS(vec![1u8.into()]);
        let e = BTreeSet::<String>::from_attribute(v).unwrap_err();
        assert_eq!(e.to_string(), "expected SS, found NS");
    }
}
