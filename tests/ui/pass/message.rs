#![allow(dead_code)]

use std::collections::BTreeSet;

use dynamo::DynamoItem;
use dynamo::expr::{expect, filter, range, update};
use rust_decimal::Decimal;

#[derive(DynamoItem)]
#[dynamo(table = "messages")]
struct Message {
    #[dynamo(hash_key)]
    forum_name: String,
    #[dynamo(range_key)]
    subject: String,
    #[dynamo(rename = "SentBy")]
    sent_by: String,
    views: u64,
    tags: BTreeSet<String>,
    price: Option<Decimal>,
}

fn main() {
    let _ = update::set(Message::SENT_BY, "x")
        .add(Message::VIEWS, 1)
        .add(Message::PRICE, Decimal::ONE)
        .delete_elements(Message::TAGS, BTreeSet::new())
        .remove(Message::PRICE);
    let _ = expect::equals(Message::FORUM_NAME, "f").and(expect::not_exists(Message::PRICE));
    let _ = range::between(Message::SUBJECT, "a", "b");
    let _ = filter::contains(Message::TAGS, "t").and(filter::gt(Message::PRICE, Decimal::ONE));
    let _: <Message as DynamoItem>::Key = (String::new(), String::new());
}
