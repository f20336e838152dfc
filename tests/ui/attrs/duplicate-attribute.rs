use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(rename = "A")]
    #[dynamo(rename = "B")]
    body: String,
}

fn main() {}
