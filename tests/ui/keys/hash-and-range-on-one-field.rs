use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key, range_key)]
    forum_name: String,
}

fn main() {}
