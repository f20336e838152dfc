use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key, skip)]
    forum_name: String,
}

fn main() {}
