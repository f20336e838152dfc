use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(flatten)]
    rest: Vec<String>,
}

fn main() {}
