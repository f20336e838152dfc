//! A compact JSON tree for request bodies.
//!
//! `serde_json::Value` keeps objects in a `BTreeMap`, whose first node holds
//! room for eleven entries: a one-member object such as `{"S":"x"}` (9 bytes
//! of JSON) costs about 650 bytes, so a 1 MiB body of small entries took some
//! 80 MB to parse. Here an object is a vector of entries sized to fit, sorted
//! by name (last duplicate wins, iteration in name order: the same semantics
//! as `serde_json`'s default map), which brings that to about 10 bytes per
//! byte of JSON (see `tests::small_objects_stay_small`).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

impl Value {
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// A JSON object: entries sorted by name, names unique.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Map {
    entries: Vec<(String, Value)>,
}

impl Map {
    /// Sorts `entries` by name, keeping the last of duplicate names (as a
    /// map fed in document order would).
    fn from_entries(mut entries: Vec<(String, Value)>) -> Map {
        entries.sort_by(|a, b| a.0.cmp(&b.0)); // stable: duplicates stay in document order
        let mut unique: Vec<(String, Value)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match unique.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => unique.push(entry),
            }
        }
        unique.shrink_to_fit();
        Map { entries: unique }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.entries
            .binary_search_by(|(key, _)| key.as_str().cmp(name))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(key, _)| key)
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(key, value)| (key, value))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(Value::Object(Map::from_entries(entries)))
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => items.serialize(serializer),
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map {
                    out.serialize_entry(key, value)?;
                }
                out.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("JSON")
    }

    #[test]
    fn parses_like_serde_json_value() {
        for text in [
            r#"{"b":[1,-2,3.5,"x",true,null],"a":{"S":"é\n"},"c":{}}"#,
            r#"[{"z":1,"y":2}]"#,
            r#""plain""#,
            "18446744073709551615",
        ] {
            let ours = serde_json::to_value(parse(text)).expect("serialize");
            let theirs: serde_json::Value = serde_json::from_str(text).expect("JSON");
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn last_duplicate_wins_and_names_iterate_sorted() {
        let Value::Object(map) = parse(r#"{"b":1,"a":2,"b":3}"#) else {
            panic!("object")
        };
        assert_eq!(map.len(), 2);
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(map.get("b"), Some(&Value::Number(3.into())));
        assert_eq!(map.get("c"), None);
    }

    #[test]
    fn small_objects_stay_small() {
        // Entries sized to fit: a one-member object holds one entry.
        let Value::Object(map) = parse(r#"{"S":"x"}"#) else {
            panic!("object")
        };
        assert_eq!(map.entries.capacity(), 1);
        assert_eq!(std::mem::size_of::<Value>(), 32);
    }
}
