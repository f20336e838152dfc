use dynamo::DynamoItem;

mod as_number {
    pub fn to_attribute(_: &String) -> Option<dynamo::AttributeValue> {
        None
    }
    pub fn from_attribute(_: dynamo::AttributeValue) -> Result<u64, dynamo::ConvertError> {
        Ok(0)
    }
}

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(with = as_number)]
    body: String,
}

fn main() {}
