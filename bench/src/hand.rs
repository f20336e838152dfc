//! Hand-written conversions between the shapes and `dynamo_core::Item`:
//! what a user of the bare Layer1 client writes without the derive.

use std::collections::BTreeSet;

use dynamo_core::{AttributeValue, Item, Number};
use rust_decimal::Decimal;

use crate::shapes::{Message, Tagged, Wide};

/// Why a hand-written read failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandError(pub &'static str);

impl std::fmt::Display for HandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "attribute {} is missing or has the wrong type", self.0)
    }
}

impl std::error::Error for HandError {}

/// A type converted by hand.
pub trait HandItem: Sized {
    /// The item to store.
    fn hand_to_item(&self) -> Item;
    /// Reads an item back.
    ///
    /// # Errors
    /// When an attribute is missing or has the wrong type.
    fn hand_from_item(item: Item) -> Result<Self, HandError>;
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn take_s(item: &mut Item, name: &'static str) -> Result<String, HandError> {
    match item.remove(name) {
        Some(AttributeValue::S(v)) => Ok(v),
        _ => Err(HandError(name)),
    }
}

fn take_n<T: for<'a> TryFrom<&'a Number>>(
    item: &mut Item,
    name: &'static str,
) -> Result<T, HandError> {
    match item.remove(name) {
        Some(AttributeValue::N(n)) => T::try_from(&n).map_err(|_| HandError(name)),
        _ => Err(HandError(name)),
    }
}

fn take_ss(item: &mut Item, name: &'static str) -> Result<BTreeSet<String>, HandError> {
    match item.remove(name) {
        Some(AttributeValue::SS(v)) => Ok(v.into_iter().collect()),
        _ => Err(HandError(name)),
    }
}

fn take_ns(item: &mut Item, name: &'static str) -> Result<BTreeSet<i64>, HandError> {
    match item.remove(name) {
        Some(AttributeValue::NS(v)) => v
            .iter()
            .map(|n| i64::try_from(n).map_err(|_| HandError(name)))
            .collect(),
        _ => Err(HandError(name)),
    }
}

impl HandItem for Message {
    fn hand_to_item(&self) -> Item {
        let mut item = Item::with_capacity(7);
        item.insert("forum_name".to_owned(), s(&self.forum_name));
        item.insert("subject".to_owned(), s(&self.subject));
        item.insert("SentBy".to_owned(), s(&self.sent_by));
        item.insert("Body".to_owned(), s(&self.body));
        item.insert("ReceivedTime".to_owned(), s(&self.received_time));
        item.insert(
            "views".to_owned(),
            AttributeValue::N(Number::from(self.views)),
        );
        let rating = Number::try_from(self.rating).unwrap_or_else(|_| Number::from(0u8));
        item.insert("rating".to_owned(), AttributeValue::N(rating));
        item
    }

    fn hand_from_item(mut item: Item) -> Result<Message, HandError> {
        Ok(Message {
            forum_name: take_s(&mut item, "forum_name")?,
            subject: take_s(&mut item, "subject")?,
            sent_by: take_s(&mut item, "SentBy")?,
            body: take_s(&mut item, "Body")?,
            received_time: take_s(&mut item, "ReceivedTime")?,
            views: take_n(&mut item, "views")?,
            rating: take_n(&mut item, "rating")?,
        })
    }
}

impl HandItem for Tagged {
    fn hand_to_item(&self) -> Item {
        let mut item = Item::with_capacity(4);
        item.insert("id".to_owned(), s(&self.id));
        item.insert(
            "tags".to_owned(),
            AttributeValue::SS(self.tags.iter().cloned().collect()),
        );
        let scores = self.scores.iter().map(|n| Number::from(*n)).collect();
        item.insert("scores".to_owned(), AttributeValue::NS(scores));
        item.insert(
            "readers".to_owned(),
            AttributeValue::SS(self.readers.iter().cloned().collect()),
        );
        item
    }

