//! Request decoding: raw JSON to typed requests, the way the service's
//! Coral layer does it.
//!
//! Three kinds of failure, reported in this order:
//! 1. wrong JSON (not an object, a member of the wrong JSON type, bad base64)
//!    → `SerializationException`, immediately;
//! 2. schema-constraint violations (missing required member, length, pattern,
//!    enum, range) → collected, then one `ValidationException` listing all
//!    ("N validation errors detected: ...");
//! 3. value-level semantic problems (empty values, bad numbers, duplicate set
//!    members, contradictory `Expected`) → the first one, as a `ValidationException`.

use super::json::{Map, Value};

use dynamo_core::value::{AttributeValue, Binary, Item, Number, NumberError};
use dynamo_core::wire::ComparisonOperator;

use super::error::ApiError;

/// A JSON object.
pub(crate) type Obj = Map;

const EMPTY_VALUE: &str =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
const MULTIPLE_TYPES: &str = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
const TABLE_NAME_PATTERN: &str = "[a-zA-Z0-9_.-]+";

/// A key as sent: positional hash and optional range value.
#[derive(Debug, Clone)]
pub(crate) struct RawKey {
    pub(crate) hash: AttributeValue,
    pub(crate) range: Option<AttributeValue>,
}

/// One `Expected` entry after validation.
#[derive(Debug, Clone)]
pub(crate) enum Expect {
    /// The attribute exists and equals the value.
    Equals(AttributeValue),
    /// The attribute does not exist.
    Absent,
}

/// A Query or Scan condition.
#[derive(Debug, Clone)]
pub(crate) struct Cond {
    pub(crate) op: ComparisonOperator,
    pub(crate) values: Vec<AttributeValue>,
}

/// Parses the body into its top-level JSON object.
pub(crate) fn root(body: &[u8]) -> Result<Obj, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Array(_)) => Err(ApiError::serialization_message(
            "Start of list found where not expected",
        )),
        Ok(_) | Err(_) => Err(ApiError::serialization()),
    }
}

/// Smallest magnitude of a non-zero number, as a power of ten: the service
/// model's "between 10^-128 to 10^+126" (the value model allows 10^-130).
const MIN_EXPONENT: usize = 128;

/// An `N` value as the 2011-12-05 service takes it: the value model's
/// rules, plus no leading `+` and no magnitude below 10^-128.
fn parse_number(text: &str) -> Result<Number, NumberError> {
    if text.starts_with('+') {
        return Err(NumberError::Syntax(text.to_owned()));
    }
    let number = Number::parse(text)?;
    // Canonical form is plain decimal: a magnitude below 1 is "0.000…d…".
    let digits = number.as_str().trim_start_matches('-');
    if let Some(fraction) = digits.strip_prefix("0.") {
        let leading_zeros = fraction.len() - fraction.trim_start_matches('0').len();
        if leading_zeros >= MIN_EXPONENT {
            return Err(NumberError::Underflow);
        }
    }
    Ok(number)
}

/// A member, treating JSON `null` as absent.
pub(crate) fn get<'a>(obj: &'a Obj, name: &str) -> Option<&'a Value> {
    obj.get(name).filter(|v| !v.is_null())
}

fn mismatch(expected: &str) -> ApiError {
    ApiError::serialization_message(format!(
        "Unexpected value type in payload, expected {expected}"
    ))
}

/// An optional string member.
pub(crate) fn opt_str<'a>(obj: &'a Obj, name: &str) -> Result<Option<&'a str>, ApiError> {
    match get(obj, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(mismatch("a string")),
    }
}

/// An optional boolean member. The strings `"true"` and `"false"` are
/// coerced, as the service's JSON deserializer does; other strings are not.
pub(crate) fn opt_bool(obj: &Obj, name: &str) -> Result<Option<bool>, ApiError> {
    match get(obj, name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" => Ok(Some(true)),
        Some(Value::String(s)) if s == "false" => Ok(Some(false)),
        Some(_) => Err(mismatch("a boolean")),
    }
}

