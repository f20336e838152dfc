//! `crate = "..."` points the generated code at another path of the runtime,
//! e.g. `dynamo_core` for users of the core crate alone.
#![allow(dead_code)]

use dynamo_core::DynamoItem as _;

#[derive(dynamo::DynamoItem)]
#[dynamo(crate = "dynamo_core", table = "core_only")]
struct CoreOnly {
    #[dynamo(hash_key)]
    id: Vec<u8>,
    #[dynamo(range_key)]
    at: dynamo_core::Number,
}

fn main() {
    let schema = CoreOnly::key_schema();
    assert_eq!(schema.hash_key_element.attribute_type, dynamo_core::wire::ScalarAttributeType::B);
    let _: dynamo_core::attr::Attr<CoreOnly, Vec<u8>, dynamo_core::attr::Hash> = CoreOnly::ID;
}
