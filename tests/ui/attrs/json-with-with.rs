use dynamo::DynamoItem;

mod as_text {
    pub fn to_attribute(
        v: &Vec<u8>,
    ) -> Result<Option<dynamo::AttributeValue>, dynamo::ConvertError> {
        Ok(Some(dynamo::AttributeValue::S(format!("{v:?}"))))
    }
    pub fn from_attribute(_: dynamo::AttributeValue) -> Result<Vec<u8>, dynamo::ConvertError> {
        Ok(Vec::new())
    }
}

#[derive(DynamoItem)]
struct Message {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(json, with = as_text)]
    body: Vec<u8>,
}

fn main() {}
