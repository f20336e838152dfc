//! Property tests of `#[derive(DynamoItem)]`: every supported field type
//! round-trips struct → item → struct and item → struct → item, and every
//! produced item obeys the service's value rules.

use std::collections::{BTreeSet, HashSet};

use bytes::Bytes;
use dynamo::{AttributeValue, Binary, DynamoItem, Item, Number};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Meta {
    labels: Vec<String>,
    score: Option<i32>,
}

/// Stores bytes as an `S` of hex digits; empty bytes are omitted.
mod hex_text {
    use dynamo::{AttributeValue, ConvertError};

    pub(super) fn to_attribute(v: &[u8]) -> Result<Option<AttributeValue>, ConvertError> {
        if v.is_empty() {
            return Ok(None);
        }
        Ok(Some(AttributeValue::S(
            v.iter().map(|b| format!("{b:02x}")).collect(),
        )))
    }

    pub(super) fn from_attribute(v: AttributeValue) -> Result<Vec<u8>, ConvertError> {
        let AttributeValue::S(text) = v else {
            return Err(ConvertError::custom("expected S"));
        };
        (0..text.len())
            .step_by(2)
            .map(|i| {
                let pair = text
                    .get(i..i + 2)
                    .ok_or_else(|| ConvertError::custom("odd hex"))?;
                u8::from_str_radix(pair, 16).map_err(ConvertError::custom)
            })
            .collect()
    }
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "everything")]
struct Everything {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(range_key)]
    seq: i64,
    text: String,
    int8: i8,
    int16: i16,
    int32: i32,
    int64: i64,
    int128: i128,
    isz: isize,
    uint8: u8,
    uint16: u16,
    uint32: u32,
    uint64: u64,
    uint128: u128,
    usz: usize,
    float32: f32,
    float64: f64,
    flag: bool,
    raw: Vec<u8>,
    bytes: Bytes,
    binary: Binary,
    decimal: Decimal,
    number: Number,
    strings: BTreeSet<String>,
    numbers: HashSet<i64>,
    binaries: BTreeSet<Vec<u8>>,
    decimals: BTreeSet<Decimal>,
    maybe_text: Option<String>,
    maybe_number: Option<u32>,
    maybe_set: Option<BTreeSet<String>>,
    #[dynamo(json)]
    meta: Meta,
    #[dynamo(with = hex_text, default)]
    hex: Vec<u8>,
    #[dynamo(default)]
    views: u32,
    #[dynamo(rename = "SentBy")]
    sent_by: String,
    #[dynamo(skip)]
    cache: Vec<String>,
    #[dynamo(version)]
    version: u64,
    any: AttributeValue,
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{1,12}"
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 1..16)
}

fn number() -> impl Strategy<Value = Number> {
    (any::<i64>(), -100i32..100)
        .prop_map(|(m, e)| Number::parse(&format!("{m}E{e}")).expect("in range by construction"))
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=18).prop_map(|(m, scale)| Decimal::new(m, scale))
}

fn float64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        any::<f64>().prop_filter("in N range", |f| {
            f.is_finite() && (1e-120..1e120).contains(&f.abs())
        })
    ]
}

fn float32() -> impl Strategy<Value = f32> {
    any::<f32>().prop_filter("finite", |f| f.is_finite())
}

const MAX_38_DIGITS: i128 = 99_999_999_999_999_999_999_999_999_999_999_999_999;

fn attribute_value() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        text().prop_map(AttributeValue::S),
        number().prop_map(AttributeValue::N),
        bytes().prop_map(|b| AttributeValue::B(b.into())),
        prop::collection::btree_set(text(), 1..4)
            .prop_map(|s| AttributeValue::SS(s.into_iter().collect())),
        prop::collection::btree_set(any::<i64>(), 1..4)
            .prop_map(|s| AttributeValue::NS(s.into_iter().map(Number::from).collect())),
        prop::collection::btree_set(bytes(), 1..4)
            .prop_map(|s| AttributeValue::BS(s.into_iter().map(Binary::from).collect())),
    ]
}

/// The numeric fields, generated together.
#[derive(Debug, Clone)]
struct Numbers {
    int8: i8,
    int16: i16,
    int32: i32,
    int64: i64,
    int128: i128,
    isz: isize,
    uint8: u8,
    uint16: u16,
    uint32: u32,
    uint64: u64,
    uint128: u128,
    usz: usize,
    float32: f32,
    float64: f64,
    decimal: Decimal,
    number: Number,
}

prop_compose! {
    fn numbers_part()(
        int8 in any::<i8>(), int16 in any::<i16>(), int32 in any::<i32>(), int64 in any::<i64>(),
        int128 in -MAX_38_DIGITS..=MAX_38_DIGITS, isz in any::<isize>(),
        uint8 in any::<u8>(), uint16 in any::<u16>(), uint32 in any::<u32>(), uint64 in any::<u64>(),
        uint128 in 0..=MAX_38_DIGITS as u128, usz in any::<usize>(),
        float32 in float32(), float64 in float64(), decimal in decimal(), number in number(),
    ) -> Numbers {
        Numbers {
            int8, int16, int32, int64, int128, isz, uint8, uint16, uint32, uint64, uint128, usz,
            float32, float64, decimal, number,
        }
    }
}

