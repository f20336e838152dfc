use dynamo::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(hash_key)]
struct Message {
    id: String,
}

fn main() {}