    fn hand_from_item(mut item: Item) -> Result<Tagged, HandError> {
        Ok(Tagged {
            id: take_s(&mut item, "id")?,
            tags: take_ss(&mut item, "tags")?,
            scores: take_ns(&mut item, "scores")?,
            readers: take_ss(&mut item, "readers")?,
        })
    }
}

impl HandItem for Wide {
    fn hand_to_item(&self) -> Item {
        let mut item = Item::with_capacity(30);
        item.insert("id".to_owned(), s(&self.id));
        item.insert("d01".to_owned(), AttributeValue::N(Number::from(self.d01)));
        item.insert("d02".to_owned(), AttributeValue::N(Number::from(self.d02)));
        item.insert("d03".to_owned(), AttributeValue::N(Number::from(self.d03)));
        item.insert("d04".to_owned(), AttributeValue::N(Number::from(self.d04)));
        item.insert("d05".to_owned(), AttributeValue::N(Number::from(self.d05)));
        item.insert("d06".to_owned(), AttributeValue::N(Number::from(self.d06)));
        item.insert("d07".to_owned(), AttributeValue::N(Number::from(self.d07)));
        item.insert("d08".to_owned(), AttributeValue::N(Number::from(self.d08)));
        item.insert("d09".to_owned(), AttributeValue::N(Number::from(self.d09)));
        item.insert("d10".to_owned(), AttributeValue::N(Number::from(self.d10)));
        item.insert("s01".to_owned(), s(&self.s01));
        item.insert("s02".to_owned(), s(&self.s02));
        item.insert("s03".to_owned(), s(&self.s03));
        item.insert("s04".to_owned(), s(&self.s04));
        item.insert("s05".to_owned(), s(&self.s05));
        item.insert("s06".to_owned(), s(&self.s06));
        item.insert("s07".to_owned(), s(&self.s07));
        item.insert("s08".to_owned(), s(&self.s08));
        item.insert("s09".to_owned(), s(&self.s09));
        item.insert("s10".to_owned(), s(&self.s10));
        item.insert("i01".to_owned(), AttributeValue::N(Number::from(self.i01)));
        item.insert("i02".to_owned(), AttributeValue::N(Number::from(self.i02)));
        item.insert("i03".to_owned(), AttributeValue::N(Number::from(self.i03)));
        item.insert("i04".to_owned(), AttributeValue::N(Number::from(self.i04)));
        item.insert("i05".to_owned(), AttributeValue::N(Number::from(self.i05)));
        item.insert("i06".to_owned(), AttributeValue::N(Number::from(self.i06)));
        item.insert("i07".to_owned(), AttributeValue::N(Number::from(self.i07)));
        item.insert("i08".to_owned(), AttributeValue::N(Number::from(self.i08)));
        item.insert("i09".to_owned(), AttributeValue::N(Number::from(self.i09)));
        item
    }

    fn hand_from_item(mut item: Item) -> Result<Wide, HandError> {
        Ok(Wide {
            id: take_s(&mut item, "id")?,
            d01: take_n::<Decimal>(&mut item, "d01")?,
            d02: take_n::<Decimal>(&mut item, "d02")?,
            d03: take_n::<Decimal>(&mut item, "d03")?,
            d04: take_n::<Decimal>(&mut item, "d04")?,
            d05: take_n::<Decimal>(&mut item, "d05")?,
            d06: take_n::<Decimal>(&mut item, "d06")?,
            d07: take_n::<Decimal>(&mut item, "d07")?,
            d08: take_n::<Decimal>(&mut item, "d08")?,
            d09: take_n::<Decimal>(&mut item, "d09")?,
            d10: take_n::<Decimal>(&mut item, "d10")?,
            s01: take_s(&mut item, "s01")?,
            s02: take_s(&mut item, "s02")?,
            s03: take_s(&mut item, "s03")?,
            s04: take_s(&mut item, "s04")?,
            s05: take_s(&mut item, "s05")?,
            s06: take_s(&mut item, "s06")?,
            s07: take_s(&mut item, "s07")?,
            s08: take_s(&mut item, "s08")?,
            s09: take_s(&mut item, "s09")?,
            s10: take_s(&mut item, "s10")?,
            i01: take_n(&mut item, "i01")?,
            i02: take_n(&mut item, "i02")?,
            i03: take_n(&mut item, "i03")?,
            i04: take_n(&mut item, "i04")?,
            i05: take_n(&mut item, "i05")?,
            i06: take_n(&mut item, "i06")?,
            i07: take_n(&mut item, "i07")?,
            i08: take_n(&mut item, "i08")?,
            i09: take_n(&mut item, "i09")?,
        })
    }
}
