//! Scan's `ScanFilter`: every comparison operator, on any handle, with
//! operands of the handle's type. Conditions on several attributes are ANDed.
//!
//! | function | operator | applies to | operand |
//! | --- | --- | --- | --- |
//! | [`eq`], [`ne`] | `EQ`, `NE` | any | the field's value (`None` tests absence) |
//! | [`lt`], [`le`], [`gt`], [`ge`], [`between`], [`is_in`] | `LT` ... `IN` | [`ScalarValue`] | the scalar |
//! | [`begins_with`] | `BEGINS_WITH` | [`PrefixValue`] | the string or binary |
//! | [`contains`], [`not_contains`] | `CONTAINS`, `NOT_CONTAINS` | [`Containable`] | substring, or set member |
//! | [`not_null`], [`null`] | `NOT_NULL`, `NULL` | any | none |
//!
//! # Example
//! ```
//! use std::collections::BTreeSet;
//! use dynamo_core::attr::{Attr, NotKey};
//! use dynamo_core::expr::filter;
//! struct Message;
//! const TAGS: Attr<Message, BTreeSet<String>, NotKey> = Attr::new("Message", "tags", "tags");
//! const VIEWS: Attr<Message, Option<u64>, NotKey> = Attr::new("Message", "views", "views");
//! let f = filter::contains(TAGS, "rust").and(filter::is_in(VIEWS, [1, 2, 3])).into_wire()?;
//! assert_eq!(f.len(), 2);
//! # Ok::<(), dynamo_core::convert::ConvertError>(())
//! ```

use std::collections::HashMap;
use std::marker::PhantomData;

use super::{Entries, required};
use crate::attr::{Attr, Containable, PrefixValue, ScalarValue, ValueFor};
use crate::convert::{ConvertError, ConvertErrorKind};
use crate::value::AttributeValue;
use crate::wire::{ComparisonOperator, Condition};

/// Scan filter conditions on items of type `T`, all of which must hold.
#[must_use]
pub struct Filter<T> {
    entries: Entries<Condition>,
    item: PhantomData<fn() -> T>,
}

item_typed!(Filter, entries, default);

type Operand = Result<Option<AttributeValue>, ConvertError>;

impl<T> Filter<T> {
    /// No conditions: every item passes.
    pub fn new() -> Self {
        Filter::default()
    }

    fn one<V, R>(attr: Attr<T, V, R>, op: ComparisonOperator, values: Vec<Operand>) -> Self {
        let values: Result<Vec<_>, _> = values.into_iter().map(required).collect();
        let entry = values.map(|v| Condition::new(op, v));
        Filter {
            entries: Entries::default().insert(attr.path(), entry),
            item: PhantomData,
        }
    }

    /// True when there are no entries (and no error).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Both sets of conditions.
    pub fn and(self, other: Filter<T>) -> Self {
        Filter {
            entries: self.entries.merge(other.entries),
            item: PhantomData,
        }
    }

    /// The `ScanFilter` map.
    ///
    /// # Errors
    /// The first [`ConvertError`]: an operand that cannot be stored, an empty
    /// `IN` list, or an attribute named twice.
    pub fn into_wire(self) -> Result<HashMap<String, Condition>, ConvertError> {
        self.entries.map
    }
}

/// The attribute equals `value`; a value with no attribute form (`None`, an
/// empty set) means the attribute is absent (`NULL`).
pub fn eq<T, V, R>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> Filter<T> {
    match value.into_attribute() {
        Ok(None) => null(attr),
        other => Filter::one(attr, ComparisonOperator::Eq, vec![other]),
    }
}

/// The attribute differs from `value` (or is absent); a value with no
/// attribute form means the attribute exists (`NOT_NULL`).
pub fn ne<T, V, R>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> Filter<T> {
    match value.into_attribute() {
        Ok(None) => not_null(attr),
        other => Filter::one(attr, ComparisonOperator::Ne, vec![other]),
    }
}

/// The attribute is at most `value`.
pub fn le<T, V: ScalarValue, R>(attr: Attr<T, V, R>, value: impl ValueFor<V::Scalar>) -> Filter<T> {
    Filter::one(attr, ComparisonOperator::Le, vec![value.into_attribute()])
}

/// The attribute is below `value`.
pub fn lt<T, V: ScalarValue, R>(attr: Attr<T, V, R>, value: impl ValueFor<V::Scalar>) -> Filter<T> {
    Filter::one(attr, ComparisonOperator::Lt, vec![value.into_attribute()])
}

/// The attribute is at least `value`.
pub fn ge<T, V: ScalarValue, R>(attr: Attr<T, V, R>, value: impl ValueFor<V::Scalar>) -> Filter<T> {
    Filter::one(attr, ComparisonOperator::Ge, vec![value.into_attribute()])
}

