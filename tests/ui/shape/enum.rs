use dynamo::DynamoItem;

#[derive(DynamoItem)]
enum Message {
    Text(String),
}

fn main() {}
