//! Query's `RangeKeyCondition`, on the range key handle only.
//!
//! # Example
//! ```
//! use dynamo_core::attr::{Attr, Range};
//! use dynamo_core::expr::range;
//! use dynamo_core::wire::ComparisonOperator;
//! struct Reply;
//! const POSTED: Attr<Reply, u64, Range> = Attr::new("Reply", "posted", "posted");
//! let c = range::between(POSTED, 100, 200).into_wire()?;
//! assert_eq!(c.comparison_operator, ComparisonOperator::Between);
//! # Ok::<(), dynamo_core::convert::ConvertError>(())
//! ```

use std::marker::PhantomData;

use super::required;
use crate::attr::{Attr, IsRangeKey, PrefixValue, ValueFor};
use crate::convert::ConvertError;
use crate::wire::{ComparisonOperator, Condition};

/// A condition on the range key of items of type `T`.
#[must_use]
pub struct RangeCondition<T> {
    condition: Result<Condition, ConvertError>,
    item: PhantomData<fn() -> T>,
}

item_typed!(RangeCondition, condition);

impl<T> RangeCondition<T> {
    fn new<V, R>(
        attr: Attr<T, V, R>,
        op: ComparisonOperator,
        values: impl IntoIterator<Item = Result<Option<crate::AttributeValue>, ConvertError>>,
    ) -> Self {
        let values: Result<Vec<_>, _> = values.into_iter().map(required).collect();
        RangeCondition {
            condition: values
                .map(|v| Condition::new(op, v))
                .map_err(|e| e.at(attr.path())),
            item: PhantomData,
        }
    }

    /// The wire `Condition`.
    ///
    /// # Errors
    /// [`ConvertError`] when an operand cannot be stored.
    pub fn into_wire(self) -> Result<Condition, ConvertError> {
        self.condition
    }
}

/// The range key equals `value`.
pub fn eq<T, V, R: IsRangeKey>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> RangeCondition<T> {
    RangeCondition::new(attr, ComparisonOperator::Eq, [value.into_attribute()])
}

/// The range key is at most `value`.
pub fn le<T, V, R: IsRangeKey>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> RangeCondition<T> {
    RangeCondition::new(attr, ComparisonOperator::Le, [value.into_attribute()])
}

/// The range key is below `value`.
pub fn lt<T, V, R: IsRangeKey>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> RangeCondition<T> {
    RangeCondition::new(attr, ComparisonOperator::Lt, [value.into_attribute()])
}

/// The range key is at least `value`.
pub fn ge<T, V, R: IsRangeKey>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> RangeCondition<T> {
    RangeCondition::new(attr, ComparisonOperator::Ge, [value.into_attribute()])
}

/// The range key is above `value`.
pub fn gt<T, V, R: IsRangeKey>(attr: Attr<T, V, R>, value: impl ValueFor<V>) -> RangeCondition<T> {
    RangeCondition::new(attr, ComparisonOperator::Gt, [value.into_attribute()])
}

/// The range key is between `low` and `high`, inclusive.
pub fn between<T, V, R: IsRangeKey>(
    attr: Attr<T, V, R>,
    low: impl ValueFor<V>,
    high: impl ValueFor<V>,
) -> RangeCondition<T> {
    let values = [low.into_attribute(), high.into_attribute()];
    RangeCondition::new(attr, ComparisonOperator::Between, values)
}

/// The range key starts with `prefix` (string and binary keys only).
pub fn begins_with<T, V: PrefixValue, R: IsRangeKey>(
    attr: Attr<T, V, R>,
    prefix: impl ValueFor<V>,
) -> RangeCondition<T> {
    RangeCondition::new(
        attr,
        ComparisonOperator::BeginsWith,
        [prefix.into_attribute()],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Range;
    use crate::value::AttributeValue;

    struct M;
    const SUBJECT: Attr<M, String, Range> = Attr::new("M", "subject", "subject");

    #[test]
    fn operands() {
        let c = begins_with(SUBJECT, "a").into_wire().expect("valid");
        assert_eq!(
            c,
            Condition::new(
                ComparisonOperator::BeginsWith,
                vec![AttributeValue::S("a".into())]
            )
        );
        let c = between(SUBJECT, "a", "b").into_wire().expect("valid");
        assert_eq!(c.attribute_value_list.map(|v| v.len()), Some(2));
        let e = eq(SUBJECT, "").into_wire().unwrap_err();
        assert!(e.to_string().starts_with("M.subject"), "{e}");
    }
}
