use dynamo::DynamoItem;

#[derive(Clone)]
struct Forum {
    name: String,
}

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    forum: Forum,
}

fn main() {}
