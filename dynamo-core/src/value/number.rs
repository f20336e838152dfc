//! [`Number`]: a DynamoDB `N` value kept losslessly as a canonical decimal string.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Largest number of significant digits DynamoDB stores.
pub const MAX_SIGNIFICANT_DIGITS: usize = 38;
/// Smallest decimal exponent of a non-zero number's leading digit (`1E-130`).
pub const MIN_EXPONENT: i64 = -130;
/// Largest decimal exponent of a number's leading digit (`9.99…E+125`).
pub const MAX_EXPONENT: i64 = 125;

/// A DynamoDB number: up to 38 significant digits, magnitude `1E-130` to below
/// `1E+126`, or zero.
///
/// The value is stored as its canonical plain decimal string (no exponent, no
/// leading zeros, no trailing fractional zeros, `"0"` for zero), which is also
/// what the service sends back. Parsing accepts exponent input (`"1E+2"`,
/// `"1.5e-3"`), equality and ordering are numeric, and conversions to Rust
/// numbers are checked: out of range or inexact is an error, never rounding.
///
/// # Example
/// ```
/// use dynamo_core::Number;
/// let n: Number = "1.50E+2".parse()?;
/// assert_eq!(n.as_str(), "150");
/// assert_eq!(i64::try_from(&n)?, 150);
/// assert!(n > Number::from(149u8));
/// assert!("1.0".parse::<Number>()? == "1".parse::<Number>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    canonical: Box<str>,
}

/// Why a string or a Rust value is not a valid DynamoDB number, or why a
/// number does not fit a Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberError {
    /// Not a decimal number (`NaN`, hex, empty, stray characters).
    Syntax(String),
    /// More than 38 significant digits.
    TooManyDigits,
    /// Magnitude of `1E+126` or more.
    Overflow,
    /// Non-zero magnitude below `1E-130`.
    Underflow,
    /// The number does not fit the target type, or only with rounding.
    OutOfRange {
        /// The number, in canonical form.
        value: String,
        /// The Rust type asked for.
        target: &'static str,
    },
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumberError::Syntax(s) => write!(
                f,
                "The parameter cannot be converted to a numeric value: {s}"
            ),
            NumberError::TooManyDigits => {
                f.write_str("Attempting to store more than 38 significant digits in a Number")
            }
            NumberError::Overflow => f.write_str(
                "Number overflow. Attempting to store a number with magnitude larger than supported range",
            ),
            NumberError::Underflow => f.write_str(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range",
            ),
            NumberError::OutOfRange { value, target } => {
                write!(f, "number {value} cannot be represented exactly as {target}")
            }
        }
    }
}

impl std::error::Error for NumberError {}

