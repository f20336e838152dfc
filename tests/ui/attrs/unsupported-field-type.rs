use dynamo::DynamoItem;

struct Body;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    body: Body,
}

fn main() {}
