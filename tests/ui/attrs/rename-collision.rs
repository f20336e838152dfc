use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    forum_name: String,
    #[dynamo(rename = "forum_name")]
    forum: String,
}

fn main() {}
