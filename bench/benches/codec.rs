//! Item codec: our conversions (derive-generated, and hand-written against
//! the value model) vs serde_dynamo with aws-sdk-dynamodb's AttributeValue, for
//! three shapes, both directions, item-level and straight to/from request
//! JSON bytes; and a 1 MB Query page decoded into `Vec<Message>` vs the
//! serde_json ceiling.
//!
//! Run: `cargo bench --manifest-path bench/Cargo.toml --bench codec`

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue as AwsValue;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dynamo_bench::hand::HandItem;
use dynamo_bench::shapes::{Message, PageWire, Tagged, Wide};
use dynamo_core::wire::{GetItemOutput, PutItemInput, QueryOutput};
use dynamo_core::{DynamoItem, Item, Page};
use serde::Serialize;
use serde::de::DeserializeOwned;

type AwsItem = HashMap<String, AwsValue>;

/// The PutItem request body carrying `item`.
fn put_request(item: Item) -> PutItemInput {
    PutItemInput {
        table_name: "bench".to_owned(),
        item,
        expected: None,
        return_values: None,
    }
}

/// A GetItem response body carrying `item`.
fn get_response(item: Item) -> Vec<u8> {
    let output = GetItemOutput {
        item: Some(item),
        consumed_capacity_units: Some(0.5),
    };
    serde_json::to_vec(&output).unwrap_or_default()
}

fn shape<T>(c: &mut Criterion, name: &str, value: T)
where
    T: DynamoItem + HandItem + Serialize + DeserializeOwned + Clone + PartialEq + std::fmt::Debug,
{
    let item = value.hand_to_item();
    let aws_item: AwsItem = serde_dynamo::to_item(&value).unwrap_or_default();
    let response = get_response(item.clone());
    // Every path must read back what was written.
    assert_eq!(T::hand_from_item(item.clone()).ok().as_ref(), Some(&value));
    assert_eq!(value.to_item().ok().as_ref(), Some(&item));
    assert_eq!(T::from_item(item.clone()).ok().as_ref(), Some(&value));
    assert_eq!(
        serde_dynamo::from_item::<_, T>(aws_item.clone())
            .ok()
            .as_ref(),
        Some(&value)
    );

    let mut group = c.benchmark_group(format!("to_item/{name}"));
    group.bench_function("derive", |b| b.iter(|| black_box(&value).to_item()));
    group.bench_function("hand", |b| b.iter(|| black_box(&value).hand_to_item()));
    group.bench_function("serde_dynamo+aws", |b| {
        b.iter(|| serde_dynamo::to_item::<_, AwsItem>(black_box(&value)))
    });
    group.finish();

    let mut group = c.benchmark_group(format!("from_item/{name}"));
    group.bench_function("derive", |b| {
        b.iter_batched(|| item.clone(), T::from_item, BatchSize::SmallInput)
    });
    group.bench_function("hand", |b| {
        b.iter_batched(|| item.clone(), T::hand_from_item, BatchSize::SmallInput)
    });
    group.bench_function("serde_dynamo+aws", |b| {
        b.iter_batched(
            || aws_item.clone(),
            serde_dynamo::from_item::<_, T>,
            BatchSize::SmallInput,
        )
    });
    group.finish();

    let mut group = c.benchmark_group(format!("to_json/{name}"));
    group.bench_function("derive", |b| {
        b.iter(|| -> Option<Vec<u8>> {
            serde_json::to_vec(&put_request(black_box(&value).to_item().ok()?)).ok()
        })
    });
    group.bench_function("hand", |b| {
        b.iter(|| serde_json::to_vec(&put_request(black_box(&value).hand_to_item())))
    });
    group.finish();

    let mut group = c.benchmark_group(format!("from_json/{name}"));
    group.bench_function("derive", |b| {
        b.iter(|| {
            let output: GetItemOutput = serde_json::from_slice(black_box(&response)).ok()?;
            T::from_item(output.item?).ok()
        })
    });
    group.bench_function("hand", |b| {
        b.iter(|| {
            let output: GetItemOutput = serde_json::from_slice(black_box(&response)).ok()?;
            T::hand_from_item(output.item?).ok()
        })
    });
    group.finish();
}

/// A Query response of about 1 MB of messages (the service's page limit).
fn query_page() -> Vec<u8> {
    let mut items = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < 1_000_000 {
        let item = Message::sample(i).hand_to_item();
        size += item.iter().map(|(k, v)| k.len() + v.size()).sum::<usize>();
        items.push(item);
        i += 1;
    }
    let output = QueryOutput {
        count: Some(items.len() as i64),
        items: Some(items),
        last_evaluated_key: None,
        consumed_capacity_units: Some(128.0),
    };
    serde_json::to_vec(&output).unwrap_or_default()
}

fn page(c: &mut Criterion) {
    let bytes = query_page();
    let mut group = c.benchmark_group("query_page_1mb");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("table_page", |b| {
        b.iter(|| -> Option<Vec<Message>> {
            Some(
                Page::<Message>::from_response_body(black_box(&bytes))
                    .ok()?
                    .items,
            )
        })
    });
    group.bench_function("derive", |b| {
        b.iter(|| -> Option<Vec<Message>> {
            let output: QueryOutput = serde_json::from_slice(black_box(&bytes)).ok()?;
            output
                .items?
                .into_iter()
                .map(|i| Message::from_item(i).ok())
                .collect()
        })
    });
    group.bench_function("hand", |b| {
        b.iter(|| -> Option<Vec<Message>> {
            let output: QueryOutput = serde_json::from_slice(black_box(&bytes)).ok()?;
            output
                .items?
                .into_iter()
                .map(|i| Message::hand_from_item(i).ok())
                .collect()
        })
    });
    group.bench_function("serde_json_ceiling", |b| {
        b.iter(|| -> Option<Vec<Message>> {
            let page: PageWire = serde_json::from_slice(black_box(&bytes)).ok()?;
            page.items.into_iter().map(|m| m.into_message()).collect()
        })
    });
    group.finish();
}

fn shapes(c: &mut Criterion) {
    shape(c, "message", Message::sample(7));
    shape(c, "tagged", Tagged::sample(7));
    shape(c, "wide", Wide::sample(7));
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = shapes, page
}
criterion_main!(benches);