/// The attribute is above `value`.
pub fn gt<T, V: ScalarValue, R>(attr: Attr<T, V, R>, value: impl ValueFor<V::Scalar>) -> Filter<T> {
    Filter::one(attr, ComparisonOperator::Gt, vec![value.into_attribute()])
}

/// The attribute is between `low` and `high`, inclusive.
pub fn between<T, V: ScalarValue, R>(
    attr: Attr<T, V, R>,
    low: impl ValueFor<V::Scalar>,
    high: impl ValueFor<V::Scalar>,
) -> Filter<T> {
    let values = vec![low.into_attribute(), high.into_attribute()];
    Filter::one(attr, ComparisonOperator::Between, values)
}

/// The attribute equals one of `values` (at least one).
pub fn is_in<T, V: ScalarValue, R, O: ValueFor<V::Scalar>>(
    attr: Attr<T, V, R>,
    values: impl IntoIterator<Item = O>,
) -> Filter<T> {
    let values: Vec<Operand> = values.into_iter().map(O::into_attribute).collect();
    if values.is_empty() {
        let error = ConvertError::new(ConvertErrorKind::EmptyList);
        return Filter::one(attr, ComparisonOperator::In, vec![Err(error)]);
    }
    Filter::one(attr, ComparisonOperator::In, values)
}

/// The attribute exists.
pub fn not_null<T, V, R>(attr: Attr<T, V, R>) -> Filter<T> {
    Filter::one(attr, ComparisonOperator::NotNull, Vec::new())
}

/// The attribute does not exist.
pub fn null<T, V, R>(attr: Attr<T, V, R>) -> Filter<T> {
    Filter::one(attr, ComparisonOperator::Null, Vec::new())
}

/// A string or binary attribute contains `needle`; a set contains the member.
pub fn contains<T, V: Containable, R>(
    attr: Attr<T, V, R>,
    needle: impl ValueFor<V::Needle>,
) -> Filter<T> {
    Filter::one(
        attr,
        ComparisonOperator::Contains,
        vec![needle.into_attribute()],
    )
}

/// The negation of [`contains`] (true when the attribute is absent).
pub fn not_contains<T, V: Containable, R>(
    attr: Attr<T, V, R>,
    needle: impl ValueFor<V::Needle>,
) -> Filter<T> {
    Filter::one(
        attr,
        ComparisonOperator::NotContains,
        vec![needle.into_attribute()],
    )
}

/// A string or binary attribute starts with `prefix`.
pub fn begins_with<T, V: PrefixValue, R>(
    attr: Attr<T, V, R>,
    prefix: impl ValueFor<V::Scalar>,
) -> Filter<T> {
    Filter::one(
        attr,
        ComparisonOperator::BeginsWith,
        vec![prefix.into_attribute()],
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::attr::NotKey;

    struct M;
    const NAME: Attr<M, Option<String>, NotKey> = Attr::new("M", "name", "name");
    const IDS: Attr<M, HashSet<u32>, NotKey> = Attr::new("M", "ids", "ids");

    fn op(f: Filter<M>, name: &str) -> Condition {
        f.into_wire().expect("valid").remove(name).expect("present")
    }

    #[test]
    fn every_operator() {
        let cases = [
            (eq(NAME, "a"), ComparisonOperator::Eq, 1),
            (ne(NAME, "a"), ComparisonOperator::Ne, 1),
            (eq(NAME, None), ComparisonOperator::Null, 0),
            (ne(NAME, None), ComparisonOperator::NotNull, 0),
            (le(NAME, "a"), ComparisonOperator::Le, 1),
            (lt(NAME, "a"), ComparisonOperator::Lt, 1),
            (ge(NAME, "a"), ComparisonOperator::Ge, 1),
            (gt(NAME, "a"), ComparisonOperator::Gt, 1),
            (between(NAME, "a", "b"), ComparisonOperator::Between, 2),
            (is_in(NAME, ["a", "b", "c"]), ComparisonOperator::In, 3),
            (not_null(NAME), ComparisonOperator::NotNull, 0),
            (null(NAME), ComparisonOperator::Null, 0),
            (contains(NAME, "a"), ComparisonOperator::Contains, 1),
            (not_contains(NAME, "a"), ComparisonOperator::NotContains, 1),
            (begins_with(NAME, "a"), ComparisonOperator::BeginsWith, 1),
        ];
        for (filter, expected, operands) in cases {
            let c = op(filter, "name");
            assert_eq!(c.comparison_operator, expected);
            assert_eq!(c.attribute_value_list.map_or(0, |v| v.len()), operands);
        }
    }

    #[test]
    fn set_contains_takes_a_member() {
        let c = op(contains(IDS, 7u32), "ids");
        assert_eq!(
            c.attribute_value_list,
            Some(vec![AttributeValue::N(7u8.into())])
        );
    }

    #[test]
    fn empty_in_is_an_error() {
        let e = is_in(NAME, Vec::<String>::new()).into_wire().unwrap_err();
        assert_eq!(e.kind(), &ConvertErrorKind::EmptyList);
    }
}
