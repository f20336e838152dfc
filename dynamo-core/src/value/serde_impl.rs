//! Wire JSON form of [`AttributeValue`]: an object with exactly one type member.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;

use super::{AttributeValue, Binary, Number};

impl serde::Serialize for AttributeValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        match self {
            AttributeValue::S(v) => map.serialize_entry("S", v)?,
            AttributeValue::N(v) => map.serialize_entry("N", v)?,
            AttributeValue::B(v) => map.serialize_entry("B", v)?,
            AttributeValue::SS(v) => map.serialize_entry("SS", v)?,
            AttributeValue::NS(v) => map.serialize_entry("NS", v)?,
            AttributeValue::BS(v) => map.serialize_entry("BS", v)?,
        }
        map.end()
    }
}

/// Message the service gives for a value with no type member.
pub(crate) const EMPTY_VALUE: &str =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
/// Message the service gives for a value with several type members.
pub(crate) const MULTIPLE_TYPES: &str = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";

/// A type member's name, read without copying it.
#[allow(clippy::upper_case_acronyms)]
enum Tag {
    S,
    N,
    B,
    SS,
    NS,
    BS,
    Other,
}

impl<'de> serde::Deserialize<'de> for Tag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Tag, D::Error> {
        struct TagVisitor;

        impl Visitor<'_> for TagVisitor {
            type Value = Tag;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an AttributeValue type such as \"S\"")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Tag, E> {
                Ok(match name {
                    "S" => Tag::S,
                    "N" => Tag::N,
                    "B" => Tag::B,
                    "SS" => Tag::SS,
                    "NS" => Tag::NS,
                    "BS" => Tag::BS,
                    _ => Tag::Other,
                })
            }
        }

        d.deserialize_identifier(TagVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an AttributeValue object such as {\"S\": \"text\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
        let mut found: Option<AttributeValue> = None;
        while let Some(tag) = map.next_key::<Tag>()? {
            let value = match tag {
                Tag::S => AttributeValue::S(map.next_value()?),
                Tag::N => AttributeValue::N(map.next_value::<Number>()?),
                Tag::B => AttributeValue::B(map.next_value::<Binary>()?),
                Tag::SS => AttributeValue::SS(map.next_value()?),
                Tag::NS => AttributeValue::NS(map.next_value()?),
                Tag::BS => AttributeValue::BS(map.next_value()?),
                Tag::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                    continue;
                }
            };
            if found.is_some() {
                return Err(de::Error::custom(MULTIPLE_TYPES));
            }
            found = Some(value);
        }
        found.ok_or_else(|| de::Error::custom(EMPTY_VALUE))
    }
}

impl<'de> serde::Deserialize<'de> for AttributeValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<AttributeValue, D::Error> {
        d.deserialize_map(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms_round_trip() {
        for json in [
            r#"{"S":"x"}"#,
            r#"{"N":"1.5"}"#,
            r#"{"B":"AQIDBA=="}"#,
            r#"{"SS":["a","b"]}"#,
            r#"{"NS":["1","-2"]}"#,
            r#"{"BS":["AQ==","Ag=="]}"#,
        ] {
            let v: AttributeValue = serde_json::from_str(json).expect(json);
            assert_eq!(serde_json::to_string(&v).expect("ser"), json);
        }
    }

    #[test]
    fn rejects_bad_shapes() {
        for (json, msg) in [
            (r#"{}"#, EMPTY_VALUE),
            (r#"{"BOOL":true}"#, EMPTY_VALUE),
            (r#"{"S":"a","N":"1"}"#, MULTIPLE_TYPES),
            (r#"{"N":"abc"}"#, "cannot be converted"),
            (r#"{"B":"***"}"#, "base64"),
        ] {
            let err = serde_json::from_str::<AttributeValue>(json).expect_err(json);
            assert!(err.to_string().contains(msg), "{json}: {err}");
        }
    }
}
