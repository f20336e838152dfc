use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(renamed = "Body")]
    body: String,
}

fn main() {}