impl Number {
    /// Parses a decimal string, with optional sign, fraction and exponent.
    ///
    /// # Errors
    /// [`NumberError`] when the text is not a number or breaks the 38-digit or
    /// range limits.
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        // Numbers from the service (and from Rust integers) are already
        // canonical: check and copy them in one pass.
        if let Some(checked) = check_canonical(text) {
            return checked.map(|()| Number {
                canonical: text.into(),
            });
        }
        let parts = Parts::parse(text)?;
        Ok(Number {
            canonical: parts.render().into_boxed_str(),
        })
    }

    /// The canonical plain decimal form, as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        &*self.canonical == "0"
    }

    /// True for numbers below zero.
    pub fn is_negative(&self) -> bool {
        self.canonical.starts_with('-')
    }

    /// Number of significant digits (1 for zero).
    pub fn significant_digits(&self) -> usize {
        let digits = self.canonical.trim_start_matches('-').replace('.', "");
        let trimmed = digits.trim_start_matches('0').trim_end_matches('0');
        trimmed.len().max(1)
    }

    /// Exact sum of two numbers.
    ///
    /// # Errors
    /// [`NumberError`] when the result breaks the 38-digit or range limits.
    pub fn checked_add(&self, other: &Number) -> Result<Number, NumberError> {
        let a = Parts::parse(&self.canonical)?;
        let b = Parts::parse(&other.canonical)?;
        let sum = Parts::add(&a, &b);
        sum.check()?;
        Ok(Number {
            canonical: sum.render().into_boxed_str(),
        })
    }

    /// The canonical string, consuming the number.
    pub fn into_string(self) -> String {
        self.canonical.into_string()
    }

    pub(crate) fn from_canonical_unchecked(canonical: String) -> Number {
        Number {
            canonical: canonical.into_boxed_str(),
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", self.canonical)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

impl FromStr for Number {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Number, NumberError> {
        Number::parse(s)
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        compare_canonical(&self.canonical, &other.canonical)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `None` when `text` is not in canonical plain form (then the general parser
/// decides); otherwise whether it is within the digit and range limits.
fn check_canonical(text: &str) -> Option<Result<(), NumberError>> {
    let (negative, magnitude) = split_sign(text);
    let (int, frac) = magnitude.split_once('.').unwrap_or((magnitude, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let canonical = !int.is_empty()
        && digits_only(int)
        && digits_only(frac)
        && (int == "0" || !int.starts_with('0'))
        && (magnitude.len() == int.len() || !frac.is_empty())
        && !frac.ends_with('0')
        && !(negative && magnitude == "0");
    if !canonical {
        return None;
    }
    let (significant, leading_exponent) = if int == "0" {
        let zeros = frac.bytes().take_while(|&b| b == b'0').count();
        (frac.len() - zeros, -(zeros as i64) - 1)
    } else if frac.is_empty() {
        let trailing = int.bytes().rev().take_while(|&b| b == b'0').count();
        (int.len() - trailing, int.len() as i64 - 1)
    } else {
        (int.len() + frac.len(), int.len() as i64 - 1)
    };
    Some(if magnitude == "0" {
        Ok(())
    } else if significant > MAX_SIGNIFICANT_DIGITS {
        Err(NumberError::TooManyDigits)
    } else if leading_exponent > MAX_EXPONENT {
        Err(NumberError::Overflow)
    } else if leading_exponent < MIN_EXPONENT {
        Err(NumberError::Underflow)
    } else {
        Ok(())
    })
}

/// Compares two canonical plain decimal strings numerically.
fn compare_canonical(a: &str, b: &str) -> Ordering {
    let (a_neg, a_abs) = split_sign(a);
    let (b_neg, b_abs) = split_sign(b);
    match (a_neg, b_neg) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => compare_magnitude(a_abs, b_abs),
        (true, true) => compare_magnitude(b_abs, a_abs),
    }
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    }
}

fn compare_magnitude(a: &str, b: &str) -> Ordering {
    let (a_int, a_frac) = a.split_once('.').unwrap_or((a, ""));
    let (b_int, b_frac) = b.split_once('.').unwrap_or((b, ""));
    a_int
        .len()
        .cmp(&b_int.len())
        .then_with(|| a_int.cmp(b_int))
        .then_with(|| a_frac.cmp(b_frac))
}

/// A decoded number: `digits` (no leading or trailing zeros, empty for zero)
/// times ten to the power `scale_exp`, i.e. value = 0.d1d2d3… × 10^(point).
#[derive(Debug, Clone)]
struct Parts {
    negative: bool,
    /// Significant digits as ASCII bytes, no leading/trailing zeros.
    digits: Vec<u8>,
    /// Position of the decimal point relative to the first digit: value is
    /// `0.digits × 10^point`. Leading digit exponent is `point - 1`.
    point: i64,
}

impl Parts {
    fn parse(text: &str) -> Result<Parts, NumberError> {
        let syntax = || NumberError::Syntax(text.to_owned());
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut negative = false;
        if let Some(&sign @ (b'+' | b'-')) = bytes.first() {
            negative = sign == b'-';
            i = 1;
        }
        let mut all_digits = Vec::with_capacity(bytes.len());
        let mut int_len: i64 = 0;
        let mut seen_digit = false;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            all_digits.push(bytes[i]);
            int_len += 1;
            seen_digit = true;
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                all_digits.push(bytes[i]);
                seen_digit = true;
                i += 1;
            }
        }
        if !seen_digit {
            return Err(syntax());
        }
        let mut exponent: i64 = 0;
        if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            i += 1;
            let mut exp_negative = false;
            if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                exp_negative = bytes[i] == b'-';
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                // Saturate: anything this large is out of range anyway.
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i64::from(bytes[i] - b'0'))
                    .min(1_000_000_000);
                i += 1;
            }
            if i == start {
                return Err(syntax());
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        if i != bytes.len() {
            return Err(syntax());
        }
        let leading = all_digits.iter().take_while(|&&d| d == b'0').count();
        let trailing = all_digits.iter().rev().take_while(|&&d| d == b'0').count();
        if leading == all_digits.len() {
            return Ok(Parts {
                negative: false,
                digits: Vec::new(),
                point: 0,
            });
        }
        let digits = all_digits[leading..all_digits.len() - trailing].to_vec();
        let point = int_len - leading as i64 + exponent;
        let parts = Parts {
            negative,
            digits,
            point,
        };
        parts.check()?;
        Ok(parts)
    }

    fn check(&self) -> Result<(), NumberError> {
        if self.digits.is_empty() {
            return Ok(());
        }
        if self.digits.len() > MAX_SIGNIFICANT_DIGITS {
            return Err(NumberError::TooManyDigits);
        }
        let leading_exponent = self.point - 1;
        if leading_exponent > MAX_EXPONENT {
            return Err(NumberError::Overflow);
        }
        if leading_exponent < MIN_EXPONENT {
            return Err(NumberError::Underflow);
        }
        Ok(())
    }

    fn render(&self) -> String {
        if self.digits.is_empty() {
            return "0".to_owned();
        }
        let mut out = String::with_capacity(self.digits.len() + 4);
        if self.negative {
            out.push('-');
        }
        let n = self.digits.len() as i64;
        let digits = std::str::from_utf8(&self.digits).unwrap_or_default();
        if self.point <= 0 {
            out.push_str("0.");
            for _ in 0..-self.point {
                out.push('0');
            }
            out.push_str(digits);
        } else if self.point >= n {
            out.push_str(digits);
            for _ in 0..self.point - n {
                out.push('0');
            }
        } else {
            let split = self.point as usize;
            out.push_str(&digits[..split]);
            out.push('.');
            out.push_str(&digits[split..]);
        }
        out
    }

    /// Digit at decimal position `p` (10^p place).
    fn digit_at(&self, p: i64) -> i32 {
        // digits[k] has place value 10^(point - 1 - k)
        let k = self.point - 1 - p;
        if k < 0 || k >= self.digits.len() as i64 {
            0
        } else {
            i32::from(self.digits[k as usize] - b'0')
        }
    }

    fn lowest_place(&self) -> i64 {
        self.point - self.digits.len() as i64
    }

    fn add(a: &Parts, b: &Parts) -> Parts {
        if a.digits.is_empty() {
            return b.clone();
        }
        if b.digits.is_empty() {
            return a.clone();
        }
        let low = a.lowest_place().min(b.lowest_place());
        let high = a.point.max(b.point) + 1;
        let (big, small, negative, subtract) = if a.negative == b.negative {
            (a, b, a.negative, false)
        } else {
            match cmp_abs(a, b) {
                Ordering::Equal => {
                    return Parts {
                        negative: false,
                        digits: Vec::new(),
                        point: 0,
                    };
                }
                Ordering::Greater => (a, b, a.negative, true),
                Ordering::Less => (b, a, b.negative, true),
            }
        };
        // Little-endian digits from `low` to `high`.
        let mut out = Vec::with_capacity((high - low + 1) as usize);
        let mut carry = 0;
        for p in low..=high {
            let x = big.digit_at(p);
            let y = small.digit_at(p);
            let mut d = if subtract {
                x - y + carry
            } else {
                x + y + carry
            };
            if d < 0 {
                d += 10;
                carry = -1;
            } else if d >= 10 {
                d -= 10;
                carry = 1;
            } else {
                carry = 0;
            }
            out.push(b'0' + d as u8);
        }
        out.reverse(); // big-endian, most significant at index 0 = place `high`
        let leading = out.iter().take_while(|&&d| d == b'0').count();
        let trailing = out.iter().rev().take_while(|&&d| d == b'0').count();
        let digits = out[leading..out.len() - trailing].to_vec();
        Parts {
            negative,
            point: high + 1 - leading as i64,
            digits,
        }
    }
}

fn cmp_abs(a: &Parts, b: &Parts) -> Ordering {
    a.point.cmp(&b.point).then_with(|| a.digits.cmp(&b.digits))
}

macro_rules! integer_conversions {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Number {
                Number::from_canonical_unchecked(v.to_string())
            }
        }

        impl TryFrom<&Number> for $t {
            type Error = NumberError;
            fn try_from(n: &Number) -> Result<$t, NumberError> {
                n.as_str().parse::<$t>().map_err(|_| NumberError::OutOfRange {
                    value: n.as_str().to_owned(),
                    target: stringify!($t),
                })
            }
        }

        impl TryFrom<Number> for $t {
            type Error = NumberError;
            fn try_from(n: Number) -> Result<$t, NumberError> {
                <$t>::try_from(&n)
            }
        }
    )*};
}

