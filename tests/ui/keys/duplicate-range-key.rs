use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    forum_name: String,
    #[dynamo(range_key)]
    subject: String,
    #[dynamo(range_key)]
    posted: u64,
}

fn main() {}
