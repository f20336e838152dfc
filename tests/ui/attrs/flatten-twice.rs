use dynamo::{DynamoItem, Item};

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(flatten)]
    rest: Item,
    #[dynamo(flatten)]
    more: Item,
}

fn main() {}