integer_conversions!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! wide_integer_conversions {
    ($($t:ty),*) => {$(
        /// 128-bit integers may exceed 38 digits, so this conversion is checked.
        impl TryFrom<$t> for Number {
            type Error = NumberError;
            fn try_from(v: $t) -> Result<Number, NumberError> {
                Number::parse(&v.to_string())
            }
        }

        impl TryFrom<&Number> for $t {
            type Error = NumberError;
            fn try_from(n: &Number) -> Result<$t, NumberError> {
                n.as_str().parse::<$t>().map_err(|_| NumberError::OutOfRange {
                    value: n.as_str().to_owned(),
                    target: stringify!($t),
                })
            }
        }

        impl TryFrom<Number> for $t {
            type Error = NumberError;
            fn try_from(n: Number) -> Result<$t, NumberError> {
                <$t>::try_from(&n)
            }
        }
    )*};
}

wide_integer_conversions!(i128, u128);

macro_rules! float_conversions {
    ($($t:ty),*) => {$(
        /// Uses the shortest decimal that reads back as the same float;
        /// NaN, infinities and magnitudes outside the range are errors.
        impl TryFrom<$t> for Number {
            type Error = NumberError;
            fn try_from(v: $t) -> Result<Number, NumberError> {
                if !v.is_finite() {
                    return Err(NumberError::Syntax(v.to_string()));
                }
                parse_display(v)
            }
        }

        /// Exact when the float's shortest decimal form equals the number;
        /// a number that the float would round is an error.
        impl TryFrom<&Number> for $t {
            type Error = NumberError;
            fn try_from(n: &Number) -> Result<$t, NumberError> {
                let out_of_range = || NumberError::OutOfRange {
                    value: n.as_str().to_owned(),
                    target: stringify!($t),
                };
                let f: $t = n.as_str().parse().map_err(|_| out_of_range())?;
                if !f.is_finite() {
                    return Err(out_of_range());
                }
                match Number::try_from(f) {
                    Ok(back) if back == *n => Ok(f),
                    _ => Err(out_of_range()),
                }
            }
        }

        impl TryFrom<Number> for $t {
            type Error = NumberError;
            fn try_from(n: Number) -> Result<$t, NumberError> {
                <$t>::try_from(&n)
            }
        }
    )*};
}

