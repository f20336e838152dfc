//! Bounds are inferred only for field types that mention a type parameter.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::marker::PhantomData;

use dynamo::DynamoItem;

/// `K` only appears in the key, `V` only in a value, `M` only in a skipped
/// marker: each gets the bound its field needs.
#[derive(DynamoItem)]
#[dynamo(table = "generic")]
struct Pair<K, V, M> {
    #[dynamo(hash_key)]
    id: K,
    value: Option<V>,
    members: BTreeSet<String>,
    #[dynamo(skip)]
    marker: PhantomData<M>,
}

#[derive(DynamoItem)]
#[dynamo(table = "bounded", bound = "T: dynamo::KeyAttribute")]
struct Explicit<T>
where
    T: Clone,
{
    #[dynamo(hash_key)]
    id: T,
}

fn assert_item<T: DynamoItem>() {}

struct NotStorable;

fn main() {
    assert_item::<Pair<String, u64, NotStorable>>();
    assert_item::<Pair<u64, dynamo::Binary, ()>>();
    assert_item::<Explicit<i64>>();
    let _ = Pair::<String, u64, ()>::VALUE;
}
