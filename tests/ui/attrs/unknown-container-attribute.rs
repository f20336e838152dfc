use dynamo::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table_name = "messages")]
struct Message {
    #[dynamo(hash_key)]
    id: String,
}

fn main() {}
