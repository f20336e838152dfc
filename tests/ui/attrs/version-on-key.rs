use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key, version)]
    id: u64,
}

fn main() {}
