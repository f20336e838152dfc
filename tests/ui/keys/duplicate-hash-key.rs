use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    forum_name: String,
    #[dynamo(hash_key)]
    subject: String,
}

fn main() {}
