use dynamo::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "my table")]
struct Message {
    #[dynamo(hash_key)]
    id: String,
}

fn main() {}