prop_compose! {
    fn everything()(
        id in text(), seq in any::<i64>(), text in text(), sent_by in text(),
        n in numbers_part(),
        flag in any::<bool>(), raw in bytes(), more in bytes(), binary in bytes(),
        strings in prop::collection::btree_set(text(), 0..4),
        numbers in prop::collection::hash_set(any::<i64>(), 0..4),
        binaries in prop::collection::btree_set(bytes(), 0..4),
        decimals in prop::collection::btree_set(decimal(), 0..4),
        maybe_text in prop::option::of(text()),
        maybe_number in prop::option::of(any::<u32>()),
        maybe_set in prop::option::of(prop::collection::btree_set(text(), 1..4)),
        labels in prop::collection::vec(".*", 0..3), score in prop::option::of(any::<i32>()),
        hex in prop::collection::vec(any::<u8>(), 0..8),
        views in any::<u32>(), version in any::<u64>(), any in attribute_value(),
    ) -> Everything {
        let Numbers {
            int8, int16, int32, int64, int128, isz, uint8, uint16, uint32, uint64, uint128, usz,
            float32, float64, decimal, number,
        } = n;
        Everything {
            id, seq, text, int8, int16, int32, int64, int128, isz, uint8, uint16, uint32, uint64,
            uint128, usz, float32, float64, flag, raw, bytes: Bytes::from(more),
            binary: Binary::from(binary), decimal, number, strings, numbers, binaries, decimals,
            maybe_text, maybe_number, maybe_set, meta: Meta { labels, score }, hex, views,
            sent_by, cache: Vec::new(), version, any,
        }
    }
}

