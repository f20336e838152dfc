use dynamo::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(rename_all = "Title Case")]
struct Message {
    #[dynamo(skip)]
    forum_name: String,
    #[dynamo(rename = "body", json, with = other)]
    subject: String,
    #[dynamo(unknown)]
    body: String,
}

fn main() {
    // The fallback impl keeps this free of further errors.
    let _ = Message::SUBJECT;
    let _ = <Message as DynamoItem>::TABLE_NAME;
}