/// An optional integer member (`"Limit": "5"` is a serialization error).
pub(crate) fn opt_i64(obj: &Obj, name: &str) -> Result<Option<i64>, ApiError> {
    match get(obj, name) {
        None => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| mismatch("an integer")),
        Some(Value::String(_)) => Err(ApiError::serialization_message(
            "STRING_VALUE cannot be converted to Long",
        )),
        Some(_) => Err(mismatch("an integer")),
    }
}

/// An optional object member.
pub(crate) fn opt_obj<'a>(obj: &'a Obj, name: &str) -> Result<Option<&'a Obj>, ApiError> {
    match get(obj, name) {
        None => Ok(None),
        Some(v) => as_obj(v).map(Some),
    }
}

/// An optional array member.
pub(crate) fn opt_array<'a>(obj: &'a Obj, name: &str) -> Result<Option<&'a [Value]>, ApiError> {
    match get(obj, name) {
        None => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(_) => Err(ApiError::serialization_message(
            "Start of structure or map found where not expected",
        )),
    }
}

/// A value that must be a JSON object.
pub(crate) fn as_obj(v: &Value) -> Result<&Obj, ApiError> {
    match v {
        Value::Object(o) => Ok(o),
        Value::Array(_) => Err(ApiError::serialization_message(
            "Start of list found where not expected",
        )),
        _ => Err(mismatch("a structure")),
    }
}

/// Collects constraint violations and the first semantic error.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    violations: Vec<String>,
    semantic: Option<ApiError>,
}

impl Decoder {
    /// A decoder with nothing collected.
    pub(crate) fn new() -> Decoder {
        Decoder::default()
    }

    /// Records a Coral constraint violation; `shown` is the offending value (`None` = null).
    pub(crate) fn violation(&mut self, shown: Option<&str>, path: &str, constraint: &str) {
        let value = match shown {
            Some(s) => format!("Value '{s}'"),
            None => "Value null".to_owned(),
        };
        self.violations.push(format!(
            "{value} at '{path}' failed to satisfy constraint: {constraint}"
        ));
    }

    /// Records a "must not be null" violation.
    pub(crate) fn missing(&mut self, path: &str) {
        self.violation(None, path, "Member must not be null");
    }

    /// Records a semantic error unless one is already recorded.
    pub(crate) fn semantic(&mut self, error: ApiError) {
        if self.semantic.is_none() {
            self.semantic = Some(error);
        }
    }