float_conversions!(f32, f64);

/// `v`'s `Display` form read as a number, the text written on the stack
/// when it fits (any float but the largest and smallest magnitudes): both
/// directions of a float conversion go through this, for every float
/// attribute read or written, and the `String` of `to_string` was most of
/// their allocations.
fn parse_display(v: impl fmt::Display) -> Result<Number, NumberError> {
    let mut text = StackText {
        bytes: [0; 64],
        len: 0,
    };
    if fmt::Write::write_fmt(&mut text, format_args!("{v}")).is_ok()
        && let Ok(text) = std::str::from_utf8(&text.bytes[..text.len])
    {
        return Number::parse(text);
    }
    Number::parse(&v.to_string())
}

/// A `fmt::Write` into a fixed buffer; a write that does not fit fails.
struct StackText {
    bytes: [u8; 64],
    len: usize,
}

impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes the canonical form straight from the mantissa and scale: a
/// Decimal has at most 29 digits and at most 28 after the point, always in
/// range.
impl From<rust_decimal::Decimal> for Number {
    fn from(d: rust_decimal::Decimal) -> Number {
        let mantissa = d.mantissa();
        let mut digits = mantissa.unsigned_abs().to_string();
        let mut scale = d.scale() as usize;
        while scale > 0 && digits.ends_with('0') {
            digits.pop();
            scale -= 1;
        }
        if digits == "0" {
            return Number::from(0u8);
        }
        let mut out = String::with_capacity(digits.len() + scale + 3);
        if mantissa < 0 {
            out.push('-');
        }
        if scale == 0 {
            out.push_str(&digits);
        } else if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(&digits);
        }
        Number::from_canonical_unchecked(out)
    }
}

