use dynamo::{DynamoItem, Item};

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key, flatten)]
    id: Item,
}

fn main() {}