    /// The collected errors: violations first, then the semantic error.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        let n = self.violations.len();
        if n > 0 {
            let plural = if n == 1 { "" } else { "s" };
            return Err(ApiError::validation(format!(
                "{n} validation error{plural} detected: {}",
                self.violations.join("; ")
            )));
        }
        match self.semantic {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Checks a table name member; returns it when present.
    pub(crate) fn table_name(
        &mut self,
        raw: Option<&str>,
        path: &str,
        required: bool,
    ) -> Option<String> {
        let Some(name) = raw else {
            if required {
                self.missing(path);
            }
            return None;
        };
        let len = name.chars().count();
        if len < 3 {
            self.violation(
                Some(name),
                path,
                "Member must have length greater than or equal to 3",
            );
        }
        if len > 255 {
            self.violation(
                Some(name),
                path,
                "Member must have length less than or equal to 255",
            );
        }
        let pattern_ok = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !pattern_ok {
            self.violation(
                Some(name),
                path,
                &format!("Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}"),
            );
        }
        Some(name.to_owned())
    }

    /// The `TableName` member of a request.
    pub(crate) fn request_table(&mut self, obj: &Obj) -> Result<String, ApiError> {
        let raw = opt_str(obj, "TableName")?;
        Ok(self.table_name(raw, "tableName", true).unwrap_or_default())
    }

    /// Checks an integer against a lower and optional upper bound.
    pub(crate) fn bounded(&mut self, value: i64, path: &str, min: i64, max: Option<i64>) {
        let shown = value.to_string();
        if value < min {
            self.violation(
                Some(&shown),
                path,
                &format!("Member must have value greater than or equal to {min}"),
            );
        }
        if let Some(max) = max.filter(|m| value > *m) {
            self.violation(
                Some(&shown),
                path,
                &format!("Member must have value less than or equal to {max}"),
            );
        }
    }

    /// Maps an enum member; records a violation for an unknown value.
    pub(crate) fn enumerated<T: Copy>(
        &mut self,
        raw: Option<&str>,
        path: &str,
        allowed: &[(&str, T)],
    ) -> Option<T> {
        let raw = raw?;
        if let Some((_, v)) = allowed.iter().find(|(name, _)| *name == raw) {
            return Some(*v);
        }
        let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
        self.violation(
            Some(raw),
            path,
            &format!("Member must satisfy enum value set: [{}]", names.join(", ")),
        );
        None
    }

    /// An optional `AttributesToGet`-style list of names (at least one).
    pub(crate) fn names(
        &mut self,
        obj: &Obj,
        member: &str,
        path: &str,
    ) -> Result<Option<Vec<String>>, ApiError> {
        let Some(list) = opt_array(obj, member)? else {
            return Ok(None);
        };
        let mut names = Vec::with_capacity(list.len());
        for v in list {
            match v {
                Value::String(s) => names.push(s.clone()),
                _ => return Err(mismatch("a string")),
            }
        }
        if names.is_empty() {
            self.violation(
                Some("[]"),
                path,
                "Member must have length greater than or equal to 1",
            );
        }
        let mut seen = std::collections::HashSet::with_capacity(names.len());
        if let Some(duplicate) = names.iter().find(|name| !seen.insert(name.as_str())) {
            self.semantic(ApiError::invalid_parameter(format!(
                "Duplicate value in attribute name: {duplicate}"
            )));
        }
        Ok(Some(names))
    }

    /// Decodes one AttributeValue; `None` when it is semantically invalid (recorded).
    pub(crate) fn attr(&mut self, v: &Value) -> Result<Option<AttributeValue>, ApiError> {
        let obj = as_obj(v)?;
        let mut found: Option<AttributeValue> = None;
        let mut count = 0usize;
        let mut number_error = None;
        for (key, member) in obj {
            if member.is_null() {
                continue;
            }
            let value = match key.as_str() {
                "S" => AttributeValue::S(string_of(member)?.to_owned()),
                "N" => match parse_number(string_of(member)?) {
                    Ok(n) => AttributeValue::N(n),
                    Err(e) => {
                        count += 1;
                        number_error.get_or_insert(e);
                        continue;
                    }
                },
                "B" => AttributeValue::B(binary_of(member)?),
                "SS" => AttributeValue::SS(
                    list_of(member)?
                        .iter()
                        .map(|m| string_of(m).map(str::to_owned))
                        .collect::<Result<_, _>>()?,
                ),
                "NS" => {
                    let mut out = Vec::new();
                    for m in list_of(member)? {
                        match parse_number(string_of(m)?) {
                            Ok(n) => out.push(n),
                            Err(e) => {
                                number_error.get_or_insert(e);
                            }
                        }
                    }
                    AttributeValue::NS(out)
                }
                "BS" => AttributeValue::BS(
                    list_of(member)?
                        .iter()
                        .map(binary_of)
                        .collect::<Result<_, _>>()?,
                ),
                _ => continue,
            };
            count += 1;
            found = Some(value);
        }
        if count > 1 {
            self.semantic(ApiError::validation(MULTIPLE_TYPES));
            return Ok(None);
        }
        if let Some(e) = number_error {
            self.semantic(ApiError::validation(e.to_string()));
            return Ok(None);
        }
        let Some(value) = found else {
            self.semantic(ApiError::validation(EMPTY_VALUE));
            return Ok(None);
        };
        if let Err(e) = value.validate() {
            self.semantic(ApiError::validation(e.to_string()));
            return Ok(None);
        }
        Ok(Some(value))
    }

    /// Decodes an item (attribute name → value); `None` when any part is invalid.
    pub(crate) fn item(&mut self, v: &Value) -> Result<Option<Item>, ApiError> {
        let obj = as_obj(v)?;
        let mut item = Item::with_capacity(obj.len());
        let mut ok = true;
        for (name, value) in obj {
            if value.is_null() {
                continue;
            }
            if name.is_empty() {
                self.semantic(empty_name());
                ok = false;
            }
            match self.attr(value)? {
                Some(av) => {
                    item.insert(name.clone(), av);
                }
                None => ok = false,
            }
        }
        Ok(ok.then_some(item))
    }

    /// Decodes a `{HashKeyElement, RangeKeyElement}` key.
    pub(crate) fn key(
        &mut self,
        v: Option<&Value>,
        path: &str,
        required: bool,
    ) -> Result<Option<RawKey>, ApiError> {
        let Some(v) = v else {
            if required {
                self.missing(path);
            }
            return Ok(None);
        };
        let obj = as_obj(v)?;
        let hash = match get(obj, "HashKeyElement") {
            Some(h) => self.attr(h)?,
            None => {
                self.missing(&format!("{path}.hashKeyElement"));
                None
            }
        };
        let range = match get(obj, "RangeKeyElement") {
            Some(r) => self.attr(r)?.map(Some),
            None => Some(None),
        };
        Ok(match (hash, range) {
            (Some(hash), Some(range)) => Some(RawKey { hash, range }),
            _ => None,
        })
    }

    /// Decodes and checks `Expected`.
    pub(crate) fn expected(&mut self, obj: &Obj) -> Result<Vec<(String, Expect)>, ApiError> {
        let Some(map) = opt_obj(obj, "Expected")? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(map.len());
        for (name, entry) in map {
            if entry.is_null() {
                continue;
            }
            let entry = as_obj(entry)?;
            let exists = opt_bool(entry, "Exists")?;
            let value = match get(entry, "Value") {
                Some(v) => Some(self.attr(v)?),
                None => None,
            };
            match (value, exists) {
                (Some(Some(v)), None | Some(true)) => out.push((name.clone(), Expect::Equals(v))),
                (Some(None), _) => {}
                (None, Some(false)) => out.push((name.clone(), Expect::Absent)),
                (Some(_), Some(false)) => self.semantic(ApiError::invalid_parameter(format!(
                    "Value cannot be used when Exists is false for Attribute: {name}"
                ))),
                (None, Some(true)) => self.semantic(ApiError::invalid_parameter(format!(
                    "Value must be provided when Exists is true for Attribute: {name}"
                ))),
                (None, None) => self.semantic(ApiError::invalid_parameter(format!(
                    "Value must be provided when Exists is null for Attribute: {name}"
                ))),
            }
        }
        Ok(out)
    }

    /// Decodes a Condition (`AttributeValueList` + `ComparisonOperator`).
    pub(crate) fn condition(&mut self, v: &Value, path: &str) -> Result<Option<Cond>, ApiError> {
        let obj = as_obj(v)?;
        let raw_op = opt_str(obj, "ComparisonOperator")?;
        let mut values = Vec::new();
        let mut ok = true;
        if let Some(list) = opt_array(obj, "AttributeValueList")? {
            for item in list {
                match self.attr(item)? {
                    Some(av) => values.push(av),
                    None => ok = false,
                }
            }
        }
        let op_path = format!("{path}.comparisonOperator");
        let Some(raw_op) = raw_op else {
            self.missing(&op_path);
            return Ok(None);
        };
        let allowed: Vec<(&str, ComparisonOperator)> = ComparisonOperator::ALL
            .iter()
            .map(|op| (op.as_str(), *op))
            .collect();
        let op = self.enumerated(Some(raw_op), &op_path, &allowed);
        Ok(match op {
            Some(op) if ok => Some(Cond { op, values }),
            _ => None,
        })
    }
}

/// The error for an attribute called `""`.
pub(crate) fn empty_name() -> ApiError {
    ApiError::invalid_parameter("An attribute name may not be empty")
}

fn string_of(v: &Value) -> Result<&str, ApiError> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(mismatch("a string")),
    }
}

fn list_of(v: &Value) -> Result<&[Value], ApiError> {
    match v {
        Value::Array(a) => Ok(a),
        _ => Err(ApiError::serialization_message(
            "Start of structure or map found where not expected",
        )),
    }
}

fn binary_of(v: &Value) -> Result<Binary, ApiError> {
    Binary::from_base64(string_of(v)?).map_err(|_| {
        ApiError::serialization_message("Base64 encoded length is expected a multiple of 4 bytes")
    })
}
