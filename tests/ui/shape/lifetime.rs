use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message<'a> {
    #[dynamo(hash_key)]
    id: &'a str,
}

fn main() {}
