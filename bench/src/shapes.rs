//! The three item shapes every codec is measured on, with deterministic
//! samples, and the plain wire-shaped structs of the serde_json ceiling.

use std::collections::BTreeSet;

use dynamo_derive::DynamoItem;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The seed tutorial's message: five strings and two numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, DynamoItem)]
#[dynamo(crate = "dynamo_core", table = "messages")]
pub struct Message {
    /// Hash key.
    #[dynamo(hash_key)]
    pub forum_name: String,
    /// Range key.
    #[dynamo(range_key)]
    pub subject: String,
    /// Sender.
    #[serde(rename = "SentBy")]
    #[dynamo(rename = "SentBy")]
    pub sent_by: String,
    /// Text.
    #[serde(rename = "Body")]
    #[dynamo(rename = "Body")]
    pub body: String,
    /// When it arrived, as the tutorial writes it.
    #[serde(rename = "ReceivedTime")]
    #[dynamo(rename = "ReceivedTime")]
    pub received_time: String,
    /// View count.
    pub views: u64,
    /// Average rating.
    pub rating: f64,
}

impl Message {
    /// The `i`-th sample message (about 150 bytes of attribute data).
    pub fn sample(i: usize) -> Message {
        Message {
            forum_name: "Amazon DynamoDB".to_owned(),
            subject: format!("How do I update multiple items? #{i}"),
            sent_by: "User A".to_owned(),
            body: format!(
                "I want to update multiple items in a single call. What's the best way to do that? ({i})"
            ),
            received_time: "12/9/2011 11:36:03 PM".to_owned(),
            views: 1000 + i as u64,
            rating: 4.25,
        }
    }
}

/// A set-heavy item: three sets (72 members) and a key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, DynamoItem)]
#[dynamo(crate = "dynamo_core", table = "tagged")]
pub struct Tagged {
    /// Hash key.
    #[dynamo(hash_key)]
    pub id: String,
    /// 32 tags (SS).
    #[serde(with = "serde_dynamo::string_set")]
    pub tags: BTreeSet<String>,
    /// 32 scores (NS).
    #[serde(with = "serde_dynamo::number_set")]
    pub scores: BTreeSet<i64>,
    /// 8 readers (SS).
    #[serde(with = "serde_dynamo::string_set")]
    pub readers: BTreeSet<String>,
}

impl Tagged {
    /// The `i`-th sample.
    pub fn sample(i: usize) -> Tagged {
        Tagged {
            id: format!("tagged-{i}"),
            tags: (0..32).map(|t| format!("tag-{t:02}-{i}")).collect(),
            scores: (0..32).map(|s| (s * 7919 + i as i64) % 1_000_003).collect(),
            readers: (0..8).map(|r| format!("reader{r}@example.com")).collect(),
        }
    }
}

/// A 30-attribute item: a key, 10 decimals, 10 strings and 9 integers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, DynamoItem)]
#[dynamo(crate = "dynamo_core", table = "wide")]
pub struct Wide {
    /// Hash key.
    #[dynamo(hash_key)]
    pub id: String,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d01: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d02: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d03: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d04: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d05: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d06: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d07: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d08: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d09: Decimal,
    /// A decimal (serde_dynamo stores it through f64).
    #[serde(with = "rust_decimal::serde::float")]
    pub d10: Decimal,
    /// A string.
    pub s01: String,
    /// A string.
    pub s02: String,
    /// A string.
    pub s03: String,
    /// A string.
    pub s04: String,
    /// A string.
    pub s05: String,
    /// A string.
    pub s06: String,
    /// A string.
    pub s07: String,
    /// A string.
    pub s08: String,
    /// A string.
    pub s09: String,
    /// A string.
    pub s10: String,
    /// An integer.
    pub i01: i64,
    /// An integer.
    pub i02: i64,
    /// An integer.
    pub i03: i64,
    /// An integer.
    pub i04: i64,
    /// An integer.
    pub i05: i64,
    /// An integer.
    pub i06: i64,
    /// An integer.
    pub i07: i64,
    /// An integer.
    pub i08: i64,
    /// An integer.
    pub i09: i64,
}

impl Wide {
    /// The `i`-th sample.
    pub fn sample(i: usize) -> Wide {
        let i64v = i as i64;
        Wide {
            id: format!("wide-{i}"),
            d01: Decimal::new(123456 + i64v, 2),
            d02: Decimal::new(124457 + i64v, 2),
            d03: Decimal::new(125458 + i64v, 2),
            d04: Decimal::new(126459 + i64v, 2),
            d05: Decimal::new(127460 + i64v, 2),
            d06: Decimal::new(128461 + i64v, 2),
            d07: Decimal::new(129462 + i64v, 2),
            d08: Decimal::new(130463 + i64v, 2),
            d09: Decimal::new(131464 + i64v, 2),
            d10: Decimal::new(132465 + i64v, 2),
            s01: format!("value 0 of item {i}"),
            s02: format!("value 1 of item {i}"),
            s03: format!("value 2 of item {i}"),
            s04: format!("value 3 of item {i}"),
            s05: format!("value 4 of item {i}"),
            s06: format!("value 5 of item {i}"),
            s07: format!("value 6 of item {i}"),
            s08: format!("value 7 of item {i}"),
            s09: format!("value 8 of item {i}"),
            s10: format!("value 9 of item {i}"),
            i01: i64v,
            i02: 1000003 + i64v,
            i03: 2000006 + i64v,
            i04: 3000009 + i64v,
            i05: 4000012 + i64v,
            i06: 5000015 + i64v,
            i07: 6000018 + i64v,
            i08: 7000021 + i64v,
            i09: 8000024 + i64v,
        }
    }
}

/// `{"S": ...}` as the ceiling parses it.
#[derive(Debug, Deserialize)]
pub struct WireS {
    /// The string.
    #[serde(rename = "S")]
    pub s: String,
}

/// `{"N": ...}` as the ceiling parses it.
#[derive(Debug, Deserialize)]
pub struct WireN {
    /// The number's text.
    #[serde(rename = "N")]
    pub n: String,
}

/// A [`Message`] item exactly as it sits in a Query page: the serde_json ceiling.
#[derive(Debug, Deserialize)]
pub struct MessageWire {
    /// Hash key.
    pub forum_name: WireS,
    /// Range key.
    pub subject: WireS,
    /// Sender.
    #[serde(rename = "SentBy")]
    pub sent_by: WireS,
    /// Text.
    #[serde(rename = "Body")]
    pub body: WireS,
    /// Arrival time.
    #[serde(rename = "ReceivedTime")]
    pub received_time: WireS,
    /// View count.
    pub views: WireN,
    /// Rating.
    pub rating: WireN,
}

impl MessageWire {
    /// The typed message, parsing the two numbers; `None` when one is not a number.
    pub fn into_message(self) -> Option<Message> {
        Some(Message {
            forum_name: self.forum_name.s,
            subject: self.subject.s,
            sent_by: self.sent_by.s,
            body: self.body.s,
            received_time: self.received_time.s,
            views: self.views.n.parse().ok()?,
            rating: self.rating.n.parse().ok()?,
        })
    }
}

/// A Query page parsed by the ceiling.
#[derive(Debug, Deserialize)]
pub struct PageWire {
    /// The items.
    #[serde(rename = "Items")]
    pub items: Vec<MessageWire>,
}
