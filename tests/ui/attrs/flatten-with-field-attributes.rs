use dynamo::{DynamoItem, Item};

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(flatten, rename = "Rest", json, default, version)]
    rest: Item,
    #[dynamo(flatten, skip)]
    skipped: Item,
}

fn main() {}
