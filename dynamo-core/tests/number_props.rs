//! Property tests of the lossless `Number`: parse/format round trips, numeric
//! ordering, the 38-digit and range limits, and checked conversions at their
//! edges.

use dynamo_core::{Number, NumberError};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// 10^38: integers below it in magnitude have at most 38 digits.
const I38: i128 = 100_000_000_000_000_000_000_000_000_000_000_000_000;

/// A decimal string in scientific form: sign, up to 38 significant digits,
/// and a leading-digit exponent inside the supported range.
fn scientific() -> impl Strategy<Value = (bool, String, i64)> {
    (any::<bool>(), "[1-9][0-9]{0,36}[1-9]|[1-9]", -130i64..=125)
}

fn render_scientific(negative: bool, digits: &str, exponent: i64) -> String {
    let sign = if negative { "-" } else { "" };
    let (first, rest) = digits.split_at(1);
    format!("{sign}{first}.{rest}E{exponent:+}")
}

proptest! {
    #[test]
    fn canonical_form_is_a_fixed_point((neg, digits, exp) in scientific()) {
        let text = render_scientific(neg, &digits, exp);
        let n = Number::parse(&text).expect("in range");
        let again = Number::parse(n.as_str()).expect("canonical parses");
        prop_assert_eq!(n.as_str(), again.as_str());
        prop_assert!(!n.as_str().contains(['e', 'E']));
        prop_assert_eq!(n.significant_digits(), digits.len());
        prop_assert_eq!(n.is_negative(), neg);
    }

    #[test]
    fn spelling_does_not_change_the_value(m in any::<i64>(), shift in 0u32..20, pad in 0usize..5) {
        // m × 10^-shift written plainly, with trailing zeros, and in exponent form.
        let d = Decimal::new(m, shift);
        let plain = d.to_string();
        let padded = if plain.contains('.') { format!("{plain}{}", "0".repeat(pad)) } else { plain.clone() };
        let exponent_form = format!("{m}E-{shift}");
        let a = Number::parse(&plain).expect("plain");
        let b = Number::parse(&padded).expect("padded");
        let c = Number::parse(&exponent_form).expect("exponent");
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
        prop_assert_eq!(a.as_str(), c.as_str());
    }

    #[test]
    fn ordering_matches_decimal(a in any::<i64>(), sa in 0u32..28, b in any::<i64>(), sb in 0u32..28) {
        let (da, db) = (Decimal::new(a, sa), Decimal::new(b, sb));
        let (na, nb) = (Number::from(da), Number::from(db));
        prop_assert_eq!(na.cmp(&nb), da.cmp(&db));
        prop_assert_eq!(na == nb, da == db);
    }

    #[test]
    fn ordering_matches_integers(a in -I38..I38, b in -I38..I38) {
        let (na, nb) = (Number::try_from(a).expect("fits"), Number::try_from(b).expect("fits"));
        prop_assert_eq!(na.cmp(&nb), a.cmp(&b));
        prop_assert_eq!(i128::try_from(&na).expect("back"), a);
    }

    #[test]
    fn addition_is_exact(a in any::<i64>(), sa in 0u32..10, b in any::<i64>(), sb in 0u32..10) {
        let (da, db) = (Decimal::new(a, sa), Decimal::new(b, sb));
        let sum = Number::from(da).checked_add(&Number::from(db)).expect("in range");
        prop_assert_eq!(sum, Number::from(da + db));
    }

    #[test]
    fn more_than_38_digits_is_rejected(digits in "[1-9][0-9]{37}[1-9]", exp in -100i64..100) {
        let text = render_scientific(false, &digits, exp);
        prop_assert_eq!(Number::parse(&text), Err(NumberError::TooManyDigits));
    }

    #[test]
    fn decimal_round_trips(m in any::<i64>(), scale in 0u32..=28) {
        let d = Decimal::new(m, scale);
        let n = Number::from(d);
        prop_assert_eq!(Decimal::try_from(&n).expect("fits"), d);
        // The direct conversion writes exactly what parsing Decimal's text gives.
        let parsed = Number::parse(&d.to_string()).expect("decimal text");
        prop_assert_eq!(n.as_str(), parsed.as_str());
    }

    #[test]
    fn floats_round_trip(f in proptest::num::f64::NORMAL) {
        if let Ok(n) = Number::try_from(f) {
            prop_assert_eq!(f64::try_from(&n).expect("exact"), f);
        }
    }
}

