//! Value comparison: `Expected` equality, the 13 comparison operators, and
//! their argument rules for Query and Scan.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::hash::Hash;

use dynamo_core::value::{AttributeValue, ValueType};
use dynamo_core::wire::ComparisonOperator as Op;

use super::decode::{Cond, Expect};
use super::error::ApiError;

fn same_members<T: Eq + Hash>(a: &[T], b: &[T]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let set: HashSet<&T> = a.iter().collect();
    b.iter().all(|m| set.contains(m))
}

/// Equality as the service sees it: same type, numbers numerically, sets as sets.
pub(crate) fn equal(a: &AttributeValue, b: &AttributeValue) -> bool {
    use AttributeValue as V;
    match (a, b) {
        (V::SS(x), V::SS(y)) => same_members(x, y),
        (V::NS(x), V::NS(y)) => same_members(x, y),
        (V::BS(x), V::BS(y)) => same_members(x, y),
        _ => a == b,
    }
}

/// Order of two scalars of the same type; `None` for different types or sets.
pub(crate) fn scalar_cmp(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    use AttributeValue as V;
    match (a, b) {
        (V::S(x), V::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (V::N(x), V::N(y)) => Some(x.cmp(y)),
        (V::B(x), V::B(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        _ => None,
    }
}

/// True when every `Expected` entry holds for `item` (`None` = no item).
pub(crate) fn expected_holds(
    item: Option<&dynamo_core::Item>,
    expected: &[(String, Expect)],
) -> bool {
    expected.iter().all(|(name, expect)| {
        let current = item.and_then(|i| i.get(name));
        match expect {
            Expect::Absent => current.is_none(),
            Expect::Equals(v) => current.is_some_and(|c| equal(c, v)),
        }
    })
}

/// Checks `Expected` against a stored item, as the write operations need it.
pub(crate) fn check_expected(
    item: Option<&dynamo_core::Item>,
    expected: &[(String, Expect)],
) -> Result<(), ApiError> {
    if expected_holds(item, expected) {
        Ok(())
    } else {
        Err(ApiError::conditional_check_failed())
    }
}

fn arg_count_ok(op: Op, n: usize) -> bool {
    match op {
        Op::Null | Op::NotNull => n == 0,
        Op::Between => n == 2,
        Op::In => n >= 1,
        _ => n == 1,
    }
}

fn type_ok(op: Op, ty: ValueType, scan: bool) -> bool {
    use ValueType as T;
    match op {
        Op::Eq | Op::Ne => !ty.is_set() || scan,
        Op::BeginsWith => matches!(ty, T::S | T::B),
        Op::Null | Op::NotNull => true,
        _ => !ty.is_set(),
    }
}

/// Validates a condition's operands (count, types, BETWEEN order).
pub(crate) fn validate_condition(cond: &Cond, scan: bool) -> Result<(), ApiError> {
    let op = cond.op;
    if !arg_count_ok(op, cond.values.len()) {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid number of argument(s) for the {} ComparisonOperator",
            op.as_str()
        )));
    }
    for v in &cond.values {
        if !type_ok(op, v.value_type(), scan) {
            return Err(ApiError::invalid_parameter(format!(
                "ComparisonOperator {} is not valid for {} AttributeValue type",
                op.as_str(),
                v.value_type()
            )));
        }
    }
    if let Some(first) = cond.values.first()
        && cond
            .values
            .iter()
            .any(|v| v.value_type() != first.value_type())
    {
        return Err(ApiError::invalid_parameter(
            "AttributeValues inside AttributeValueList must be of same type",
        ));
    }
    if let (Op::Between, [low, high]) = (op, cond.values.as_slice())
        && scalar_cmp(low, high) == Some(Ordering::Greater)
    {
        return Err(ApiError::validation(
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
        ));
    }
    Ok(())
}

fn contains(target: &AttributeValue, v: &AttributeValue) -> Option<bool> {
    use AttributeValue as V;
    Some(match (target, v) {
        (V::S(t), V::S(s)) => t.contains(s.as_str()),
        (V::B(t), V::B(b)) => {
            let (t, b) = (t.as_bytes(), b.as_bytes());
            b.is_empty() || t.windows(b.len()).any(|w| w == b)
        }
        (V::SS(t), V::S(s)) => t.contains(s),
        (V::NS(t), V::N(n)) => t.contains(n),
        (V::BS(t), V::B(b)) => t.contains(b),
        _ => return None,
    })
}

fn begins_with(target: &AttributeValue, v: &AttributeValue) -> bool {
    use AttributeValue as V;
    match (target, v) {
        (V::S(t), V::S(p)) => t.as_bytes().starts_with(p.as_bytes()),
        (V::B(t), V::B(p)) => t.as_bytes().starts_with(p.as_bytes()),
        _ => false,
    }
}

/// Evaluates a validated condition against an attribute (`None` = absent).
pub(crate) fn matches(cond: &Cond, attr: Option<&AttributeValue>) -> bool {
    let first = cond.values.first();
    let ord = |want: fn(Ordering) -> bool| match (attr, first) {
        (Some(a), Some(v)) => scalar_cmp(a, v).is_some_and(want),
        _ => false,
    };
    match cond.op {
        Op::Null => attr.is_none(),
        Op::NotNull => attr.is_some(),
        Op::Eq => matches!((attr, first), (Some(a), Some(v)) if equal(a, v)),
        Op::Ne => match (attr, first) {
            (Some(a), Some(v)) => !equal(a, v),
            _ => true,
        },
        Op::Lt => ord(|o| o == Ordering::Less),
        Op::Le => ord(|o| o != Ordering::Greater),
        Op::Gt => ord(|o| o == Ordering::Greater),
        Op::Ge => ord(|o| o != Ordering::Less),
        Op::Between => match (attr, cond.values.as_slice()) {
            (Some(a), [low, high]) => {
                scalar_cmp(a, low).is_some_and(|o| o != Ordering::Less)
                    && scalar_cmp(a, high).is_some_and(|o| o != Ordering::Greater)
            }
            _ => false,
        },
        Op::BeginsWith => matches!((attr, first), (Some(a), Some(v)) if begins_with(a, v)),
        Op::Contains => match (attr, first) {
            (Some(a), Some(v)) => contains(a, v) == Some(true),
            _ => false,
        },
        // "absence of a substring or absence of a value in a set" (API
        // reference): an attribute of another type holds neither, so it matches.
        Op::NotContains => match (attr, first) {
            (Some(a), Some(v)) => contains(a, v) != Some(true),
            _ => true,
        },
        Op::In => attr.is_some_and(|a| {
            cond.values
                .iter()
                .any(|v| !v.value_type().is_set() && a == v)
        }),
    }
}
