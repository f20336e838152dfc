use dynamo::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(rename_all = "Title Case")]
struct Message {
    #[dynamo(hash_key)]
    id: String,
}

fn main() {}
