use dynamo::DynamoItem;

#[derive(DynamoItem)]
union Message {
    id: u64,
    views: u32,
}

fn main() {}
