use dynamo::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(rename_all = "camelCase")]
#[allow(non_snake_case)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    sent_by: String,
    sentBy: String,
}

fn main() {}
