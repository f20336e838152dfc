use dynamo::DynamoItem;

#[derive(DynamoItem)]
struct Message(String, u64);

fn main() {}
