use std::collections::BTreeSet;

use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    forum_name: String,
    #[dynamo(range_key)]
    tags: BTreeSet<String>,
}

fn main() {}