impl TryFrom<&Number> for rust_decimal::Decimal {
    type Error = NumberError;
    fn try_from(n: &Number) -> Result<rust_decimal::Decimal, NumberError> {
        rust_decimal::Decimal::from_str_exact(n.as_str()).map_err(|_| NumberError::OutOfRange {
            value: n.as_str().to_owned(),
            target: "Decimal",
        })
    }
}

impl TryFrom<Number> for rust_decimal::Decimal {
    type Error = NumberError;
    fn try_from(n: Number) -> Result<rust_decimal::Decimal, NumberError> {
        rust_decimal::Decimal::try_from(&n)
    }
}

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical)
    }
}

impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        /// Parses the string where it lies: no copy before the canonical form.
        struct NumberVisitor;

        impl serde::de::Visitor<'_> for NumberVisitor {
            type Value = Number;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Number, E> {
                Number::parse(text).map_err(E::custom)
            }
        }

        d.deserialize_str(NumberVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).expect(s)
    }

    #[test]
    fn canonical_forms() {
        for (input, canonical) in [
            ("1.10", "1.1"),
            ("1E+2", "100"),
            ("1e+20", "100000000000000000000"),
            ("129271300103398600", "129271300103398600"),
            ("-0.0", "0"),
            ("+5", "5"),
            (".5", "0.5"),
            ("5.", "5"),
            ("000123.4500", "123.45"),
            ("-1.5e-3", "-0.0015"),
        ] {
            assert_eq!(n(input).as_str(), canonical, "{input}");
        }
        assert_eq!(n("1E-130").as_str(), format!("0.{}1", "0".repeat(129)));
    }

    #[test]
    fn canonical_fast_path_agrees_with_the_general_parser() {
        for text in [
            "0",
            "5",
            "-5",
            "100",
            "0.5",
            "-0.05",
            "1.25",
            "120.5",
            "99999999999999999999999999999999999999",
            "999999999999999999999999999999999999990",
            "1000000000000000000000000000000000000000",
        ] {
            let general = Parts::parse(text).and_then(|p| p.check().map(|()| p.render()));
            let fast = Number::parse(text).map(Number::into_string);
            assert_eq!(fast, general, "{text}");
            assert!(check_canonical(text).is_some(), "{text} is canonical");
        }
        for text in [
            "-0", "00", "01", "1.", "1.50", ".5", "1e5", "+1", "", "-", "0.", "1.2.3",
        ] {
            assert!(check_canonical(text).is_none(), "{text} is not canonical");
        }
        assert_eq!(
            Number::parse(&"9".repeat(39)),
            Err(NumberError::TooManyDigits)
        );
        assert_eq!(
            Number::parse(&format!("1{}", "0".repeat(126))),
            Err(NumberError::Overflow)
        );
        assert_eq!(
            Number::parse(&format!("0.{}1", "0".repeat(130))),
            Err(NumberError::Underflow)
        );
        assert!(Number::parse(&format!("0.{}1", "0".repeat(129))).is_ok());
    }

    #[test]
    fn rejects_bad_syntax_and_limits() {
        for bad in [
            "", "-", "abc", "NaN", "Infinity", "0x10", "1e", "1.2.3", " 1", "1 ", "e5", ".",
        ] {
            assert!(
                matches!(Number::parse(bad), Err(NumberError::Syntax(_))),
                "{bad}"
            );
        }
        assert_eq!(
            Number::parse("123456789012345678901234567890123456789"),
            Err(NumberError::TooManyDigits)
        );
        assert!(Number::parse("12345678901234567890123456789012345678").is_ok());
        assert_eq!(Number::parse("1E+126"), Err(NumberError::Overflow));
        assert!(Number::parse("9.9999999999999999999999999999999999999E+125").is_ok());
        assert_eq!(Number::parse("1E-131"), Err(NumberError::Underflow));
        assert_eq!(
            Number::parse("1e999999999999999999999"),
            Err(NumberError::Overflow)
        );
        assert_eq!(
            Number::parse("0e999999999999999999999").map(|n| n.into_string()),
            Ok("0".into())
        );
    }

    #[test]
    fn numeric_ordering() {
        assert!(n("1.0") == n("1"));
        assert!(n("-2") < n("-1.5"));
        assert!(n("0.05") < n("0.5"));
        assert!(n("10") > n("9.99"));
        assert!(n("-0.001") < n("0"));
    }

    #[test]
    fn exact_addition() {
        assert_eq!(
            n("1.5").checked_add(&n("-0.5")).map(Number::into_string),
            Ok("1".into())
        );
        assert_eq!(
            n("-3").checked_add(&n("1.25")).map(Number::into_string),
            Ok("-1.75".into())
        );
        assert_eq!(
            n("99").checked_add(&n("1")).map(Number::into_string),
            Ok("100".into())
        );
        assert_eq!(
            n("5").checked_add(&n("-5")).map(Number::into_string),
            Ok("0".into())
        );
        assert_eq!(
            n("1E+125").checked_add(&n("9E+125")),
            Err(NumberError::Overflow)
        );
        assert_eq!(
            n("1E+30").checked_add(&n("1E-30")),
            Err(NumberError::TooManyDigits)
        );
    }

    #[test]
    fn conversions_are_checked() {
        assert_eq!(u8::try_from(&n("255")), Ok(255));
        assert!(u8::try_from(&n("256")).is_err());
        assert!(i64::try_from(&n("1.5")).is_err());
        assert_eq!(f64::try_from(&n("0.1")), Ok(0.1));
        assert!(f64::try_from(&n("0.12345678901234567890123")).is_err());
        assert!(Number::try_from(f64::NAN).is_err());
        assert!(Number::try_from(1e300f64).is_err());
        assert_eq!(
            Number::try_from(1e20f64).map(Number::into_string),
            Ok("100000000000000000000".into())
        );
        assert!(Number::try_from(u128::MAX).is_err());
    }
}