/// Sets compared as sets: members sorted.
fn normalized(item: &Item) -> Vec<(String, AttributeValue)> {
    let mut out: Vec<_> = item
        .iter()
        .map(|(k, v)| {
            let v = match v.clone() {
                AttributeValue::SS(mut s) => {
                    s.sort();
                    AttributeValue::SS(s)
                }
                AttributeValue::NS(mut s) => {
                    s.sort();
                    AttributeValue::NS(s)
                }
                AttributeValue::BS(mut s) => {
                    s.sort();
                    AttributeValue::BS(s)
                }
                other => other,
            };
            (k.clone(), v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn assert_wire_valid(item: &Item) {
    for (name, value) in item {
        assert!(!name.is_empty());
        assert_eq!(value.validate(), Ok(()), "attribute {name}");
        let numbers: Vec<&Number> = match value {
            AttributeValue::N(n) => vec![n],
            AttributeValue::NS(v) => v.iter().collect(),
            _ => Vec::new(),
        };
        for n in numbers {
            assert!(n.significant_digits() <= 38, "{name}");
            assert_eq!(
                Number::parse(n.as_str()).as_ref(),
                Ok(n),
                "{name} is canonical"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn struct_item_struct(value in everything()) {
        let item = value.to_item().expect("every generated value is storable");
        assert_wire_valid(&item);
        let back = Everything::from_item(item).expect("reads back");
        prop_assert_eq!(back, value);
    }

    #[test]
    fn item_struct_item(value in everything()) {
        let item = value.to_item().expect("storable");
        let again = Everything::from_item(item.clone()).expect("reads").to_item().expect("storable");
        prop_assert_eq!(normalized(&again), normalized(&item));
    }

    #[test]
    fn empty_collections_and_none_are_omitted(mut value in everything()) {
        value.strings.clear();
        value.maybe_text = None;
        value.hex.clear();
        let item = value.to_item().expect("storable");
        prop_assert!(!item.contains_key("strings"));
        prop_assert!(!item.contains_key("maybe_text"));
        prop_assert!(!item.contains_key("hex"));
        prop_assert!(!item.contains_key("cache"));
        prop_assert_eq!(Everything::from_item(item).expect("reads"), value);
    }

    #[test]
    fn keys_round_trip(value in everything()) {
        let wire = Everything::key_to_wire(&value.key()).expect("key");
        prop_assert_eq!(Everything::key_from_wire(&wire).expect("reads"), value.key());
        prop_assert_eq!(wire.hash_key_element, AttributeValue::S(value.id.clone()));
    }
}

fn sample() -> Everything {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    everything()
        .new_tree(&mut runner)
        .expect("strategy")
        .current()
}

#[test]
fn missing_attribute_names_struct_field_and_attribute() {
    let mut item = sample().to_item().expect("storable");
    item.remove("SentBy");
    let err = Everything::from_item(item).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Everything.sent_by (attribute \"SentBy\"): missing attribute"
    );
}

#[test]
fn mistyped_attribute_names_both_types() {
    let mut item = sample().to_item().expect("storable");
    item.insert("uint64".into(), AttributeValue::S("many".into()));
    let err = Everything::from_item(item).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Everything.uint64 (attribute \"uint64\"): expected N, found S"
    );
}

#[test]
fn empty_string_is_rejected_on_write() {
    let mut value = sample();
    value.text = String::new();
    let err = value.to_item().unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Everything.text (attribute \"text\")"),
        "{err}"
    );
}

#[test]
fn out_of_range_number_is_rejected_on_read() {
    let mut item = sample().to_item().expect("storable");
    item.insert("uint8".into(), AttributeValue::N(Number::from(300u16)));
    let err = Everything::from_item(item).unwrap_err();
    assert!(
        err.to_string().ends_with("number does not fit u8 exactly"),
        "{err}"
    );
}

#[test]
fn defaults_and_optionals_fill_in_when_missing() {
    let mut item = sample().to_item().expect("storable");
    for name in ["views", "hex", "maybe_text", "strings", "numbers"] {
        item.remove(name);
    }
    let value = Everything::from_item(item).expect("reads");
    assert_eq!(
        (value.views, value.hex.len(), value.maybe_text),
        (0, 0, None)
    );
    assert!(value.strings.is_empty() && value.numbers.is_empty());
}

#[test]
fn schema_comes_from_the_field_types() {
    use dynamo::wire::ScalarAttributeType;
    let schema = Everything::key_schema();
    assert_eq!(schema.hash_key_element.attribute_name, "id");
    assert_eq!(
        schema.hash_key_element.attribute_type,
        ScalarAttributeType::S
    );
    let range = schema.range_key_element.expect("range key");
    assert_eq!(
        (range.attribute_name.as_str(), range.attribute_type),
        ("seq", ScalarAttributeType::N)
    );
    assert_eq!(Everything::TABLE_NAME, "everything");
    assert_eq!(Everything::VERSION_ATTRIBUTE, Some("version"));
    assert!(Everything::ATTRIBUTES.contains(&"SentBy"));
    assert!(!Everything::ATTRIBUTES.contains(&"cache"));
}

/// A generic struct: bounds only where a field type mentions a parameter.
#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(table = "pairs", rename_all = "PascalCase")]
struct Pair<K, V> {
    #[dynamo(hash_key)]
    left_key: K,
    right_value: Option<V>,
}

#[test]
fn generic_struct_round_trips() {
    let pair = Pair {
        left_key: 7u64,
        right_value: Some(Bytes::from_static(b"x")),
    };
    let item = pair.to_item().expect("storable");
    assert!(item.contains_key("LeftKey") && item.contains_key("RightValue"));
    assert_eq!(Pair::from_item(item).expect("reads"), pair);
    let wire = Pair::<u64, Bytes>::key_to_wire(&7).expect("key");
    assert!(wire.range_key_element.is_none());
    let bad =
        dynamo::wire::Key::hash_range(AttributeValue::N(7u8.into()), AttributeValue::N(1u8.into()));
    assert!(Pair::<u64, Bytes>::key_from_wire(&bad).is_err());
}

/// Raw identifiers lose their `r#`.
#[derive(DynamoItem)]
#[dynamo(table = "raw_names")]
struct Raw {
    #[dynamo(hash_key)]
    r#type: String,
}

#[test]
fn raw_identifiers() {
    assert_eq!(Raw::HASH_KEY, "type");
    assert_eq!(Raw::TYPE.name(), "type");
    let item = Raw { r#type: "t".into() }.to_item().expect("storable");
    assert!(item.contains_key("type"));
}

/// A `flatten` field keeps the attributes no other field names.
#[derive(Debug, Clone, PartialEq, DynamoItem)]
#[dynamo(table = "flattened", rename_all = "PascalCase")]
struct Open {
    #[dynamo(hash_key)]
    id: String,
    note: Option<String>,
    #[dynamo(flatten)]
    other: Item,
}

#[test]
fn flatten_reads_unknown_attributes_and_writes_them_back() {
    let item = Item::from([
        ("Id".to_owned(), AttributeValue::S("a".into())),
        ("Note".to_owned(), AttributeValue::S("n".into())),
        ("a_new_key".to_owned(), AttributeValue::S("testing".into())),
        ("Views".to_owned(), AttributeValue::N(3u8.into())),
    ]);
    let open = Open::from_item(item.clone()).expect("reads");
    assert_eq!(open.note.as_deref(), Some("n"));
    assert_eq!(open.other.len(), 2);
    assert!(!open.other.contains_key("Id") && !open.other.contains_key("Note"));
    assert!(!Open::ATTRIBUTES.contains(&"Other"));
    assert_eq!(
        normalized(&open.to_item().expect("storable")),
        normalized(&item)
    );
}

#[test]
fn flatten_entry_named_like_a_declared_attribute_is_an_error() {
    // Even when the declared field is `None` and so not written.
    let open = Open {
        id: "a".into(),
        note: None,
        other: Item::from([("Note".to_owned(), AttributeValue::S("x".into()))]),
    };
    let e = open.to_item().expect_err("named twice");
    let shown = e.to_string();
    for part in ["Open.other", "`Note`", "declared"] {
        assert!(shown.contains(part), "{part} in {shown}");
    }
    assert!(!shown.contains("\"x\""), "no value in {shown}");
}