#[test]
fn range_edges() {
    assert!(Number::parse("9.9999999999999999999999999999999999999E+125").is_ok());
    assert_eq!(Number::parse("1E+126"), Err(NumberError::Overflow));
    assert_eq!(Number::parse("-1E+126"), Err(NumberError::Overflow));
    assert!(Number::parse("1E-130").is_ok());
    assert!(Number::parse("-1E-130").is_ok());
    assert_eq!(Number::parse("9E-131"), Err(NumberError::Underflow));
    assert_eq!(
        Number::parse("0E-999").map(Number::into_string),
        Ok("0".to_owned())
    );
}

macro_rules! integer_edges {
    ($($t:ty),*) => {$(
        {
            let max = Number::try_from(<$t>::MAX as i128).expect("max");
            let min = Number::try_from(<$t>::MIN as i128).expect("min");
            assert_eq!(<$t>::try_from(&max), Ok(<$t>::MAX), "{} max", stringify!($t));
            assert_eq!(<$t>::try_from(&min), Ok(<$t>::MIN), "{} min", stringify!($t));
            let one = Number::from(1u8);
            let above = max.checked_add(&one).expect("in range");
            let below = min.checked_add(&Number::from(-1i8)).expect("in range");
            assert!(<$t>::try_from(&above).is_err(), "{} above max", stringify!($t));
            assert!(<$t>::try_from(&below).is_err(), "{} below min", stringify!($t));
            assert!(<$t>::try_from(&Number::parse("0.5").expect("half")).is_err());
        }
    )*};
}

#[test]
fn integer_conversions_at_their_edges() {
    integer_edges!(i8, i16, i32, i64, u8, u16, u32, u64);
    // 128-bit: MAX has 39 digits, so it is out of a Number's range of digits.
    assert_eq!(Number::try_from(u128::MAX), Err(NumberError::TooManyDigits));
    assert_eq!(Number::try_from(i128::MIN), Err(NumberError::TooManyDigits));
    let big = Number::parse("99999999999999999999999999999999999999").expect("38 nines");
    assert_eq!(
        u128::try_from(&big),
        Ok(99_999_999_999_999_999_999_999_999_999_999_999_999)
    );
    assert_eq!(
        u128::try_from(&Number::parse("1E+38").expect("1e38")),
        Ok(10u128.pow(38))
    );
    assert!(u128::try_from(&Number::parse("1E+39").expect("1e39")).is_err());
    assert!(u64::try_from(&Number::parse("-1").expect("-1")).is_err());
}

#[test]
fn decimal_conversions_at_their_edges() {
    assert_eq!(
        Decimal::try_from(&Number::from(Decimal::MAX)),
        Ok(Decimal::MAX)
    );
    assert_eq!(
        Decimal::try_from(&Number::from(Decimal::MIN)),
        Ok(Decimal::MIN)
    );
    let too_big = Number::parse("1E+29").expect("1e29");
    assert!(Decimal::try_from(&too_big).is_err());
    let too_precise = Number::parse("1E-29").expect("1e-29");
    assert!(Decimal::try_from(&too_precise).is_err());
    let tiny = Decimal::new(1, 28);
    assert_eq!(
        Number::from(tiny).as_str(),
        "0.0000000000000000000000000001"
    );
}

#[test]
fn float_conversions_refuse_rounding() {
    assert!(Number::try_from(f64::INFINITY).is_err());
    assert!(Number::try_from(f32::NAN).is_err());
    assert!(f64::try_from(&Number::parse("12345678901234567890.5").expect("n")).is_err());
    assert_eq!(f32::try_from(&Number::parse("0.5").expect("n")), Ok(0.5));
    assert!(f32::try_from(&Number::parse("1E+100").expect("n")).is_err());
}
