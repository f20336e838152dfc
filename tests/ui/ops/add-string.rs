#![allow(dead_code, unused_imports)]

use std::collections::BTreeSet;

use dynamo::DynamoItem;
use dynamo::expr::{filter, range, update};

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
}

fn main() {
    let _ = update::add(Message::SENT_BY, "x");
}
