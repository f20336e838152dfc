use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message {
    forum_name: String,
    subject: String,
}

fn main() {}
