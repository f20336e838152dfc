use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(version)]
    version: String,
}

fn main() {}
