use dynamo::DynamoItem;

#[derive(DynamoItem)]
#[allow(non_snake_case)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    sent_by: String,
    #[dynamo(rename = "SentBy")]
    SENT_BY: String,
}

fn main() {}
