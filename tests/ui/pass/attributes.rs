//! Every container and field attribute at once, with raw identifiers.
#![allow(dead_code)]

use dynamo::DynamoItem;
use dynamo::attr::{Attr, NotKey};
use dynamo::convert::Json;
use dynamo::expr::{expect, update};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Default)]
pub struct Meta {
    pub labels: Vec<String>,
}

mod upper {
    use dynamo::{AttributeValue, ConvertError};

    pub fn to_attribute(v: &str) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::S(v.to_uppercase())))
    }

    pub fn from_attribute(v: AttributeValue) -> Result<String, ConvertError> {
        match v {
            AttributeValue::S(s) => Ok(s.to_lowercase()),
            _ => Err(ConvertError::custom("expected S")),
        }
    }
}

#[derive(DynamoItem)]
#[dynamo(table = "all.attributes-1", rename_all = "camelCase")]
pub struct Everything {
    #[dynamo(hash_key, rename = "PK")]
    pub r#type: String,
    #[dynamo(range_key)]
    pub sort_key: u64,
    #[dynamo(json)]
    pub meta: Meta,
    #[dynamo(with = upper, default)]
    pub shout: String,
    #[dynamo(with = "upper")]
    pub quoted_path: String,
    #[dynamo(default)]
    pub views: u32,
    #[dynamo(skip)]
    pub cache: Vec<String>,
    #[dynamo(version)]
    pub version: u64,
}

fn main() {
    let _: Attr<Everything, Json<Meta>, NotKey> = Everything::META;
    let _: Attr<Everything, dynamo::AttributeValue, NotKey> = Everything::SHOUT;
    assert_eq!(Everything::TYPE.name(), "PK");
    assert_eq!(Everything::SORT_KEY.name(), "sortKey");
    let _ = update::set(Everything::META, Meta::default());
    let _ = expect::equals(Everything::VERSION, 3);
    assert_eq!(Everything::VERSION_ATTRIBUTE, Some("version"));
}
